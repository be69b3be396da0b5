"""Every similar-initiatives endpoint and every role: allowed, 401 or sign-in when anonymous, else 403/404."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Inbox, World, new_initiatives
from litestar.testing import TestClient
from test_api_roles import EVERYONE, SIGNED_IN, SUPPORTERS, status_by_role

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.settings import Settings
from buurtbudget.similar.service import SimilarService

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]

# (name, request, roles allowed, what an anonymous visitor gets when not allowed)
ENDPOINTS: list[tuple[str, Request, set[str], int]] = [
    (
        "GET similar of a public initiative",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['submitted']}/similar"),
        EVERYONE,
        0,
    ),
    (
        "GET similar of a draft",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['draft']}/similar"),
        {"resident", *SUPPORTERS},
        404,
    ),
    (
        "GET suggestions",
        lambda c, w, ids: c.get(
            "/api/v1/similar-initiatives", params={"title": "Initiatief", "neighbourhood_id": w.zuilen_id}
        ),
        EVERYONE,
        0,
    ),
    (
        "PUT contact consent",
        lambda c, w, ids: c.put(
            f"/api/v1/initiatives/{ids['submitted']}/contact-consent", json={"consent": True}
        ),
        {"resident"},
        401,
    ),
    (
        "POST contact request",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['open']}/contact-requests",
            json={"message": "Hoe hebben jullie dat gedaan?"},
        ),
        SIGNED_IN - {"other_resident"},  # the initiator does not contact themselves
        401,
    ),
    (
        "GET suggestions page",
        lambda c, w, ids: c.get("/initiatieven/vergelijkbaar", params={"title": "Initiatief"}),
        EVERYONE,
        0,
    ),
    (
        "GET contact page",
        lambda c, w, ids: c.get(f"/initiatieven/{ids['open']}/contact", follow_redirects=False),
        SIGNED_IN - {"other_resident"},
        303,
    ),
]


def prepare(settings: Settings, world: World) -> dict[str, int]:
    async def run() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            draft, submitted = await new_initiatives(session, world, 2)
            service = InitiativeService(session)
            await service.act(world.actors["resident"], submitted, Action.SUBMIT)
            other = world.actors["other_resident"]
            open_to_contact = await service.create_draft(
                other,
                world.lunetten_id,
                DraftContent(
                    title="Initiatief in Lunetten",
                    summary="Een plan.",
                    cost_lines=[CostLineInput("Iets", 100)],
                ),
            )
            await service.act(other, open_to_contact.id, Action.SUBMIT)
            await SimilarService(session).set_consent(other, open_to_contact.id, True)
        await engine.dispose()
        return {"draft": draft, "submitted": submitted, "open": open_to_contact.id}

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("name", "request_", "allowed", "anonymous"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_similar_endpoint_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    request_: Request,
    allowed: set[str],
    anonymous: int,
) -> None:
    # Fresh data for each role: one role's step must not change the next role's case.
    outcomes = status_by_role(
        client, inbox, world, lambda role: request_(client, world, prepare(settings, world))
    )
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 300, f"{name} as {role}: {status}"
        elif role == "anonymous":
            assert status == anonymous, f"{name} as {role}: {status}"
        else:
            assert status in {403, 404}, f"{name} as {role}: {status}"
