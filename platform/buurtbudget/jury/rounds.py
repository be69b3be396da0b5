"""RoundService: open a round (its money reserved), draw its jury, take ballots, close it and pay out.

Ballots are frozen by the round's row lock: casting holds it shared, closing takes it exclusively,
so no ballot slips in after the tally. The tally is a pure function of the frozen ballots (without
recused marks), the rule, the tie-break, the round's published tie-break seed and its minimum support.
An initiative is on at most one open round (a unique column, see `RoundInitiative`); closing,
cancelling and extending live in `jury.closing`, the committed draw in `jury.drawing`.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.jury import drawing
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.attributes import check_quotas
from buurtbudget.jury.ballots import BallotRules
from buurtbudget.jury.casting import BallotCast, cast_ballots, refusal_to_vote
from buurtbudget.jury.closing import RoundClosing
from buurtbudget.jury.drawing import PublishedDraw
from buurtbudget.jury.models import Juror, JuryVolunteer, Round, RoundInitiative
from buurtbudget.jury.pool import JuryPoolService, attributes_of
from buurtbudget.jury.recusal import DECLARED, Recused, recuse, recuse_seated
from buurtbudget.jury.sortition import Draw, Quota
from buurtbudget.jury.tally import PARTLY_GRANTED, tally
from buurtbudget.people.roles import Actor
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService

__all__ = ["PARTLY_GRANTED", "RoundPlan", "RoundService", "tally"]

JURY_COOLDOWN = timedelta(days=365)
MAX_SEATS = 100  # as many as the draw page takes
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
    quorum: int | None = None  # ballots needed to decide; None: half the seats rounded up (jury), 1 (open)
    min_support: int = 1  # approvals or points an initiative needs at least to be granted anything
    seats: int | None = None  # a jury round's planned seats; the freeze fixes them (None: chosen then)


def check_dates(plan: RoundPlan) -> None:
    """Deliberation, then voting, then the decision."""
    if plan.voting_closes_at <= plan.voting_opens_at:
        raise InvalidInput("voting closes before it opens", field="voting_closes_at")
    if plan.deliberation_opens_at is not None and plan.deliberation_opens_at > plan.voting_opens_at:
        raise InvalidInput("deliberation opens after voting has started", field="deliberation_opens_at")
    if plan.decision_due_on is not None and plan.decision_due_on < plan.voting_closes_at.date():
        raise InvalidInput("the decision is due before voting closes", field="decision_due_on")
    if plan.quorum is not None and plan.quorum < 1:
        raise InvalidInput("a quorum is at least one ballot", field="quorum")
    if plan.min_support < 0:
        raise InvalidInput("the minimum support cannot be negative", field="min_support")


def check_seats(plan: RoundPlan, pot: Pot) -> None:
    """Planned seats: a jury round's only, one to a hundred, no fewer than the quorum asks ballots."""
    if plan.seats is None:
        return
    if plan.mode != "jury":
        raise InvalidInput("only a jury round has seats", field="seats")
    if not 1 <= plan.seats <= MAX_SEATS:
        raise InvalidInput("a jury has 1 to 100 seats", field="seats")
    if plan.quorum is not None and plan.quorum > plan.seats:
        raise InvalidInput(
            "the round's quorum asks more ballots than the jury has seats", field="quorum", quorum=plan.quorum
        )
    if plan.track == "fast" and plan.seats > pot.fast_track_seats:
        raise InvalidInput(
            "a fast-track panel has at most the pot's number of seats",
            field="seats",
            seats=pot.fast_track_seats,
        )


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


