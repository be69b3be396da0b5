"""RoundService: open a round (its money reserved), draw its jury, take ballots, close it and pay out.

Ballots are frozen by the round's row lock: casting holds it shared, closing takes it exclusively,
so no ballot slips in after the tally. The tally is a pure function of the frozen ballots, the
rule, the tie-break and the round's published seed.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.allocation import Rule, TieBreak, allocate
from buurtbudget.jury.allocation.result import money_json
from buurtbudget.jury.allocation.tiebreak import tie_break_key
from buurtbudget.jury.ballots import BallotKind, BallotRules, to_election
from buurtbudget.jury.casting import BallotCast, cast_ballots, refusal_to_vote
from buurtbudget.jury.models import CastBallot, Grant, Juror, JuryVolunteer, Recusal, Round, RoundInitiative
from buurtbudget.jury.partial import partial_grants
from buurtbudget.jury.sortition import Candidate, Draw, Quota, draw, eligible
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile

JURY_COOLDOWN = timedelta(days=365)
PARTLY_GRANTED = "partly-granted"  # the explanation of an initiative that got its essential lines
FAST_TRACK_MAX_VOTING = timedelta(days=7)  # a fast-track panel decides within days
DECLARING_SEATS = frozenset({"juror", "reserve"})  # a reserve may yet be seated, so declares too


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """What an administrator decides when opening a round."""

    name: str
    mode: str  # "jury" or "open"
    amount_cents: int
    initiative_ids: list[int]
    rules: BallotRules
    rule: Rule
    tie_break: TieBreak
    voting_opens_at: datetime
    voting_closes_at: datetime
    track: str = "regular"  # or "fast": small requests, a smaller panel, decided within days
    partial_grants: bool = True
    deliberation_opens_at: datetime | None = None
    decision_due_on: date | None = None


def check_dates(plan: RoundPlan) -> None:
    """Deliberation, then voting, then the decision."""
    if plan.voting_closes_at <= plan.voting_opens_at:
        raise InvalidInput("voting closes before it opens", field="voting_closes_at")
    if plan.deliberation_opens_at is not None and plan.deliberation_opens_at > plan.voting_opens_at:
        raise InvalidInput("deliberation opens after voting has started", field="deliberation_opens_at")
    if plan.decision_due_on is not None and plan.decision_due_on < plan.voting_closes_at.date():
        raise InvalidInput("the decision is due before voting closes", field="decision_due_on")


def check_fast_track(plan: RoundPlan, pot: Pot, initiatives: list[Initiative]) -> None:
    """A fast-track round: a jury round on requests up to the pot's threshold, decided within days."""
    if plan.track not in {"regular", "fast"}:
        raise InvalidInput("a round is on the regular track or the fast track", field="track")
    if plan.track == "regular":
        return
    if pot.fast_track_threshold_cents is None:
        raise Conflict("this pot has no fast track", field="track")
    if plan.mode != "jury":
        raise InvalidInput("a fast-track round is decided by a jury panel", field="mode")
    if plan.voting_closes_at - plan.voting_opens_at > FAST_TRACK_MAX_VOTING:
        raise InvalidInput("a fast-track round votes for at most 7 days", field="voting_closes_at")
    if any(i.total_cents > pot.fast_track_threshold_cents for i in initiatives):
        raise InvalidInput(
            "an initiative asks more than the pot's fast-track threshold",
            field="initiative_ids",
            threshold_cents=pot.fast_track_threshold_cents,
        )


def optional_cents(initiative: Initiative) -> int:
    """What the initiative could do without: the lines it did not mark essential."""
    return sum(line.amount_cents for line in initiative.cost_lines if not line.essential)


