"""DeliberationService: the discussion per initiative, the professionals' advice and the meeting minutes.

The discussion and the advice are for the round's jury (reserves included) and its advisors only:
the neighbourhood's advisors and brokers, and the municipality. Advisors never vote (rounds.py
refuses their ballot). Minutes are public once the round is closed.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotFound
from buurtbudget.i18n import N_
from buurtbudget.jury.deliberation.errors import (
    DeliberationClosed,
    NotAMinuteTaker,
    NotAnAdvisor,
    NotInDeliberation,
    RecusedFromDiscussion,
)
from buurtbudget.jury.deliberation.models import Advice, DiscussionMessage, Minutes
from buurtbudget.jury.errors import NotOnBallot
from buurtbudget.jury.models import Juror, Recusal, Round, RoundInitiative
from buurtbudget.people.roles import Actor
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot
from buurtbudget.workdays import AMSTERDAM

MESSAGE_LIMIT = 4000
ADVICE_LIMIT = 8000
MINUTES_LIMIT = 20000


@dataclass(frozen=True, slots=True)
class Access:
    """What the actor is in this round's deliberation: a juror (or reserve), an advisor, or both."""

    round: Round
    neighbourhood: Neighbourhood
    person_id: int
    seat: str | None  # juror | reserve | None
    advisor: bool
    minute_taker: bool
    recused: frozenset[int]

    @property
    def juror(self) -> bool:
        return self.seat is not None


