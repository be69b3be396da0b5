"""Every pot page and pot endpoint added for the municipality's workspace, and every role: allowed,
sign-in first (pages) or 401 (API) for anonymous visitors, 403 for everyone else; a municipality's
administrator never sees or changes another municipality's pots."""

import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select
from test_api_roles import ADMINS, EVERYONE, status_by_role
from test_pages_jury import run

from buurtbudget.audit.models import AuditEntry
from buurtbudget.pots.models import LedgerTransaction, Pot
from buurtbudget.settings import Settings

Request = Callable[[TestClient[Any], World], Any]
# The other municipality's administrator has a pot list and a new-pot form of their own (without Utrecht's).
OWN_WORKSPACE = {*ADMINS, "other_municipality_admin"}


def token(client: TestClient[Any], world: World) -> str:
    """A CSRF token, from a page anyone may open."""
    found = re.search(
        r'name="_csrf_token" value="([^"]+)"', client.get(f"/potten/{world.pot_id}/zo-werkt-het").text
    )
    assert found
    return found.group(1)


def form(path: str, data: dict[str, str]) -> Request:
    def send(client: TestClient[Any], world: World) -> Any:
        return client.post(
            path.format(pot=world.pot_id),
            data={**data, "_csrf_token": token(client, world)},
            follow_redirects=False,
        )

    return send


def page(path: str) -> Request:
    return lambda c, w: c.get(path.format(pot=w.pot_id), follow_redirects=False)


GUIDE = {"max_per_initiative_cents": 750_00, "criteria": "Voor de buurt.", "payment_text": "Vooraf."}

# (name, request, roles allowed, kind): "page" sends anonymous visitors to sign in, "api" answers 401.
ENDPOINTS: list[tuple[str, Request, set[str], str]] = [
    ("GET guide", lambda c, w: c.get(f"/api/v1/pots/{w.pot_id}/guide"), EVERYONE, "api"),
    ("PUT guide", lambda c, w: c.put(f"/api/v1/pots/{w.pot_id}/guide", json=GUIDE), ADMINS, "api"),
    ("GET report", lambda c, w: c.get(f"/api/v1/pots/{w.pot_id}/report"), ADMINS, "api"),
    ("page how it works", page("/potten/{pot}/zo-werkt-het"), EVERYONE, "page"),
    ("page pots", page("/beheer/potten"), OWN_WORKSPACE, "page"),
    ("page new pot", page("/beheer/potten/nieuw"), OWN_WORKSPACE, "page"),
    ("page pot", page("/beheer/potten/{pot}"), ADMINS, "page"),
    ("page fund", page("/beheer/potten/{pot}/storten"), ADMINS, "page"),
    ("page theme budget", page("/beheer/potten/{pot}/themabudget"), ADMINS, "page"),
    ("page fast track", page("/beheer/potten/{pot}/snelle-route"), ADMINS, "page"),
    ("page write guide", page("/beheer/potten/{pot}/uitleg"), ADMINS, "page"),
    (
        "post new pot",
        lambda c, w: form(
            "/beheer/potten/nieuw",
            {
                "neighbourhood_id": str(w.ondiep_id),
                "name": f"Extra {uuid4().hex[:8]}",
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
            },
        )(c, w),
        ADMINS,
        "page",
    ),
    ("post fund: check", form("/beheer/potten/{pot}/storten", {"amount": "12,50"}), ADMINS, "page"),
    (
        "post fund: yes",
        form("/beheer/potten/{pot}/storten", {"amount": "12,50", "bevestigd": "ja"}),
        ADMINS,
        "page",
    ),
    (
        "post theme budget: yes",
        form("/beheer/potten/{pot}/themabudget", {"theme": "groen", "amount": "1", "bevestigd": "ja"}),
        ADMINS,
        "page",
    ),
    (
        "post fast track",
        form("/beheer/potten/{pot}/snelle-route", {"threshold": "500", "seats": "3"}),
        ADMINS,
        "page",
    ),
    (
        "post write guide",
        form("/beheer/potten/{pot}/uitleg", {"max_per_initiative": "750", "criteria": "Voor de buurt."}),
        ADMINS,
        "page",
    ),
]


@pytest.mark.parametrize(("name", "request_", "allowed", "kind"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_pot_pages_and_endpoints_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    world: World,
    name: str,
    request_: Request,
    allowed: set[str],
    kind: str,
) -> None:
    outcomes = status_by_role(client, inbox, world, lambda role: request_(client, world))
    for role, status in outcomes.items():
        if role in allowed:
            assert status in {200, 201, 303}, f"{name} as {role}: {status}"
        elif role == "anonymous":
            assert status == (401 if kind == "api" else 303), f"{name} as {role}: {status}"
        else:
            assert status in {403, 404}, f"{name} as {role}: {status}"


def counts(settings: Settings) -> tuple[int, int, str, int | None]:
    async def job(session: Any) -> tuple[int, int, str, int | None]:
        pot = await session.get(Pot, 1)
        return (
            int(await session.scalar(select(func.count()).select_from(LedgerTransaction)) or 0),
            int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            pot.criteria,
            pot.fast_track_threshold_cents,
        )

    found: tuple[int, int, str, int | None] = run(settings, job)
    return found


def test_another_municipalitys_administrator_neither_sees_nor_changes_its_pots(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    listing = client.get("/beheer/potten")
    assert listing.status_code == 200
    assert "Buurtbudget 2026" not in listing.text
    assert "Zuilen" not in client.get("/beheer/potten/nieuw").text
    before = counts(settings)
    for name, request_, allowed, _kind in ENDPOINTS:
        if allowed == ADMINS:  # every page and endpoint of one pot, and every change
            assert request_(client, world).status_code == 403, name
    foreign = form(
        "/beheer/potten/nieuw",
        {
            "neighbourhood_id": str(world.zuilen_id),
            "name": "Van een ander",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )(client, world)
    assert foreign.status_code == 403
    assert counts(settings) == before  # no money moved, no text written, nothing audited
    assert client.get(f"/api/v1/pots/{world.pot_id + 100}/report").status_code == 404
