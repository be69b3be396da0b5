"""The initiative page leads its initiators and brokers to fitting volunteers and spaces, and no one else."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import DraftContent, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.settings import Settings


def needing_help(settings: Settings, world: World) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            [initiative_id] = await new_initiatives(session, world, 1)
            start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
            service = InitiativeService(session)
            await service.update_draft(
                world.actors["resident"],
                initiative_id,
                DraftContent(
                    volunteer_needs=[VolunteerNeedInput("koken", 4)],
                    space_needs=[SpaceNeedInput("Een zaal", 20, start, start + timedelta(hours=2))],
                ),
            )
            await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
        await engine.dispose()
        return initiative_id

    return asyncio.run(run())


def test_initiators_and_brokers_are_led_to_volunteers_and_spaces(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    initiative_id = needing_help(settings, world)
    links = (f"/initiatieven/{initiative_id}/vrijwilligers", f"/initiatieven/{initiative_id}/ruimtes")
    for who, sees in (("resident", True), ("broker", True), ("other_resident", False), (None, False)):
        client.cookies.clear()
        if who:
            sign_in(client, inbox, world.emails[who])
        text = client.get(f"/initiatieven/{initiative_id}").text
        assert all((f'href="{link}"' in text) is sees for link in links), who
