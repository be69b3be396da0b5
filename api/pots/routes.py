"""Every route handler of pots beyond the money API: the guide and report endpoints and the pages."""

from litestar.types import ControllerRouterHandler

from api.pots.guide_controller import PotGuideController
from api.pots.guide_pages import PotGuidePages
from api.pots.money_pages import PotMoneyPages
from api.pots.pages import PotAdminPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    PotGuideController,
    PotAdminPages,
    PotMoneyPages,
    PotGuidePages,
]
