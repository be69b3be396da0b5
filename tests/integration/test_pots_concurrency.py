"""Round openings and earmarks racing on one pot (PostgreSQL, a real server): 201, 409 or 503, never 500."""

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from conftest import Inbox, World, build_world
from litestar import Litestar, post
from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from api.app import create_app
from api.errors import EXCEPTION_HANDLERS
from buurtbudget.audit.service import verify_chain
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings

NOW = datetime.now(UTC)
READY_SECONDS = 30


async def prepared_world(url: str) -> tuple[World, list[int]]:
    from test_jury_rounds import ready_initiatives

    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        world = await build_world(session)
        ids = await ready_initiatives(session, world, 2)
    await engine.dispose()
    return world, ids


@contextmanager
def served(settings: Settings, port: int) -> Iterator[str]:
    """The app under uvicorn on a loopback port, in a thread of its own (one app, many requests at once)."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="pots-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_SECONDS
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail(f"the app did not start within {READY_SECONDS} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def round_body(ids: list[int], number: int) -> dict[str, Any]:
    return {
        "name": f"Ronde {number}",
        "mode": "open",
        "amount_cents": 500_00,
        "initiative_ids": ids,
        "ballot_kind": "approval",
        "max_approvals": 2,
        "rule": "greedy",
        "voting_opens_at": (NOW - timedelta(hours=1)).isoformat(),
        "voting_closes_at": (NOW + timedelta(days=3)).isoformat(),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_fifty_concurrent_openings_and_earmarks_never_answer_500(
    postgres_url: str, smtp_server: tuple[Controller, Inbox], tmp_path: Path
) -> None:
    controller, inbox = smtp_server
    inbox.messages.clear()
    port = free_port()
    settings = Settings(
        database_url=postgres_url,
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        outbox_dir=tmp_path / "outbox",
        base_url=f"http://127.0.0.1:{port}",
        cookie_secure=False,
        database_pool_size=50,
    )
    world, ids = await prepared_world(postgres_url)
    email = world.emails["municipality_admin"]
    with served(settings, port) as url:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            assert (
                await client.post("/api/v1/auth/sign-in-requests", json={"email": email})
            ).status_code == 202
            signed = await client.post("/api/v1/auth/session", json={"token": inbox.sign_in_token(email)})
            assert signed.status_code == 200, signed.text
            start = asyncio.Event()

            async def one(number: int) -> int:
                if number % 2:
                    path, body = f"/api/v1/pots/{world.pot_id}/rounds", round_body(ids, number)
                else:
                    path = f"/api/v1/pots/{world.pot_id}/theme-budgets"
                    body = {"theme": "groen", "amount_cents": 500_00}
                await start.wait()
                response = await client.post(path, json=body)
                if response.status_code == 503:
                    assert response.headers["Retry-After"]
                    assert response.headers["content-type"].startswith("application/problem+json")
                return response.status_code

            tasks = [asyncio.create_task(one(n)) for n in range(50)]
            await asyncio.sleep(0.05)
            start.set()
            statuses = Counter(await asyncio.gather(*tasks))
    assert set(statuses) <= {201, 409, 503}, statuses
    assert statuses[201] >= 1, statuses
    engine = create_engine(postgres_url)
    async with create_session_factory(engine)() as session:
        summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
        assert summary.available_cents >= 0
        assert summary.reserved_cents + summary.available_cents + summary.granted_cents == 10_000_00
        assert (await PotService(session).theme_balances([world.pot_id]))[world.pot_id].get("groen", 0) >= 0
        assert (await verify_chain(session)).ok
    await engine.dispose()


async def real_deadlock(url: str) -> DBAPIError:
    """Two transactions lock the pot and the audit head in opposite orders: PostgreSQL aborts one."""
    engine = create_engine(url)
    try:
        async with engine.connect() as first, engine.connect() as second:
            await first.execute(text("SELECT id FROM pots WHERE id = 1 FOR UPDATE"))
            await second.execute(text("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE"))

            async def then(connection: AsyncConnection, table: str) -> DBAPIError | None:
                try:
                    await connection.execute(text(f"SELECT id FROM {table} WHERE id = 1 FOR UPDATE"))  # noqa: S608
                except DBAPIError as error:
                    await connection.rollback()
                    return error
                await connection.rollback()
                return None

            outcomes = await asyncio.wait_for(
                asyncio.gather(then(first, "audit_head"), then(second, "pots")), timeout=60
            )
    finally:
        await engine.dispose()
    [error] = [outcome for outcome in outcomes if outcome is not None]
    return error


async def test_a_genuine_deadlock_is_a_translated_503_with_retry_after(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    async with create_session_factory(engine)() as session:
        await build_world(session)
    await engine.dispose()
    error = await real_deadlock(postgres_url)
    assert getattr(error.orig, "sqlstate", None) == "40P01"

    @post("/api/v1/deadlock", sync_to_thread=False)
    def deadlocked() -> None:
        raise error

    app = Litestar([deadlocked], exception_handlers=EXCEPTION_HANDLERS)
    with TestClient(app) as client:
        response = client.post("/api/v1/deadlock", headers={"Accept-Language": "nl"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "try_again"
    assert response.json()["detail"].startswith("Iemand anders")
