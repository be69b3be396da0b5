"""The JSON API of similar initiatives: ranked with reasons, suggestions, consent, contact, bad input."""

from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from test_similar_service import GRANT_CENTS, seed_similar

from buurtbudget.audit.models import AuditEntry
from buurtbudget.initiatives.models import Initiator


async def test_similar_initiatives_of_one_come_ranked_with_reasons_in_the_visitors_language(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    response = client.get(f"/api/v1/initiatives/{ids['kook_ondiep']}/similar")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    first = items[0]
    assert first["id"] == ids["kook_zuilen"]
    assert (first["granted_cents"], first["contact_possible"], first["place"]) == (
        GRANT_CENTS,
        True,
        "Zuilen",
    )
    assert first["reasons"][0]["code"] == "similar_title"
    assert first["reasons"][0]["text"].startswith(
        "vergelijkbare titel: 'Kooklessen voor kinderen' in Zuilen, toegekend"
    )
    assert "email" not in str(first).lower()
    assert ids["kook_ondiep"] not in [i["id"] for i in items]
    english = client.get(
        f"/api/v1/initiatives/{ids['kook_ondiep']}/similar", headers={"accept-language": "en"}
    )
    assert english.json()["items"][0]["reasons"][0]["text"].startswith("similar title:")


async def test_suggestions_warn_about_a_likely_duplicate_and_show_examples_elsewhere(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    response = client.get(
        "/api/v1/similar-initiatives",
        params={"title": "Kookles voor kinderen", "neighbourhood_id": world.zuilen_id},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [d["id"] for d in body["likely_duplicates"]] == [ids["kook_zuilen"]]
    assert body["likely_duplicates"][0]["likely_duplicate"] is True
    assert ids["kook_ondiep"] in [e["id"] for e in body["elsewhere"]]
    assert ids["draft_lunetten"] not in [e["id"] for e in body["elsewhere"]]


def test_a_draft_is_not_found_for_others(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, world.emails["resident"])
    created = client.post(
        "/api/v1/initiatives", json={"neighbourhood_id": world.zuilen_id, "title": "Geheim plan"}
    )
    draft = created.json()["id"]
    assert client.get(f"/api/v1/initiatives/{draft}/similar").status_code == 200
    client.cookies.clear()
    assert client.get(f"/api/v1/initiatives/{draft}/similar").status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "title", "empty_similar_query"),
        ({"title": ""}, "title", "empty_similar_query"),
        ({"title": "de het een"}, "title", "empty_similar_query"),
        ({"title": "?!;:…"}, "title", "empty_similar_query"),
        ({"title": "kook " * 40}, "title", "absurd_similar_query"),
        ({"title": "x" * 2001}, "title", "validation_failed"),
        ({"title": "moestuin", "neighbourhood_id": 999_999}, "neighbourhood_id", "invalid_input"),
        ({"title": "moestuin", "k": 0}, "k", "validation_failed"),
        ({"title": "moestuin", "k": 21}, "k", "validation_failed"),
    ],
)
def test_empty_or_absurd_queries_are_a_422_naming_the_field(
    client: TestClient[Any], world: World, params: dict[str, Any], field: str, code: str
) -> None:
    response = client.get("/api/v1/similar-initiatives", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == [field]


async def test_an_initiator_gives_consent_and_then_can_be_contacted_without_showing_their_address(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    target = ids["moestuin_bovenveen"]  # owned by other_resident, no consent yet
    sign_in(client, inbox, world.emails["resident"])
    refused = client.post(f"/api/v1/initiatives/{target}/contact-requests", json={"message": "Hoe ging het?"})
    assert (refused.status_code, refused.json()["code"]) == (403, "no_contact_consent")
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])
    given = client.put(f"/api/v1/initiatives/{target}/contact-consent", json={"consent": True})
    assert given.json() == {"initiative_id": target, "consent": True}
    found = client.get("/api/v1/similar-initiatives", params={"title": "moestuin"}).json()["elsewhere"]
    assert [f["contact_possible"] for f in found if f["id"] == target] == [True]
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    inbox.messages.clear()
    sent = client.post(
        f"/api/v1/initiatives/{target}/contact-requests", json={"message": "Hoe kwamen jullie aan de grond?"}
    )
    assert sent.status_code == 202, sent.text
    assert sent.json() == {"sent_to": 1}
    mail = inbox.last_to(world.emails["other_resident"])
    assert mail["Reply-To"] == world.emails["resident"]
    assert "Hoe kwamen jullie aan de grond?" in mail.get_content()


@pytest.mark.parametrize(
    ("body", "status"),
    [({"message": "kort"}, 422), ({"message": 12}, 422), ({}, 422), ({"message": "x" * 10_001}, 422)],
)
async def test_a_bad_contact_request_sends_and_records_nothing(
    client: TestClient[Any],
    inbox: Inbox,
    session: AsyncSession,
    world: World,
    body: dict[str, Any],
    status: int,
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["other_resident"])
    inbox.messages.clear()
    response = client.post(f"/api/v1/initiatives/{ids['kook_zuilen']}/contact-requests", json=body)
    assert response.status_code == status, response.text
    assert inbox.messages == []
    recorded = await session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "similar.contact_sent")
    )
    assert recorded == 0


async def test_consent_needs_a_boolean_and_an_initiator(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["other_resident"])
    assert (
        client.put(
            f"/api/v1/initiatives/{ids['kook_zuilen']}/contact-consent", json={"consent": True}
        ).status_code
        == 403
    )
    bad = client.put(f"/api/v1/initiatives/{ids['kook_ondiep']}/contact-consent", json={"consent": "ja"})
    assert bad.status_code == 422
    consents = (
        await session.scalars(
            select(Initiator.contact_consent).where(Initiator.initiative_id == ids["kook_ondiep"])
        )
    ).all()
    assert consents == [False]
