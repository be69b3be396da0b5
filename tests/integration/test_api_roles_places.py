"""Every endpoint and page of setting up places, and every role: allowed, 401 (API) or a redirect to
sign in (pages) for anonymous visitors, 403/404 for the others; a municipality's administrator never
sees or changes another municipality's neighbourhoods."""

import base64
import re
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from test_api_roles import EVERYONE, status_by_role

from buurtbudget.places.models import Adjacency, Municipality, Neighbourhood

SERIAL = count(1000)  # fresh codes and names, one per request
ADMINS = {"municipality_admin", "platform_admin"}
PLATFORM = {"platform_admin"}
Request = Callable[[TestClient[Any], World], Any]


def csrf(client: TestClient[Any]) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/inloggen").text)
    assert found, "the sign-in page carries a CSRF token"
    return found.group(1)


def form(client: TestClient[Any], path: str, **fields: str) -> Any:
    return client.post(path, data={"_csrf_token": csrf(client), **fields}, follow_redirects=False)


def code() -> str:
    return f"BU0344{next(SERIAL):04d}"


def base(w: World) -> str:
    return f"/beheer/gemeenten/{w.municipality_id}/buurten"


def settings(w: World) -> str:
    return f"/beheer/gemeenten/{w.municipality_id}/instellingen"


NEW_MUNICIPALITY = "/beheer/gemeenten/nieuw"
JURY_FORM = {"attr-0-key": "gender", "attr-0-label": "Gender", "attr-0-values": "vrouw\nman\nanders"}
CSV = b"wijkcode;wijknaam\nWK034403;Zuilen\nWK034402;Ondiep\n"

