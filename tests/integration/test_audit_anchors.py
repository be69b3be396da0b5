"""Anchoring the audit log: a rewrite with recomputed hashes, a changed ledger row and a cut-off tail are all
caught by `buurtbudget audit verify` (seals with a key outside the database, checkpoints outside it)."""

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE_URL, World, build_world, new_initiatives
from litestar.testing import TestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.cli import main
from buurtbudget.audit import keys
from buurtbudget.audit.chain import GENESIS_HASH, entry_hash, verify
from buurtbudget.audit.models import AuditEntry
from buurtbudget.audit.service import Event, iter_links, record, record_many, verify_chain
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings

REWRITE = "UPDATE audit_entries SET data = :data, prev_hash = :prev, entry_hash = :digest WHERE id = :id"
REWRITE_WITHOUT_SEAL = REWRITE.replace(" WHERE", ", entry_mac = NULL WHERE")


def run(database_url: str, checkpoints: Path, *args: str) -> tuple[int, str]:
    env = {"BUURTBUDGET_DATABASE_URL": database_url, "BUURTBUDGET_AUDIT_CHECKPOINTS": str(checkpoints)}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def on_database(database_url: str, *statements: str) -> None:
    async def go() -> None:
        engine = create_engine(database_url)
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(go())


def unguard(database_url: str, table: str) -> list[str]:
    """What an attacker with database access runs first: the append-only triggers go."""
    if database_url.startswith("postgresql"):
        return [f"ALTER TABLE {table} DISABLE TRIGGER USER"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb}" for verb in ("update", "delete")]


def populated(database_url: str) -> World:
    """The fixture world plus a reservation and a grant: ledger transactions with their audit entries."""

    async def go() -> World:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            world = await build_world(session)
            [initiative_id] = await new_initiatives(session, world, 1)
            admin = world.actors["municipality_admin"]
            await PotService(session).reserve(admin, world.pot_id, initiative_id, 300_00)
            await PotService(session).grant(admin, world.pot_id, initiative_id, 500_00)
        await engine.dispose()
        return world

    return asyncio.run(go())


def rewrite_chain(database_url: str, entry_id: int, *, drop_seals: bool) -> None:
    """Change one entry, then recompute every hash after it and the head, as the chain's own code does."""

    async def go() -> None:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            links = [link async for link in iter_links(session)]
            async with transaction(session):
                previous = GENESIS_HASH
                for link in links:
                    data = {**link.data, "rewritten": True} if link.entry_id == entry_id else link.data
                    digest = entry_hash(
                        previous,
                        at=link.at,
                        actor_id=link.actor_id,
                        action=link.action,
                        subject_type=link.subject_type,
                        subject_id=link.subject_id,
                        data=data,
                    )
                    await session.execute(
                        text(REWRITE_WITHOUT_SEAL if drop_seals else REWRITE),
                        {"data": json.dumps(data), "prev": previous, "digest": digest, "id": link.entry_id},
                    )
                    previous = digest
                await session.execute(
                    text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": previous}
                )
            links = [link async for link in iter_links(session)]
            assert verify(links, previous).ok, "the rewrite is consistent: hashes alone cannot tell"
        await engine.dispose()

    asyncio.run(go())


@pytest.mark.parametrize("drop_seals", [False, True])
def test_a_rewritten_chain_with_recomputed_hashes_is_caught(
    database_url: str, tmp_path: Path, drop_seals: bool
) -> None:
    populated(database_url)
    checkpoints = tmp_path / "anchors.jsonl"
    code, output = run(database_url, checkpoints, "audit", "verify")
    assert code == 0, output
    on_database(database_url, *unguard(database_url, "audit_entries"))
    rewrite_chain(database_url, 3, drop_seals=drop_seals)
    code, output = run(database_url, checkpoints, "audit", "verify")
    assert code == 1, output
    assert "NOT intact" in output
    assert ("entry 3" in output) or ("no entry is sealed" in output), output


def test_a_ledger_row_changed_directly_is_caught(database_url: str, tmp_path: Path) -> None:
    populated(database_url)
    checkpoints = tmp_path / "anchors.jsonl"
    assert run(database_url, checkpoints, "audit", "verify")[0] == 0
    # Twice the funding on both sides: the transaction still balances, only the audit log tells.
    on_database(
        database_url,
        *unguard(database_url, "ledger_entries"),
        "UPDATE ledger_entries SET amount_cents = amount_cents * 2 WHERE transaction_id = 1",
    )
    code, output = run(database_url, checkpoints, "audit", "verify")
    assert code == 1, output
    assert "ledger transaction 1 differs from its audit entry" in output


