"""Every route handler of the similar feature, registered by the application factory."""

from litestar.types import ControllerRouterHandler

ROUTE_HANDLERS: list[ControllerRouterHandler] = []
