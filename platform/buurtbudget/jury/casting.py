"""Casting ballots: several voters' ballots stored in one transaction, each refused or kept on its own.

Each round on the batch is locked shared (closing locks it exclusively, so no ballot slips in after
the tally), its ballot and the voters' seats and recusals are read once, and the kept ballots are
written by one upsert and audited by one append to the chain. A refusal stores nothing of that
ballot and is returned in its place; the other ballots of the batch are kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import Event, record_many
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, DomainError, NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.jury.ballots import BallotKind, BallotRules, validate
from buurtbudget.jury.models import CastBallot, Juror, Recusal, Round, RoundInitiative
from buurtbudget.jury.pool import NOT_VERIFIED
from buurtbudget.jury.recusal import roles_on_ballot
from buurtbudget.people.roles import Actor, Role
from buurtbudget.people.verification_errors import NotVerified
from buurtbudget.people.verification_models import Verification
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot

VOTING_SEATS = frozenset({"juror"})
JUROR_NOT_VERIFIED = N_(
    "your verification as a resident of {neighbourhood} has ended or expired since the draw; "
    "verify again to vote"
)
Kept = dict[tuple[int, int], tuple[dict[str, int], datetime]]  # (round, voter) -> (marks, cast at)


@dataclass(frozen=True, slots=True)
class BallotCast:
    """One voter's ballot for one round, as it arrived."""

    actor: Actor
    round_id: int
    marks: dict[int, int]
    at: datetime


def ballot_rules(round_: Round) -> BallotRules:
    """What a ballot of this round may hold."""
    return BallotRules(
        BallotKind(round_.ballot_kind),
        max_approvals=round_.max_approvals,
        max_total_cents=round_.max_total_cents,
        max_score=round_.max_score,
        points=round_.points,
    )


def refusal_to_vote(
    actor: Actor, round_: Round, neighbourhood: Neighbourhood, seat: str | None, seats: frozenset[str]
) -> DomainError | None:
    """Why this actor may not vote in the round, if not: jurors (in these seats) of a jury round and
    residents of the neighbourhood in an open round vote; professionals never do."""
    if actor.advises(neighbourhood.id, neighbourhood.municipality_id):
        return NotAllowed("advisors advise and never vote")
    if round_.mode == "jury":
        if seat not in seats:
            return NotAllowed("only jurors of this round vote")
    elif not actor.has(Role.RESIDENT, neighbourhood_id=neighbourhood.id):
        return NotVerified(
            NOT_VERIFIED, neighbourhood_name=neighbourhood.name, neighbourhood_slug=neighbourhood.slug
        )
    return None


async def cast_ballots(session: AsyncSession, casts: Sequence[BallotCast]) -> list[DomainError | None]:
    """Store each voter's ballot, replacing an earlier one; the refusal of each cast in its place.

    Of several casts by one voter for one round, the last one is the ballot kept (each is audited).
    """
    outcomes: list[DomainError | None] = [None] * len(casts)
    kept: Kept = {}
    audited: list[Event] = []
    by_round: dict[int, list[int]] = {}
    for index, cast in enumerate(casts):
        by_round.setdefault(cast.round_id, []).append(index)
    async with transaction(session):
        for round_id in sorted(by_round):
            indices = by_round[round_id]
            voter_ids = {voter for index in indices if (voter := casts[index].actor.person_id) is not None}
            voting = await _voting(session, round_id, voter_ids)
            for index in indices:
                cast = casts[index]
                try:
                    marks = _checked(cast, voting)
                except DomainError as refused:
                    outcomes[index] = refused
                    continue
                voter_id = cast.actor.person_id
                assert voter_id is not None  # noqa: S101  (refusal_to_vote refuses anonymous actors)
                kept[(round_id, voter_id)] = ({str(k): v for k, v in sorted(marks.items())}, cast.at)
                audited.append(Event(voter_id, "round.ballot_cast", "round", round_id))
        if kept:
            await _upsert(session, kept)
            await record_many(session, audited)
    return outcomes


@dataclass(frozen=True, slots=True)
class _Voting:
    """What deciding on the casts for one round needs, read once for the batch."""

    round_id: int
    found: tuple[Round, Neighbourhood] | None  # None: no such round
    seats: dict[int, str]
    costs: dict[int, int]
    recusals: dict[int, frozenset[int]]
    # Jury rounds: each juror's verifications in the neighbourhood, as (expires at, ended at).
    verified: dict[int, tuple[tuple[datetime, datetime | None], ...]]

    def verified_at(self, voter_id: int, moment: datetime) -> bool:
        """Whether the voter's residency counts at the moment of casting."""
        return any(
            expires > moment and (ended is None or ended > moment)
            for expires, ended in self.verified.get(voter_id, ())
        )


async def _voting(session: AsyncSession, round_id: int, voter_ids: set[int]) -> _Voting:
    found = await _locked_round(session, round_id)
    if found is None:
        return _Voting(round_id, None, {}, {}, {}, {})
    jury_voters = voter_ids if found[0].mode == "jury" else set()
    costs, recusals = await _ballot_and_recusals(session, round_id, voter_ids, jury_voters)
    verified = await _verifications(session, found[1].id, jury_voters)
    return _Voting(round_id, found, await _seats(session, found[0], voter_ids), costs, recusals, verified)


