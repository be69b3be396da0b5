"""The transactional outbox and its worker: mails commit with their change, survive a mail server that
is down, are delivered once, retried with backoff, kept as dead letters; workers share the queue."""

import asyncio
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from conftest import Inbox, RecordingMailer, World
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from test_jury_rounds import NOW, plan, ready_initiatives, residents

from api.app import create_app
from buurtbudget.db.base import utcnow
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import NestedUnitOfWorkError, transaction
from buurtbudget.jury.models import Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.notifications.mailer import SmtpMailer
from buurtbudget.notifications.outgoing import MAIL, queue_mail
from buurtbudget.outbox import queue
from buurtbudget.outbox.models import DEAD, PENDING, SENT, OutboxMessage
from buurtbudget.outbox.registry import worker_for
from buurtbudget.outbox.scheduler import PeriodicJob
from buurtbudget.outbox.worker import JobContext, Worker
from buurtbudget.settings import Settings


def closed_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class FlakyMailer:
    """Down until `up` is set; counts what it delivered."""

    def __init__(self) -> None:
        self.up = False
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        if not self.up:
            raise MailUnavailable("the mail server is not available; try again in a few minutes")
        self.sent.append(message)


def worker_on(engine: AsyncEngine, mailer: Any, clock: Callable[[], datetime], **settings: Any) -> Worker:
    worker = worker_for(create_session_factory(engine), mailer, Settings(**settings))
    worker.clock = clock
    return worker


async def queue_mails(session: AsyncSession, count: int) -> None:
    async with transaction(session):
        for number in range(count):
            await queue_mail(session, to=f"p{number}@example.org", subject=f"Mail {number}", body="Hallo")


async def statuses(session: AsyncSession) -> dict[str, int]:
    await session.commit()
    return await queue.counts(session)


# --- the unit of work ------------------------------------------------------------------------


async def test_a_unit_of_work_refuses_to_be_nested(session: AsyncSession) -> None:
    async with transaction(session):
        with pytest.raises(NestedUnitOfWorkError):
            async with transaction(session):
                pass


async def test_a_failed_unit_of_work_queues_nothing(session: AsyncSession) -> None:
    async def change_that_fails() -> None:
        async with transaction(session):
            await queue_mail(session, to="anna@example.org", subject="Hallo", body="Hallo")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await change_that_fails()
    assert await statuses(session) == {}


async def test_queueing_outside_a_unit_of_work_is_refused(session: AsyncSession) -> None:
    with pytest.raises(RuntimeError, match="unit of work"):
        await queue_mail(session, to="anna@example.org", subject="Hallo", body="Hallo")


async def test_nothing_leaves_before_the_commit(session: AsyncSession, engine: AsyncEngine) -> None:
    mailer = RecordingMailer()
    delivered_inside: list[int] = []
    async with transaction(session):
        await queue_mail(session, to="anna@example.org", subject="Hallo", body="Hallo")
        if engine.dialect.name == "postgresql":  # SQLite's single writer would wait for us instead
            outcome = await worker_on(engine, mailer, utcnow).run_once()
            delivered_inside.append(outcome.handled)
    assert mailer.sent == []
    assert delivered_inside in ([], [0])
    await session.commit()
    assert (await worker_on(engine, mailer, utcnow).drain()).sent == 1
    assert [m["To"] for m in mailer.sent] == ["anna@example.org"]


# --- retries, backoff, dead letters ----------------------------------------------------------


