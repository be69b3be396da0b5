"""Every spaces endpoint and every role: allowed, 401 for anonymous visitors, 403/404 for the others."""

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World, new_initiatives
from litestar.testing import TestClient
from test_api_roles import EVERYONE, SIGNED_IN, SUPPORTERS, status_by_role
from test_spaces_service import TUESDAY, at, evening, space_input

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import DraftContent, SpaceNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.settings import Settings
from buurtbudget.spaces.bookings import BookingService
from buurtbudget.spaces.service import SpaceService

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]
BOOKER = {"resident", *SUPPORTERS}  # the booker, and the broker and admins of the space's neighbourhood


def new_booking(c: TestClient[Any], ids: dict[str, int]) -> Any:
    body = {
        "starts_at": at(TUESDAY, 10).isoformat(),
        "ends_at": at(TUESDAY, 12).isoformat(),
        "people": 5,
        "title": f"Overleg {uuid4().hex[:6]}",
    }
    return c.post(f"/api/v1/spaces/{ids['space']}/bookings", json=body)


ENDPOINTS: list[tuple[str, Request, set[str]]] = [
    ("GET spaces", lambda c, w, ids: c.get("/api/v1/spaces"), EVERYONE),
    ("GET space", lambda c, w, ids: c.get(f"/api/v1/spaces/{ids['space']}"), EVERYONE),
    ("GET space agenda", lambda c, w, ids: c.get(f"/api/v1/spaces/{ids['space']}/agenda"), EVERYONE),
    ("GET space calendar", lambda c, w, ids: c.get(f"/api/v1/spaces/{ids['space']}/calendar.ics"), EVERYONE),
    ("GET facilities", lambda c, w, ids: c.get("/api/v1/space-facilities"), EVERYONE),
    (
        "POST space",
        lambda c, w, ids: c.post(
            "/api/v1/spaces",
            json={"name": f"Zaal {uuid4().hex[:6]}", "neighbourhood_id": w.ondiep_id, "capacity": 9},
        ),
        SIGNED_IN,
    ),
    (
        "PATCH space",
        lambda c, w, ids: c.patch(f"/api/v1/spaces/{ids['space']}", json={"capacity": 30}),
        SUPPORTERS,  # and its owner, who has none of the world's roles
    ),
    ("POST booking", lambda c, w, ids: new_booking(c, ids), SIGNED_IN),
    ("GET my bookings", lambda c, w, ids: c.get("/api/v1/bookings"), SIGNED_IN),
    ("GET booking", lambda c, w, ids: c.get(f"/api/v1/bookings/{ids['booking']}"), BOOKER),
    (
        "GET booking calendar",
        lambda c, w, ids: c.get(f"/api/v1/bookings/{ids['booking']}/calendar.ics"),
        BOOKER,
    ),
    (
        "POST cancellation",
        lambda c, w, ids: c.post(f"/api/v1/bookings/{ids['booking']}/cancellation"),
        BOOKER,
    ),
    (
        "GET matches of a public initiative",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['submitted']}/space-matches"),
        EVERYONE,
    ),
    (
        "GET matches of a draft",
        lambda c, w, ids: c.get(f"/api/v1/initiatives/{ids['draft']}/space-matches"),
        BOOKER,
    ),
]


def prepare(settings: Settings, world: World) -> dict[str, int]:
    """A space whose owner has no world role, a booking by the resident, two initiatives needing a room."""

    async def run() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            space = await SpaceService(session).register(
                world.actors["broker"],
                space_input(world),
                owner_email=f"eigenaar-{uuid4().hex[:6]}@example.org",
            )
            booking = await BookingService(session).book(world.actors["resident"], space.id, evening())
            draft, submitted = await new_initiatives(session, world, 2)
            need = [SpaceNeedInput("Zaal", 20, at(TUESDAY, 19), at(TUESDAY, 21))]
            service = InitiativeService(session)
            for initiative_id in (draft, submitted):
                await service.update_draft(
                    world.actors["resident"], initiative_id, DraftContent(space_needs=need)
                )
            await service.act(world.actors["resident"], submitted, Action.SUBMIT)
        await engine.dispose()
        return {"space": space.id, "booking": booking.id, "draft": draft, "submitted": submitted}

    return asyncio.run(run())


@pytest.mark.parametrize(("name", "request_", "allowed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_spaces_endpoint_by_role(
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
            assert status == (404 if name == "GET matches of a draft" else 401), f"{name} as {role}: {status}"
        else:  # a booking or draft of someone else is reported as missing, so its existence does not leak
            assert status in {403, 404}, f"{name} as {role}: {status}"