ENDPOINTS: list[tuple[str, Request, set[str]]] = [
    ("GET municipalities", lambda c, w: c.get("/api/v1/municipalities"), EVERYONE),
    ("GET municipality", lambda c, w: c.get(f"/api/v1/municipalities/{w.municipality_id}"), EVERYONE),
    (
        "POST municipality",
        lambda c, w: c.post(
            "/api/v1/municipalities",
            json={"name": f"Gemeente {next(SERIAL)}", "cbs_code": "GM0513"},
        ),
        PLATFORM,
    ),
    (
        "PATCH municipality contact",
        lambda c, w: c.patch(f"/api/v1/municipalities/{w.municipality_id}", json={"contact_phone": "14 030"}),
        ADMINS,
    ),
    (
        "PATCH municipality name",
        lambda c, w: c.patch(f"/api/v1/municipalities/{w.municipality_id}", json={"name": "Utrecht"}),
        ADMINS,  # the same name changes nothing; a new name needs the platform (see below)
    ),
    ("GET neighbourhood search", lambda c, w: c.get("/api/v1/neighbourhoods/search?q=zuilen"), EVERYONE),
    ("GET boundary", lambda c, w: c.get(f"/api/v1/neighbourhoods/{w.zuilen_id}/boundary"), EVERYONE),
    (
        "POST neighbourhood",
        lambda c, w: c.post(
            "/api/v1/neighbourhoods",
            json={"municipality_id": w.municipality_id, "name": "Nieuwe buurt", "cbs_code": code()},
        ),
        ADMINS,
    ),
    (
        "PATCH neighbourhood",
        lambda c, w: c.patch(f"/api/v1/neighbourhoods/{w.zuilen_id}", json={"district": "Noordwest"}),
        ADMINS,
    ),
    (
        "PUT border",
        lambda c, w: c.put(f"/api/v1/neighbourhoods/{w.zuilen_id}/adjacent/{w.lunetten_id}"),
        ADMINS,
    ),
    (
        "DELETE border",
        lambda c, w: c.delete(f"/api/v1/neighbourhoods/{w.zuilen_id}/adjacent/{w.ondiep_id}"),
        ADMINS,
    ),
    # Pages
    ("page home", lambda c, w: c.get("/"), EVERYONE),
    ("page home finder", lambda c, w: c.get("/?q=3552+AB"), EVERYONE),
    ("page municipality", lambda c, w: c.get("/gemeenten/utrecht"), EVERYONE),
    ("page list", lambda c, w: c.get(base(w), follow_redirects=False), ADMINS),
    ("page new", lambda c, w: c.get(f"{base(w)}/nieuw", follow_redirects=False), ADMINS),
    ("page edit", lambda c, w: c.get(f"{base(w)}/{w.zuilen_id}", follow_redirects=False), ADMINS),
    ("page borders", lambda c, w: c.get(f"{base(w)}/{w.zuilen_id}/grenzen", follow_redirects=False), ADMINS),
    ("page import", lambda c, w: c.get(f"{base(w)}/importeren", follow_redirects=False), ADMINS),
    (
        "page contact",
        lambda c, w: c.get(f"/beheer/gemeenten/{w.municipality_id}/contact", follow_redirects=False),
        ADMINS,
    ),
    (
        "POST page contact",
        lambda c, w: form(c, f"/beheer/gemeenten/{w.municipality_id}/contact", contact_phone="14 030"),
        ADMINS,
    ),
    (
        "page new municipality",
        lambda c, w: c.get("/beheer/gemeenten/nieuw", follow_redirects=False),
        PLATFORM,
    ),
    (
        "POST page new municipality",
        lambda c, w: form(
            c, NEW_MUNICIPALITY, name=f"Gemeente {next(SERIAL)}", cbs_code=f"GM{next(SERIAL):04d}"
        ),
        PLATFORM,
    ),
    (
        "page rename municipality",
        lambda c, w: c.get(f"/beheer/gemeenten/{w.municipality_id}/bewerken", follow_redirects=False),
        PLATFORM,
    ),
    (
        "POST page rename municipality",
        lambda c, w: form(c, f"/beheer/gemeenten/{w.municipality_id}/bewerken", name="Utrecht"),
        PLATFORM,
    ),
    ("page settings", lambda c, w: c.get(settings(w), follow_redirects=False), ADMINS),
    ("POST page settings jury", lambda c, w: form(c, f"{settings(w)}/jury", **JURY_FORM), ADMINS),
    (
        "POST page settings verification",
        lambda c, w: form(c, f"{settings(w)}/verificatie", days="730"),
        ADMINS,
    ),
    (
        "POST page settings look",
        lambda c, w: form(c, f"{settings(w)}/uiterlijk", theme="utrecht", logo_url=""),
        PLATFORM,
    ),
    (
        "POST page new",
        lambda c, w: form(
            c, f"{base(w)}/nieuw", name="Nieuwe buurt", cbs_code=code(), district="", boundary=""
        ),
        ADMINS,
    ),
    (
        "POST page edit",
        lambda c, w: form(
            c,
            f"{base(w)}/{w.zuilen_id}",
            name="Zuilen",
            cbs_code="WK034403",
            district="Noordwest",
            boundary="",
        ),
        ADMINS,
    ),
    (
        "POST page border",
        lambda c, w: form(c, f"{base(w)}/{w.zuilen_id}/grenzen", buur=str(w.lunetten_id)),
        ADMINS,
    ),
    (
        "POST page import preview",
        lambda c, w: c.post(
            f"{base(w)}/importeren",
            data={"_csrf_token": csrf(c), "soort": "buurten"},
            files={"bestand": ("wijken.csv", CSV, "text/csv")},
            follow_redirects=False,
        ),
        ADMINS,
    ),
    (
        "POST page import confirm",
        lambda c, w: form(
            c, f"{base(w)}/importeren/bevestigen", soort="buurten", inhoud=base64.b64encode(CSV).decode()
        ),
        ADMINS,
    ),
]


