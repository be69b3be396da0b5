"""A municipality's settings in a page (/beheer/gemeenten/{id}/instellingen), for its administrators:
the attributes its jury pools are stratified by, how long a new verification counts, and (for the
platform administrator) its look and logo. Each form calls the same service as the API or the CLI."""

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other
from api.pages.form_errors import sentence, whole_number
from api.pages.staff_base import StaffPages
from api.places.pages import Notice
from api.providers import JuryPool, Places, Verifications
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.attributes import MAX_ATTRIBUTES, JuryAttribute, parse_attributes
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification import MAX_DAYS, MIN_DAYS
from buurtbudget.places.admin import PlacesAdmin
from buurtbudget.places.models import Municipality
from buurtbudget.places.themes import THEMES, theme_of

ROW_PARTS = ("key", "label", "values", "remove")
BASE = "/beheer/gemeenten/{municipality_id:int}/instellingen"
DAYS_ERROR = N_("Fill in a whole number of days from 30 to 1826.")
# Where on an attribute's row the service's refusal belongs (its message ids; the key otherwise).
ATTRIBUTE_PARTS = {
    "an attribute needs a label of 1 to 80 characters": "label",
    "an attribute needs 2 to 20 values": "values",
    "each value needs a unique key of 1 to 40 characters": "values",
}


def settings_path(municipality_id: int) -> str:
    return f"/beheer/gemeenten/{municipality_id}/instellingen"


def values_text(attribute: JuryAttribute, locale: str) -> str:
    """An attribute's values as the form shows them: one per line, `key = label`."""
    return "\n".join(f"{c.key} = {gettext(c.label, locale)}" for c in attribute.choices)


def attribute_rows(attributes: tuple[JuryAttribute, ...], locale: str) -> list[dict[str, str]]:
    """The form's rows: one per attribute and one empty row to add an attribute (up to the maximum)."""
    rows = [
        {"key": a.key, "label": gettext(a.label, locale), "values": values_text(a, locale), "remove": ""}
        for a in attributes
    ]
    if len(rows) < MAX_ATTRIBUTES:
        rows.append({"key": "", "label": "", "values": "", "remove": ""})
    return rows


def submitted_rows(form: Any) -> list[dict[str, str]]:
    """The rows as typed (at most the maximum and one more, however many were posted)."""
    rows = []
    for index in range(MAX_ATTRIBUTES + 1):
        if f"attr-{index}-key" not in form:
            break
        rows.append(
            {
                part: str(form.get(f"attr-{index}-{part}") or "")
                for part in ("key", "label", "values", "remove")
            }
        )
    return rows


def structure(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The attributes the rows describe, in the shape the service checks: rows marked for removal and
    empty rows are left out; each line of values is `key = label` (or only a key, which is its label)."""
    attributes = []
    for row in rows:
        if row["remove"] or not (row["key"].strip() or row["label"].strip() or row["values"].strip()):
            continue
        choices = []
        for line in row["values"].splitlines():
            if not line.strip():
                continue
            key, _, label = line.partition("=")
            choices.append({"key": key.strip(), "label": label.strip() or key.strip()})
        attributes.append({"key": row["key"].strip(), "label": row["label"].strip(), "choices": choices})
    return attributes


def attribute_error(error: InvalidInput, rows: list[dict[str, str]], locale: str) -> dict[str, str]:
    """The refusal at the field of the row it is about."""
    key = str(error.params.get("key") or "")
    index = next((i for i, row in enumerate(rows) if row["key"].strip() == key and not row["remove"]), 0)
    part = ATTRIBUTE_PARTS.get(error.message, "key")
    return {f"attr-{index}-{part}": sentence(gettext(error.message, locale))}


class MunicipalitySettingsPages(StaffPages):
    path = BASE

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        places: PlacesAdmin,
        municipality_id: int,
        locale: str,
        *,
        rows: list[dict[str, str]] | None = None,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        notice: str = "",
        status_code: int = 200,
    ) -> Template:
        municipality: Municipality = await places.administered(actor, municipality_id)
        if rows is None:
            rows = attribute_rows(parse_attributes(municipality.jury_attributes), locale)
        shown = {
            "days": str(municipality.verification_days or ""),
            "theme": theme_of(municipality.theme).key,
            "logo_url": municipality.logo_url or "",
            **(values or {}),
        }
        return page(
            request,
            "places/settings.html",
            status_code=status_code,
            municipality=municipality,
            rows=rows
            if rows is not None
            else attribute_rows(parse_attributes(municipality.jury_attributes), locale),
            values=shown,
            errors=errors or {},
            notice=notice,
            platform_admin=actor.is_platform_admin,
            themes=[(theme.key, gettext(theme.label, locale)) for theme in THEMES.values()],
            min_days=MIN_DAYS,
            max_days=MAX_DAYS,
        )

    @get("/", operation_id="municipalitySettingsPage")
    async def settings_page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
        gedaan: Notice = None,
    ) -> Template:
        return await self._page(request, actor, places, municipality_id, locale, notice=gedaan or "")

    @post("/jury", operation_id="municipalityJuryAttributesPost")
    async def save_attributes(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        jury_pool: JuryPool,
        municipality_id: PathId,
    ) -> Template | Redirect:
        """All attributes at once: a refused one is named at its field and nothing is saved."""
        rows = submitted_rows(await request.form())
        try:
            await jury_pool.set_attributes(actor, municipality_id, structure(rows))
        except InvalidInput as error:
            await db_session.rollback()
            return await self._page(
                request,
                actor,
                places,
                municipality_id,
                locale,
                rows=rows,
                errors=attribute_error(error, rows, locale),
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(settings_path(municipality_id), gedaan="jury")

    @post("/verificatie", operation_id="municipalityVerificationValidityPost")
    async def save_validity(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        verifications: Verifications,
        municipality_id: PathId,
    ) -> Template | Redirect:
        typed = str((await request.form()).get("days") or "")
        days = whole_number(typed)
        try:
            if days is None:
                raise InvalidInput(DAYS_ERROR, field="days")
            await verifications.set_validity(actor, municipality_id, days)
        except InvalidInput as error:
            await db_session.rollback()
            return await self._page(
                request,
                actor,
                places,
                municipality_id,
                locale,
                values={"days": typed},
                errors={"days": sentence(gettext(error.message, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(settings_path(municipality_id), gedaan="verificatie")

    @post("/uiterlijk", operation_id="municipalityLookPost")
    async def save_look(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
    ) -> Template | Redirect:
        """The platform administrator's choice of look and logo; a bad one is named at its field."""
        form = await request.form()
        values = {"theme": str(form.get("theme") or ""), "logo_url": str(form.get("logo_url") or "")}
        try:
            await places.set_look(actor, municipality_id, values["theme"], values["logo_url"])
        except InvalidInput as error:
            await db_session.rollback()
            field = error.field if error.field in values else "theme"
            return await self._page(
                request,
                actor,
                places,
                municipality_id,
                locale,
                values=values,
                errors={field: sentence(gettext(error.message, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(settings_path(municipality_id), gedaan="uiterlijk")