def test_a_ledger_transaction_removed_directly_is_caught(database_url: str, tmp_path: Path) -> None:
    populated(database_url)
    checkpoints = tmp_path / "anchors.jsonl"
    on_database(
        database_url,
        *unguard(database_url, "ledger_entries"),
        *unguard(database_url, "ledger_transactions"),
        "DELETE FROM ledger_entries WHERE transaction_id = 2",
        "DELETE FROM ledger_transactions WHERE id = 2",
    )
    code, output = run(database_url, checkpoints, "audit", "verify")
    assert code == 1, output
    assert "names a ledger transaction that does not exist" in output


def test_a_checkpoint_is_published_and_catches_a_cut_off_tail(
    database_url: str, tmp_path: Path, settings: Settings
) -> None:
    populated(database_url)
    checkpoints = tmp_path / "outside" / "anchors.jsonl"
    code, output = run(database_url, checkpoints, "audit", "checkpoint")
    assert code == 0, output
    [line] = checkpoints.read_text().splitlines()
    anchor = json.loads(line)
    assert [json.loads(o) for o in output.splitlines() if o.startswith("{")] == [anchor]
    with TestClient(
        create_app(settings.model_copy(update={"audit_checkpoints": checkpoints})), base_url=BASE_URL
    ) as client:
        published = client.get("/api/v1/audit/anchors").json()
        shown = client.get("/audit/ankers", headers={"Accept-Language": "nl"})
    assert shown.status_code == 200
    assert "Ankers van het logboek" in shown.text
    assert anchor["entry_hash"] in shown.text
    assert published["checkpoints"] == [anchor]
    assert published["head"] == {"entry_id": anchor["entry_id"], "entry_hash": anchor["entry_hash"]}
    assert run(database_url, checkpoints, "audit", "verify")[0] == 0

    # The attacker removes the last entry and moves the head back: chain and seals are intact again.
    last = anchor["entry_id"]
    on_database(
        database_url,
        *unguard(database_url, "audit_entries"),
        f"DELETE FROM audit_entries WHERE id = {last}",  # noqa: S608
        f"UPDATE audit_head SET last_entry_id = {last - 1}, "  # noqa: S608
        f"last_hash = (SELECT entry_hash FROM audit_entries WHERE id = {last - 1}) WHERE id = 1",
    )
    code, output = run(database_url, checkpoints, "audit", "verify", "--checkpoints", str(checkpoints))
    assert code == 1, output
    assert f"entry {last} of the checkpoint" in output


def test_a_forged_checkpoint_is_refused(database_url: str, tmp_path: Path) -> None:
    populated(database_url)
    checkpoints = tmp_path / "anchors.jsonl"
    assert run(database_url, checkpoints, "audit", "checkpoint")[0] == 0
    forged = {**json.loads(checkpoints.read_text()), "entry_hash": "f" * 64}
    checkpoints.write_text(json.dumps(forged) + "\n")
    code, output = run(database_url, checkpoints, "audit", "verify")
    assert code == 1, output
    assert "is not sealed by our key" in output


async def test_both_ways_of_appending_seal_their_entries(session: AsyncSession, world: World) -> None:
    """PostgreSQL's one-statement append (`record`) and `record_many` write the same verifiable seals."""
    async with transaction(session):
        single = await record(session, actor_id=None, action="test.single", subject_type="t", subject_id=1)
    async with transaction(session):
        batch = await record_many(
            session, [Event(None, "test.batch", "t", n, {"n": n, "tekst": "één"}) for n in range(3)]
        )
    key = keys.current()
    stored = {
        entry.id: entry
        for entry in (
            await session.execute(select(AuditEntry).where(AuditEntry.action.like("test.%")))
        ).scalars()
    }
    assert len(stored) == 4
    for written in (single, *batch):
        assert written.entry_mac is not None
        assert stored[written.id].entry_mac == written.entry_mac == key.seal(written.entry_hash)
    assert (await verify_chain(session)).ok
    assert not (await verify_chain(session, keys.AuditKey(b"another key"))).ok
