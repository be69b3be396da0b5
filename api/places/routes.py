"""Every route handler of setting up places, registered by the application factory."""

from litestar.types import ControllerRouterHandler

from api.places.contact_pages import MunicipalityContactPages
from api.places.controller import MunicipalityController
from api.places.import_pages import PlacesImportPages
from api.places.municipality_pages import MunicipalityAdminPages
from api.places.pages import NeighbourhoodAdminPages
from api.places.settings_pages import MunicipalitySettingsPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    MunicipalityController,
    NeighbourhoodAdminPages,
    PlacesImportPages,
    MunicipalityContactPages,
    MunicipalityAdminPages,
    MunicipalitySettingsPages,
]
