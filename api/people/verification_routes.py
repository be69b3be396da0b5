"""Every route handler of verified residents and the jury pool page, registered by the app factory."""

from litestar.types import ControllerRouterHandler

from api.jury.pool_pages import JuryPoolPages
from api.people.verification_controller import VerificationController
from api.people.verification_pages import VerificationPages
from api.people.verification_staff_pages import VerificationStaffPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    VerificationController,
    VerificationPages,
    VerificationStaffPages,
    JuryPoolPages,
]