async def test_a_mail_server_that_is_down_for_a_while_loses_and_doubles_nothing(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await queue_mails(session, 3)
    clock, mailer = Clock(), FlakyMailer()
    worker = worker_on(engine, mailer, clock)
    assert (await worker.drain()).retried == 3
    assert (await worker.drain()).handled == 0  # backing off: nothing is due yet
    for _ in range(3):  # down for a while: every retry fails again
        clock.advance(timedelta(hours=1))
        assert (await worker.drain()).retried == 3
    mailer.up = True
    clock.advance(timedelta(hours=1))
    assert (await worker.drain()).sent == 3
    clock.advance(timedelta(days=1))
    assert (await worker.drain()).handled == 0
    assert sorted(m["To"] for m in mailer.sent) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert await statuses(session) == {SENT: 3}


async def test_backoff_doubles_and_is_capped() -> None:
    policy = queue.RetryPolicy(first_delay=timedelta(seconds=30), longest_delay=timedelta(minutes=5))
    assert [policy.delay_after(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


async def test_after_the_last_attempt_a_message_is_a_dead_letter_until_an_administrator_retries_it(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await queue_mails(session, 1)
    clock, mailer = Clock(), FlakyMailer()
    worker = worker_on(engine, mailer, clock, outbox_max_attempts=3)
    outcomes = []
    for _ in range(4):
        outcomes.append(await worker.drain())
        clock.advance(timedelta(hours=2))
    assert [(o.retried, o.dead) for o in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    [dead] = await queue.dead_letters(session)
    assert dead.status == DEAD
    assert dead.attempts == 3
    assert "MailUnavailable" in (dead.last_error or "")
    async with transaction(session):
        assert await queue.retry_dead(session, dead.id)
    async with transaction(session):
        assert not await queue.retry_dead(session, dead.id)  # it is no dead letter any more
    mailer.up = True
    assert (await worker.drain()).sent == 1
    assert await statuses(session) == {SENT: 1}


async def test_a_message_without_a_handler_is_dead_at_once(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    async with transaction(session):
        await queue.enqueue(session, "no-such-kind", {})
    outcome = await worker_on(engine, RecordingMailer(), utcnow).drain()
    assert (outcome.sent, outcome.retried, outcome.dead) == (0, 0, 1)


async def test_a_message_whose_worker_died_is_taken_again_after_its_lease(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await queue_mails(session, 1)
    clock, mailer = Clock(), RecordingMailer()
    async with create_session_factory(engine)() as other, other.begin():
        [claimed] = await queue.claim(other, now=clock(), limit=10, lease=timedelta(minutes=5))
    worker = worker_on(engine, mailer, clock)
    assert (await worker.drain()).handled == 0  # still leased by the worker that died
    clock.advance(timedelta(minutes=6))
    assert (await worker.drain()).sent == 1
    assert len(mailer.sent) == 1
    async with create_session_factory(engine)() as other, other.begin():
        await queue.complete(other, claimed, now=clock())  # the dead worker's late word changes nothing
    assert await statuses(session) == {SENT: 1}


# --- several workers, the scheduler ----------------------------------------------------------


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_workers_on_postgresql_share_the_queue_and_deliver_each_message_once(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await queue_mails(session, 60)
    mailer = RecordingMailer()
    engines = [create_engine(engine.url.render_as_string(hide_password=False)) for _ in range(4)]
    workers = [worker_on(each, mailer, utcnow) for each in engines]
    for worker in workers:
        worker.batch_size = 5
    try:
        outcomes = await asyncio.gather(*(worker.drain() for worker in workers))
    finally:
        for each in engines:
            await each.dispose()
    assert sum(o.sent for o in outcomes) == 60
    assert sum(1 for o in outcomes if o.sent) >= 2  # the work was shared
    assert sorted(m["To"] for m in mailer.sent) == sorted(f"p{n}@example.org" for n in range(60))


async def test_a_periodic_job_is_queued_once_per_slot_however_many_workers_tick(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    ran: list[str] = []

    async def job(context: JobContext, payload: dict[str, Any]) -> None:
        ran.append(str(payload["slot"]))

    jobs = [PeriodicJob("tidy", "tidy", timedelta(minutes=10))]
    clock = Clock()
    clock.now = clock.now.replace(minute=3, second=0, microsecond=0)
    workers = [
        Worker(
            create_session_factory(engine),
            {"tidy": job},
            RecordingMailer(),
            Settings(),
            periodic=jobs,
            clock=clock,
        )
        for _ in range(3)
    ]
    for _ in range(2):
        for worker in workers:
            await worker.tick()
    clock.advance(timedelta(minutes=5))  # the same ten-minute slot
    for worker in workers:
        await worker.tick()
    for worker in workers:
        await worker.drain()
    assert len(ran) == 1
    clock.advance(timedelta(minutes=5))  # the next slot
    for worker in workers:
        await worker.tick()
        await worker.drain()
    assert len(ran) == 2
    assert ran[0] != ran[1]


# --- sign-in mails through the outbox --------------------------------------------------------


def test_a_mail_server_that_is_down_neither_loses_the_sign_in_mail_nor_uses_up_the_limit(
    settings: Settings, inbox: Inbox
) -> None:
    """While SMTP is down each request answers 202 and replaces the waiting mail; after recovery one mail
    with the newest link goes out, it signs in, and the hourly limit is whole."""
    down = settings.model_copy(update={"smtp_port": closed_port()})
    with TestClient(create_app(down), base_url="https://testserver.local") as client:
        for _ in range(down.sign_in_per_address_per_hour + 3):
            response = client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
            assert response.status_code == 202, response.text
    assert inbox.messages == []

    async def recover() -> tuple[dict[str, int], int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            waiting = await queue.counts(session)
            await session.commit()  # on SQLite this read holds the one write lock the worker needs
            clock = Clock()
            clock.advance(timedelta(hours=1))
            worker = worker_for(
                create_session_factory(engine), SmtpMailer("127.0.0.1", settings.smtp_port), settings
            )
            worker.clock = clock
            outcome = await worker.drain()
        await engine.dispose()
        return waiting, outcome.sent

    waiting, sent = asyncio.run(recover())
    assert waiting == {PENDING: 1}
    assert sent == 1
    assert len(inbox.messages) == 1
    with TestClient(create_app(settings), base_url="https://testserver.local") as client:
        token = inbox.sign_in_token("anna@example.org")
        assert client.post("/api/v1/auth/session", json={"token": token}).status_code == 200
        for _ in range(settings.sign_in_per_address_per_hour - 1):  # one of the hour's links went out
            response = client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
            assert response.status_code == 202
        response = client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
        assert response.status_code == 429
    assert len(inbox.messages) == settings.sign_in_per_address_per_hour


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_per_address_sign_in_limit_holds_exactly_under_concurrency(
    settings: Settings, inbox: Inbox
) -> None:
    from buurtbudget.people.errors import TooManySignInRequests
    from buurtbudget.people.sign_in import request_link

    async def one(engine: AsyncEngine) -> bool:
        async with create_session_factory(engine)() as session:
            try:
                await request_link(session, settings, "anna@example.org", locale="nl")
            except TooManySignInRequests:
                return False
            return True

    async def burst() -> tuple[int, int]:
        engine = create_engine(settings.database_url)
        # Handed over already (as if sent): the limit counts these, and nothing waits to be replaced.
        async with create_session_factory(engine)() as session:
            await request_link(session, settings, "anna@example.org", locale="nl")
            worker = worker_for(create_session_factory(engine), RecordingMailer(), settings)
            await worker.drain()
        results = await asyncio.gather(*(one(engine) for _ in range(20)))
        async with create_session_factory(engine)() as session:
            queued = await session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == MAIL)
            )
        await engine.dispose()
        return sum(results), int(queued or 0)

    accepted, queued = asyncio.run(burst())
    # The first of the burst is queued; the others replace that waiting mail (none may add a second).
    assert accepted == 20
    assert queued == 2


# --- the scheduler closes rounds on time, and the initiators hear it -----------------------------


async def test_the_scheduler_closes_a_round_at_its_published_time_and_the_initiators_are_told(
    session: AsyncSession, engine: AsyncEngine, world: World
) -> None:
    ids = await ready_initiatives(session, world, 1)
    service = RoundService(session)
    round_id = (
        await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids, mode="open"))
    ).id
    [voter] = await residents(session, world, 1)
    await service.cast_ballot(voter, round_id, {ids[0]: 1})
    mailer = RecordingMailer()
    clock = Clock()
    clock.now = NOW + timedelta(days=1)  # before the published closing time: nothing happens
    worker = worker_on(engine, mailer, clock)
    await session.commit()
    await worker.tick()
    await worker.drain()
    assert await session.scalar(select(Round.state).where(Round.id == round_id)) == "open"
    await session.commit()
    mailer.sent.clear()
    clock.now = NOW + timedelta(days=8)
    # a new slot of the close job, the outbox tidying, the log pruning and the verification reminders
    assert await worker.tick() == 4
    outcome = await worker.drain()
    assert outcome.dead == 0
    assert await session.scalar(select(Round.state).where(Round.id == round_id)) == "closed"
    [mail] = [m for m in mailer.sent if m["To"] == world.emails["resident"]]
    assert mail["Subject"] == "Je initiatief krijgt geld"


async def test_delivery_right_after_a_commit_stops_at_the_first_failure(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    """A request whose mail server hangs waits for one timeout, not one per mail it queued."""
    await queue_mails(session, 5)
    ids = list((await session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id))).all())
    await session.commit()
    mailer = FlakyMailer()
    await worker_on(engine, mailer, utcnow).deliver_now(ids)
    counts = await statuses(session)
    assert counts == {PENDING: 5}
    attempts = (await session.scalars(select(OutboxMessage.attempts).order_by(OutboxMessage.id))).all()
    assert list(attempts) == [1, 0, 0, 0, 0]
