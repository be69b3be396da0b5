"""Casting ballots: 200 signed-in voters change their ballots at once in an open round on PostgreSQL.

    .venv/bin/python -m benchmarks.ballots [--voters 200] [--ballots-per-voter 15] [--workers N]

A real server (uvicorn running ``api.app:create_app_from_env`` in its own process group, with one
worker per core as production runs it, and sessions in Redis as production does with several
workers; the Redis URL raises redis-py's pool of 100 connections per worker, which 200 concurrent
requests exceed) serves a fresh PostgreSQL database made by Alembic on 127.0.0.1. A separate load
process signs every voter in through the real magic-link flow (the mails land in the outbox folder)
and then lets all voters cast and change their ballots concurrently over loopback (aiohttp); a server
error or dropped connection is retried, as a client of an idempotent PUT does (each worker commits its
concurrent ballots together: `buurtbudget.jury.ballot_box`). Printed: ballots sent
and stored, ballots per second, p50/p95 latency, the ratio to a baseline measured in the same run (the
same voters reading the round: framework, session and database round trip without the write), and
the check that the table holds exactly one ballot per voter, each voter's last, with one audit entry
per stored ballot and the audit chain intact. The database and this run's Redis keys are removed.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
import redis
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from buurtbudget.audit.models import AuditEntry
from buurtbudget.audit.service import verify_chain
from buurtbudget.db import migrate
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.models import CastBallot
from buurtbudget.jury.rounds import RoundPlan, RoundService
from buurtbudget.people import service as people
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Grant, Role
from buurtbudget.people.verification import ensure_verified
from buurtbudget.places import service as places
from buurtbudget.pots.service import PotService

ADMIN_URL = os.environ.get("BUURTBUDGET_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
INITIATIVES = 8
MAX_APPROVALS = 3
RETRIES = 3
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Plan:
    """What the load process needs: where the server is, the round, the voters and how much to send."""

    base_url: str
    outbox: str
    round_id: int
    initiative_ids: list[int]
    emails: list[str]
    ballots_per_voter: int
    reads_per_voter: int
    seed: int


# --- the database and its contents -------------------------------------------------------------


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL, timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_database() -> tuple[str, str]:
    """A fresh database on the server, migrated by Alembic; returns its name and SQLAlchemy URL."""
    name = f"bb_bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL.replace("postgresql://", "postgresql+asyncpg://", 1)).set(database=name)
    rendered = url.render_as_string(hide_password=False)
    migrate.upgrade(rendered)
    return name, rendered


async def seed(url: str, voters: int) -> tuple[int, list[int], list[str]]:
    """A neighbourhood with a funded pot, ready initiatives, an open round and its voting residents."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        async with transaction(session):
            town = await places.ensure_municipality(session, name="Utrecht", cbs_code="GM0344", actor_id=None)
            zuilen = await places.ensure_neighbourhood(
                session, town, name="Zuilen", slug="zuilen", cbs_code="WK034403", actor_id=None
            )
            roles = {
                "admin@utrecht.example.org": Grant(Role.MUNICIPALITY_ADMIN, municipality_id=town.id),
                "broker@example.org": Grant(Role.BROKER, zuilen.id),
            }
            actors = {}
            for email, grant in roles.items():
                person = await people.get_or_create(session, email, actor_id=None)
                await people.assign_role(session, person, grant, actor_id=None)
                actors[email] = people.actor_for(person)
            owner = await people.get_or_create(session, "initiatiefnemer@example.org", actor_id=None)
            await ensure_verified(session, owner, zuilen.id)  # residents are verified, not assigned
            actors["initiatiefnemer@example.org"] = people.actor_for(owner)
            emails = [f"bewoner{number:03d}@example.org" for number in range(voters)]
            for email in emails:
                person = await people.get_or_create(session, email, actor_id=None)
                await ensure_verified(session, person, zuilen.id)
        admin = actors["admin@utrecht.example.org"]
        pots = PotService(session)
        pot = await pots.create_pot(
            admin,
            neighbourhood_id=zuilen.id,
            name="Buurtbudget 2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        await pots.fund(admin, pot.id, 50_000_00)
        initiatives = InitiativeService(session)
        ids = []
        for number in range(INITIATIVES):
            draft = await initiatives.create_draft(
                actors["initiatiefnemer@example.org"],
                zuilen.id,
                DraftContent(
                    title=f"Buurtplan {number + 1}",
                    summary="Een plan voor de buurt.",
                    cost_lines=[CostLineInput("Materiaal", (number + 2) * 1_000_00)],
                ),
            )
            await initiatives.act(actors["initiatiefnemer@example.org"], draft.id, Action.SUBMIT)
            await initiatives.act(actors["broker@example.org"], draft.id, Action.START_REVIEW)
            await initiatives.act(actors["broker@example.org"], draft.id, Action.MARK_READY)
            ids.append(draft.id)
        now = datetime.now(UTC)
        round_ = await RoundService(session).open_round(
            admin,
            pot.id,
            RoundPlan(
                name="Open ronde Zuilen",
                mode="open",
                amount_cents=20_000_00,
                initiative_ids=ids,
                rules=BallotRules(BallotKind.APPROVAL, max_approvals=MAX_APPROVALS),
                rule=Rule.MES,
                tie_break=TieBreak.LEXICOGRAPHIC,
                voting_opens_at=now - timedelta(minutes=5),
                voting_closes_at=now + timedelta(days=1),
            ),
        )
    await engine.dispose()
    return round_.id, ids, emails


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int, outbox: str, redis_url: str) -> subprocess.Popen[bytes]:
    """uvicorn in its own process group, configured only through the app's ordinary settings."""
    env = {
        **({"BUURTBUDGET_REDIS_URL": redis_url} if redis_url else {}),
        **os.environ,
        "BUURTBUDGET_DATABASE_URL": url,
        "BUURTBUDGET_OUTBOX_DIR": outbox,
        "BUURTBUDGET_BASE_URL": f"http://127.0.0.1:{port}",
        "BUURTBUDGET_SIGN_IN_PER_IP_PER_MINUTE": "100000",  # every voter signs in from 127.0.0.1
    }
    env.pop("BUURTBUDGET_SMTP_HOST", None)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app_from_env",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        # The load process may leave a pooled connection idle for seconds while it waits for a core.
        "--timeout-keep-alive",
        "60",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603  (our own argv)


