"""Each pot's "how it works" page: the municipality writes it; the most per initiative is enforced."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.models import Initiative
from buurtbudget.people.roles import Actor
from buurtbudget.places import service as places
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.accounts import PotLedger
from buurtbudget.pots.errors import AboveMaximum
from buurtbudget.pots.models import Pot
from buurtbudget.workdays import AMSTERDAM

MAX_TEXT = 5000
MAX_PER_INITIATIVE_CENTS = 100_000_000_00  # € 100 million, as for an initiative's own costs


@dataclass(frozen=True, slots=True)
class GuideInput:
    """What the municipality writes on a pot's "how it works" page."""

    max_per_initiative_cents: int | None
    criteria: str
    next_round_on: date | None
    payment_text: str


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: blank lines separate them, single line breaks join into one."""
    blocks = text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _cleaned(text: str, field: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput("write at most 5000 characters", field=field)
    return text


def check_guide(guide: GuideInput) -> GuideInput:
    """The guide as stored, or InvalidInput naming the first field it cannot hold."""
    maximum = guide.max_per_initiative_cents
    if maximum is not None and (isinstance(maximum, bool) or not 0 < maximum <= MAX_PER_INITIATIVE_CENTS):
        raise InvalidInput(
            "the maximum is more than € 0 and at most € 100 million", field="max_per_initiative_cents"
        )
    return GuideInput(
        max_per_initiative_cents=maximum,
        criteria=_cleaned(guide.criteria, "criteria"),
        next_round_on=guide.next_round_on,
        payment_text=_cleaned(guide.payment_text, "payment_text"),
    )


async def pot_for(session: AsyncSession, neighbourhood_id: int, today: date | None = None) -> Pot | None:
    """The pot a new plan in this neighbourhood asks from: the newest one running today, else the next
    one to start, else none."""
    today = today or utcnow().astimezone(AMSTERDAM).date()
    running = await session.scalar(
        select(Pot)
        .where(Pot.neighbourhood_id == neighbourhood_id, Pot.period_start <= today, Pot.period_end >= today)
        .order_by(Pot.period_start.desc(), Pot.id.desc())
        .limit(1)
    )
    if running is not None:
        return running
    upcoming: Pot | None = await session.scalar(
        select(Pot)
        .where(Pot.neighbourhood_id == neighbourhood_id, Pot.period_start > today)
        .order_by(Pot.period_start, Pot.id)
        .limit(1)
    )
    return upcoming


async def check_within_maximum(session: AsyncSession, initiative: Initiative) -> None:
    """AboveMaximum when the plan asks more than the most its neighbourhood's pot gives one initiative."""
    pot = await pot_for(session, initiative.neighbourhood_id)
    maximum = None if pot is None else pot.max_per_initiative_cents
    if pot is not None and maximum is not None and initiative.total_cents > maximum:
        raise AboveMaximum(
            "your plan asks more than the most this neighbourhood budget gives one initiative",
            field="cost_lines",
            max_cents=maximum,
            pot_id=pot.id,
        )


class PotGuideService(PotLedger):
    """Reading (public) and writing (the pot's municipality) a pot's "how it works" page."""

    async def guide(self, pot_id: int) -> Pot:
        pot = await self.session.get(Pot, pot_id)
        if pot is None:
            raise NotFound("no such pot", pot_id=pot_id)
        return pot

    async def guide_page(self, pot_id: int) -> tuple[Pot, Neighbourhood]:
        """The pot and its neighbourhood, for its public page."""
        pot = await self.guide(pot_id)
        return pot, await places.get_neighbourhood(self.session, pot.neighbourhood_id)

    async def pot_for(self, neighbourhood_id: int) -> Pot | None:
        return await pot_for(self.session, neighbourhood_id)

    async def set_guide(self, actor: Actor, pot_id: int, guide: GuideInput) -> Pot:
        cleaned = check_guide(guide)
        async with transaction(self.session):
            pot = await self._locked_pot(pot_id)
            neighbourhood = await self._neighbourhood(pot.neighbourhood_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality writes how its pots work")
            pot.max_per_initiative_cents = cleaned.max_per_initiative_cents
            pot.criteria = cleaned.criteria
            pot.next_round_on = cleaned.next_round_on
            pot.payment_text = cleaned.payment_text
            await record(
                self.session,
                actor_id=actor.person_id,
                action="pot.guide_set",
                subject_type="pot",
                subject_id=pot.id,
                data={
                    "max_per_initiative_cents": cleaned.max_per_initiative_cents,
                    "next_round_on": cleaned.next_round_on and cleaned.next_round_on.isoformat(),
                    "criteria": cleaned.criteria,
                    "payment_text": cleaned.payment_text,
                },
            )
        return pot
