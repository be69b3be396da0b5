"""Every route handler of the volunteers feature, registered by the application factory."""

from litestar.types import ControllerRouterHandler

ROUTE_HANDLERS: list[ControllerRouterHandler] = []
