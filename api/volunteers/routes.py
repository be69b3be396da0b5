"""Every route handler of the volunteers feature, registered by the application factory."""

from litestar.types import ControllerRouterHandler

from api.volunteers.controller import (
    InitiativeVolunteerController,
    VolunteerController,
    VolunteerMatchController,
)
from api.volunteers.pages import VolunteerPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    VolunteerController,
    InitiativeVolunteerController,
    VolunteerMatchController,
    VolunteerPages,
]
