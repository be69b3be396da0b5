"""Every route handler of the jury pages (juror, advisor, result, exports), registered by the app factory."""

from litestar.types import ControllerRouterHandler

ROUTE_HANDLERS: list[ControllerRouterHandler] = []
