"""Every volunteers endpoint and every role: allowed, 401 for anonymous visitors, 403/404 for the others."""

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Inbox, World
from litestar.testing import TestClient
from test_api_roles import EVERYONE, SIGNED_IN, status_by_role
from test_volunteers_service import open_initiative, profile

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.people import service as people
from buurtbudget.settings import Settings
from buurtbudget.volunteers.errors import NoProfile
from buurtbudget.volunteers.service import VolunteerService

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]
ZUILEN_SUPPORTERS = {"broker", "municipality_admin", "platform_admin"}
OWNER_AND_SUPPORTERS = {"resident", *ZUILEN_SUPPORTERS}
CASELOAD = {"broker", "other_broker", "municipality_admin", "other_municipality_admin", "platform_admin"}
# Each role registers its own profile before these (see prepare): so every signed-in role is a volunteer.
VOLUNTEERS = SIGNED_IN


def profile_body(w: World) -> dict[str, object]:
    return {"neighbourhood_id": w.ondiep_id, "skills": ["koken"], "consent": True}


ENDPOINTS: list[tuple[str, Request, set[str]]] = [
    ("GET catalogue", lambda c, w, ids: c.get("/api/v1/volunteers/catalogue"), EVERYONE),
    ("GET my profile", lambda c, w, ids: c.get("/api/v1/volunteers/me"), VOLUNTEERS),
    ("PUT my profile", lambda c, w, ids: c.put("/api/v1/volunteers/me", json=profile_body(w)), SIGNED_IN),
    ("DELETE my profile", lambda c, w, ids: c.delete("/api/v1/volunteers/me"), VOLUNTEERS),
    ("GET my suggestions", lambda c, w, ids: c.get("/api/v1/volunteers/me/suggestions"), VOLUNTEERS),
    ("GET my matches", lambda c, w, ids: c.get("/api/v1/volunteers/me/matches"), VOLUNTEERS),
    (
        "POST offer",
        lambda c, w, ids: c.post("/api/v1/volunteers/me/offers", json={"initiative_id": ids["initiative"]}),
        VOLUNTEERS - {"resident", "juror"},  # the resident owns it; the juror already offered (409)
    ),
    (
        "GET search",
        lambda c, w, ids: c.get(f"/api/v1/volunteers/search?neighbourhood_id={w.zuilen_id}&skill=koken"),
        ZUILEN_SUPPORTERS,
    ),
    ("GET caseload", lambda c, w, ids: c.get("/api/v1/volunteers/caseload"), CASELOAD),
    (
        "GET volunteer suggestions",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['initiative']}/volunteer-suggestions"),
        OWNER_AND_SUPPORTERS,
    ),
    (
        "GET initiative matches",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['initiative']}/volunteer-matches"),
        OWNER_AND_SUPPORTERS,
    ),
    (
        "POST invitation",
        lambda c, w, ids: c.post(
            f"/api/v1/initiatives/{ids['initiative']}/volunteer-invitations",
            json={"profile_id": ids["profile"]},
        ),
        {"resident"},
    ),
    (
        "GET match",
        lambda c, w, ids: c.get(f"/api/v1/volunteer-matches/{ids['match']}"),
        {"resident", "juror", *ZUILEN_SUPPORTERS},  # the two sides (juror volunteers) and the broker
    ),
    (
        "POST accept",
        lambda c, w, ids: c.post(f"/api/v1/volunteer-matches/{ids['match']}/accept"),
        {"resident"},
    ),
    (
        "POST decline",
        lambda c, w, ids: c.post(f"/api/v1/volunteer-matches/{ids['match']}/decline"),
        {"resident", "juror"},
    ),
]


def prepare(settings: Settings, world: World, role: str) -> dict[str, int]:
    """A fresh open initiative, a volunteer (another person) who offered on it, and the role's own profile."""

    async def run() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            initiative = await open_initiative(session, world)
            service = VolunteerService(session)
            juror = world.actors["juror"]
            with contextlib.suppress(NoProfile):  # the profile of an earlier role's round is replaced
                await service.delete_profile(juror)
            await service.save_profile(juror, profile(world))
            match = await service.offer(juror, initiative)
            other = await people.get_or_create(session, "helper@example.org", actor_id=None)
            await session.commit()
            helper = await service.save_profile(people.actor_for(other), profile(world))
            if role not in {"anonymous", "juror"}:
                actor = world.actors[role]
                await service.save_profile(actor, profile(world))
            result = {"initiative": initiative, "match": match.id, "profile": helper.id}
        await engine.dispose()
        return result

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
        client, inbox, world, lambda role: request_(client, world, prepare(settings, world, role))
    )
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 300, f"{name} as {role}: {status}"
        elif role == "anonymous":
            assert status == 401, f"{name} as {role}: {status}"
        else:
            assert status in {403, 404, 409}, f"{name} as {role}: {status}"