class RoundService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _pot(self, pot_id: int) -> Pot:
        pot = await self.session.get(Pot, pot_id)
        if pot is None:
            raise InvalidInput("no such pot", field="pot_id")
        return pot

    async def _neighbourhood_of(self, pot_id: int) -> Neighbourhood:
        pot = await self._pot(pot_id)
        neighbourhood = await self.session.get(Neighbourhood, pot.neighbourhood_id)
        if neighbourhood is None:
            raise NotFound("no such neighbourhood")
        return neighbourhood

    async def _round(self, round_id: int, *, lock: str | None = None) -> Round:
        query = select(Round).where(Round.id == round_id)
        if lock == "share":
            query = query.with_for_update(read=True)
        elif lock == "update":
            query = query.with_for_update()
        found = (await self.session.execute(query)).scalar_one_or_none()
        if found is None:
            raise NotFound("no such round", round_id=round_id)
        return found

    async def _audit(self, actor: Actor, action: str, round_: Round, **data: object) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"round.{action}",
            subject_type="round",
            subject_id=round_.id,
            data=dict(data),
        )

    async def open_round(self, actor: Actor, pot_id: int, plan: RoundPlan) -> Round:
        """Create a round on ready initiatives of the pot's neighbourhood and reserve its amount."""
        if plan.mode not in {"jury", "open"}:
            raise InvalidInput("a round is a jury round or an open round", field="mode")
        check_dates(plan)
        if not plan.initiative_ids:
            raise InvalidInput("a round needs initiatives on its ballot", field="initiative_ids")
        async with transaction(self.session):
            neighbourhood = await self._neighbourhood_of(pot_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality opens rounds")
            initiatives = list(
                (
                    await self.session.execute(
                        select(Initiative).where(Initiative.id.in_(plan.initiative_ids))
                    )
                ).scalars()
            )
            for initiative in initiatives:
                if (
                    initiative.neighbourhood_id != neighbourhood.id
                    or initiative.state != State.READY_FOR_JURY
                ):
                    raise InvalidInput(
                        "only initiatives of this neighbourhood that are ready for the jury",
                        field="initiative_ids",
                    )
            if len(initiatives) != len(set(plan.initiative_ids)):
                raise InvalidInput("an initiative on the ballot does not exist", field="initiative_ids")
            check_fast_track(plan, await self._pot(pot_id), initiatives)
            round_ = Round(
                pot_id=pot_id,
                name=plan.name,
                mode=plan.mode,
                track=plan.track,
                partial_grants=plan.partial_grants,
                state="open",
                amount_cents=plan.amount_cents,
                ballot_kind=plan.rules.kind.value,
                max_approvals=plan.rules.max_approvals,
                max_total_cents=plan.rules.max_total_cents,
                max_score=plan.rules.max_score,
                points=plan.rules.points,
                rule=plan.rule.value,
                tie_break=plan.tie_break.value,
                seed=secrets.token_hex(16),
                deliberation_opens_at=plan.deliberation_opens_at,
                voting_opens_at=plan.voting_opens_at,
                voting_closes_at=plan.voting_closes_at,
                decision_due_on=plan.decision_due_on,
            )
            self.session.add(round_)
            await self.session.flush()
            self.session.add_all(
                RoundInitiative(
                    round_id=round_.id,
                    initiative_id=i.id,
                    cost_cents=i.total_cents,
                    optional_cents=optional_cents(i),
                )
                for i in initiatives
            )
            await PotService(self.session).reserve_for_round(actor, pot_id, round_.id, plan.amount_cents)
            await self._audit(actor, "opened", round_, amount_cents=plan.amount_cents, seed=round_.seed)
        return round_

    async def volunteer(
        self, actor: Actor, neighbourhood_id: int, attributes: dict[str, str]
    ) -> JuryVolunteer:
        """A resident offers to serve on the neighbourhood's jury."""
        if not actor.has(Role.RESIDENT, neighbourhood_id=neighbourhood_id):
            raise NotAllowed("only residents of the neighbourhood serve on its jury")
        async with transaction(self.session):
            existing = (
                await self.session.execute(
                    select(JuryVolunteer).where(
                        JuryVolunteer.person_id == actor.person_id,
                        JuryVolunteer.neighbourhood_id == neighbourhood_id,
                    )
                )
            ).scalar_one_or_none()
            if existing is not None:
                existing.attributes = attributes
                return existing
            volunteer = JuryVolunteer(
                person_id=actor.person_id, neighbourhood_id=neighbourhood_id, attributes=attributes
            )
            self.session.add(volunteer)
        return volunteer

    async def draw_jury(
        self,
        actor: Actor,
        round_id: int,
        *,
        seats: int,
        quotas: list[Quota],
        reserves: int = 0,
        today: date | None = None,
    ) -> Draw:
        """Draw the jury from the neighbourhood's volunteers with the round's seed; record seats, recusals."""
        async with transaction(self.session):
            round_ = await self._round(round_id, lock="update")
            neighbourhood = await self._neighbourhood_of(round_.pot_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality draws the jury")
            if round_.mode != "jury" or round_.state != "open":
                raise Conflict("only an open jury round gets a jury", field="round_id")
            if (await self.session.execute(select(Juror.id).where(Juror.round_id == round_id))).first():
                raise Conflict("this round's jury has been drawn already", field="round_id")
            pot = await self._pot(round_.pot_id)
            if round_.track == "fast" and seats > pot.fast_track_seats:
                raise InvalidInput(
                    "a fast-track panel has at most the pot's number of seats",
                    field="seats",
                    seats=pot.fast_track_seats,
                )
            volunteers = list(
                (
                    await self.session.execute(
                        select(JuryVolunteer)
                        .where(JuryVolunteer.neighbourhood_id == neighbourhood.id)
                        .order_by(JuryVolunteer.id)
                    )
                ).scalars()
            )
            pool = eligible(
                [Candidate(str(v.person_id), v.attributes, v.last_served_on) for v in volunteers],
                today or utcnow().date(),
                JURY_COOLDOWN,
            )
            result = draw(pool, seats, round_.seed, quotas, reserves)
            self.session.add_all(
                Juror(round_id=round_id, person_id=int(p), seat="juror") for p in result.jurors
            )
            self.session.add_all(
                Juror(round_id=round_id, person_id=int(p), seat="reserve") for p in result.reserves
            )
            for volunteer in volunteers:
                if str(volunteer.person_id) in result.jurors:
                    volunteer.last_served_on = today or utcnow().date()
            await self._recuse_owners(round_id, [int(p) for p in (*result.jurors, *result.reserves)])
            await self._audit(
                actor,
                "jury_drawn",
                round_,
                seed=round_.seed,
                jurors=list(result.jurors),
                reserves=list(result.reserves),
            )
        return result

    async def _recuse_owners(self, round_id: int, person_ids: list[int]) -> None:
        """Jurors who (co-)own an initiative on the ballot, or volunteer for it, are recused from it."""
        on_ballot = select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == round_id)
        owners = await self.session.execute(
            select(Initiator.person_id, Initiator.initiative_id).where(
                Initiator.initiative_id.in_(on_ballot), Initiator.person_id.in_(person_ids)
            )
        )
        helpers = await self.session.execute(
            select(VolunteerProfile.person_id, VolunteerMatch.initiative_id)
            .join(VolunteerMatch, VolunteerMatch.profile_id == VolunteerProfile.id)
            .where(
                VolunteerMatch.status == "agreed",
                VolunteerMatch.initiative_id.in_(on_ballot),
                VolunteerProfile.person_id.in_(person_ids),
            )
        )
        reasons = dict.fromkeys([(int(p), int(i)) for p, i in helpers], "volunteer")
        reasons |= dict.fromkeys([(int(p), int(i)) for p, i in owners], "initiator")
        self.session.add_all(
            Recusal(round_id=round_id, person_id=person_id, initiative_id=initiative_id, reason=reason)
            for (person_id, initiative_id), reason in sorted(reasons.items())
        )

    async def declare_conflict(self, actor: Actor, round_id: int, initiative_id: int) -> None:
        """A juror (or reserve) declares a conflict of interest and is recused from that initiative."""
        async with transaction(self.session):
            await self._may_vote(actor, await self._round(round_id, lock="share"), seats=DECLARING_SEATS)
            on_ballot = await self.session.get(RoundInitiative, (round_id, initiative_id))
            if on_ballot is None:
                raise InvalidInput(
                    "this initiative is not on the ballot of this round", field="initiative_id"
                )
            if await self.session.get(Recusal, (round_id, actor.person_id, initiative_id)) is None:
                self.session.add(
                    Recusal(
                        round_id=round_id,
                        person_id=actor.person_id,
                        initiative_id=initiative_id,
                        reason="declared",
                    )
                )

    async def _may_vote(self, actor: Actor, round_: Round, *, seats: frozenset[str]) -> None:
        """Refused unless the actor votes in this round (see `casting.refusal_to_vote`)."""
        neighbourhood = await self._neighbourhood_of(round_.pot_id)
        seat = (
            await self.session.execute(
                select(Juror.seat).where(Juror.round_id == round_.id, Juror.person_id == actor.person_id)
            )
        ).scalar_one_or_none()
        refusal = refusal_to_vote(actor, round_, neighbourhood, seat, seats)
        if refusal is not None:
            raise refusal

    async def cast_ballot(
        self, actor: Actor, round_id: int, marks: dict[int, int], now: datetime | None = None
    ) -> None:
        """Store the voter's ballot, replacing an earlier one; refused outside the voting period."""
        (refusal,) = await cast_ballots(self.session, [BallotCast(actor, round_id, marks, now or utcnow())])
        if refusal is not None:
            raise refusal

    async def ballots(self, round_id: int) -> list[dict[int, int]]:
        """The round's ballots, anonymous: no voter ids, and ordered by their content, not by voter.

        The order (by sorted marks) says nothing about who cast a ballot, and it is the same for the
        tally and the published export, so anyone redoes the tally on exactly the sequence it saw.
        """
        rows = await self.session.execute(select(CastBallot.marks).where(CastBallot.round_id == round_id))
        ballots = [{int(k): int(v) for k, v in marks.items()} for marks in rows.scalars()]
        return sorted(ballots, key=lambda ballot: sorted(ballot.items()))

    async def close_round(self, actor: Actor, round_id: int) -> dict[str, object]:
        """Freeze the ballots, tally them, record the jury's decisions and pay out; all or nothing."""
        async with transaction(self.session):
            return await self.close_in_transaction(actor, round_id)

    async def close_in_transaction(self, actor: Actor, round_id: int) -> dict[str, object]:
        """`close_round` inside the caller's transaction (an import stores and closes a round at once)."""
        round_ = await self._round(round_id, lock="update")
        neighbourhood = await self._neighbourhood_of(round_.pot_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed("only the municipality closes rounds")
        if round_.state != "open":
            raise Conflict("this round is closed already", field="round_id")
        on_ballot = await self.session.scalars(
            select(RoundInitiative).where(RoundInitiative.round_id == round_id)
        )
        costs, optional = {}, {}
        for entry in on_ballot:
            costs[entry.initiative_id] = entry.cost_cents
            optional[entry.initiative_id] = entry.optional_cents if round_.partial_grants else 0
        result = tally(round_, costs, await self.ballots(round_id), optional)
        granted = {int(i): int(cents) for i, cents in cast("dict[str, int]", result["granted"]).items()}
        partly = {int(i) for i in cast("dict[str, int]", result["partial"])}
        initiatives = InitiativeService(self.session)
        for initiative_id in sorted(costs):
            if initiative_id not in granted:
                await initiatives.record_decision(actor, initiative_id, Action.DECLINE)
                continue
            partial = initiative_id in partly
            await initiatives.record_decision(
                actor, initiative_id, Action.GRANT_PARTLY if partial else Action.GRANT
            )
            self.session.add(
                Grant(
                    round_id=round_id,
                    initiative_id=initiative_id,
                    asked_cents=costs[initiative_id],
                    granted_cents=granted[initiative_id],
                    partial=partial,
                    answer=None if partial else "accepted",
                )
            )
        await PotService(self.session).settle_round(
            actor,
            round_.pot_id,
            round_.id,
            grants={i: cents for i, cents in granted.items() if i not in partly},
            offers={i: cents for i, cents in granted.items() if i in partly},
        )
        round_.state = "closed"
        round_.result = result
        await self._audit(actor, "closed", round_, selected=result["selected"], partial=sorted(partly))
        return result


def tally(
    round_: Round,
    costs: dict[int, int],
    ballots: list[dict[int, int]],
    optional: dict[int, int] | None = None,
) -> dict[str, object]:
    """The published result: a pure function of the frozen ballots, the rule, the tie-break and the seed.

    Besides the selection it holds each initiative's support, its number of votes, what it was granted
    (in full, or partly: its essential lines) and why, so the result page can say "did not fit in the
    remaining € 3.200" or "lost a tie to ...".
    """
    election = to_election(round_.amount_cents, costs, ballots, BallotKind(round_.ballot_kind))
    seed = int(round_.seed, 16)
    outcome = allocate(election, round_.rule, round_.tie_break, seed=seed)
    partial = partial_grants(
        election,
        set(outcome.selected),
        {str(i): cents for i, cents in (optional or {}).items()},
        tie_break_key(election, TieBreak(round_.tie_break), seed),
    )
    granted = {project_id: costs[int(project_id)] for project_id in outcome.selected} | partial
    explanations: dict[str, dict[str, object]] = {
        project_id: {
            "reason": explanation.reason.value,
            "remaining": None if explanation.remaining is None else money_json(explanation.remaining),
            "winner": explanation.winner,
            "theme": explanation.theme,
        }
        for project_id, explanation in sorted(outcome.explanations.items())
    }
    for project_id, cents in partial.items():
        explanations[project_id] = {**explanations[project_id], "reason": PARTLY_GRANTED, "granted": cents}
    return {
        **outcome.as_json(),
        "ballots": len(ballots),
        "support": {project_id: money_json(value) for project_id, value in sorted(election.support.items())},
        "votes": {
            str(initiative_id): sum(1 for ballot in ballots if ballot.get(initiative_id))
            for initiative_id in sorted(costs)
        },
        "granted": dict(sorted(granted.items())),
        "partial": dict(sorted(partial.items())),
        "explanations": explanations,
    }
