"""The committed jury draw: a frozen pool and a hashed seed, revealed at the draw, checkable by anyone."""

import asyncio
import hashlib
from typing import Any

from click.testing import CliRunner
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from test_jury_rounds import plan, ready_initiatives, residents

from api.cli import main
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.jury import drawing
from buurtbudget.jury.models import JuryDraw, JuryPoolMember
from buurtbudget.jury.rounds import RoundService
from buurtbudget.jury.sortition import Quota
from buurtbudget.settings import Settings


def cli_env(settings: Settings) -> dict[str, str]:
    return {"BUURTBUDGET_DATABASE_URL": settings.database_url}


async def frozen_round(session: AsyncSession, world: World) -> tuple[int, list[Any]]:
    """A jury round whose pool of six volunteers (three women, three men) is frozen for 3 seats, 1 reserve."""
    ids = await ready_initiatives(session, world, 2)
    pool = await residents(session, world, 6)
    service = RoundService(session)
    for number, actor in enumerate(pool):
        await service.volunteer(actor, world.zuilen_id, {"gender": "vrouw" if number % 2 else "man"})
    admin = world.actors["municipality_admin"]
    round_id = (await service.open_round(admin, world.pot_id, plan(ids))).id
    await service.freeze_pool(admin, round_id, seats=3, reserves=1, quotas=[Quota("gender", "vrouw", 1, 2)])
    return round_id, pool


async def test_the_pool_is_frozen_and_the_seed_revealed_only_at_the_draw(
    session: AsyncSession, world: World
) -> None:
    round_id, pool = await frozen_round(session, world)
    service = RoundService(session)
    before = await drawing.published(session, round_id)
    assert before is not None
    assert before.seed is None  # committed: only its hash is public
    assert len(before.pool) == 6
    assert all(str(actor.person_id) not in {c.id for c in before.pool} for actor in pool)  # pseudonyms
    # Changing one's attributes or joining the pool after the freeze changes nothing of the pool.
    await service.volunteer(pool[0], world.zuilen_id, {"gender": "vrouw"})
    late = (await residents(session, world, 7))[-1]  # a seventh resident
    await service.volunteer(late, world.zuilen_id, {"gender": "vrouw"})
    after = await drawing.published(session, round_id)
    assert after is not None
    assert after.pool == before.pool

    drawn = await service.draw_jury(world.actors["municipality_admin"], round_id)
    revealed = await drawing.published(session, round_id)
    assert revealed is not None
    assert revealed.seed == drawn.seed
    assert hashlib.sha256(drawn.seed.encode()).hexdigest() == before.seed_hash
    assert drawing.verify(revealed).ok
    assert len(revealed.jurors) == 3
    assert str(late.person_id) not in drawn.jurors + drawn.reserves  # joined after the freeze


async def test_a_published_draw_that_was_tampered_with_does_not_verify(
    session: AsyncSession, world: World
) -> None:
    round_id, _pool = await frozen_round(session, world)
    await RoundService(session).draw_jury(world.actors["municipality_admin"], round_id)
    published = await drawing.published(session, round_id)
    assert published is not None
    async with transaction(session):  # someone swaps the published jury for other pool members
        others = [c.id for c in published.pool if c.id not in published.jurors]
        await session.execute(update(JuryDraw).where(JuryDraw.round_id == round_id).values(jurors=others[:3]))
    tampered = await drawing.published(session, round_id)
    assert tampered is not None
    assert not drawing.verify(tampered).draw_matches


def test_api_and_pages_show_the_hash_but_no_seed_before_the_draw_and_the_cli_checks_it(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def prepare() -> tuple[int, str]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            round_id, _pool = await frozen_round(session, world)
            stored = await session.get(JuryDraw, round_id)
            assert stored is not None
            assert stored.seed is None  # not even the database holds the seed before the draw
            seed = drawing.secret_seed(stored.seed_nonce)  # needs the audit key, which it does not hold
        await engine.dispose()
        return round_id, seed

    round_id, seed = asyncio.run(prepare())
    seen = [
        client.get(f"/api/v1/rounds/{round_id}"),
        client.get(f"/api/v1/rounds/{round_id}/draw"),
        client.get(f"/rondes/{round_id}"),
        client.get(f"/rondes/{round_id}/loting"),
    ]
    for response in seen:
        assert response.status_code == 200, response.text
        assert seed not in response.text
    assert seen[0].json()["draw_seed"] is None
    assert seen[1].json()["seed_hash"] == hashlib.sha256(seed.encode()).hexdigest()
    assert "Zichtbaar na de loting" in seen[3].text
    not_yet = CliRunner().invoke(main, ["jury", "verify-draw", str(round_id)], env=cli_env(settings))
    assert not_yet.exit_code == 2

    sign_in(client, inbox, world.emails["resident"])
    assert client.post(f"/api/v1/rounds/{round_id}/jury").status_code == 403
    sign_in(client, inbox, world.emails["municipality_admin"])
    drawn = client.post(f"/api/v1/rounds/{round_id}/jury")
    assert drawn.status_code == 201, drawn.text
    assert drawn.json()["seed"] == seed
    public = client.get(f"/api/v1/rounds/{round_id}/draw").json()
    assert (public["seed"], public["verified"]) == (seed, True)
    assert "Gecontroleerd" in client.get(f"/rondes/{round_id}/loting").text
    checked = CliRunner().invoke(main, ["jury", "verify-draw", str(round_id)], env=cli_env(settings))
    assert checked.exit_code == 0, checked.output

    async def tamper() -> None:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session, session.begin():
            await session.execute(
                update(JuryPoolMember)
                .where(JuryPoolMember.round_id == round_id)
                .values(attributes={"gender": "onbekend"})
            )
        await engine.dispose()

    asyncio.run(tamper())
    broken = CliRunner().invoke(main, ["jury", "verify-draw", str(round_id)], env=cli_env(settings))
    assert broken.exit_code == 1
    assert "draw matches: NO" in broken.output
