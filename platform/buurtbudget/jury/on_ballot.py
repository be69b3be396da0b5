"""While an initiative is on the ballot of an open round, its initiators cannot withdraw it or change it."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.errors import Conflict
from buurtbudget.jury.models import RoundInitiative


async def open_round_of(session: AsyncSession, initiative_id: int) -> int | None:
    """The open round whose ballot holds the initiative, if any (at most one: a unique column)."""
    found = await session.scalar(
        select(RoundInitiative.round_id).where(RoundInitiative.open_initiative_id == initiative_id)
    )
    return None if found is None else int(found)


async def refuse_while_on_ballot(session: AsyncSession, initiative_id: int, action: str) -> None:
    """Conflict (409) naming the round when the initiative is on an open round's ballot."""
    round_id = await open_round_of(session, initiative_id)
    if round_id is not None:
        raise Conflict(
            "this initiative is on the ballot of an open round: it cannot be withdrawn or changed "
            "until the round is decided or cancelled",
            field="initiative_id",
            round_id=round_id,
            action=action,
        )
