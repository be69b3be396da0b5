"""Reading initiatives from the database as the engine's documents, plus what a result card shows."""

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import CostLine, Initiative, InitiativeTheme, Initiator, TimelineEvent
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.pots.ledger import AccountKind
from buurtbudget.pots.models import Account, LedgerEntry
from matching import Area, InitiativeDoc

# Drafts are private and withdrawn plans are no example to anyone: neither is ever indexed.
HIDDEN_STATES = (State.DRAFT.value, State.WITHDRAWN.value)
GRANT_EVENTS = (Action.GRANT.value, Action.GRANT_PARTLY.value)
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Card:
    """What a result shows of an indexed initiative (all of it public)."""

    id: int
    title: str
    neighbourhood_id: int
    neighbourhood: str
    municipality: str
    state: str
    granted_cents: int | None
    year: int
    contact_consent: bool


def area_of(neighbourhood_id: int, municipality_id: int) -> Area:
    """The engine's area: database ids as keys, so renaming a neighbourhood changes nothing."""
    return Area(str(neighbourhood_id), str(municipality_id))


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


async def granted_totals(session: AsyncSession, ids: Sequence[int] | None = None) -> dict[int, int]:
    """Money awarded per initiative: the balance of its 'granted' ledger accounts."""
    query = (
        select(Account.initiative_id, func.sum(LedgerEntry.amount_cents))
        .join(LedgerEntry, LedgerEntry.account_id == Account.id)
        .where(Account.kind == AccountKind.GRANTED.value, Account.initiative_id.is_not(None))
        .group_by(Account.initiative_id)
    )
    totals: dict[int, int] = {}
    for chunk in [None] if ids is None else _chunks(ids):
        scoped = query if chunk is None else query.where(Account.initiative_id.in_(chunk))
        for initiative_id, cents in (await session.execute(scoped)).tuples():
            if initiative_id is not None and cents:
                totals[initiative_id] = int(cents)
    return totals


async def load(session: AsyncSession, ids: Collection[int] | None = None) -> list[tuple[InitiativeDoc, Card]]:
    """Documents and cards of the indexable initiatives among `ids` (all of them when None)."""
    base = (
        select(
            Initiative.id,
            Initiative.title,
            Initiative.summary,
            Initiative.state,
            Initiative.created_at,
            Neighbourhood.id,
            Neighbourhood.name,
            Municipality.id,
            Municipality.name,
        )
        .join(Neighbourhood, Neighbourhood.id == Initiative.neighbourhood_id)
        .join(Municipality, Municipality.id == Neighbourhood.municipality_id)
        .where(Initiative.state.not_in(HIDDEN_STATES))
        .order_by(Initiative.id)
    )
    if ids is None:
        rows = list((await session.execute(base)).tuples())
    else:
        rows = []
        for chunk in _chunks(sorted(ids)):
            rows.extend((await session.execute(base.where(Initiative.id.in_(chunk)))).tuples())
    found = [row[0] for row in rows]
    costs: dict[int, list[str]] = {}
    themes: dict[int, list[str]] = {}
    consent: set[int] = set()
    granted_at: dict[int, datetime] = {}
    for chunk in _chunks(found):
        for initiative_id, description in await session.execute(
            select(CostLine.initiative_id, CostLine.description)
            .where(CostLine.initiative_id.in_(chunk))
            .order_by(CostLine.initiative_id, CostLine.position)
        ):
            costs.setdefault(initiative_id, []).append(description)
        for initiative_id, theme in await session.execute(
            select(InitiativeTheme.initiative_id, InitiativeTheme.theme).where(
                InitiativeTheme.initiative_id.in_(chunk)
            )
        ):
            themes.setdefault(initiative_id, []).append(theme)
        consent.update(
            (
                await session.execute(
                    select(Initiator.initiative_id).where(
                        Initiator.initiative_id.in_(chunk),
                        Initiator.status == "active",
                        Initiator.contact_consent.is_(True),
                    )
                )
            ).scalars()
        )
        for initiative_id, at in await session.execute(
            select(TimelineEvent.initiative_id, func.max(TimelineEvent.at))
            .where(TimelineEvent.initiative_id.in_(chunk), TimelineEvent.event.in_(GRANT_EVENTS))
            .group_by(TimelineEvent.initiative_id)
        ):
            granted_at[initiative_id] = at
    granted = await granted_totals(session, found)
    result = []
    for iid, title, summary, state, created_at, nb_id, nb_name, muni_id, muni_name in rows:
        cents = granted.get(iid)
        year = (granted_at.get(iid) or created_at).year
        doc = InitiativeDoc(
            id=str(iid),
            title=title,
            area=area_of(nb_id, muni_id),
            story=summary,
            themes=tuple(themes.get(iid, ())),
            cost_lines=tuple(costs.get(iid, ())),
            status="granted" if cents else state,
            year=year,
            granted_cents=cents,
            contact_consent=iid in consent,
        )
        card = Card(iid, title, nb_id, nb_name, muni_name, state, cents, year, iid in consent)
        result.append((doc, card))
    return result