class RoundService(RoundClosing):
    """Opening, volunteering, the committed draw, conflicts and ballots; deciding is `RoundClosing`'s."""

    async def open_round(self, actor: Actor, pot_id: int, plan: RoundPlan) -> Round:
        """Create a round on ready initiatives of the pot's neighbourhood and reserve its amount."""
        if plan.mode not in {"jury", "open"}:
            raise InvalidInput("a round is a jury round or an open round", field="mode")
        check_dates(plan)
        if not plan.initiative_ids:
            raise InvalidInput("a round needs initiatives on its ballot", field="initiative_ids")
        async with transaction(self.session):
            await PotService(self.session).lock(pot_id)  # the pot before the new round's row (lock order)
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
            check_seats(plan, await self._pot(pot_id))
            taken = await self.session.scalar(
                select(RoundInitiative.initiative_id)
                .where(RoundInitiative.open_initiative_id.in_(plan.initiative_ids))
                .limit(1)
            )
            if taken is not None:
                raise Conflict(
                    "an initiative on the ballot is already on another open round",
                    field="initiative_ids",
                    initiative_id=taken,
                )
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
                quorum=plan.quorum,
                min_support=plan.min_support,
                seats=plan.seats,
            )
            self.session.add(round_)
            await self.session.flush()
            self.session.add_all(
                RoundInitiative(
                    round_id=round_.id,
                    initiative_id=i.id,
                    cost_cents=i.total_cents,
                    optional_cents=optional_cents(i),
                    open_initiative_id=i.id,
                )
                for i in initiatives
            )
            try:
                await self.session.flush()
            except IntegrityError:  # another round took one of them at the same moment
                raise Conflict(
                    "an initiative on the ballot is already on another open round", field="initiative_ids"
                ) from None
            await PotService(self.session).reserve_for_round(actor, pot_id, round_.id, plan.amount_cents)
            await self._audit(actor, "opened", round_, amount_cents=plan.amount_cents, seed=round_.seed)
        return round_

    async def volunteer(
        self, actor: Actor, neighbourhood_id: int, attributes: dict[str, str]
    ) -> JuryVolunteer:
        """A verified resident offers to serve on the neighbourhood's jury (see `jury.pool`)."""
        return await JuryPoolService(self.session).volunteer(actor, neighbourhood_id, attributes)

    async def freeze_pool(
        self,
        actor: Actor,
        round_id: int,
        *,
        seats: int,
        quotas: list[Quota],
        reserves: int = 0,
        today: date | None = None,
    ) -> PublishedDraw:
        """Freeze the pool, seats and quotas, and publish the hash of the draw's secret seed."""
        async with transaction(self.session):
            round_ = await self._round(round_id, lock="update")
            neighbourhood = await self._neighbourhood_of(round_.pot_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality draws the jury")
            if round_.mode != "jury" or round_.state != "open":
                raise Conflict("only an open jury round gets a jury", field="round_id")
            if round_.quorum is not None and round_.quorum > seats:
                raise InvalidInput(
                    "the round's quorum asks more ballots than the jury has seats",
                    field="seats",
                    quorum=round_.quorum,
                )
            check_quotas(await attributes_of(self.session, neighbourhood.municipality_id), quotas)
            pot = await self._pot(round_.pot_id)
            if round_.track == "fast" and seats > pot.fast_track_seats:
                raise InvalidInput(
                    "a fast-track panel has at most the pot's number of seats",
                    field="seats",
                    seats=pot.fast_track_seats,
                )
            frozen = await drawing.freeze(
                self.session,
                round_,
                neighbourhood.id,
                seats=seats,
                quotas=quotas,
                reserves=reserves,
                today=today or utcnow().date(),
                cooldown=JURY_COOLDOWN,
            )
            await self._audit(
                actor,
                "pool_frozen",
                round_,
                seed_hash=frozen.seed_hash,
                seats=seats,
                reserves=reserves,
                quotas=drawing.quotas_json(quotas),
                pool=[c.id for c in frozen.pool],
            )
        return frozen

    async def draw_jury(self, actor: Actor, round_id: int, *, today: date | None = None) -> Draw:
        """Draw the jury from the frozen pool with the committed seed, reveal the seed, record seats and
        recusals; the draw is returned with person ids (the published one names pseudonyms)."""
        async with transaction(self.session):
            round_ = await self._round(round_id, lock="update")
            neighbourhood = await self._neighbourhood_of(round_.pot_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality draws the jury")
            if round_.mode != "jury" or round_.state != "open":
                raise Conflict("only an open jury round gets a jury", field="round_id")
            result, people = await drawing.reveal_and_draw(self.session, round_)
            jurors = {people[p] for p in result.jurors}
            for volunteer in (
                await self.session.execute(
                    select(JuryVolunteer).where(
                        JuryVolunteer.neighbourhood_id == neighbourhood.id,
                        JuryVolunteer.person_id.in_(jurors),
                    )
                )
            ).scalars():
                volunteer.last_served_on = today or utcnow().date()
            await recuse_seated(self.session, round_id, actor.person_id)
            await self._audit(
                actor,
                "jury_drawn",
                round_,
                seed=result.seed,
                jurors=list(result.jurors),
                reserves=list(result.reserves),
            )
        return Draw(
            seed=result.seed,
            order=tuple(str(people[p]) for p in result.order),
            jurors=tuple(str(people[p]) for p in result.jurors),
            reserves=tuple(str(people[p]) for p in result.reserves),
            counts=result.counts,
        )

    async def declare_conflict(self, actor: Actor, round_id: int, initiative_id: int) -> Recused | None:
        """A juror (or reserve) declares a conflict of interest and is recused from that initiative at
        once: a mark they gave it is removed. None when they were recused from it already."""
        async with transaction(self.session):
            await self._may_vote(actor, await self._round(round_id, lock="update"), seats=DECLARING_SEATS)
            on_ballot = await self.session.get(RoundInitiative, (round_id, initiative_id))
            if on_ballot is None:
                raise InvalidInput(
                    "this initiative is not on the ballot of this round", field="initiative_id"
                )
            assert actor.person_id is not None  # noqa: S101  (refusal_to_vote refuses anonymous actors)
            return await recuse(
                self.session,
                round_id,
                actor.person_id,
                initiative_id,
                reason=DECLARED,
                actor_id=actor.person_id,
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
