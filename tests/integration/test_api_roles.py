"""Every endpoint and every role: allowed, 401 for anonymous visitors, 403 for people without the role."""

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World, new_initiatives, sign_in
from httpx import Response
from litestar.testing import TestClient

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.settings import Settings

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "broker",
    "other_broker",
    "juror",
    "advisor",
    "municipality_admin",
    "other_municipality_admin",
    "platform_admin",
]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMINS = {"municipality_admin", "platform_admin"}
SUPPORTERS = {"broker", *ADMINS}

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]

# (name, request, roles allowed); everyone else gets 401 (anonymous) or 403/404 (signed in).
ENDPOINTS: list[tuple[str, Request, set[str]]] = [
    ("GET neighbourhoods", lambda c, w, ids: c.get("/api/v1/neighbourhoods"), EVERYONE),
    ("GET neighbourhood", lambda c, w, ids: c.get(f"/api/v1/neighbourhoods/{w.zuilen_id}"), EVERYONE),
    ("GET pots", lambda c, w, ids: c.get("/api/v1/pots"), EVERYONE),
    ("GET pot", lambda c, w, ids: c.get(f"/api/v1/pots/{w.pot_id}"), EVERYONE),
    (
        "POST pot",
        lambda c, w, ids: c.post(
            "/api/v1/pots",
            json={
                "neighbourhood_id": w.ondiep_id,
                "name": f"Extra {uuid4().hex[:8]}",
                "period_start": "2026-01-01",
                "period_end": "2026-06-30",
            },
        ),
        ADMINS,
    ),
    (
        "POST funding",
        lambda c, w, ids: c.post(f"/api/v1/pots/{w.pot_id}/fundings", json={"amount_cents": 100}),
        ADMINS,
    ),
    (
        "POST theme budget",
        lambda c, w, ids: c.post(
            f"/api/v1/pots/{w.pot_id}/theme-budgets", json={"theme": "groen", "amount_cents": 100}
        ),
        ADMINS,
    ),
    (
        "PUT fast track",
        lambda c, w, ids: c.put(f"/api/v1/pots/{w.pot_id}/fast-track", json={"threshold_cents": 500_00}),
        ADMINS,
    ),
    ("GET grants", lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['submitted']}/grants"), EVERYONE),
    ("GET initiatives", lambda c, w, ids: c.get("/api/v1/initiatives"), EVERYONE),
    ("GET public initiative", lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['submitted']}"), EVERYONE),
    # A draft is private: to anyone else, signed in or not, it does not exist.
    ("GET draft", lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['draft']}"), {"resident", *SUPPORTERS}),
    (
        "POST initiative",
        lambda c, w, ids: c.post(
            "/api/v1/initiatives", json={"neighbourhood_id": w.ondiep_id, "title": "Nieuw plan"}
        ),
        SIGNED_IN,
    ),
    (
        "PATCH draft",
        lambda c, w, ids: c.patch(f"/api/v1/initiatives/{ids['draft']}", json={"title": "Anders"}),
        {"resident", *SUPPORTERS},
    ),
    (
        "POST co-initiator",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['draft']}/co-initiators", json={"email": "buur@example.org"}
        ),
        {"resident", *SUPPORTERS},
    ),
    (
        "POST submit",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['draft']}/transitions", json={"action": "submit"}
        ),
        {"resident"},
    ),
    (
        "POST start review",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['submitted']}/transitions", json={"action": "start_review"}
        ),
        SUPPORTERS,
    ),
    (
        "POST withdraw",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['submitted']}/transitions", json={"action": "withdraw"}
        ),
        {"resident"},
    ),
    ("GET me", lambda c, w, ids: c.get("/api/v1/people/me"), SIGNED_IN),
    (
        "GET my overdue caseload",
        lambda c, w, ids: c.get("/api/v1/people/me/overdue"),
        {"broker", "other_broker"},
    ),
    ("DELETE session", lambda c, w, ids: c.delete("/api/v1/auth/session"), SIGNED_IN),
]


def status_by_role(
    client: TestClient[Any], inbox: Inbox, world: World, ask: Callable[[str], Response]
) -> dict[str, int]:
    """The status of `ask(role)` for each role, signed in as that role (anonymous: signed out)."""
    outcomes = {}
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, inbox, world.emails[role])
        outcomes[role] = ask(role).status_code
    return outcomes


def prepare(settings: Settings, world: World) -> dict[str, int]:
    async def run() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            draft, submitted = await new_initiatives(session, world, 2)
            from buurtbudget.initiatives.lifecycle import Action
            from buurtbudget.initiatives.service import InitiativeService

            await InitiativeService(session).act(world.actors["resident"], submitted, Action.SUBMIT)
        await engine.dispose()
        return {"draft": draft, "submitted": submitted}

    return asyncio.run(run())


@pytest.mark.parametrize(("name", "request_", "allowed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    request_: Request,
    allowed: set[str],
) -> None:
    # Fresh data for each role: one role's step must not change the next role's case.
    outcomes = status_by_role(
        client, inbox, world, lambda role: request_(client, world, prepare(settings, world))
    )
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 300, f"{name} as {role}: {status}"
        elif role == "anonymous":
            assert status == (404 if name == "GET draft" else 401), f"{name} as {role}: {status}"
        else:  # a draft of someone else is reported as missing, so its existence does not leak
            assert status in {403, 404}, f"{name} as {role}: {status}"
