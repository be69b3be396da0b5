"""The rounds API: an administrator opens a round and draws the jury, jurors vote, the result is published."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.settings import Settings

NOW = datetime.now(UTC)


def prepare(settings: Settings, world: World) -> list[int]:
    async def run() -> list[int]:
        from test_jury_rounds import ready_initiatives

        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            ids = await ready_initiatives(session, world, 3)
        await engine.dispose()
        return ids

    return asyncio.run(run())


def round_body(ids: list[int]) -> dict[str, Any]:
    return {
        "name": "Najaarsronde",
        "mode": "jury",
        "amount_cents": 1_000_00,
        "initiative_ids": ids,
        "ballot_kind": "approval",
        "max_approvals": 2,
        "rule": "greedy",
        "voting_opens_at": (NOW - timedelta(hours=1)).isoformat(),
        "voting_closes_at": (NOW + timedelta(days=3)).isoformat(),
    }


def test_a_round_from_opening_to_published_result(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = prepare(settings, world)
    sign_in(client, inbox, world.emails["juror"])
    assert (
        client.put(
            f"/api/v1/neighbourhoods/{world.zuilen_id}/jury-volunteer", json={"attributes": {}}
        ).status_code
        == 403
    )
    sign_in(client, inbox, world.emails["resident"])  # a resident of Zuilen volunteers
    assert (
        client.put(
            f"/api/v1/neighbourhoods/{world.zuilen_id}/jury-volunteer",
            json={"attributes": {"gender": "vrouw"}},
        ).status_code
        == 204
    )

    sign_in(client, inbox, world.emails["municipality_admin"])
    opened = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=round_body(ids))
    assert opened.status_code == 201, opened.text
    round_ = opened.json()
    assert round_["state"] == "open"
    assert len(round_["seed"]) == 32
    assert client.get(f"/api/v1/pots/{world.pot_id}").json()["balance"]["reserved_cents"] == 1_000_00
    frozen = client.post(f"/api/v1/rounds/{round_['id']}/pool", json={"seats": 1})
    assert frozen.status_code == 201, frozen.text
    drawn = client.post(f"/api/v1/rounds/{round_['id']}/jury")
    assert drawn.status_code == 201, drawn.text
    assert drawn.json()["jurors"] == [str(world.actors["resident"].person_id)]

    sign_in(client, inbox, world.emails["resident"])
    # The resident owns the initiatives (the fixture's drafts), so is recused from them all.
    refused = client.put(f"/api/v1/rounds/{round_['id']}/ballot", json={"marks": {str(ids[0]): 1}})
    assert refused.status_code == 422
    assert refused.json()["code"] == "recused"
    assert client.put(f"/api/v1/rounds/{round_['id']}/ballot", json={"marks": {}}).status_code == 204

    sign_in(client, inbox, world.emails["advisor"])
    assert client.put(f"/api/v1/rounds/{round_['id']}/ballot", json={"marks": {}}).status_code == 403

    sign_in(client, inbox, world.emails["municipality_admin"])
    early = client.post(f"/api/v1/rounds/{round_['id']}/close")
    assert (early.status_code, early.json()["code"]) == (409, "conflict")  # open until its closing time
    closed = client.post(f"/api/v1/rounds/{round_['id']}/close", json={"reason": "De jury is klaar."})
    assert closed.status_code == 200, closed.text
    result = closed.json()["result"]
    assert result["ballots"] == 1
    assert set(result["explanations"]) == {str(i) for i in ids}
    assert client.post(f"/api/v1/rounds/{round_['id']}/close", json={"reason": "Nog eens"}).status_code == 409
    assert client.get(f"/api/v1/rounds/{round_['id']}").json()["state"] == "closed"
