"""Deciding a round: close it (at its published time, or early with a reason), its quorum, extending
the closing time, cancelling it, and closing every due round as the system (`close_due`).

A round is decided only with at least its quorum of ballots (default: half the jury's seats rounded
up; one ballot in an open round); below it the municipality extends the closing time or cancels.
An initiative below the round's minimum support (default: one approval or point) is never granted.
Cancelling releases the round's reservation and takes its initiatives off it, still ready for a jury.
"""

import math
from datetime import datetime

from sqlalchemy import func, select, update

from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import record_event, transaction
from buurtbudget.errors import Conflict, DomainError, InvalidInput, NotAllowed
from buurtbudget.i18n import N_
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.events import RoundCancelled, RoundDecided
from buurtbudget.jury.models import CastBallot, Grant, JuryDraw, Round, RoundInitiative
from buurtbudget.jury.recusal import recuse_seated, recused_counts
from buurtbudget.jury.result import RoundResult
from buurtbudget.jury.round_base import RoundBase
from buurtbudget.jury.tally import tally
from buurtbudget.people.roles import Actor
from buurtbudget.pots.service import PotService

REASON_MAX = 500
SYSTEM = Actor(None)  # the scheduler closing a due round: no person, actor_id None in the audit


def reason_text(text: str | None, *, required: bool) -> str | None:
    """A reason as stored: trimmed, at most 500 characters; refused when required and empty."""
    found = (text or "").strip()
    if len(found) > REASON_MAX:
        raise InvalidInput("the reason is longer than 500 characters", field="reason", limit=REASON_MAX)
    if required and not found:
        raise InvalidInput("give a reason", field="reason")
    return found or None


