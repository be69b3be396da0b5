"""The API of the fast track and of partial grants: a pot's fast track, a fast round, a grant's answer."""

import asyncio
from datetime import timedelta
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_rounds import NOW, prepare, round_body
from test_round_tracks_and_grants import partly_granted_round

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings


def partly_granted(settings: Settings, world: World) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            # Each offer uses € 1.000 of the pot: top it up so that every test can make as many as it needs.
            await PotService(session).fund(world.actors["municipality_admin"], world.pot_id, 1_000_00)
            _round_id, initiative_id = await partly_granted_round(session, world)
        await engine.dispose()
        return initiative_id

    return asyncio.run(run())


def test_a_fast_track_is_set_per_pot_and_limits_its_rounds(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = prepare(settings, world)  # € 500 each
    sign_in(client, inbox, world.emails["municipality_admin"])
    fast = {**round_body(ids), "track": "fast"}
    refused = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=fast)
    assert (refused.status_code, refused.json()["detail"]) == (409, "Deze pot heeft geen snelle route.")

    bad = client.put(f"/api/v1/pots/{world.pot_id}/fast-track", json={"threshold_cents": 0, "seats": 3})
    assert bad.status_code == 422  # the amount must be positive
    set_ = client.put(f"/api/v1/pots/{world.pot_id}/fast-track", json={"threshold_cents": 400_00, "seats": 3})
    assert set_.status_code == 200, set_.text
    assert set_.json()["fast_track"] == {"threshold_cents": 400_00, "seats": 3}

    too_big = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=fast)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "initiative_ids"
    client.put(f"/api/v1/pots/{world.pot_id}/fast-track", json={"threshold_cents": 500_00, "seats": 3})
    too_long = {**fast, "voting_closes_at": (NOW + timedelta(days=10)).isoformat()}
    assert client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=too_long).status_code == 422
    opened = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=fast)
    assert opened.status_code == 201, opened.text
    assert (opened.json()["track"], opened.json()["partial_grants"]) == ("fast", True)
    assert client.get(f"/api/v1/pots/{world.pot_id}").json()["balance"]["reserved_cents"] == 1_000_00


def test_initiators_answer_a_partial_grant_once(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    initiative_id = partly_granted(settings, world)
    grants = client.get(f"/api/v1/initiatives/{initiative_id}/grants").json()
    assert [(g["asked_cents"], g["granted_cents"], g["partial"], g["answer"]) for g in grants] == [
        (700_00, 400_00, True, None)
    ]

    sign_in(client, inbox, world.emails["other_resident"])
    stranger = client.put(f"/api/v1/initiatives/{initiative_id}/grant-answer", json={"accept": False})
    assert stranger.status_code == 403

    sign_in(client, inbox, world.emails["resident"])
    bare = client.post(f"/api/v1/initiatives/{initiative_id}/transitions", json={"action": "decline_grant"})
    assert bare.status_code == 409
    declined = client.put(f"/api/v1/initiatives/{initiative_id}/grant-answer", json={"accept": False})
    assert declined.status_code == 200, declined.text
    assert declined.json()["answer"] == "declined"
    again = client.put(f"/api/v1/initiatives/{initiative_id}/grant-answer", json={"accept": True})
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Er wacht geen gedeeltelijke toekenning op antwoord.",
    )
    pot = client.get(f"/api/v1/pots/{world.pot_id}").json()["balance"]
    assert (pot["granted_cents"], pot["reserved_cents"], pot["available_cents"]) == (600_00, 0, 10_400_00)
    assert client.get(f"/api/v1/initiatives/{initiative_id}").json()["state"] == "closed"


def test_answering_needs_a_signed_in_initiator_and_a_real_initiative(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    assert client.put("/api/v1/initiatives/1/grant-answer", json={"accept": True}).status_code == 401
    sign_in(client, inbox, world.emails["resident"])
    assert client.put("/api/v1/initiatives/999999/grant-answer", json={"accept": True}).status_code == 404
    assert client.put("/api/v1/initiatives/1/grant-answer", json={"accept": "misschien"}).status_code == 422


def test_only_the_initiators_answer_a_partial_grant_by_role(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    from test_api_roles import ROLES, status_by_role

    def answer(role: str) -> Any:
        initiative_id = partly_granted(settings, world)  # a fresh offer per role: answering ends it
        return client.put(f"/api/v1/initiatives/{initiative_id}/grant-answer", json={"accept": False})

    outcomes = status_by_role(client, inbox, world, answer)
    expected = {role: 401 if role == "anonymous" else 403 for role in ROLES} | {"resident": 200}
    assert outcomes == expected