def forget_sessions(redis_url: str) -> None:
    """Remove this run's sessions and rate-limit counters from the benchmark's Redis database."""
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter("buurtbudget:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def wait_until_up(base_url: str, round_id: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with exit code {server.returncode}")
        try:
            if httpx.get(f"{base_url}/api/v1/rounds/{round_id}", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


# --- the load (runs in its own process) ---------------------------------------------------------


def _token(outbox: Path, email: str) -> str:
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == email:
            body = message.get_body(preferencelist=("plain",))
            found = re.search(r"token=([A-Za-z0-9_-]+)", body.get_content() if body else "")
            if found:
                return found.group(1)
    raise RuntimeError(f"no sign-in mail for {email}")


async def _sign_in(client: aiohttp.ClientSession, plan: Plan, email: str) -> str:
    async with client.post("/api/v1/auth/sign-in-requests", json={"email": email}) as asked:
        if asked.status != 202:
            raise RuntimeError(f"sign-in request for {email}: {asked.status} {await asked.text()}")
    token = _token(Path(plan.outbox), email)
    async with client.post("/api/v1/auth/session", json={"token": token}) as confirmed:
        if confirmed.status != 200:
            raise RuntimeError(f"sign-in of {email}: {confirmed.status} {await confirmed.text()}")
        cookie = confirmed.cookies.get("bb_session")
    if cookie is None:
        raise RuntimeError(f"no session cookie for {email}")
    return cookie.value


async def _load(plan: Plan) -> dict[str, Any]:
    # aiohttp's C parser keeps the load process from becoming the bottleneck on a 2-core machine
    # (httpx spent more CPU per request than the server); cookies are sent by hand, one per voter.
    connector = aiohttp.TCPConnector(limit=len(plan.emails))
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        plan.base_url, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as client:
        cookies = []
        for email in plan.emails:  # one by one: the outbox names mails by the microsecond
            cookies.append(await _sign_in(client, plan, email))
        print(f"{len(cookies)} voters signed in through the magic-link flow", file=sys.stderr)

        errors: list[str] = []

        async def reads(cookie: str) -> list[float]:
            latencies = []
            for _ in range(plan.reads_per_voter):
                start = time.perf_counter()
                async with client.get(
                    f"/api/v1/rounds/{plan.round_id}", headers={"Cookie": f"bb_session={cookie}"}
                ) as response:
                    await response.read()
                latencies.append(time.perf_counter() - start)
                if response.status != 200:
                    raise RuntimeError(f"read: {response.status}")
            return latencies

        async def cast(cookie: str, marks: dict[str, int]) -> tuple[float, int, int]:
            """One ballot as a careful client sends it: a PUT is idempotent, so an answer that is not
            a decision (a server error, a dropped connection) is retried, at most RETRIES times.
            Returns the latency, the final status (0: no answer) and the number of attempts."""
            start = time.perf_counter()
            status = 0
            for attempt in range(1, RETRIES + 2):
                try:
                    async with client.put(
                        f"/api/v1/rounds/{plan.round_id}/ballot",
                        json={"marks": marks},
                        headers={"Cookie": f"bb_session={cookie}"},
                    ) as response:
                        body = await response.text()
                except (aiohttp.ClientError, TimeoutError) as error:
                    errors.append(repr(error))
                    continue
                status = response.status
                if status < 500:
                    return time.perf_counter() - start, status, attempt
                errors.append(f"{status} {body[:200]}")
            return time.perf_counter() - start, status, RETRIES + 1

        async def ballots(voter: int, cookie: str) -> tuple[list[float], dict[str, int] | None, int, int]:
            chooser = random.Random(plan.seed * 1_000_003 + voter)
            latencies: list[float] = []
            last: dict[str, int] | None = None
            refused = retried = 0
            for _ in range(plan.ballots_per_voter):
                chosen = chooser.sample(plan.initiative_ids, chooser.randint(0, MAX_APPROVALS))
                marks = {str(i): 1 for i in sorted(chosen)}
                latency, status, attempts = await cast(cookie, marks)
                latencies.append(latency)
                retried += attempts > 1
                if status == 204:
                    last = marks
                else:
                    refused += 1
            return latencies, last, refused, retried

        started = time.perf_counter()
        read_runs = await asyncio.gather(*(reads(c) for c in cookies))
        read_seconds = time.perf_counter() - started

        started = time.perf_counter()
        runs = await asyncio.gather(*(ballots(n, c) for n, c in enumerate(cookies)))
        seconds = time.perf_counter() - started
    return {
        "read_seconds": read_seconds,
        "read_latencies": [x for run in read_runs for x in run],
        "seconds": seconds,
        "latencies": [x for run in runs for x in run[0]],
        "last": {email: run[1] for email, run in zip(plan.emails, runs, strict=True)},
        "failures": sum(run[2] for run in runs),
        "retried": sum(run[3] for run in runs),
        "errors": errors[:5],
    }


def load_process(plan: Plan, connection: Any) -> None:
    try:
        connection.send(("ok", asyncio.run(_load(plan))))
    except Exception as error:
        connection.send(("error", repr(error)))


# --- checks and report -------------------------------------------------------------------------


async def check(url: str, round_id: int, last: dict[str, dict[str, int] | None]) -> dict[str, Any]:
    """What the database holds after the run: ballots per voter, each voter's last ballot, the audit."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        ids = dict(
            (await session.execute(select(Person.email, Person.id).where(Person.email.in_(last))))
            .tuples()
            .all()
        )
        rows = (
            await session.execute(
                select(CastBallot.voter_id, CastBallot.marks).where(CastBallot.round_id == round_id)
            )
        ).all()
        stored: dict[int, list[dict[str, int]]] = {}
        for voter_id, marks in rows:
            stored.setdefault(voter_id, []).append(marks)
        audited = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "round.ballot_cast")
        )
        verdict = await verify_chain(session)
    await engine.dispose()
    voted = {email: marks for email, marks in last.items() if marks is not None}
    return {
        "rows": len(rows),
        "voters_with_rows": len(stored),
        "doubled": sum(1 for ballots in stored.values() if len(ballots) > 1),
        "lost": sum(1 for email in voted if ids[email] not in stored),
        "wrong": sum(1 for email, marks in voted.items() if stored.get(ids[email], [None])[0] != marks),
        "expected_rows": len(voted),
        "audited": audited or 0,
        "chain_ok": verdict.ok,
        "chain_entries": verdict.checked,
    }


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def measure(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Make the database, serve it, run the load in its own process, check the table; clean up."""
    name, url = create_database()
    server = None
    try:
        round_id, ids, emails = asyncio.run(seed(url, args.voters))
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory(prefix="bb-bench-outbox-") as outbox:
            server = start_server(url, port, args.workers, outbox, args.redis_url)
            wait_until_up(base_url, round_id, server)
            plan = Plan(
                base_url,
                outbox,
                round_id,
                ids,
                emails,
                args.ballots_per_voter,
                args.reads_per_voter,
                args.seed,
            )
            context = multiprocessing.get_context("spawn")
            receiver, sender = context.Pipe(duplex=False)
            loader = context.Process(target=load_process, args=(plan, sender), name="ballot-load")
            loader.start()
            status, result = receiver.recv()
            loader.join()
        if status != "ok":
            raise SystemExit(f"the load process failed: {result}")
        return result, asyncio.run(check(url, round_id, result["last"]))
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if args.redis_url:
            forget_sessions(args.redis_url)


def report(args: argparse.Namespace, result: dict[str, Any], outcome: dict[str, Any]) -> bool:
    """Print the figures and the checks; True when every ballot was stored once, as its voter last sent it."""
    for error in result["errors"]:
        print(f"server error or dropped connection (retried): {error}")
    sent = args.voters * args.ballots_per_voter
    stored = sent - result["failures"]
    rate = stored / result["seconds"]
    reads = len(result["read_latencies"])
    read_rate = reads / result["read_seconds"]
    sessions = "Redis" if args.redis_url else "the database"
    print(
        f"server: uvicorn, {args.workers} worker(s); PostgreSQL on 127.0.0.1, sessions in {sessions}; "
        f"{args.voters} concurrent voters"
    )
    print(
        f"baseline (signed-in reads of the round): {reads} requests in {result['read_seconds']:.2f} s = "
        f"{read_rate:.0f}/s, p50 {percentile(result['read_latencies'], 50):.1f} ms, "
        f"p95 {percentile(result['read_latencies'], 95):.1f} ms"
    )
    print(
        f"ballots: {sent} sent, {stored} stored ({result['failures']} not, "
        f"{result['retried']} needed a retry) in {result['seconds']:.2f} s = {rate:.0f} ballots/s, "
        f"p50 {percentile(result['latencies'], 50):.1f} ms, "
        f"p95 {percentile(result['latencies'], 95):.1f} ms; "
        f"{rate / read_rate:.2f} x the baseline's rate"
    )
    exact = (
        outcome["rows"] == outcome["expected_rows"] == outcome["voters_with_rows"]
        and outcome["doubled"] == outcome["lost"] == outcome["wrong"] == result["failures"] == 0
    )
    print(
        f"check: {outcome['rows']} ballots in the table for {outcome['expected_rows']} voters; "
        f"doubled {outcome['doubled']}, lost {outcome['lost']}, not the voter's last {outcome['wrong']} "
        f"-> {'OK' if exact else 'FAILED'}"
    )
    # A retried ballot may have been stored (and audited) before its answer was lost: at most once more.
    audited_ok = stored <= outcome["audited"] <= stored + result["retried"] and outcome["chain_ok"]
    print(
        f"audit: {outcome['audited']} ballot entries for {stored} stored ballots, chain of "
        f"{outcome['chain_entries']} entries {'intact' if outcome['chain_ok'] else 'BROKEN'} "
        f"-> {'OK' if audited_ok else 'FAILED'}"
    )
    print(f"target >= 500 ballots/s: {'met' if rate >= 500 else 'NOT met'}")
    return bool(exact and audited_ok)


def main() -> None:
    # Not a demo: the app refuses the default secret, so the run brings its own. This process (which sets
    # up the round) and the server seal audit entries with the key derived from it: one key, one chain.
    os.environ.setdefault("BUURTBUDGET_SECRET_KEY", uuid.uuid4().hex * 2)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--ballots-per-voter", type=int, default=15)
    parser.add_argument("--reads-per-voter", type=int, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--redis-url",
        # A database of its own, and room for every concurrent request of a worker (redis-py keeps 100).
        default=os.environ.get(
            "BUURTBUDGET_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13?max_connections=1000"
        ),
        help="sessions and rate limits in Redis, as with several workers in production ('' for the database)",
    )
    args = parser.parse_args()
    result, outcome = measure(args)
    if not report(args, result, outcome):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
