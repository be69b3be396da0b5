"""What the municipality reads to run a round from its pages: what a pot can open a round on, and one
round's management overview (its steps in order, the turnout, its advisors).

Only the municipality that owns the pot reads these: another municipality's administrator is refused.
The turnout counts ballots, never whose they are or what they say.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from buurtbudget.db.base import utcnow
from buurtbudget.errors import NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.jury.models import CastBallot, JuryDraw, Round, RoundInitiative
from buurtbudget.jury.round_base import RoundBase
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService
from buurtbudget.workdays import AMSTERDAM

# The steps of a round, in order; a jury round has the pool and the draw before voting.
FREEZE, DRAW, VOTING, DECIDE, RESULT = "freeze", "draw", "voting", "decide", "result"
DONE, NEXT, LATER, SKIPPED = "done", "next", "later", "skipped"


@dataclass(frozen=True, slots=True)
class ReadyInitiative:
    """An initiative a new round can put on its ballot: ready for the jury and on no open round."""

    id: int
    title: str
    asks_cents: int
    themes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Opening:
    """What the municipality chooses from when opening a round on a pot."""

    pot: Pot
    neighbourhood: Neighbourhood
    available_cents: int
    ready: tuple[ReadyInitiative, ...]


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    status: str  # done | next | later | skipped


@dataclass(frozen=True, slots=True)
class Turnout:
    """Ballots cast (not who cast them), of how many seats, and whether the quorum is reached."""

    ballots: int
    seats: int | None  # the jury's frozen seats; None in an open round or before the freeze
    quorum: int
    per_day: tuple[tuple[date, int], ...]  # ballots by the (Amsterdam) day they were last cast

    @property
    def reached(self) -> bool:
        return self.ballots >= self.quorum


@dataclass(frozen=True, slots=True)
class Advisor:
    person_id: int
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Overview:
    round: Round
    neighbourhood: Neighbourhood
    steps: tuple[Step, ...]
    turnout: Turnout
    frozen: bool
    drawn: bool
    advisors: tuple[Advisor, ...]

    @property
    def next_step(self) -> str | None:
        return next((step.key for step in self.steps if step.status == NEXT), None)


def steps_of(round_: Round, *, frozen: bool, drawn: bool, now: datetime) -> tuple[Step, ...]:
    """The round's steps in order with what is done and what comes next (pure)."""
    keys = [FREEZE, DRAW, VOTING, DECIDE, RESULT] if round_.mode == "jury" else [VOTING, DECIDE, RESULT]
    if round_.state == "cancelled":
        done = {FREEZE: frozen, DRAW: drawn}
        return tuple(Step(key, DONE if done.get(key) else SKIPPED) for key in keys)
    if round_.state == "closed":
        return tuple(Step(key, DONE) for key in keys)
    voted = now >= round_.voting_closes_at  # voting is over; the round waits to be decided
    done_keys = {key for key, is_done in ((FREEZE, frozen), (DRAW, drawn), (VOTING, voted)) if is_done}
    found, waiting = [], True
    for key in keys:
        if key in done_keys:
            found.append(Step(key, DONE))
        elif waiting:
            found.append(Step(key, NEXT))
            waiting = False
        else:
            found.append(Step(key, LATER))
    return tuple(found)


class RoundManagement(RoundBase):
    """Reads for the municipality's round pages; changes go through `RoundService` and `PotService`."""

    async def _administered(self, actor: Actor, pot_id: int, refusal: str) -> tuple[Pot, Neighbourhood]:
        pot = await self.session.get(Pot, pot_id)
        if pot is None:
            raise NotFound("no such pot", pot_id=pot_id)
        neighbourhood = await self._neighbourhood_of(pot_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed(refusal)
        return pot, neighbourhood

    async def opening(self, actor: Actor, pot_id: int) -> Opening:
        """The pot, what it holds, and the initiatives of its neighbourhood ready for a round."""
        pot, neighbourhood = await self._administered(actor, pot_id, N_("only the municipality opens rounds"))
        summary = (await PotService(self.session).summaries([pot.id]))[pot.id]
        on_open_round = select(RoundInitiative.open_initiative_id).where(
            RoundInitiative.open_initiative_id.is_not(None)
        )
        initiatives = (
            await self.session.execute(
                select(Initiative)
                .where(
                    Initiative.neighbourhood_id == neighbourhood.id,
                    Initiative.state == State.READY_FOR_JURY,
                    Initiative.id.not_in(on_open_round),
                )
                .order_by(Initiative.id)
            )
        ).scalars()
        return Opening(
            pot=pot,
            neighbourhood=neighbourhood,
            available_cents=summary.available_cents,
            ready=tuple(ReadyInitiative(i.id, i.title, i.total_cents, tuple(i.themes)) for i in initiatives),
        )

    async def overview(self, actor: Actor, round_id: int) -> Overview:
        """The round's steps, turnout and advisors, for the municipality that owns it."""
        round_ = await self._round(round_id)
        _pot, neighbourhood = await self._administered(
            actor, round_.pot_id, N_("only the municipality manages rounds")
        )
        committed = await self.session.get(JuryDraw, round_.id) if round_.mode == "jury" else None
        frozen, drawn = committed is not None, committed is not None and committed.drawn_at is not None
        cast = (
            await self.session.execute(select(CastBallot.cast_at).where(CastBallot.round_id == round_id))
        ).scalars()
        per_day = Counter(moment.astimezone(AMSTERDAM).date() for moment in cast)
        turnout = Turnout(
            ballots=sum(per_day.values()),
            seats=None if committed is None else committed.seats,
            quorum=await RoundService(self.session).quorum(round_),
            per_day=tuple(sorted(per_day.items())),
        )
        return Overview(
            round=round_,
            neighbourhood=neighbourhood,
            steps=steps_of(round_, frozen=frozen, drawn=drawn, now=utcnow()),
            turnout=turnout,
            frozen=frozen,
            drawn=drawn,
            advisors=await self.advisors(neighbourhood.id),
        )

    async def advisors(self, neighbourhood_id: int) -> tuple[Advisor, ...]:
        """The neighbourhood's advisors: they read along and advise the jury, and never vote."""
        rows = await self.session.execute(
            select(Person.id, Person.display_name, Person.email)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(RoleAssignment.role == Role.ADVISOR, RoleAssignment.neighbourhood_id == neighbourhood_id)
            .order_by(Person.email)
        )
        return tuple(Advisor(person_id, name or "", email) for person_id, name, email in rows.tuples())
