"""Every endpoint of rounds and deliberation and every role: allowed, 401 for anonymous visitors, 403 else.

The round's jury seats the world's juror (as a draw would); its advisors are the neighbourhood's
advisor and broker and the municipality; no one else is in the room.
"""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World
from litestar.testing import TestClient
from test_api_roles import ADMINS, EVERYONE, status_by_role

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.jury.models import Juror
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people import service as people
from buurtbudget.people.models import Person
from buurtbudget.people.verification import ensure_verified
from buurtbudget.settings import Settings

ROOM = {"juror", "advisor", "broker", *ADMINS}  # the round's jury and its advisors
ADVISORS = {"advisor", "broker", *ADMINS}
MINUTE_TAKERS = {"broker", *ADMINS}
NOW = datetime.now(UTC)

Request = Callable[[TestClient[Any], World, dict[str, int]], Any]


def round_body(initiative_id: int) -> dict[str, Any]:
    return {
        "name": f"Ronde {uuid4().hex[:6]}",
        "mode": "jury",
        "amount_cents": 100_00,
        "initiative_ids": [initiative_id],
        "ballot_kind": "approval",
        "rule": "greedy",
        "voting_opens_at": (NOW - timedelta(hours=1)).isoformat(),
        "voting_closes_at": (NOW + timedelta(days=3)).isoformat(),
    }


def room(path: str) -> Callable[[dict[str, int]], str]:
    return lambda ids: f"/api/v1/rounds/{ids['round']}{path}"


# (name, request, roles allowed, whether the seated round is closed first). Drawing and closing change
# the round for the next role, so those two get fresh rounds per role; the rest share one set-up.
ENDPOINTS: list[tuple[str, Request, set[str], bool]] = [
    ("GET round", lambda c, w, ids: c.get(f"/api/v1/rounds/{ids['round']}"), EVERYONE, False),
    (
        "POST round",
        lambda c, w, ids: c.post(f"/api/v1/pots/{w.pot_id}/rounds", json=round_body(ids["spare"])),
        ADMINS,
        False,
    ),
    (
        "POST pool freeze",
        lambda c, w, ids: c.post(f"/api/v1/rounds/{ids['undrawn']}/pool", json={"seats": 1}),
        ADMINS,
        False,
    ),
    (
        "POST cancel",
        lambda c, w, ids: c.post(room("/cancel")(ids), json={"reason": "Te weinig juryleden."}),
        ADMINS,
        False,
    ),
    (
        "POST extend",
        lambda c, w, ids: c.post(
            room("/extend")(ids), json={"voting_closes_at": (NOW + timedelta(days=9)).isoformat()}
        ),
        ADMINS,
        False,
    ),
    (
        "PUT jury volunteer",
        lambda c, w, ids: c.put(
            f"/api/v1/neighbourhoods/{w.zuilen_id}/jury-volunteer", json={"attributes": {}}
        ),
        {"resident", "juror"},  # the seated juror is a verified resident of Zuilen too
        False,
    ),
    (
        "POST conflict",
        lambda c, w, ids: c.post(room("/conflicts")(ids), json={"initiative_id": ids["initiative"]}),
        {"juror"},
        False,
    ),
    (
        "PUT ballot",
        lambda c, w, ids: c.put(room("/ballot")(ids), json={"marks": {str(ids["initiative"]): 1}}),
        {"juror"},
        False,
    ),
    (
        "POST close",
        lambda c, w, ids: c.post(room("/close")(ids), json={"reason": "Iedereen heeft gestemd."}),
        ADMINS,
        False,
    ),
    ("GET deliberation", lambda c, w, ids: c.get(room("/deliberation")(ids)), ROOM, False),
    (
        "GET messages",
        lambda c, w, ids: c.get(room(f"/initiatives/{ids['initiative']}/messages")(ids)),
        ROOM,
        False,
    ),
    (
        "POST message",
        lambda c, w, ids: c.post(
            room(f"/initiatives/{ids['initiative']}/messages")(ids), json={"body": "Een vraag."}
        ),
        ROOM,
        False,
    ),
    (
        "GET advice",
        lambda c, w, ids: c.get(room(f"/initiatives/{ids['initiative']}/advice")(ids)),
        ROOM,
        False,
    ),
    (
        "PUT advice",
        lambda c, w, ids: c.put(
            room(f"/initiatives/{ids['initiative']}/advice")(ids), json={"body": "Een advies."}
        ),
        ADVISORS,
        False,
    ),
    ("GET minutes of an open round", lambda c, w, ids: c.get(room("/minutes")(ids)), ROOM, False),
    ("GET minutes of a closed round", lambda c, w, ids: c.get(room("/minutes")(ids)), EVERYONE, True),
    (
        "POST minutes",
        lambda c, w, ids: c.post(
            room("/minutes")(ids), json={"held_on": NOW.date().isoformat(), "body": "Verslag."}
        ),
        MINUTE_TAKERS,
        False,
    ),
]


def prepare(settings: Settings, world: World, *, closed: bool) -> dict[str, int]:
    """A round with the world's juror seated and something in its room; a round still without a jury."""

    async def run() -> dict[str, int]:
        from test_jury_rounds import plan, ready_initiatives

        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            ids = await ready_initiatives(session, world, 4)
            admin = world.actors["municipality_admin"]
            service = RoundService(session)
            seated = (await service.open_round(admin, world.pot_id, plan(ids[:2], amount=100_00))).id
            undrawn = (await service.open_round(admin, world.pot_id, plan([ids[2]], amount=100_00))).id
            async with transaction(session):
                session.add(Juror(round_id=seated, person_id=world.actors["juror"].person_id, seat="juror"))
                juror = await session.get(Person, world.actors["juror"].person_id)
                assert juror is not None
                await ensure_verified(session, juror, world.zuilen_id)  # a drawn juror lives there
                newcomer = await people.get_or_create(
                    session, f"{uuid4().hex[:10]}@example.org", actor_id=None
                )
                await ensure_verified(session, newcomer, world.zuilen_id)
            await service.volunteer(people.actor_for(newcomer), world.zuilen_id, {})
            deliberation = DeliberationService(session)
            await deliberation.post_message(world.actors["juror"], seated, ids[0], "Wat kost het onderhoud?")
            await deliberation.write_advice(world.actors["advisor"], seated, ids[0], "Vraag een offerte.")
            await deliberation.write_minutes(world.actors["broker"], seated, NOW.date(), "Besproken.")
            await service.cast_ballot(world.actors["juror"], seated, {ids[1]: 1})  # the quorum of one
            if closed:
                await service.close_round(admin, seated, reason="Alle juryleden hebben gestemd")
        await engine.dispose()
        # The spare is on no open round (an initiative is on at most one).
        return {"round": seated, "undrawn": undrawn, "initiative": ids[0], "spare": ids[3]}

    return asyncio.run(run())


@pytest.mark.parametrize(("name", "request_", "allowed", "closed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    request_: Request,
    allowed: set[str],
    closed: bool,
) -> None:
    # Fresh data for each role: one role's step must not change the next role's case.
    outcomes = status_by_role(
        client, inbox, world, lambda role: request_(client, world, prepare(settings, world, closed=closed))
    )
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 300, f"{name} as {role}: {status}"
        elif role == "anonymous":
            assert status == 401, f"{name} as {role}: {status}"
        else:
            assert status == 403, f"{name} as {role}: {status}"