def _checked(cast: BallotCast, voting: _Voting) -> dict[int, int]:
    """The marks to keep of this cast, or its refusal: the round, the voter, the period, the ballot."""
    if voting.found is None:
        raise NotFound("no such round", round_id=voting.round_id)
    round_, neighbourhood = voting.found
    voter_id = cast.actor.person_id or 0
    refusal = refusal_to_vote(cast.actor, round_, neighbourhood, voting.seats.get(voter_id), VOTING_SEATS)
    if refusal is not None:
        raise refusal
    if round_.mode == "jury" and not voting.verified_at(voter_id, cast.at):
        # Drawn while verified; the residency that put them in the pool must still count now.
        raise NotVerified(
            JUROR_NOT_VERIFIED, neighbourhood_name=neighbourhood.name, neighbourhood_slug=neighbourhood.slug
        )
    if round_.state != "open" or not round_.voting_opens_at <= cast.at < round_.voting_closes_at:
        raise Conflict("voting is not open for this round", field="round_id")
    recused = voting.recusals.get(voter_id, frozenset())
    return validate(ballot_rules(round_), cast.marks, costs=voting.costs, recused=recused)


async def _locked_round(session: AsyncSession, round_id: int) -> tuple[Round, Neighbourhood] | None:
    """The round, locked shared, with its neighbourhood."""
    query = (
        select(Round, Neighbourhood)
        .join(Pot, Pot.id == Round.pot_id)
        .join(Neighbourhood, Neighbourhood.id == Pot.neighbourhood_id)
        .where(Round.id == round_id)
        .with_for_update(read=True, of=Round)
        .execution_options(populate_existing=True)
    )
    found = (await session.execute(query)).first()
    return None if found is None else (found[0], found[1])


async def _verifications(
    session: AsyncSession, neighbourhood_id: int, voter_ids: set[int]
) -> dict[int, tuple[tuple[datetime, datetime | None], ...]]:
    """Each voter's verifications in the neighbourhood, ended ones too (a few rows per person): which
    one counts is decided per cast, at the moment it is cast."""
    if not voter_ids:
        return {}
    rows = await session.execute(
        select(Verification.person_id, Verification.expires_at, Verification.ended_at).where(
            Verification.neighbourhood_id == neighbourhood_id,
            Verification.person_id.in_(voter_ids),
        )
    )
    periods: dict[int, list[tuple[datetime, datetime | None]]] = {}
    for person_id, expires_at, ended_at in rows.tuples():
        periods.setdefault(person_id, []).append((expires_at, ended_at))
    return {person_id: tuple(found) for person_id, found in periods.items()}


async def _seats(session: AsyncSession, round_: Round, voter_ids: set[int]) -> dict[int, str]:
    """The jury seat of each voter (jury rounds only)."""
    if round_.mode != "jury" or not voter_ids:
        return {}
    rows = await session.execute(
        select(Juror.person_id, Juror.seat).where(Juror.round_id == round_.id, Juror.person_id.in_(voter_ids))
    )
    return dict(rows.tuples().all())


async def _ballot_and_recusals(
    session: AsyncSession, round_id: int, voter_ids: set[int], jury_voters: set[int]
) -> tuple[dict[int, int], dict[int, frozenset[int]]]:
    """The cost of each initiative on the ballot, and the initiatives each voter is recused from: by a
    recorded recusal, or by a role in it they hold now (co-initiator, volunteer) even if not yet recorded."""
    costs = dict(
        (
            await session.execute(
                select(RoundInitiative.initiative_id, RoundInitiative.cost_cents).where(
                    RoundInitiative.round_id == round_id
                )
            )
        )
        .tuples()
        .all()
    )
    recused: dict[int, set[int]] = {}
    if voter_ids:
        for person_id, initiative_id in await session.execute(
            select(Recusal.person_id, Recusal.initiative_id).where(
                Recusal.round_id == round_id, Recusal.person_id.in_(voter_ids)
            )
        ):
            recused.setdefault(person_id, set()).add(initiative_id)
        for person_id, initiative_id in await roles_on_ballot(session, round_id, jury_voters):
            recused.setdefault(person_id, set()).add(initiative_id)
    return costs, {person_id: frozenset(ids) for person_id, ids in recused.items()}


async def _upsert(session: AsyncSession, kept: Kept) -> None:
    """One statement for all kept ballots; rows in key order, so concurrent batches lock them in the
    same order and cannot deadlock."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(CastBallot)
    # One statement with many parameter sets: compiled once and cached; the driver sends them together.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CastBallot.round_id, CastBallot.voter_id],
            set_={"marks": statement.excluded.marks, "cast_at": statement.excluded.cast_at},
        ),
        [
            {"round_id": round_id, "voter_id": voter_id, "marks": marks, "cast_at": at}
            for (round_id, voter_id), (marks, at) in sorted(kept.items())
        ],
    )
