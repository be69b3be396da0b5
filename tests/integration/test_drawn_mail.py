"""Residents drawn for a jury hear it by e-mail: their seat, when voting is open, and the jury's page."""

import asyncio
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from test_decision_mail import bodies_to
from test_jury_rounds import plan, ready_initiatives, residents

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings


def round_with_volunteers(settings: Settings, world: World) -> tuple[int, dict[int, str]]:
    """A jury round in Zuilen and five residents who volunteered; returns the round and their addresses."""

    async def run() -> tuple[int, dict[int, str]]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            ids = await ready_initiatives(session, world, 2)
            service = RoundService(session)
            volunteers = await residents(session, world, 5)
            for actor in volunteers:
                await service.volunteer(actor, world.zuilen_id, {})
            round_ = await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))
            who = [actor.person_id for actor in volunteers]
            found = await session.execute(select(Person.id, Person.email).where(Person.id.in_(who)))
            addresses = dict(found.tuples().all())
        await engine.dispose()
        return round_.id, addresses

    return asyncio.run(run())


def test_drawn_jurors_and_reserves_are_told_their_seat_and_where_to_go(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, addresses = round_with_volunteers(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    inbox.messages.clear()
    assert client.post(f"/api/v1/rounds/{round_id}/pool", json={"seats": 2, "reserves": 1}).status_code == 201
    drawn = client.post(f"/api/v1/rounds/{round_id}/jury")
    assert drawn.status_code == 201, drawn.text
    jurors, reserves = drawn.json()["jurors"], drawn.json()["reserves"]
    link = f"http://127.0.0.1:8000/rondes/{round_id}/jury"
    for juror in jurors:
        [(subject, body)] = bodies_to(inbox, addresses[int(juror)]).items()
        assert subject == "Je bent geloot voor de jury van 'Voorjaarsronde'"
        assert body.startswith("Je bent door loting gekozen voor de jury van 'Voorjaarsronde' in Zuilen.")
        assert "Stemmen kan van " in body
        assert body.endswith(f"belangenconflict en stem je: {link}")
    [(subject, body)] = bodies_to(inbox, addresses[int(reserves[0])]).items()
    assert subject == "Je bent reserve voor de jury van 'Voorjaarsronde'"
    assert "komt er een plaats vrij, dan is die voor jou" in body
    assert body.endswith(link)
    assert len(inbox.messages) == 3  # the two volunteers who were not drawn get nothing
