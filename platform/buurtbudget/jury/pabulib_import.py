"""Import a real Pabulib election as a closed round of a pot: initiatives, anonymous ballots, the tally.

For demos and tests. The file is read and every value checked before anything is written: a
malformed file names its section and line (PabulibError), a value the platform cannot hold names the
field (InvalidInput), and either way nothing is stored. The projects become initiatives ready for the
jury, owned by one pseudonymous resident; each vote becomes the ballot of a pseudonymous voter
(``…@pabulib.invalid``, no real data); the round's amount is the file's budget, reserved in the pot.
The round is then closed in the same transaction by ``RoundService.close_in_transaction``, so it is
tallied, decided and paid out exactly like a live round, and a round that cannot be closed is not stored.

Pabulib holds no project without a cost: where the source had none, the file gives an artificial cost of
1 (Amsterdam 588 says so of projects 42190 and 42195 in its comment). A cost of at most
``PLACEHOLDER_MAX_CENTS`` (€ 1,00) is taken for such a placeholder, never for a real amount: the project
needs no money from the pot, so it is left out of the round (not on the ballot, never granted) and named
in the import's result and audit entry. The other projects keep their real costs.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import CostLine, Initiative, InitiativeTheme, Initiator, TimelineEvent
from buurtbudget.initiatives.rules import MAX_AMOUNT_CENTS, MAX_THEMES, normalise_themes
from buurtbudget.jury.allocation import Election, Rule, TieBreak, read_pabulib
from buurtbudget.jury.ballots import BallotKind, BallotRules, validate
from buurtbudget.jury.models import CastBallot, Round, RoundInitiative
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification import ensure_verified
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService
from buurtbudget.workdays import AMSTERDAM

PLACEHOLDER_MAX_CENTS = 100  # € 1,00: no real initiative costs this little; Pabulib's "no cost given"
PSEUDONYMOUS_DOMAIN = "pabulib.invalid"  # a reserved domain: these addresses can never receive mail
# Pabulib names its rules its own way; these are the ones we implement.
PABULIB_RULES = {
    "greedy": Rule.GREEDY,
    "mes": Rule.MES,
    "equalshares": Rule.MES,
    "mes-add1": Rule.MES_ADD1,
    "equalshares/add1": Rule.MES_ADD1,
    "knapsack": Rule.KNAPSACK,
}
_KINDS = {
    "approval": BallotKind.APPROVAL,
    "choose-1": BallotKind.APPROVAL,
    "scoring": BallotKind.SCORE,
    "cumulative": BallotKind.CUMULATIVE,
}


@dataclass(frozen=True, slots=True)
class ImportedRound:
    """The closed round made from a file, and which initiative each Pabulib project became."""

    round_id: int
    initiative_ids: Mapping[str, int]
    ballots: int
    result: Mapping[str, object]
    left_out: tuple[str, ...] = ()  # projects whose cost was a placeholder (see the module's description)


@dataclass(frozen=True, slots=True)
class _Checked:
    """The file's content in the platform's terms, every value already accepted."""

    kind: BallotKind
    budget_cents: int
    costs: dict[str, int]
    marks: list[dict[str, int]]
    rules: BallotRules
    rule: Rule
    tie_break: TieBreak
    opens_at: datetime
    closes_at: datetime
    left_out: tuple[str, ...] = ()


def is_placeholder_cost(cents: int) -> bool:
    """Whether a Pabulib cost stands in for a cost the source did not give (see the module's description)."""
    return cents <= PLACEHOLDER_MAX_CENTS


def _cents(amount: Fraction, field: str) -> int:
    cents = amount * 100
    if cents.denominator != 1 or not 0 < cents <= MAX_AMOUNT_CENTS:
        raise InvalidInput(
            "an amount must be more than 0, in whole cents, and at most € 100 million", field=field
        )
    return int(cents)


def _whole(value: Fraction, field: str) -> int:
    if value.denominator != 1:
        raise InvalidInput("points must be whole numbers", field=field)
    return int(value)


def _int_meta(meta: Mapping[str, str], key: str) -> int | None:
    try:
        return int(Fraction(meta[key].replace(",", ".")))
    except (KeyError, ValueError, ZeroDivisionError):
        return None


def _day(text: str, *, last: bool) -> date | None:
    """A Pabulib date: '15.06.2023', '2023-06-15', or a year alone (its first or last day)."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return date(int(text), 12, 31) if last else date(int(text), 1, 1)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a calendar date, no time)
        except ValueError:
            continue
    return None


def _voting_period(meta: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    """The file's voting dates in Amsterdam time, or (when it has none) the moment of the import."""
    begin = _day(meta.get("date_begin", ""), last=False)
    end = _day(meta.get("date_end", ""), last=True)
    if begin is not None and end is not None and begin <= end:
        opens = datetime.combine(begin, time.min, AMSTERDAM).astimezone(UTC)
        closes = datetime.combine(end + timedelta(days=1), time.min, AMSTERDAM).astimezone(UTC)
        return opens, closes
    return now - timedelta(minutes=1), now


def _ballot_rules(
    election: Election, kind: BallotKind, marks: list[dict[str, int]], costs: dict[str, int]
) -> BallotRules:
    """The round's ballot limits: the file's, where every ballot keeps them, else none."""
    meta = election.meta
    if kind is BallotKind.APPROVAL:
        most = 1 if meta.get("vote_type") == "choose-1" else _int_meta(meta, "max_length")
        if most is not None and any(len(ballot) > most for ballot in marks):
            most = None
        total = _int_meta(meta, "max_sum_cost")
        total_cents = None if total is None else total * 100
        if total_cents is not None and any(sum(costs[p] for p in ballot) > total_cents for ballot in marks):
            total_cents = None
        return BallotRules(kind, max_approvals=most, max_total_cents=total_cents)
    highest = max((mark for ballot in marks for mark in ballot.values()), default=1)
    if kind is BallotKind.SCORE:
        return BallotRules(kind, max_score=max(_int_meta(meta, "max_points") or 1, highest, 1))
    spent = max((sum(ballot.values()) for ballot in marks), default=1)
    return BallotRules(kind, points=max(_int_meta(meta, "max_sum_points") or 1, spent, 1))


def check(election: Election, rule: Rule | str | None, tie_break: TieBreak | str, now: datetime) -> _Checked:
    """The election in cents and whole marks, with its limits and rule, or InvalidInput naming the field."""
    kind = _KINDS.get(election.vote_type)
    if kind is None:
        raise InvalidInput(
            "only approval, choose-1, scoring and cumulative votes can be imported", field="vote_type"
        )
    if not election.projects:
        raise InvalidInput("the file has no projects", field="projects")
    budget_cents = _cents(election.budget, "budget")
    all_costs = {p.id: _cents(p.cost, f"projects.{p.id}.cost") for p in election.projects}
    left_out = tuple(sorted(p for p, cents in all_costs.items() if is_placeholder_cost(cents)))
    costs = {p: cents for p, cents in all_costs.items() if p not in left_out}
    if not costs:
        raise InvalidInput("no project in the file has a real cost", field="projects")
    marks = []
    for number, ballot in enumerate(election.ballots, start=1):
        if ballot.points is None:
            marks.append(dict.fromkeys(sorted(p for p in ballot.approved if p in costs), 1))
        else:
            points = sorted(ballot.points.items())
            marks.append({p: _whole(v, f"votes.{number}") for p, v in points if v and p in costs})
    chosen = rule if rule is not None else PABULIB_RULES.get(election.meta.get("rule", ""), Rule.GREEDY)
    opens_at, closes_at = _voting_period(election.meta, now)
    return _Checked(
        kind=kind,
        budget_cents=budget_cents,
        costs=costs,
        marks=marks,
        rules=_ballot_rules(election, kind, marks, costs),
        rule=Rule.parse(chosen),
        tie_break=TieBreak.parse(tie_break),
        opens_at=opens_at,
        closes_at=closes_at,
        left_out=left_out,
    )


def _title(name: str, project_id: str) -> str:
    title = " ".join(name.split())
    return title[:150] if len(title) >= 3 else f"Project {project_id}"[:150]


class PabulibImport:
    """Turns a Pabulib election into a closed round of a pot; see the module's description."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def import_file(
        self,
        actor: Actor,
        pot_id: int,
        path: Path,
        *,
        rule: Rule | str | None = None,
        tie_break: TieBreak | str = TieBreak.LEXICOGRAPHIC,
    ) -> ImportedRound:
        """Read ``path`` (a malformed file raises PabulibError naming section and line) and import it."""
        return await self.import_election(
            actor, pot_id, read_pabulib(path), rule=rule, tie_break=tie_break, source=path.name
        )

    async def import_election(
        self,
        actor: Actor,
        pot_id: int,
        election: Election,
        *,
        rule: Rule | str | None = None,
        tie_break: TieBreak | str = TieBreak.LEXICOGRAPHIC,
        source: str = "",
    ) -> ImportedRound:
        """Store the election as a round of the pot, then close it with the chosen rule."""
        checked = check(election, rule, tie_break, utcnow())
        name = election.meta.get("description", "") or source or "Pabulib"
        async with transaction(self.session):
            await PotService(self.session).lock(pot_id)  # the pot before the round and audit (lock order)
            neighbourhood = await self._neighbourhood(actor, pot_id)
            round_ = Round(
                pot_id=pot_id,
                name=_title(name, election.meta.get("instance", ""))[:120],
                mode="open",
                partial_grants=False,  # the file's rule decides alone: no partial grants afterwards
                state="open",
                amount_cents=checked.budget_cents,
                ballot_kind=checked.kind.value,
                max_approvals=checked.rules.max_approvals,
                max_total_cents=checked.rules.max_total_cents,
                max_score=checked.rules.max_score,
                points=checked.rules.points,
                rule=checked.rule.value,
                tie_break=checked.tie_break.value,
                seed=secrets.token_hex(16),
                voting_opens_at=checked.opens_at,
                voting_closes_at=checked.closes_at,
            )
            self.session.add(round_)
            await self.session.flush()
            owner = Person(
                email=f"ronde{round_.id}.initiatiefnemer@{PSEUDONYMOUS_DOMAIN}",
                display_name=f"Bewoner (Pabulib, ronde {round_.id})",
                roles=[],
            )
            self.session.add(owner)
            await self.session.flush()
            await ensure_verified(self.session, owner, neighbourhood.id)
            ids = await self._initiatives(election, checked, neighbourhood, owner, actor)
            self.session.add_all(
                RoundInitiative(round_id=round_.id, initiative_id=ids[p], cost_cents=cents)
                for p, cents in checked.costs.items()
            )
            await PotService(self.session).reserve_for_round(actor, pot_id, round_.id, checked.budget_cents)
            await self._ballots(round_, checked, ids)
            await record(
                self.session,
                actor_id=actor.person_id,
                action="round.imported",
                subject_type="round",
                subject_id=round_.id,
                data={
                    "source": source,
                    "projects": len(ids),
                    "ballots": len(checked.marks),
                    "pseudonymous_voters": len(checked.marks),
                    "left_out_placeholder_costs": list(checked.left_out),
                    "owner_id": owner.id,
                    "seed": round_.seed,
                },
            )
            # Closed in the same transaction: a round that cannot be tallied is not stored at all.
            result = await RoundService(self.session).close_in_transaction(actor, round_.id)
        return ImportedRound(round_.id, ids, len(checked.marks), result, checked.left_out)

    async def _neighbourhood(self, actor: Actor, pot_id: int) -> Neighbourhood:
        found = (
            await self.session.execute(
                select(Neighbourhood)
                .join(Pot, Pot.neighbourhood_id == Neighbourhood.id)
                .where(Pot.id == pot_id)
            )
        ).scalar_one_or_none()
        if found is None:
            raise InvalidInput("no such pot", field="pot_id")
        if not actor.administers(found.municipality_id):
            raise NotAllowed("only the municipality opens rounds")
        return found

    async def _initiatives(
        self, election: Election, checked: _Checked, neighbourhood: Neighbourhood, owner: Person, actor: Actor
    ) -> dict[str, int]:
        """One initiative per project, ready for the jury, with its cost as one essential line."""
        made: dict[str, Initiative] = {}
        for project in election.projects:
            if project.id not in checked.costs:  # a placeholder cost: not on the ballot
                continue
            title = _title(project.name, project.id)
            made[project.id] = Initiative(
                neighbourhood_id=neighbourhood.id,
                title=title,
                summary=" ".join(project.name.split())[:5000],
                state=State.READY_FOR_JURY.value,
                created_by_id=owner.id,
                initiators=[Initiator(person_id=owner.id, status="active")],
                cost_lines=[
                    CostLine(
                        position=0,
                        description=title[:200],
                        amount_cents=checked.costs[project.id],
                        essential=True,
                    )
                ],
                theme_links=[
                    InitiativeTheme(theme=theme)
                    for theme in normalise_themes([c[:80] for c in sorted(project.categories)])[:MAX_THEMES]
                ],
            )
        self.session.add_all(made.values())
        await self.session.flush()
        now = utcnow()
        for initiative in made.values():
            self.session.add(
                TimelineEvent(
                    initiative_id=initiative.id,
                    at=now,
                    actor_id=actor.person_id,
                    event="mark_ready",
                    state=State.READY_FOR_JURY.value,
                    next_step="jury_decides",
                    contact_id=None,
                    due_at=None,
                )
            )
        return {project_id: initiative.id for project_id, initiative in made.items()}

    async def _ballots(self, round_: Round, checked: _Checked, ids: Mapping[str, int]) -> None:
        """Each vote as the ballot of its own pseudonymous voter, checked against the round's rules."""
        costs = {ids[p]: cents for p, cents in checked.costs.items()}
        voters = [
            Person(
                email=f"ronde{round_.id}.kiezer{number}@{PSEUDONYMOUS_DOMAIN}",
                display_name=f"Kiezer {number}",
                roles=[],
            )
            for number in range(1, len(checked.marks) + 1)
        ]
        self.session.add_all(voters)
        await self.session.flush()
        ballots = []
        for voter, marks in zip(voters, checked.marks, strict=True):
            kept = validate(checked.rules, {ids[p]: mark for p, mark in marks.items()}, costs=costs)
            ballots.append(
                CastBallot(
                    round_id=round_.id,
                    voter_id=voter.id,
                    marks={str(k): v for k, v in sorted(kept.items())},
                    cast_at=round_.voting_closes_at - timedelta(microseconds=1),
                )
            )
        self.session.add_all(ballots)
        await self.session.flush()
