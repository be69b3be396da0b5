"""The resident's verification page `/buurten/{slug}/verifieren`: status, a letter code, asking for
approval, the identity provider's button (its own include), and ending a verification ("I moved")."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY, HTTP_429_TOO_MANY_REQUESTS

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence
from api.providers import Verifications
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, DomainError, InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification import VerificationService, may_verify, neighbourhood_of
from buurtbudget.people.verification_errors import TooManyCodeAttempts
from buurtbudget.places import service as places
from buurtbudget.places.models import Neighbourhood

NOTICES = {
    "geverifieerd": N_("Done: you are now a verified resident of this neighbourhood."),
    "aangevraagd": N_("Your request was sent. The broker or the municipality will look at it."),
    "beeindigd": N_("The verification has ended."),
}
MOVED = N_("I moved")
METHODS = {
    "approval": N_("approved by the broker or the municipality"),
    "letter_code": N_("with the code from a letter"),
    "oidc": N_("by signing in at the municipality"),
}


def status_of(error: DomainError) -> int:
    if isinstance(error, TooManyCodeAttempts):
        return HTTP_429_TOO_MANY_REQUESTS
    return HTTP_422_UNPROCESSABLE_ENTITY if isinstance(error, InvalidInput) else HTTP_409_CONFLICT


class VerificationPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _page(
        self,
        request: Request[Any, Any, Any],
        verifications: VerificationService,
        actor: Actor,
        neighbourhood: Neighbourhood,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        active = await verifications.active(actor.person_id) if actor.person_id else []
        here = next((v for v in active if v.neighbourhood_id == neighbourhood.id), None)
        elsewhere = []
        for verification in active:
            if verification.neighbourhood_id != neighbourhood.id:
                elsewhere.append(await neighbourhood_of(verifications.session, verification.neighbourhood_id))
        open_request = (
            await verifications.open_request(actor.person_id, neighbourhood.id) if actor.person_id else None
        )
        notice = NOTICES.get(request.query_params.get("klaar", ""))
        return page(
            request,
            "people/verify.html",
            status_code=status_code,
            neighbourhood=neighbourhood,
            here=here,
            elsewhere=elsewhere,
            open_request=open_request,
            method_label=METHODS.get(here.method, "") if here else "",
            staff=may_verify(actor, neighbourhood),
            notice=notice,
            values=values or {},
            errors=errors or {},
        )

    @get("/buurten/{slug:str}/verifieren", operation_id="verifyPage")
    async def status(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Template:
        neighbourhood = await places.get_by_slug(db_session, slug)
        return await self._page(request, verifications, actor, neighbourhood)

    @post("/buurten/{slug:str}/verifieren/code", operation_id="verifyCodePost")
    async def code(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        locale: Locale,
        slug: FromPath[str],
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        code = str((await request.form()).get("code") or "")[:100]
        try:
            verification = await verifications.redeem(actor, code)
        except (InvalidInput, TooManyCodeAttempts) as error:
            await db_session.rollback()
            neighbourhood = await places.get_by_slug(db_session, slug)  # fresh after the rollback
            return await self._page(
                request,
                verifications,
                actor,
                neighbourhood,
                values={"code": code},
                errors={"code": sentence(gettext(error.message, locale))},
                status_code=status_of(error),
            )
        target = await neighbourhood_of(db_session, verification.neighbourhood_id)
        return see_other(f"/buurten/{target.slug}/verifieren", klaar="geverifieerd")

    @post("/buurten/{slug:str}/verifieren/goedkeuring", operation_id="askApprovalPost")
    async def ask(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        locale: Locale,
        slug: FromPath[str],
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        note = str((await request.form()).get("toelichting") or "")
        try:
            await verifications.request_approval(actor, neighbourhood.id, note)
        except InvalidInput as error:
            await db_session.rollback()
            neighbourhood = await places.get_by_slug(db_session, slug)  # fresh after the rollback
            return await self._page(
                request,
                verifications,
                actor,
                neighbourhood,
                values={"toelichting": note},
                errors={"toelichting": sentence(gettext(error.message, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(f"/buurten/{neighbourhood.slug}/verifieren", klaar="aangevraagd")

    async def _end_form(
        self,
        request: Request[Any, Any, Any],
        verifications: VerificationService,
        actor: Actor,
        verification_id: int,
        locale: str,
        *,
        reason: str | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        verification, neighbourhood, person = await verifications.endable(actor, verification_id)
        own = verification.person_id == actor.person_id
        return page(
            request,
            "people/end_verification.html",
            status_code=status_code,
            verification=verification,
            neighbourhood=neighbourhood,
            person=person,
            own=own,
            reason=reason if reason is not None else (gettext(MOVED, locale) if own else ""),
            errors=errors or {},
        )

    @get("/verificaties/{verification_id:int}/beeindigen", operation_id="endVerificationPage")
    async def end_page(
        self,
        request: Request[Any, Any, Any],
        verifications: Verifications,
        actor: CurrentActor,
        locale: Locale,
        verification_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._end_form(request, verifications, actor, verification_id, locale)

    @post("/verificaties/{verification_id:int}/beeindigen", operation_id="endVerificationPost")
    async def end(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        locale: Locale,
        verification_id: PathId,
    ) -> Template | Redirect:
        """Ending asks for a reason and a confirmation on the page before; the post does it."""
        if redirect := sign_in_first(request):
            return redirect
        reason = str((await request.form()).get("reden") or "")
        try:
            ended = await verifications.end(actor, verification_id, reason)
        except (InvalidInput, Conflict) as error:
            await db_session.rollback()
            return await self._end_form(
                request,
                verifications,
                actor,
                verification_id,
                locale,
                reason=reason,
                errors={"reden": sentence(gettext(error.message, locale))},
                status_code=status_of(error),
            )
        neighbourhood = await neighbourhood_of(db_session, ended.neighbourhood_id)
        if ended.person_id == actor.person_id:
            return see_other(f"/buurten/{neighbourhood.slug}/verifieren", klaar="beeindigd")
        return see_other(f"/buurten/{neighbourhood.slug}/bewoners", klaar="beeindigd")
