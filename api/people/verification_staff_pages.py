"""Staff pages for verifying residents (`/buurten/{slug}/bewoners`): open requests to approve or decline,
who is verified (end with a reason), and letter batches: upload addresses, download the CSV or PDF."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import AppSettings, CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence, whole_number
from api.people.verification_controller import batch_pdf, download
from api.people.verification_pages import METHODS
from api.providers import Verifications
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import InvalidInput, NotFound
from buurtbudget.i18n import N_, gettext
from buurtbudget.people.letter_codes import MAX_FILE_BYTES, AddressFileRefused, parse_addresses
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification import VerificationService
from buurtbudget.places import service as places

NOTICES = {
    "goedgekeurd": N_("The resident is verified."),
    "afgewezen": N_("The request was declined."),
    "beeindigd": N_("The verification has ended."),
    "brieven": N_("The letters are ready. Download them for the print shop."),
}
NO_FILE = N_("Choose a CSV file with the addresses.")
LINE = N_("Line {line}: {reason}")


class VerificationStaffPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _page(
        self,
        request: Request[Any, Any, Any],
        verifications: VerificationService,
        actor: Actor,
        slug: str,
        *,
        errors: dict[str, str] | None = None,
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        neighbourhood = await places.get_by_slug(verifications.session, slug)
        _n, requests, verified = await verifications.staff_overview(actor, neighbourhood.id)
        return page(
            request,
            "people/verify_staff.html",
            status_code=status_code,
            neighbourhood=neighbourhood,
            requests=requests,
            verified=verified,
            batches=await verifications.batches(actor, neighbourhood.id),
            methods=METHODS,
            notice=NOTICES.get(request.query_params.get("klaar", "")),
            errors=errors or {},
            problems=problems or [],
        )

    @get("/buurten/{slug:str}/bewoners", operation_id="verifyStaffPage")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        verifications: Verifications,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._page(request, verifications, actor, slug)

    @post("/buurten/{slug:str}/bewoners/goedkeuren", operation_id="approveResidentPost")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        person_id = whole_number(str((await request.form()).get("persoon") or ""), minimum=1)
        if person_id is None:
            raise NotFound("no such person", person_id=None)
        await verifications.approve(actor, person_id, neighbourhood.id)
        return see_other(f"/buurten/{neighbourhood.slug}/bewoners", klaar="goedgekeurd")

    @post("/buurten/{slug:str}/bewoners/afwijzen", operation_id="declineResidentPost")
    async def decline(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        request_id = whole_number(str((await request.form()).get("verzoek") or ""), minimum=1)
        if request_id is None:
            raise NotFound("no such request", request_id=None)
        await verifications.decline(actor, request_id)
        return see_other(f"/buurten/{neighbourhood.slug}/bewoners", klaar="afgewezen")

    @post("/buurten/{slug:str}/brieven", operation_id="issueLettersPost")
    async def issue(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        verifications: Verifications,
        actor: CurrentActor,
        locale: Locale,
        slug: FromPath[str],
    ) -> Template | Redirect:
        """Upload a CSV of addresses: checked as a whole, each mistake named by its line; nothing half."""
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        await verifications.staff_overview(actor, neighbourhood.id)  # staff only, before reading a file
        upload = (await request.form()).get("bestand")
        content = await upload.read(MAX_FILE_BYTES + 1) if isinstance(upload, UploadFile) else b""
        try:
            if not content:
                raise InvalidInput(NO_FILE, field="bestand")
            await verifications.issue_batch(actor, neighbourhood.id, parse_addresses(content))
        except InvalidInput as error:
            await db_session.rollback()
            problems = []
            if isinstance(error, AddressFileRefused):
                problems = [
                    gettext(LINE, locale).format(line=line, reason=sentence(gettext(problem, locale)))
                    if line
                    else sentence(gettext(problem, locale))
                    for line, problem in error.problems
                ]
            return await self._page(
                request,
                verifications,
                actor,
                slug,
                errors={"bestand": sentence(gettext(error.message, locale))},
                problems=problems,
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(f"/buurten/{neighbourhood.slug}/bewoners", klaar="brieven")

    @get("/brieven/{batch_id:int}/brieven.csv", operation_id="lettersCsvPage")
    async def letters_csv(
        self,
        request: Request[Any, Any, Any],
        verifications: Verifications,
        actor: CurrentActor,
        batch_id: PathId,
    ) -> Response[bytes | str] | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        printable = await verifications.printable(actor, batch_id)
        return download(printable.csv(), "text/csv; charset=utf-8", f"brieven-{batch_id}.csv")

    @get("/brieven/{batch_id:int}/brieven.pdf", operation_id="lettersPdfPage")
    async def letters_pdf(
        self,
        request: Request[Any, Any, Any],
        verifications: Verifications,
        actor: CurrentActor,
        settings: AppSettings,
        batch_id: PathId,
    ) -> Response[bytes | str] | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        printable = await verifications.printable(actor, batch_id)
        return download(batch_pdf(printable, settings.base_url), "application/pdf", f"brieven-{batch_id}.pdf")
