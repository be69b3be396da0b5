"""A municipality's look: which of the shipped themes its pages use, and its logo."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import NotFound
from buurtbudget.places.models import Municipality
from buurtbudget.places.themes import DEFAULT_THEME, Theme, check_logo, check_theme, theme_of

UNCHANGED = object()


@dataclass(frozen=True, slots=True)
class Look:
    """What a page needs to dress itself as a municipality's page."""

    theme: Theme
    municipality: str | None = None
    logo_url: str | None = None


DEFAULT_LOOK = Look(theme_of(DEFAULT_THEME))


def look_of(municipality: Municipality | None) -> Look:
    """The municipality's look; pages that belong to no municipality get the installation's default."""
    if municipality is None:
        return DEFAULT_LOOK
    return Look(theme_of(municipality.theme), municipality.name, municipality.logo_url)


async def set_look(
    session: AsyncSession,
    cbs_code: str,
    theme: str,
    *,
    logo_url: str | object | None = UNCHANGED,
    actor_id: int | None,
) -> Municipality:
    """Give the municipality with this CBS code one of the shipped themes (and a logo, or none)."""
    chosen = check_theme(theme)
    logo = UNCHANGED if logo_url is UNCHANGED else check_logo(str(logo_url or ""))
    async with transaction(session):
        municipality = (
            await session.execute(
                select(Municipality)
                .where(Municipality.cbs_code == cbs_code.strip().upper())
                .with_for_update()
            )
        ).scalar_one_or_none()
        if municipality is None:
            raise NotFound("no such municipality", cbs_code=cbs_code)
        change: dict[str, object] = {}
        if municipality.theme != chosen:
            change["theme"] = chosen
            municipality.theme = chosen
        if logo is not UNCHANGED and municipality.logo_url != logo:
            change["logo_url"] = logo
            municipality.logo_url = logo if isinstance(logo, str) else None
        if change:
            await record(
                session,
                actor_id=actor_id,
                action="municipality.look_changed",
                subject_type="municipality",
                subject_id=municipality.id,
                data=change,
            )
    return municipality