def _text(value: str, limit: int, *, empty: str, too_long: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(empty, field="body")
    if len(text) > limit:
        raise InvalidInput(too_long, field="body", limit=limit)
    return text


class DeliberationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- who is in the room -------------------------------------------------------------------

    async def _round(self, round_id: int, *, lock: bool = False) -> Round:
        query = select(Round).where(Round.id == round_id)
        if lock:  # shared: closing the round (exclusive) waits for posts in flight, and vice versa
            query = query.with_for_update(read=True)
        found = (await self.session.execute(query)).scalar_one_or_none()
        if found is None:
            raise NotFound("no such round", round_id=round_id)
        return found

    async def neighbourhood_of(self, round_: Round) -> Neighbourhood:
        pot = await self.session.get(Pot, round_.pot_id)
        neighbourhood = None if pot is None else await self.session.get(Neighbourhood, pot.neighbourhood_id)
        if neighbourhood is None:
            raise NotFound("no such neighbourhood")
        return neighbourhood

    async def role_in(self, actor: Actor, round_id: int, *, lock: bool = False) -> Access | None:
        """The actor's place in the deliberation, or None for anyone outside it."""
        round_ = await self._round(round_id, lock=lock)
        neighbourhood = await self.neighbourhood_of(round_)
        person_id = actor.person_id
        if person_id is None:
            return None
        seat = (
            await self.session.execute(
                select(Juror.seat).where(Juror.round_id == round_id, Juror.person_id == person_id)
            )
        ).scalar_one_or_none()
        advisor = actor.advises(neighbourhood.id, neighbourhood.municipality_id)
        if seat is None and not advisor:
            return None
        recused = frozenset(
            (
                await self.session.execute(
                    select(Recusal.initiative_id).where(
                        Recusal.round_id == round_id, Recusal.person_id == person_id
                    )
                )
            ).scalars()
        )
        return Access(
            round=round_,
            neighbourhood=neighbourhood,
            person_id=person_id,
            seat=seat,
            advisor=advisor,
            minute_taker=actor.is_broker_for(neighbourhood.id)
            or actor.administers(neighbourhood.municipality_id),
            recused=recused,
        )

    async def access(self, actor: Actor, round_id: int, *, lock: bool = False) -> Access:
        """The actor's place in the deliberation; NotInDeliberation for anyone outside it."""
        found = await self.role_in(actor, round_id, lock=lock)
        if found is None:
            raise NotInDeliberation("only the jury and its advisors take part in the deliberation")
        return found

    async def _on_ballot(self, round_id: int, initiative_id: int) -> None:
        if await self.session.get(RoundInitiative, (round_id, initiative_id)) is None:
            raise NotOnBallot("this initiative is not on the ballot of this round", field="initiative_id")

    async def seats(self, round_id: int) -> dict[int, str]:
        """The round's jury: person id to seat (juror or reserve)."""
        rows = await self.session.execute(
            select(Juror.person_id, Juror.seat).where(Juror.round_id == round_id)
        )
        return dict(rows.tuples().all())

    async def _audit(self, actor: Actor, action: str, round_id: int, **data: object) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"deliberation.{action}",
            subject_type="round",
            subject_id=round_id,
            data=dict(data),
        )

    # --- the discussion -----------------------------------------------------------------------

    async def messages(
        self, actor: Actor, round_id: int, initiative_id: int | None = None
    ) -> list[DiscussionMessage]:
        """The discussion of one initiative (or of the whole ballot), oldest first."""
        await self.access(actor, round_id)
        query = select(DiscussionMessage).where(DiscussionMessage.round_id == round_id)
        if initiative_id is not None:
            await self._on_ballot(round_id, initiative_id)
            query = query.where(DiscussionMessage.initiative_id == initiative_id)
        rows = await self.session.execute(query.order_by(DiscussionMessage.posted_at, DiscussionMessage.id))
        return list(rows.scalars())

    async def post_message(
        self, actor: Actor, round_id: int, initiative_id: int, body: str
    ) -> DiscussionMessage:
        """A juror or advisor adds to an initiative's discussion while the round is open."""
        text = _text(
            body,
            MESSAGE_LIMIT,
            empty=N_("write a message first"),
            too_long=N_("a message has at most 4000 characters"),
        )
        async with transaction(self.session):
            access = await self.access(actor, round_id, lock=True)
            await self._on_ballot(round_id, initiative_id)
            if access.round.state == "closed":
                raise DeliberationClosed("the deliberation of this round is closed", field="round_id")
            if initiative_id in access.recused and not access.advisor:
                raise RecusedFromDiscussion(
                    "you have a conflict of interest and do not take part in this discussion"
                )
            message = DiscussionMessage(
                round_id=round_id, initiative_id=initiative_id, author_id=access.person_id, body=text
            )
            self.session.add(message)
            await self.session.flush()
            await self._audit(actor, "message_posted", round_id, initiative_id=initiative_id, id=message.id)
        return message

    # --- advice -------------------------------------------------------------------------------

    async def advice(self, actor: Actor, round_id: int, initiative_id: int | None = None) -> list[Advice]:
        """The professionals' advice on the ballot (or one initiative), oldest first."""
        await self.access(actor, round_id)
        query = select(Advice).where(Advice.round_id == round_id)
        if initiative_id is not None:
            await self._on_ballot(round_id, initiative_id)
            query = query.where(Advice.initiative_id == initiative_id)
        rows = await self.session.execute(query.order_by(Advice.written_at, Advice.id))
        return list(rows.scalars())

    async def write_advice(self, actor: Actor, round_id: int, initiative_id: int, body: str) -> Advice:
        """An advisor writes (or rewrites) their one advice on an initiative while the round is open."""
        text = _text(
            body,
            ADVICE_LIMIT,
            empty=N_("write your advice first"),
            too_long=N_("an advice has at most 8000 characters"),
        )
        async with transaction(self.session):
            access = await self.access(actor, round_id, lock=True)
            if not access.advisor:
                raise NotAnAdvisor("only professionals of the neighbourhood write advice")
            await self._on_ballot(round_id, initiative_id)
            if access.round.state == "closed":
                raise DeliberationClosed("the deliberation of this round is closed", field="round_id")
            now = utcnow()
            insert = pg_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
            # One advice per advisor and initiative, also when the same advisor saves twice at once.
            await self.session.execute(
                insert(Advice)
                .values(
                    round_id=round_id,
                    initiative_id=initiative_id,
                    advisor_id=access.person_id,
                    body=text,
                    written_at=now,
                    updated_at=now,
                )
                .on_conflict_do_update(
                    index_elements=[Advice.round_id, Advice.initiative_id, Advice.advisor_id],
                    set_={"body": text, "updated_at": now},
                )
            )
            advice = (
                await self.session.execute(
                    select(Advice)
                    .where(
                        Advice.round_id == round_id,
                        Advice.initiative_id == initiative_id,
                        Advice.advisor_id == access.person_id,
                    )
                    .execution_options(populate_existing=True)
                )
            ).scalar_one()
            await self._audit(actor, "advice_written", round_id, initiative_id=initiative_id, id=advice.id)
        return advice

    # --- minutes ------------------------------------------------------------------------------

    async def minutes(self, actor: Actor, round_id: int) -> list[Minutes]:
        """The minutes of the round's meetings: for the jury and advisors, for everyone once closed."""
        round_ = await self._round(round_id)
        if round_.state != "closed":
            await self.access(actor, round_id)
        rows = await self.session.execute(
            select(Minutes).where(Minutes.round_id == round_id).order_by(Minutes.held_on, Minutes.id)
        )
        return list(rows.scalars())

    async def write_minutes(
        self, actor: Actor, round_id: int, held_on: date, body: str, *, now: datetime | None = None
    ) -> Minutes:
        """The municipality or a broker of the neighbourhood attaches the minutes of a jury meeting."""
        text = _text(
            body,
            MINUTES_LIMIT,
            empty=N_("write the minutes first"),
            too_long=N_("minutes have at most 20000 characters"),
        )
        today = (now or utcnow()).astimezone(AMSTERDAM).date()
        if held_on > today:
            raise InvalidInput("the meeting cannot be in the future", field="held_on")
        async with transaction(self.session):
            access = await self.access(actor, round_id, lock=True)
            if not access.minute_taker:
                raise NotAMinuteTaker("only the municipality or a broker of the neighbourhood writes minutes")
            minutes = Minutes(round_id=round_id, held_on=held_on, body=text, written_by_id=access.person_id)
            self.session.add(minutes)
            await self.session.flush()
            await self._audit(actor, "minutes_written", round_id, id=minutes.id, held_on=held_on.isoformat())
        return minutes
