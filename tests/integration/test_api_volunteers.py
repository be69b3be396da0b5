"""The volunteers API: register, suggestions, offer, answer, contacts only after both agree, mails, errors."""

from datetime import datetime, timedelta
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from test_volunteers_service import open_initiative

from buurtbudget.workdays import AMSTERDAM

PROFILE = {
    "skills": ["koken"],
    "themes": ["eten"],
    "weekly": [{"weekday": 1, "start": "19:00", "end": "21:00"}],
}


def register(client: TestClient[Any], world: World, **changes: object) -> Any:
    body = {"neighbourhood_id": world.ondiep_id, **PROFILE, "consent": True, **changes}
    return client.put("/api/v1/volunteers/me", json=body)


async def test_offer_answer_and_contacts_after_both_agree(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    initiative_id = await open_initiative(session, world)
    sign_in(client, inbox, "vera@example.org")
    response = register(client, world)
    assert response.status_code == 200, response.text
    assert response.json()["skills"] == [{"code": "koken", "label": "koken"}]
    [suggestion] = client.get("/api/v1/volunteers/me/suggestions").json()
    assert suggestion["initiative_id"] == initiative_id
    assert "kan: koken (gevraagd: kookles)" in [r["text"] for r in suggestion["reasons"]]
    offer = client.post("/api/v1/volunteers/me/offers", json={"initiative_id": initiative_id})
    assert offer.status_code == 201, offer.text
    match_id = offer.json()["id"]
    assert "vera" not in inbox.last_to(world.emails["resident"]).get_content()  # told, without the name
    twice = client.post("/api/v1/volunteers/me/offers", json={"initiative_id": initiative_id})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_matched")

    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    [pending] = client.get(f"/api/v1/initiatives/{initiative_id}/volunteer-matches").json()
    assert pending["volunteer_contact"] is None
    assert pending["initiative_contacts"] == []
    assert "vera" not in str(pending).lower()
    assert set(pending["volunteer"]) == {
        "profile_id",
        "pseudonym",
        "skills",
        "themes",
        "weekly",
        "dated",
        "neighbourhood",
    }
    accepted = client.post(f"/api/v1/volunteer-matches/{match_id}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "agreed"
    assert accepted.json()["volunteer_contact"]["email"] == "vera@example.org"
    assert world.emails["resident"] in inbox.last_to("vera@example.org").get_content()
    assert "vera@example.org" in inbox.last_to(world.emails["resident"]).get_content()

    client.cookies.clear()
    sign_in(client, inbox, "vera@example.org")
    [mine] = client.get("/api/v1/volunteers/me/matches").json()
    assert [c["email"] for c in mine["initiative_contacts"]] == [world.emails["resident"]]


async def test_bad_input_gets_specific_errors_in_dutch_and_stores_nothing(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, "vera@example.org")
    past = (datetime.now(AMSTERDAM).date() - timedelta(days=1)).isoformat()
    cases = [
        (
            {"skills": ["raketbouw"]},
            "unknown_skill",
            "De vaardigheid 'raketbouw' kennen we niet. Kies er een uit de lijst.",
        ),
        ({"skills": []}, "invalid_query", "Kies minstens één vaardigheid."),
        ({"weekly": [{"weekday": 2, "start": "21:00", "end": "20:00"}]}, "invalid_availability", None),
        ({"weekly": [{"weekday": 2, "start": "25:00", "end": "26:00"}]}, "invalid_availability", None),
        ({"dated": [{"day": past, "start": "10:00", "end": "12:00"}]}, "invalid_availability", None),
    ]
    for changes, code, detail in cases:
        response = register(client, world, **changes)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code
        if detail:
            assert response.json()["detail"] == detail
    english = client.put(
        "/api/v1/volunteers/me",
        json={"neighbourhood_id": world.ondiep_id, "skills": ["raketbouw"], "consent": True},
        headers={"accept-language": "en"},
    )
    assert english.json()["detail"] == "We do not know the skill 'raketbouw': choose one from the list."
    assert client.get("/api/v1/volunteers/me").status_code == 404
    assert client.get("/api/v1/volunteers/me/suggestions?limit=0").status_code in {400, 422}
    search = client.get(f"/api/v1/volunteers/search?neighbourhood_id={world.zuilen_id}&skill=koken")
    assert search.status_code == 403
    assert client.post("/api/v1/volunteer-matches/99999/accept").status_code == 404


async def test_brokers_see_their_caseload_and_search_without_names(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    initiative_id = await open_initiative(session, world)
    sign_in(client, inbox, "vera@example.org")
    assert register(client, world).status_code == 200
    assert client.delete("/api/v1/volunteers/me").status_code == 204
    assert register(client, world).status_code == 200
    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    [item] = client.get("/api/v1/volunteers/caseload").json()
    assert item["initiative_id"] == initiative_id
    assert len(item["suggestions"]) == 1
    found = client.get(f"/api/v1/volunteers/search?neighbourhood_id={world.zuilen_id}&skill=kok").json()
    assert found[0]["volunteer"]["skills"] == ["koken"]
    empty = client.get(f"/api/v1/volunteers/search?neighbourhood_id={world.zuilen_id}&skill=%20")
    assert (empty.status_code, empty.json()["code"]) == (422, "invalid_query")
