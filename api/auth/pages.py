"""Sign-in pages: ask for a link, confirm it with a button (mail scanners follow GET links), sign out."""

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromQuery, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_422_UNPROCESSABLE_ENTITY
from pydantic import ValidationError

from api.auth.controller import start_session
from api.auth.schemas import SignInRequest
from api.dependencies import AppSettings, DbSession, Locale
from api.language.pages import local_path
from api.pages.form_errors import translated
from api.people.name_page import NAME_PAGE
from api.rendering import page
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.people.sign_in import consume_link, request_link

Form = URLEncodedBody[dict[str, str]]
NextPath = Annotated[str | None, QueryParameter(name="volgende")]
AFTER_SIGN_IN = "bb_after_sign_in"
AFTER_SIGN_IN_SECONDS = 60 * 60


class SignInPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/inloggen", operation_id="signInPage")
    async def form(
        self, request: Request[Any, Any, Any], settings: AppSettings, next_path: NextPath = None
    ) -> Template:
        response = page(request, "auth/sign_in.html", email="", errors={})
        if next_path:
            # A cookie, not a server-side session: anonymous visitors never make session rows.
            response.set_cookie(
                AFTER_SIGN_IN,
                local_path(next_path),
                max_age=AFTER_SIGN_IN_SECONDS,
                secure=settings.cookie_secure,
                httponly=True,
                samesite="lax",
            )
        return response

    @post("/inloggen", operation_id="signInPagePost")
    async def send_link(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        settings: AppSettings,
        locale: Locale,
        data: Form,
    ) -> Template | Redirect:
        email = data.get("email", "").strip()
        try:
            SignInRequest(email=email)
        except ValidationError:
            return page(
                request,
                "auth/sign_in.html",
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                email=email,
                errors=translated(
                    {"email": N_("Fill in a valid e-mail address, like naam@voorbeeld.nl.")}, locale
                ),
            )
        await request_link(db_session, settings, email, locale=locale)
        return Redirect("/inloggen/verstuurd", status_code=HTTP_303_SEE_OTHER)

    @get("/inloggen/verstuurd", operation_id="signInSentPage")
    async def sent(self, request: Request[Any, Any, Any], settings: AppSettings) -> Template:
        return page(request, "auth/sent.html", show_outbox=settings.shows_outbox)

    @get("/inloggen/bevestigen", operation_id="signInConfirmPage")
    async def confirm_form(self, request: Request[Any, Any, Any], token: FromQuery[str] = "") -> Template:
        return page(request, "auth/confirm.html", token=token)

    @post("/inloggen/bevestigen", operation_id="signInConfirmPost")
    async def confirm(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: Form
    ) -> Template | Redirect:
        try:
            person = await consume_link(db_session, data.get("token", ""))
        except InvalidInput:
            return page(
                request,
                "auth/confirm.html",
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                token="",
                error=N_("This link does not work any more. Ask for a new one."),
            )
        after = local_path(request.cookies.get(AFTER_SIGN_IN))
        start_session(request, person.id)
        if not person.display_name:  # first sign-in: ask which name others may see
            after = f"{NAME_PAGE}?{urlencode({'volgende': after})}"
        redirect = Redirect(after, status_code=HTTP_303_SEE_OTHER)
        redirect.delete_cookie(AFTER_SIGN_IN)
        return redirect

    @post("/uitloggen", operation_id="signOutPost")
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=HTTP_303_SEE_OTHER)
