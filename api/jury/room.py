"""The deliberation room as the juror's and the advisor's pages show it: per initiative its budget,
the advice beside the discussion, the ballot lines and the minutes."""

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from api.jury import ballot_form
from buurtbudget.db.base import utcnow
from buurtbudget.formatting import BABEL_LOCALES
from buurtbudget.i18n import N_
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.casting import ballot_rules
from buurtbudget.jury.deliberation import reading
from buurtbudget.jury.deliberation.service import Access, DeliberationService
from buurtbudget.people.roles import Actor

ROLE_LABELS = {"juror": N_("Juror"), "reserve": N_("Reserve juror"), "advisor": N_("Advisor")}
BALLOT_KINDS = {
    BallotKind.APPROVAL.value: N_("Approval: vote yes for the initiatives you support"),
    BallotKind.SCORE.value: N_("Score: give every initiative a score"),
    BallotKind.CUMULATIVE.value: N_("Points: spread your points over the initiatives"),
}


@dataclass(frozen=True, slots=True)
class Contribution:
    """A message or an advice as shown: who wrote it, in which part, when, and what."""

    author: str
    role: str
    at: datetime
    body: str
    person_id: int


@dataclass(slots=True)
class Thread:
    item: reading.BallotItem
    recused: bool
    messages: list[Contribution] = field(default_factory=list)
    advice: list[Contribution] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Minute:
    held_on: date
    body: str
    author: str


@dataclass(frozen=True, slots=True)
class Room:
    access: Access
    rules: BallotRules
    threads: list[Thread]
    minutes: list[Minute]
    lines: list[ballot_form.Line]
    stored_marks: dict[int, int] | None
    voting_open: bool
    can_close: bool

    def own_advice(self, thread: Thread) -> str:
        mine = [a for a in thread.advice if a.person_id == self.access.person_id]
        return mine[0].body if mine else ""


def voting_open(access: Access, now: datetime | None = None) -> bool:
    moment = now or utcnow()
    round_ = access.round
    return round_.state == "open" and round_.voting_opens_at <= moment < round_.voting_closes_at


async def build(service: DeliberationService, session: AsyncSession, actor: Actor, round_id: int) -> Room:
    """Everything the deliberation pages show; NotInDeliberation for anyone outside the room."""
    access = await service.access(actor, round_id)
    items = await reading.ballot(session, round_id)
    messages = await service.messages(actor, round_id)
    advice = await service.advice(actor, round_id)
    minutes = await service.minutes(actor, round_id)
    seats = await service.seats(round_id)
    names = await reading.names(
        session,
        {m.author_id for m in messages} | {a.advisor_id for a in advice} | {m.written_by_id for m in minutes},
    )
    threads = {item.initiative.id: Thread(item, item.initiative.id in access.recused) for item in items}
    for message in messages:
        threads[message.initiative_id].messages.append(
            Contribution(
                names.get(message.author_id, ""),
                ROLE_LABELS[seats.get(message.author_id, "advisor")],
                message.posted_at,
                message.body,
                message.author_id,
            )
        )
    for entry in advice:
        threads[entry.initiative_id].advice.append(
            Contribution(
                names.get(entry.advisor_id, ""),
                ROLE_LABELS["advisor"],
                entry.updated_at,
                entry.body,
                entry.advisor_id,
            )
        )
    return Room(
        access=access,
        rules=ballot_rules(access.round),
        threads=list(threads.values()),
        minutes=[Minute(m.held_on, m.body, names.get(m.written_by_id, "")) for m in minutes],
        lines=[
            ballot_form.Line(
                item.initiative.id,
                item.initiative.title,
                item.cost_cents,
                item.initiative.id in access.recused,
            )
            for item in items
        ],
        stored_marks=await reading.own_ballot(session, actor, round_id),
        voting_open=voting_open(access),
        can_close=access.round.state == "open" and actor.administers(access.neighbourhood.municipality_id),
    )


def meeting_day(value: date, locale: str) -> str:
    """The day of a meeting as people write it: 14 maart 2026."""
    return format_date(value, "d MMMM y", locale=BABEL_LOCALES.get(locale, "nl_NL"))
