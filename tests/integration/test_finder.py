"""The home page finds a neighbourhood by name (typos and accents forgiven, the district too) or by
postcode (3552 AB, 3552ab, 3552); neighbourhoods with equal names are told apart by their district."""

import re
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.places.admin import PlacesAdmin
from buurtbudget.places.finder import Kind, find
from buurtbudget.places.imports import PlacesImport

POSTCODES = "postcode;buurtcode\n3552;WK034403\n3552AB;WK034403\n3551BC;WK034402\n3524;WK034409\n"


async def amsterdam(session: AsyncSession, world: World) -> tuple[int, int]:
    """Two neighbourhoods named Centrum in Amsterdam, in different districts; Utrecht's postcodes."""
    platform = world.actors["platform_admin"]
    admin = PlacesAdmin(session)
    town = await admin.create_municipality(platform, name="Amsterdam", cbs_code="GM0363")
    town_id = town.id
    first = await admin.create_neighbourhood(
        platform, town_id, name="Centrum", cbs_code="BU03630000", district="Centrum"
    )
    first_id = first.id
    second = await admin.create_neighbourhood(
        platform, town_id, name="Centrum", cbs_code="BU03638000", district="Nieuw-West"
    )
    second_id = second.id
    await admin.create_neighbourhood(
        platform, town_id, name="Slotervaart", cbs_code="BU03638100", district="Nieuw-West"
    )
    await PlacesImport(session).import_postcodes(platform, None, POSTCODES.encode())
    return first_id, second_id


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("Zuilen", Kind.NAME, ["Zuilen"]),
        ("zuiln", Kind.NAME, ["Zuilen"]),  # a typo
        ("LUNNETEN", Kind.NAME, ["Lunetten"]),
        ("Slotervâart", Kind.NAME, ["Slotervaart (Nieuw-West)"]),  # an accent where none belongs
        ("nieuw west", Kind.NAME, ["Centrum (Nieuw-West)", "Slotervaart (Nieuw-West)"]),  # the district
        ("3552 AB", Kind.POSTCODE, ["Zuilen"]),
        ("3552ab", Kind.POSTCODE, ["Zuilen"]),
        ("3552", Kind.POSTCODE, ["Zuilen"]),
        ("3551 BC", Kind.POSTCODE, ["Ondiep"]),
        ("3551 XY", Kind.AREA, ["Ondiep"]),  # not in the table: the neighbourhoods of its area
        ("3524 ZZ", Kind.POSTCODE, ["Lunetten"]),  # the table knows the whole area 3524
        ("9999 AA", Kind.AREA, []),
        ("Atlantis", Kind.NAME, []),
        ("   ", Kind.NONE, []),
    ],
)
async def test_find_by_name_postcode_typo_and_district(
    session: AsyncSession, world: World, query: str, kind: Kind, expected: list[str]
) -> None:
    await amsterdam(session, world)
    finding = await find(session, query)
    assert finding.kind == kind
    assert [n.label for n in finding.hits] == expected


async def test_equal_names_are_both_found_and_told_apart_by_district(
    session: AsyncSession, world: World
) -> None:
    first, second = await amsterdam(session, world)
    finding = await find(session, "centrum")
    assert [(n.id, n.label, n.municipality.name) for n in finding.hits] == [
        (first, "Centrum (Centrum)", "Amsterdam"),
        (second, "Centrum (Nieuw-West)", "Amsterdam"),
    ]


def listed(html: str) -> list[str]:
    return re.findall(r'<a class="utrecht-link" href="/buurten/[^"]+">([^<]+)</a>', html)


async def test_the_home_page_finds_without_javascript_and_says_what_to_try(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    await amsterdam(session, world)
    await session.commit()
    home = client.get("/")
    assert home.status_code == 200
    assert 'name="q"' in home.text
    assert "Buurtnaam of postcode" in home.text
    assert listed(home.text) == []  # no wall of cards: the municipalities are the entry points
    assert 'href="/gemeenten/amsterdam"' in home.text
    assert 'href="/gemeenten/utrecht"' in home.text
    found = client.get("/", params={"q": "3552 ab"})
    assert listed(found.text) == ["Zuilen"]
    assert "Postcode 3552 AB ligt in:" in found.text
    twins = client.get("/", params={"q": "Centrum"})
    assert listed(twins.text) == ["Centrum (Centrum)", "Centrum (Nieuw-West)"]
    nothing = client.get("/", params={"q": "Atlantis"})
    assert "Geen buurt gevonden" in nothing.text
    assert "typ uw postcode, zoals 3552 AB" in nothing.text
    unknown = client.get("/", params={"q": "9999 AA"})
    assert "We vonden geen buurt bij postcode 9999 AA" in unknown.text


async def test_the_district_is_shown_wherever_an_equal_name_is_listed(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    first, second = await amsterdam(session, world)
    await session.commit()
    town = client.get("/gemeenten/amsterdam")
    assert town.status_code == 200
    assert "Centrum (Nieuw-West)" in town.text
    assert "Centrum (Centrum)" in town.text
    page = client.get("/buurten/centrum-amsterdam")  # the second Centrum got the municipality in its slug
    assert page.status_code == 200
    title = re.search(r"<title>\s*(.*?)\s*</title>", page.text, re.S)
    assert title is not None
    assert title.group(1).startswith("Centrum (Nieuw-West) · Amsterdam")
    assert '<h1 class="utrecht-heading-1">Centrum (Nieuw-West)</h1>' in page.text
    api = client.get("/api/v1/neighbourhoods/search", params={"q": "centrum"}).json()
    assert [(n["id"], n["label"]) for n in api] == [
        (first, "Centrum (Centrum)"),
        (second, "Centrum (Nieuw-West)"),
    ]
    assert client.get("/gemeenten/nergens").status_code == 404
    for path in ("/ruimtes", "/rondes"):  # the neighbourhood filters of other lists
        assert "Centrum (Nieuw-West)" in client.get(path).text, path
    sign_in(client, inbox, world.emails["resident"])
    form = client.get("/initiatieven/nieuw").text  # the form's choice of neighbourhood
    assert "Centrum (Nieuw-West) (Amsterdam)" in form
    assert "Centrum (Centrum) (Amsterdam)" in form
