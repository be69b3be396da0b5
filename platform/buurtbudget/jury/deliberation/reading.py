"""What the round pages read: rounds per neighbourhood, a round's ballot with its initiatives, own ballots."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.errors import NotFound
from buurtbudget.initiatives.models import Initiative
from buurtbudget.jury.models import CastBallot, Round, RoundInitiative
from buurtbudget.people.models import Person
from buurtbudget.people.names import shown_name
from buurtbudget.people.roles import Actor
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot


@dataclass(frozen=True, slots=True)
class NeighbourhoodRounds:
    neighbourhood: Neighbourhood
    rounds: list[Round]


@dataclass(frozen=True, slots=True)
class BallotItem:
    """An initiative on the ballot with the amount it asked for when the round opened."""

    initiative: Initiative
    cost_cents: int


async def rounds_by_neighbourhood(
    session: AsyncSession, neighbourhood_id: int | None = None
) -> list[NeighbourhoodRounds]:
    """Every round that opened, newest first, grouped by neighbourhood (alphabetical)."""
    query = (
        select(Neighbourhood, Round)
        .join(Pot, Pot.neighbourhood_id == Neighbourhood.id)
        .join(Round, Round.pot_id == Pot.id)
        .where(Round.state != "draft")
        .order_by(Neighbourhood.name, Round.voting_closes_at.desc(), Round.id.desc())
    )
    if neighbourhood_id is not None:
        query = query.where(Neighbourhood.id == neighbourhood_id)
    grouped: dict[int, NeighbourhoodRounds] = {}
    for neighbourhood, round_ in (await session.execute(query)).tuples():
        grouped.setdefault(neighbourhood.id, NeighbourhoodRounds(neighbourhood, [])).rounds.append(round_)
    return list(grouped.values())


async def get_round(session: AsyncSession, round_id: int) -> tuple[Round, Neighbourhood]:
    """A round and its neighbourhood (public facts: name, amount, dates, rules)."""
    round_ = await session.get(Round, round_id)
    if round_ is None or round_.state == "draft":
        raise NotFound("no such round", round_id=round_id)
    pot = await session.get(Pot, round_.pot_id)
    neighbourhood = (
        None
        if pot is None
        else await session.get(
            Neighbourhood, pot.neighbourhood_id, options=[selectinload(Neighbourhood.municipality)]
        )
    )
    if neighbourhood is None:
        raise NotFound("no such neighbourhood")
    return round_, neighbourhood


async def ballot(session: AsyncSession, round_id: int) -> list[BallotItem]:
    """The initiatives on the round's ballot, in the order of their numbers."""
    rows = await session.execute(
        select(Initiative, RoundInitiative.cost_cents)
        .join(RoundInitiative, RoundInitiative.initiative_id == Initiative.id)
        .where(RoundInitiative.round_id == round_id)
        .order_by(Initiative.id)
    )
    return [BallotItem(initiative, cost) for initiative, cost in rows.tuples()]


async def own_ballot(session: AsyncSession, actor: Actor, round_id: int) -> dict[int, int] | None:
    """The marks of the actor's ballot in this round, or None when they have not voted."""
    if actor.person_id is None:
        return None
    marks = (
        await session.execute(
            select(CastBallot.marks).where(
                CastBallot.round_id == round_id, CastBallot.voter_id == actor.person_id
            )
        )
    ).scalar_one_or_none()
    return None if marks is None else {int(k): int(v) for k, v in marks.items()}


async def names(session: AsyncSession, person_ids: set[int]) -> dict[int, str]:
    """Display names of the people who wrote in the deliberation."""
    if not person_ids:
        return {}
    rows = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(person_ids)))
    return {person_id: shown_name(name) for person_id, name in rows.tuples().all()}
