"""Round exports: a closed round's frozen ballots as a Pabulib file, and its result per initiative as CSV.

Amounts in the Pabulib file are whole euro cents, the unit the round was tallied in: the add-one
completion of MES raises every voter's share by one unit at a time, so only in cents does
``pabutools`` (``voter_budget_increment=1``) or ``buurtbudget allocate`` redo the published result.
Ballots are anonymous: voters are numbered 1..n in the order of their ballots' content.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.csv_export import csv_text as write_csv
from buurtbudget.errors import Conflict, NotFound
from buurtbudget.initiatives.models import Initiative, InitiativeTheme
from buurtbudget.jury.allocation import Election, Project, write_pabulib
from buurtbudget.jury.ballots import PABULIB_VOTE_TYPES, BallotKind, to_election
from buurtbudget.jury.models import Round, RoundInitiative
from buurtbudget.jury.result import RoundResult
from buurtbudget.jury.rounds import RoundService
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.pots.models import Pot

GRANTED, PARTLY, NOT_GRANTED = "granted", "partly", "not"
CSV_COLUMNS = (
    "initiative_id",
    "title",
    "cost_cents",
    "support",
    "votes",
    "outcome",
    "reason",
    "explanation",
    "granted_cents",
)


@dataclass(frozen=True, slots=True)
class BallotItem:
    """An initiative on the round's ballot: its title and themes now, its cost when the round opened."""

    initiative_id: int
    title: str
    cost_cents: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClosedRound:
    """Everything the exports show of a closed round (no voter is named anywhere)."""

    round_id: int
    name: str
    municipality: str
    neighbourhood: str
    ballot_kind: BallotKind
    amount_cents: int
    rule: str
    tie_break: str
    seed: str
    voting_opens_at: datetime
    voting_closes_at: datetime
    items: tuple[BallotItem, ...]
    ballots: tuple[Mapping[int, int], ...]
    result: RoundResult
    max_approvals: int | None = None
    max_total_cents: int | None = None
    max_score: int = 10
    points: int = 10
    min_support: int = 0  # support an initiative needed at least; those below were left out of the rule


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One line of the CSV: an initiative, its support and votes, what it was granted and why."""

    initiative_id: int
    title: str
    cost_cents: int
    support: int | float
    votes: int
    outcome: str
    reason: str
    granted_cents: int


def _one_line(text: str) -> str:
    """Text on one line: the Pabulib reader in pabutools splits its input on line breaks."""
    return " ".join(text.splitlines()).strip()


def election_of(closed: ClosedRound) -> Election:
    """The round as the tally saw it: budget and costs in cents, one ballot per voter, titles and themes."""
    tallied = to_election(
        closed.amount_cents,
        {item.initiative_id: item.cost_cents for item in closed.items},
        closed.ballots,
        closed.ballot_kind,
    )
    projects = tuple(
        Project(
            id=str(item.initiative_id),
            cost=Fraction(item.cost_cents),
            name=_one_line(item.title),
            categories=frozenset(_one_line(theme).replace(",", " ") for theme in item.themes),
        )
        for item in sorted(closed.items, key=lambda item: item.initiative_id)
    )
    return Election(
        budget=tallied.budget,
        projects=projects,
        ballots=tallied.ballots,
        vote_type=PABULIB_VOTE_TYPES[closed.ballot_kind],
    )


def pabulib_meta(closed: ClosedRound) -> dict[str, str]:
    """The META section: where and when, the budget's unit, the ballot's limits, rule, tie-break and seed."""
    meta = {
        "description": f"Buurtbudget {_one_line(closed.name)}",
        "country": "Netherlands",
        "unit": _one_line(closed.municipality),
        "subunit": _one_line(closed.neighbourhood),
        "instance": str(closed.round_id),
        "date_begin": closed.voting_opens_at.date().isoformat(),
        "date_end": closed.voting_closes_at.date().isoformat(),
        "language": "nl",
        "currency": "EUR",
        "comment": "#1: budget and costs are in euro cents, the unit the round was tallied in. "
        "#2: voter ids are numbers given at export; the ballots are anonymous, without recused marks. "
        "#3: projects with less support than min_support were left out before the rule ran.",
        "rule": closed.rule,
        "tie_break": closed.tie_break,
        "seed": closed.seed,
        "min_support": str(closed.min_support),
    }
    if closed.ballot_kind is BallotKind.APPROVAL:
        if closed.max_approvals is not None:
            meta["max_length"] = str(closed.max_approvals)
        if closed.max_total_cents is not None:
            meta["max_sum_cost"] = str(closed.max_total_cents)
    elif closed.ballot_kind is BallotKind.SCORE:
        meta.update(min_points="0", max_points=str(closed.max_score))
    else:
        meta["max_sum_points"] = str(closed.points)
    return meta


def pabulib_text(closed: ClosedRound) -> str:
    """The round's frozen ballots as a Pabulib file that pabutools and `buurtbudget allocate` read."""
    return write_pabulib(election_of(closed), pabulib_meta(closed))


