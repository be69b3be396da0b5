"""Importing neighbourhoods or postcodes from a CSV file, in pages: upload, preview, confirm.

The preview carries the file back in a hidden field, so the confirmation needs no server-side state;
the import checks the whole file again in its own transaction and writes all of it or nothing.
"""

import base64
import binascii
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence
from api.places.pages import BASE
from api.providers import PlaceImports, Places
from api.rendering import page
from api.schemas import PathId
from buurtbudget.i18n import N_, gettext
from buurtbudget.people.roles import Actor
from buurtbudget.places.admin import PlacesAdmin
from buurtbudget.places.csv_import import MAX_BYTES, ImportRefused
from buurtbudget.places.imports import NeighbourhoodPlan, PlacesImport, PostcodePlan

KINDS = {"buurten", "postcodes"}
NO_FILE = N_("Choose a CSV file.")
NO_KIND = N_("Choose what the file holds: neighbourhoods or postcodes.")
PREVIEW_ROWS = 50


async def _upload(form: Any) -> bytes | None:
    upload = form.get("bestand")
    if isinstance(upload, UploadFile):
        content = await upload.read(MAX_BYTES + 1)
        return content or None
    return None


def _carried(text: str) -> bytes | None:
    """The file the preview carried back, if it is intact."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True) or None
    except (binascii.Error, UnicodeEncodeError):
        return None


class PlacesImportPages(Controller):
    path = BASE + "/importeren"
    include_in_schema = False
    tags = ["pages"]

    async def _form(
        self,
        request: Request[Any, Any, Any],
        places: PlacesAdmin,
        actor: Actor,
        municipality_id: int,
        *,
        kind: str = "buurten",
        errors: dict[str, str] | None = None,
        problems: list[str] | None = None,
        status_code: int = 200,
    ) -> Template:
        municipality = await places.administered(actor, municipality_id)
        return page(
            request,
            "places/import.html",
            status_code=status_code,
            municipality=municipality,
            kind=kind,
            errors=errors or {},
            problems=problems or [],
        )

    @get("/", operation_id="placesImportPage")
    async def upload_page(
        self, request: Request[Any, Any, Any], actor: CurrentActor, places: Places, municipality_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._form(request, places, actor, municipality_id)

    async def _plan(
        self, imports: PlacesImport, actor: Actor, municipality_id: int, kind: str, content: bytes
    ) -> NeighbourhoodPlan | PostcodePlan:
        if kind == "postcodes":
            return await imports.plan_postcodes(actor, municipality_id, content)
        return await imports.plan_neighbourhoods(actor, municipality_id, content)

    def _refused(self, error: ImportRefused, locale: str) -> list[str]:
        line = gettext("Line {line}", locale)
        return [f"{line.format(line=p.line)}: {sentence(p.text(locale))}" for p in error.problems]

    @post("/", operation_id="placesImportPreview")
    async def preview(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        place_imports: PlaceImports,
        municipality_id: PathId,
    ) -> Template | Redirect:
        """Check the whole file and show what it would change; nothing is written yet."""
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        kind = str(form.get("soort") or "")
        content = await _upload(form)
        errors = {}
        if kind not in KINDS:
            errors["soort"] = sentence(gettext(NO_KIND, locale))
        if content is None:
            errors["bestand"] = sentence(gettext(NO_FILE, locale))
        if errors or content is None:
            return await self._form(
                request,
                places,
                actor,
                municipality_id,
                kind=kind or "buurten",
                errors=errors,
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        try:
            plan = await self._plan(place_imports, actor, municipality_id, kind, content)
        except ImportRefused as error:
            return await self._refusal(request, places, actor, municipality_id, kind, error, locale)
        return page(
            request,
            "places/import_preview.html",
            municipality=await places.administered(actor, municipality_id),
            kind=kind,
            plan=plan,
            shown=PREVIEW_ROWS,
            carried=base64.b64encode(content).decode("ascii"),
        )

    async def _refusal(
        self,
        request: Request[Any, Any, Any],
        places: PlacesAdmin,
        actor: Actor,
        municipality_id: int,
        kind: str,
        error: ImportRefused,
        locale: str,
    ) -> Template:
        return await self._form(
            request,
            places,
            actor,
            municipality_id,
            kind=kind,
            errors={"bestand": sentence(gettext(error.message, locale))},
            problems=self._refused(error, locale),
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )

    @post("/bevestigen", operation_id="placesImportConfirm")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        place_imports: PlaceImports,
        municipality_id: PathId,
    ) -> Template | Redirect:
        """Write the previewed file: all of it, or (when it no longer fits) nothing."""
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        kind = str(form.get("soort") or "")
        content = _carried(str(form.get("inhoud") or ""))
        if kind not in KINDS or content is None:
            return await self._form(
                request,
                places,
                actor,
                municipality_id,
                kind=kind if kind in KINDS else "buurten",
                errors={"bestand": sentence(gettext(NO_FILE, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        try:
            if kind == "postcodes":
                await place_imports.import_postcodes(actor, municipality_id, content)
            else:
                await place_imports.import_neighbourhoods(actor, municipality_id, content)
        except ImportRefused as error:
            await db_session.rollback()
            return await self._refusal(request, places, actor, municipality_id, kind, error, locale)
        return see_other(f"/beheer/gemeenten/{municipality_id}/buurten", gedaan=f"geimporteerd-{kind}")
