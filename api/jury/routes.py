"""Every route handler of the jury pages (juror, advisor, result, exports), registered by the app factory."""

from litestar.types import ControllerRouterHandler

from api.jury.deliberation import DeliberationController
from api.jury.draw_pages import RoundDrawPages
from api.jury.exports import RoundExportController
from api.jury.manage_pages import RoundManagePages
from api.jury.open_pages import RoundOpenPages
from api.jury.pages import RoundPages
from api.jury.room_pages import RoundRoomPages
from api.jury.round_admin_pages import RoundAdminPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [DeliberationController, RoundPages, RoundRoomPages]
ROUTE_HANDLERS.append(RoundExportController)
ROUTE_HANDLERS.append(RoundManagePages)
ROUTE_HANDLERS.append(RoundDrawPages)
ROUTE_HANDLERS.append(RoundOpenPages)
ROUTE_HANDLERS.append(RoundAdminPages)