def outcome(granted_cents: int, cost_cents: int) -> str:
    """Granted in full, partly (its essential lines), or not."""
    return NOT_GRANTED if granted_cents <= 0 else PARTLY if granted_cents < cost_cents else GRANTED


def _support(result: RoundResult, initiative_id: int) -> int | float:
    value = result.support_of(initiative_id)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _reason(result: RoundResult, initiative_id: int) -> str:
    found = result.explained(initiative_id)
    return "" if found is None else found.reason


def result_rows(closed: ClosedRound) -> list[ResultRow]:
    """One row per initiative on the ballot, by id: support, votes, outcome, reason code and amount."""
    costs = {item.initiative_id: item.cost_cents for item in closed.items}
    granted = closed.result.granted_cents(costs)
    rows = []
    for item in sorted(closed.items, key=lambda item: item.initiative_id):
        amount = granted.get(item.initiative_id, 0)
        rows.append(
            ResultRow(
                initiative_id=item.initiative_id,
                title=item.title,
                cost_cents=item.cost_cents,
                support=_support(closed.result, item.initiative_id),
                votes=sum(1 for ballot in closed.ballots if ballot.get(item.initiative_id)),
                outcome=outcome(amount, item.cost_cents),
                reason=_reason(closed.result, item.initiative_id),
                granted_cents=max(amount, 0),
            )
        )
    return rows


def csv_text(rows: Sequence[ResultRow], explain: Callable[[ResultRow], str] = lambda row: row.reason) -> str:
    """The result as CSV (RFC 4180, comma-separated, amounts in cents); `explain` words each row's reason."""
    return write_csv(
        CSV_COLUMNS,
        (
            [
                row.initiative_id,
                _one_line(row.title),
                row.cost_cents,
                row.support,
                row.votes,
                row.outcome,
                row.reason,
                _one_line(explain(row)),
                row.granted_cents,
            ]
            for row in rows
        ),
    )


async def load_closed_round(session: AsyncSession, round_id: int) -> ClosedRound:
    """A closed round with its ballot and frozen ballots; before closing the ballots are secret (409)."""
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise NotFound("no such round", round_id=round_id)
    if round_.state != "closed" or round_.result is None:
        raise Conflict("the ballots are secret until the round is closed", field="round_id")
    place = (
        await session.execute(
            select(Municipality.name, Neighbourhood.name)
            .join(Neighbourhood, Neighbourhood.municipality_id == Municipality.id)
            .join(Pot, Pot.neighbourhood_id == Neighbourhood.id)
            .where(Pot.id == round_.pot_id)
        )
    ).one()
    on_ballot = (
        await session.execute(
            select(RoundInitiative.initiative_id, Initiative.title, RoundInitiative.cost_cents)
            .join(Initiative, Initiative.id == RoundInitiative.initiative_id)
            .where(RoundInitiative.round_id == round_id)
            .order_by(RoundInitiative.initiative_id)
        )
    ).all()
    themes: dict[int, list[str]] = {}
    for initiative_id, theme in await session.execute(
        select(InitiativeTheme.initiative_id, InitiativeTheme.theme)
        .where(InitiativeTheme.initiative_id.in_([row[0] for row in on_ballot]))
        .order_by(InitiativeTheme.initiative_id, InitiativeTheme.theme)
    ):
        themes.setdefault(initiative_id, []).append(theme)
    return ClosedRound(
        round_id=round_.id,
        name=round_.name,
        municipality=place[0],
        neighbourhood=place[1],
        ballot_kind=BallotKind(round_.ballot_kind),
        amount_cents=round_.amount_cents,
        rule=round_.rule,
        tie_break=round_.tie_break,
        seed=round_.seed,
        voting_opens_at=round_.voting_opens_at,
        voting_closes_at=round_.voting_closes_at,
        items=tuple(
            BallotItem(initiative_id, title, cost, tuple(themes.get(initiative_id, ())))
            for initiative_id, title, cost in on_ballot
        ),
        ballots=tuple(await RoundService(session).ballots(round_id)),
        result=round_.result,
        max_approvals=round_.max_approvals,
        max_total_cents=round_.max_total_cents,
        max_score=round_.max_score,
        points=round_.points,
        min_support=round_.min_support,
    )
