"""JSON endpoints for magic-link sign-in under /api/v1/auth."""

from typing import Any

from litestar import Controller, Request, delete, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from api.auth.schemas import Accepted, SignInConfirmation, SignInRequest
from api.dependencies import SESSION_PERSON, AppSettings, DbSession, Locale
from api.guards import PUBLIC, requires_signed_in
from api.people.schemas import PersonOut
from api.sessions import ROTATE, SESSION_STARTED
from buurtbudget.db.base import utcnow
from buurtbudget.i18n import gettext
from buurtbudget.people.sign_in import consume_link, request_link


def start_session(request: Request[Any, Any, Any], person_id: int) -> None:
    """Sign the browser in under a fresh session id, keeping the chosen language."""
    kept = {key: value for key, value in request.session.items() if key == "locale"}
    started = utcnow().isoformat()
    request.set_session({**kept, SESSION_PERSON: person_id, SESSION_STARTED: started, ROTATE: True})


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["sign-in"]
    guards = [requires_signed_in]  # asking for a link and using it are PUBLIC: they are how one signs in

    @post(
        "/sign-in-requests",
        operation_id="requestSignInLink",
        summary="Mail a single-use sign-in link (the same answer for known and unknown addresses)",
        status_code=HTTP_202_ACCEPTED,
        opt=PUBLIC,
    )
    async def request_sign_in(
        self,
        db_session: DbSession,
        settings: AppSettings,
        locale: Locale,
        data: JSONBody[SignInRequest],
    ) -> Accepted:
        await request_link(db_session, settings, data.email, locale=locale)
        return Accepted(detail=gettext("If this address can sign in, a link is on its way.", locale))

    @post(
        "/session",
        operation_id="signIn",
        summary="Sign in with the token from the mailed link",
        status_code=HTTP_200_OK,
        opt=PUBLIC,
    )
    async def sign_in(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[SignInConfirmation]
    ) -> PersonOut:
        person = await consume_link(db_session, data.token)
        start_session(request, person.id)
        return PersonOut.model_validate(person)

    @delete(
        "/session",
        operation_id="signOut",
        summary="Sign out",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def sign_out(self, request: Request[Any, Any, Any]) -> None:
        request.clear_session()