@pytest.mark.parametrize(("name", "request_", "allowed"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_by_role(
    client: TestClient[Any], inbox: Inbox, world: World, name: str, request_: Request, allowed: set[str]
) -> None:
    outcomes = status_by_role(client, inbox, world, lambda role: request_(client, world))
    for role, status in outcomes.items():
        if role in allowed:
            assert 200 <= status < 400, f"{name} as {role}: {status}"
        elif role == "anonymous":
            expected = {303} if "page" in name else {401}
            assert status in expected, f"{name} as {role}: {status}"
        else:
            assert status in {403, 404}, f"{name} as {role}: {status}"


def test_only_the_platform_administrator_renames_a_municipality(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    outcomes = status_by_role(
        client,
        inbox,
        world,
        lambda role: client.patch(
            f"/api/v1/municipalities/{world.municipality_id}", json={"name": f"Utrecht {role}"}
        ),
    )
    assert {role for role, status in outcomes.items() if status == 200} == PLATFORM
    assert outcomes["anonymous"] == 401
    assert outcomes["municipality_admin"] == 403


async def test_an_administrator_never_sees_or_changes_another_municipality(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    """Leidschendam-Voorburg's administrator, on every way into Utrecht's neighbourhoods."""
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    utrecht = base(world)
    own = f"/beheer/gemeenten/{world.other_municipality_id}/buurten"
    voorburg = (
        await session.scalars(
            select(Neighbourhood.id).where(Neighbourhood.municipality_id == world.other_municipality_id)
        )
    ).first()
    assert voorburg is not None
    await session.commit()  # end the read: SQLite lets the app write its session only then
    assert client.get(own).status_code == 200
    listing = client.get(own).text
    assert "Zuilen" not in listing  # their own list holds only their own neighbourhoods
    contact = f"/beheer/gemeenten/{world.municipality_id}/contact"
    for path in (
        utrecht,
        f"{utrecht}/nieuw",
        f"{utrecht}/{world.zuilen_id}",
        f"{utrecht}/importeren",
        contact,
        settings(world),
    ):
        assert client.get(path).status_code == 403, path
    assert form(client, f"{settings(world)}/jury", **JURY_FORM).status_code == 403
    assert form(client, f"{settings(world)}/verificatie", days="40").status_code == 403
    assert form(client, f"{settings(world)}/verificatie", days="tien").status_code == 403  # no hint either
    own_settings = client.get(f"/beheer/gemeenten/{world.other_municipality_id}/instellingen").text
    assert "Utrecht" not in own_settings
    # Through their own municipality's address, Utrecht's neighbourhood does not exist.
    assert client.get(f"{own}/{world.zuilen_id}").status_code == 404
    assert (
        form(client, f"{own}/{world.zuilen_id}", name="Overgenomen", cbs_code="WK034403").status_code == 404
    )
    assert form(client, f"{utrecht}/nieuw", name="Indringer", cbs_code="BU03449999").status_code == 403
    assert form(client, contact, contact_email="indringer@example.org").status_code == 403
    assert form(client, f"{own}/{voorburg}/grenzen", buur=str(world.zuilen_id)).status_code == 403
    assert (
        client.patch(f"/api/v1/neighbourhoods/{world.zuilen_id}", json={"name": "Overgenomen"}).status_code
        == 403
    )
    assert client.put(f"/api/v1/neighbourhoods/{voorburg}/adjacent/{world.zuilen_id}").status_code == 403
    assert (
        client.post(
            f"{utrecht}/importeren/bevestigen",
            data={"_csrf_token": csrf(client), "soort": "buurten", "inhoud": base64.b64encode(CSV).decode()},
        ).status_code
        == 403
    )
    postcodes = base64.b64encode(b"postcode;buurtcode\n3552;WK034403\n").decode()
    refused = form(client, f"{own}/importeren/bevestigen", soort="postcodes", inhoud=postcodes)
    assert refused.status_code == 422
    assert "WK034403 is een buurt van een andere gemeente" in refused.text
    zuilen = await session.get(Neighbourhood, world.zuilen_id, populate_existing=True)
    assert zuilen is not None
    assert zuilen.name == "Zuilen"
    utrecht_row = await session.get(Municipality, world.municipality_id, populate_existing=True)
    assert utrecht_row is not None
    assert (utrecht_row.jury_attributes, utrecht_row.verification_days) == (None, 730)
    borders = (await session.scalars(select(Adjacency).where(Adjacency.adjacent_id == world.zuilen_id))).all()
    assert [b.neighbourhood_id for b in borders] == [world.ondiep_id]
