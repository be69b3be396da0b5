"""Every route handler of the similar feature, registered by the application factory."""

from litestar.types import ControllerRouterHandler

from api.similar.controller import SimilarController
from api.similar.pages import SimilarPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [SimilarController, SimilarPages]
