"""Platform administrators see what waits and what failed in the outbox (never a mail's text) and queue
a dead letter again; nobody else does. The in-process worker delivers without a request's help."""

import asyncio
import time
from typing import Any

from click.testing import CliRunner
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from test_pages import csrf_token

from api.app import create_app
from api.cli import main
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.notifications.outgoing import queue_mail
from buurtbudget.outbox.models import DEAD, SENT, OutboxMessage
from buurtbudget.settings import Settings

SECRET_LINK = "https://buurtbudget.example/inloggen/bevestigen?token=geheim"


def dead_letter(settings: Settings) -> int:
    """A sign-in-like mail that the worker gave up on."""

    async def run() -> int:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            async with transaction(session):
                message = await queue_mail(
                    session, to="anna@example.org", subject="Inloggen", body=SECRET_LINK
                )
                message.status = DEAD
                message.attempts = 10
                message.last_error = "MailUnavailable: the mail server is not available"
            message_id = message.id
        await engine.dispose()
        return message_id

    return asyncio.run(run())


def status_of(settings: Settings, message_id: int) -> str:
    async def run() -> str:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            status = await session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id))
        await engine.dispose()
        return str(status)

    return asyncio.run(run())


def test_a_platform_administrator_sees_dead_letters_without_their_text_and_retries_one(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    message_id = dead_letter(settings)
    sign_in(client, inbox, world.emails["platform_admin"])
    state = client.get("/api/v1/outbox")
    assert state.status_code == 200, state.text
    [letter] = state.json()["dead_letters"]
    assert (letter["id"], letter["recipient"], letter["attempts"]) == (message_id, "anna@example.org", 10)
    assert "geheim" not in state.text
    page = client.get("/beheer/wachtrij")
    assert page.status_code == 200
    assert "anna@example.org" in page.text
    assert "geheim" not in page.text
    inbox.messages.clear()
    retried = client.post(
        f"/beheer/wachtrij/{message_id}/opnieuw",
        data={"_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert retried.status_code == 303
    assert client.post(f"/api/v1/outbox/{message_id}/retry").status_code == 404  # not dead any more


def test_others_do_not_see_the_outbox(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    message_id = dead_letter(settings)
    assert client.get("/api/v1/outbox").status_code == 401
    for role in ("municipality_admin", "broker", "resident"):
        client.cookies.clear()
        sign_in(client, inbox, world.emails[role])
        assert client.get("/api/v1/outbox").status_code == 403
        assert client.post(f"/api/v1/outbox/{message_id}/retry").status_code == 403
        assert client.get("/beheer/wachtrij").status_code == 403
    assert status_of(settings, message_id) == DEAD


def test_the_worker_in_the_web_process_delivers_what_waits(settings: Settings, inbox: Inbox) -> None:
    """`make run`'s set-up: no request delivers at once, the in-process worker does."""
    message_id = dead_letter(settings)
    embedded = settings.model_copy(
        update={"worker_in_process": True, "outbox_deliver_at_once": False, "worker_poll_seconds": 0.05}
    )

    async def requeue() -> None:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session, transaction(session):
            message = await session.get(OutboxMessage, message_id)
            assert message is not None
            message.status = "pending"
        await engine.dispose()

    asyncio.run(requeue())
    with TestClient(create_app(embedded), base_url="https://testserver.local"):
        deadline = time.monotonic() + 10
        while status_of(settings, message_id) != SENT and time.monotonic() < deadline:
            time.sleep(0.05)
    assert status_of(settings, message_id) == SENT
    assert [m["To"] for m in inbox.messages] == ["anna@example.org"]


def test_the_command_line_shows_the_outbox_retries_a_dead_letter_and_delivers_it_once(
    settings: Settings, inbox: Inbox
) -> None:
    message_id = dead_letter(settings)
    env = {
        "BUURTBUDGET_DATABASE_URL": settings.database_url,
        "BUURTBUDGET_SMTP_HOST": "127.0.0.1",
        "BUURTBUDGET_SMTP_PORT": str(settings.smtp_port),
    }
    runner = CliRunner()
    status = runner.invoke(main, ["outbox", "status"], env=env)
    assert status.exit_code == 0, status.output
    assert f"dead {message_id} mail after 10 attempts" in status.output
    assert "geheim" not in status.output
    assert runner.invoke(main, ["outbox", "retry", str(message_id + 1)], env=env).exit_code == 1
    assert runner.invoke(main, ["outbox", "retry", str(message_id)], env=env).exit_code == 0
    delivered = runner.invoke(main, ["worker", "--once"], env=env)
    assert delivered.exit_code == 0, delivered.output
    assert "to retry 0, dead 0" in delivered.output  # the mail and the periodic jobs now due
    assert status_of(settings, message_id) == SENT
    assert [m["To"] for m in inbox.messages] == ["anna@example.org"]
