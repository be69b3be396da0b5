"""Every people-administration endpoint and page and every role: Utrecht's people are managed by
Utrecht's administrators and the platform's only; anonymous visitors get 401 (API) or are sent to sign in."""

import asyncio
import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World
from litestar.testing import TestClient
from test_api_roles import status_by_role

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.people.roles import Role
from buurtbudget.people.staffing import PeopleAdminService
from buurtbudget.settings import Settings

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]
ADMINS = {"municipality_admin", "platform_admin"}
ANY_ADMINISTRATOR = {*ADMINS, "other_municipality_admin"}
MANAGERS = {*ANY_ADMINISTRATOR, "broker", "other_broker"}  # /beheer: a broker's own workspace


def csrf(client: TestClient[Any]) -> str:
    """A CSRF token for this browser (any page with a form has one; the sign-in page is open to all)."""
    found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/inloggen").text)
    assert found
    return found.group(1)


def people_path(w: World) -> str:
    return f"/beheer/gemeenten/{w.municipality_id}/mensen"


def roles_path(w: World, ids: dict[str, int]) -> str:
    return f"/beheer/gemeenten/{w.municipality_id}/rollen/{ids['assignment']}/intrekken"


def page_post(c: TestClient[Any], path: str, **fields: str) -> Any:
    return c.post(path, data={"_csrf_token": csrf(c), **fields}, follow_redirects=False)


# (name, request, roles allowed, is a page); everyone else gets 401 or a sign-in redirect (anonymous),
# 403 or 404 (signed in).
ENDPOINTS: list[tuple[str, Request, set[str], bool]] = [
    (
        "GET municipality people",
        lambda c, w, ids: c.get(f"/api/v1/municipalities/{w.municipality_id}/people"),
        ADMINS,
        False,
    ),
    (
        "GET role assignments",
        lambda c, w, ids: c.get(f"/api/v1/people/{ids['person']}/role-assignments"),
        ADMINS,
        False,
    ),
    (
        "POST role assignment",
        lambda c, w, ids: c.post(
            "/api/v1/role-assignments",
            json={
                "email": f"{uuid4().hex[:8]}@example.org",
                "role": "advisor",
                "neighbourhood_id": w.zuilen_id,
            },
        ),
        ADMINS,
        False,
    ),
    (
        "POST revoke",
        lambda c, w, ids: c.post(
            f"/api/v1/role-assignments/{ids['assignment']}/revoke", json={"reason": "Klaar"}
        ),
        ADMINS,
        False,
    ),
    ("GET /beheer", lambda c, w, ids: c.get("/beheer", follow_redirects=False), MANAGERS, True),
    ("GET people page", lambda c, w, ids: c.get(people_path(w), follow_redirects=False), ADMINS, True),
    (
        "GET person page",
        lambda c, w, ids: c.get(f"{people_path(w)}/{ids['person']}", follow_redirects=False),
        ADMINS,
        True,
    ),
    (
        "POST new sign-in link",
        lambda c, w, ids: page_post(c, f"{people_path(w)}/{ids['person']}/uitnodigen"),
        ADMINS,
        True,
    ),
    (
        "GET assign page",
        lambda c, w, ids: c.get(f"{people_path(w)}/toevoegen", follow_redirects=False),
        ADMINS,
        True,
    ),
    (
        "POST assign page",
        lambda c, w, ids: page_post(
            c,
            f"{people_path(w)}/toevoegen",
            email=f"{uuid4().hex[:8]}@example.org",
            rol="broker",
            buurt=str(w.ondiep_id),
        ),
        ADMINS,
        True,
    ),
    ("GET revoke page", lambda c, w, ids: c.get(roles_path(w, ids), follow_redirects=False), ADMINS, True),
    (
        "POST revoke page",
        lambda c, w, ids: page_post(c, roles_path(w, ids), reden="Klaar", bevestigd="ja"),
        ADMINS,
        True,
    ),
]


def prepare(settings: Settings, world: World) -> dict[str, int]:
    """A fresh advisor in Zuilen (their role is the one revoked)."""

    async def run() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            assignment = await PeopleAdminService(session).assign(
                world.actors["platform_admin"],
                email=f"adviseur-{uuid4().hex[:8]}@example.org",
                role=Role.ADVISOR,
                neighbourhood_id=world.zuilen_id,
                locale="nl",
            )
            found = {"assignment": assignment.id, "person": assignment.person_id}
        await engine.dispose()
        return found

    return asyncio.run(run())


@pytest.mark.parametrize(("name", "request_", "allowed", "is_page"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    request_: Request,
    allowed: set[str],
    is_page: bool,
) -> None:
    responses: dict[str, Any] = {}

    def ask(role: str) -> Any:
        responses[role] = request_(client, world, prepare(settings, world))
        return responses[role]

    outcomes = status_by_role(client, inbox, world, ask)
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 300 or (is_page and status == 303), f"{name} as {role}: {status}"
            if status == 303:
                assert not responses[role].headers["location"].startswith("/inloggen"), name
        elif role == "anonymous":
            if is_page:
                assert status == 303, f"{name} as {role}: {status}"
                assert responses[role].headers["location"].startswith("/inloggen"), name
            else:
                assert status == 401, f"{name} as {role}: {status}"
        else:
            assert status in {403, 404}, f"{name} as {role}: {status}"
