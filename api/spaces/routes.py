"""Every route handler of the spaces feature, registered by the application factory."""

from litestar.types import ControllerRouterHandler

from api.spaces.booking_pages import BookingPages
from api.spaces.controller import BookingController, SpaceController, SpaceMatchController
from api.spaces.match_pages import SpaceMatchPages
from api.spaces.pages import SpacePages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    SpaceController,
    BookingController,
    SpaceMatchController,
    SpacePages,
    BookingPages,
    SpaceMatchPages,
]