class RoundClosing(RoundBase):
    async def quorum(self, round_: Round) -> int:
        """Ballots needed to decide: the round's own, else half the frozen seats rounded up (jury), else 1."""
        if round_.quorum is not None:
            return round_.quorum
        frozen = await self.session.get(JuryDraw, round_.id) if round_.mode == "jury" else None
        return max(1, math.ceil(frozen.seats / 2)) if frozen is not None else 1

    async def ballot_count(self, round_id: int) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(CastBallot).where(CastBallot.round_id == round_id)
        )
        return int(count or 0)

    async def _administered_open(self, actor: Actor, round_id: int, refusal: str) -> Round:
        """The round locked for an administrative change, after checking actor and state."""
        round_ = await self._round(round_id, lock="update")
        neighbourhood = await self._neighbourhood_of(round_.pot_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed(refusal)
        check_open(round_)
        return round_

    async def _off_ballot(self, round_id: int) -> None:
        """The round's initiatives may go on another round now."""
        await self.session.execute(
            update(RoundInitiative)
            .where(RoundInitiative.round_id == round_id)
            .values(open_initiative_id=None)
        )

    async def close_round(
        self, actor: Actor, round_id: int, *, reason: str | None = None, now: datetime | None = None
    ) -> dict[str, object]:
        """Freeze the ballots, tally them, record the jury's decisions and pay out; all or nothing.

        Before the published closing time only with a reason (closing early, shown on the result).
        Returns the published result as the API shows it (`RoundResult.to_stored`).
        """
        async with transaction(self.session):
            return await self.close_in_transaction(actor, round_id, reason=reason, now=now)

    async def close_in_transaction(
        self,
        actor: Actor | None,
        round_id: int,
        *,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> dict[str, object]:
        """`close_round` inside the caller's transaction (an import stores and closes a round at once);
        `actor` None is the system closing a due round."""
        round_ = await self._round(round_id, lock="update")
        neighbourhood = await self._neighbourhood_of(round_.pot_id)
        if actor is not None and not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed("only the municipality closes rounds")
        check_open(round_)
        await PotService(self.session).lock(
            round_.pot_id
        )  # the round, then the pot, then the audit (lock order)
        now = now or utcnow()
        early = reason_text(reason, required=False) if now < round_.voting_closes_at else None
        if now < round_.voting_closes_at and (actor is None or early is None):
            raise Conflict(
                "voting is open until its published closing time; closing early needs a reason",
                field="reason",
            )
        ballots, quorum = await self.ballot_count(round_id), await self.quorum(round_)
        if ballots < quorum:
            raise Conflict(
                "too few ballots to decide this round: extend the closing time or cancel the round",
                field="round_id",
                ballots=ballots,
                quorum=quorum,
            )
        who = actor or SYSTEM
        await recuse_seated(self.session, round_id, who.person_id)  # roles that arose since the draw
        on_ballot = await self.session.scalars(
            select(RoundInitiative).where(RoundInitiative.round_id == round_id)
        )
        costs, optional = {}, {}
        for entry in on_ballot:
            costs[entry.initiative_id] = entry.cost_cents
            optional[entry.initiative_id] = entry.optional_cents if round_.partial_grants else 0
        result = tally(
            round_,
            costs,
            await self.ballots(round_id),
            optional,
            await recused_counts(self.session, round_id),
        )
        await self._decide(who, round_, costs, result)
        round_.state = "closed"
        round_.result = result
        round_.early_close_reason = early
        round_.ended_at = now
        await self._off_ballot(round_id)
        partly = sorted(result.partly_granted())
        await self._audit(who, "closed", round_, selected=list(result.selected), partial=partly, early=early)
        record_event(self.session, RoundDecided(round_.id))  # the initiators hear what they got
        return result.to_stored()

    async def _decide(self, who: Actor, round_: Round, costs: dict[int, int], result: RoundResult) -> None:
        """Each initiative's decision, the grants, and the money: granted, offered, or back to the pot."""
        granted = result.granted_cents(costs)
        partly = result.partly_granted()
        initiatives = InitiativeService(self.session)
        for initiative_id in sorted(costs):
            if initiative_id not in granted:
                await initiatives.record_decision(who, initiative_id, Action.DECLINE)
                continue
            partial = initiative_id in partly
            await initiatives.record_decision(
                who, initiative_id, Action.GRANT_PARTLY if partial else Action.GRANT
            )
            self.session.add(
                Grant(
                    round_id=round_.id,
                    initiative_id=initiative_id,
                    asked_cents=costs[initiative_id],
                    granted_cents=granted[initiative_id],
                    partial=partial,
                    answer=None if partial else "accepted",
                )
            )
        await PotService(self.session).settle_round(
            who,
            round_.pot_id,
            round_.id,
            grants={i: cents for i, cents in granted.items() if i not in partly},
            offers={i: cents for i, cents in granted.items() if i in partly},
        )

    async def extend(self, actor: Actor, round_id: int, voting_closes_at: datetime) -> Round:
        """Move the published closing time later (e.g. when too few have voted); audited."""
        async with transaction(self.session):
            round_ = await self._administered_open(
                actor, round_id, N_("only the municipality extends rounds")
            )
            if voting_closes_at <= max(round_.voting_closes_at, utcnow()):
                raise InvalidInput(
                    "the new closing time is not later than the current one", field="voting_closes_at"
                )
            if round_.decision_due_on is not None and round_.decision_due_on < voting_closes_at.date():
                raise InvalidInput("the decision is due before voting closes", field="voting_closes_at")
            previous = round_.voting_closes_at
            round_.voting_closes_at = voting_closes_at
            await self._audit(
                actor, "extended", round_, previous=previous.isoformat(), until=voting_closes_at.isoformat()
            )
        return round_

    async def cancel(self, actor: Actor, round_id: int, reason: str) -> Round:
        """Cancel an open round: its reservation back to the pot, its initiatives free for another round
        (still ready for a jury), nothing granted. The reason is required and published."""
        stated = reason_text(reason, required=True)
        async with transaction(self.session):
            round_ = await self._administered_open(
                actor, round_id, N_("only the municipality cancels rounds")
            )
            await PotService(self.session).lock(round_.pot_id)  # before the audit entry (lock order)
            await PotService(self.session).settle_round(actor, round_.pot_id, round_.id, grants={})
            await self._off_ballot(round_id)
            round_.state = "cancelled"
            round_.cancel_reason = stated
            round_.ended_at = utcnow()
            await self._audit(actor, "cancelled", round_, reason=stated)
            record_event(self.session, RoundCancelled(round_.id))  # jurors and initiators are told
        return round_

    async def close_due(self, now: datetime | None = None) -> list[int]:
        """Close, as the system, every open round whose published closing time has passed and that has
        its quorum; each in a transaction of its own. The ids of the rounds closed now.

        A round below its quorum stays open (no more ballots are taken after the closing time) until
        the municipality extends or cancels it."""
        moment = now or utcnow()
        due = list(
            (
                await self.session.execute(
                    select(Round.id)
                    .where(Round.state == "open", Round.voting_closes_at <= moment)
                    .order_by(Round.id)
                )
            ).scalars()
        )
        await self.session.rollback()  # end the read: each round gets its own transaction
        closed = []
        for round_id in due:
            try:
                async with transaction(self.session):
                    await self.close_in_transaction(None, round_id, now=moment)
            except DomainError:  # below its quorum, or closed by someone else meanwhile
                continue
            closed.append(round_id)
        return closed


def check_open(round_: Round) -> None:
    if round_.state == "cancelled":
        raise Conflict("this round has been cancelled", field="round_id")
    if round_.state != "open":
        raise Conflict("this round is closed already", field="round_id")
