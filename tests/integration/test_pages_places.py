"""The municipality's neighbourhood pages: errors in Dutch at their field (never a 500, never half a
write), borders both ways, and the CSV import with its preview-and-confirm step."""

import base64
import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from test_api_roles_places import csrf

from buurtbudget.places.models import Neighbourhood
from buurtbudget.places.service import adjacency

GOOD = (
    "buurtcode;buurtnaam;wijkcode;wijknaam;gemeentecode;gemeentenaam\n"
    "BU03440300;Elinkwijk;WK034403;Zuilen;GM0344;Utrecht\n"
    "BU03440301;Prinses Margrietbuurt;WK034403;Zuilen;GM0344;Utrecht\n"
)


def base(world: World) -> str:
    return f"/beheer/gemeenten/{world.municipality_id}/buurten"


async def neighbourhoods(session: AsyncSession) -> int:
    """Counted in a transaction of its own, ended at once: SQLite lets the app write only then."""
    await session.commit()
    found = int(await session.scalar(select(func.count()).select_from(Neighbourhood)) or 0)
    await session.commit()
    return found


async def borders_of(session: AsyncSession) -> dict[int, list[int]]:
    await session.commit()
    found = await adjacency(session)
    await session.commit()
    return found


async def test_adding_and_editing_a_neighbourhood_with_errors_in_dutch(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    listing = client.get(base(world))
    assert listing.status_code == 200
    assert "Buurten van Utrecht" in listing.text
    before = await neighbourhoods(session)
    token = csrf(client)
    bad = client.post(
        f"{base(world)}/nieuw",
        data={
            "_csrf_token": token,
            "name": "Nieuwe buurt",
            "cbs_code": "BU12",
            "district": "",
            "boundary": "",
        },
    )
    assert bad.status_code == 422
    assert (
        "Een CBS-code van een buurt is BU en 8 cijfers (een buurt) of WK en 6 cijfers (een wijk)." in bad.text
    )
    assert 'id="cbs_code-fout"' in bad.text
    assert 'value="Nieuwe buurt"' in bad.text  # what was typed stays
    taken = client.post(
        f"{base(world)}/nieuw",
        data={
            "_csrf_token": token,
            "name": "Tweede Zuilen",
            "cbs_code": "WK034403",
            "district": "",
            "boundary": "",
        },
    )
    assert taken.status_code == 409
    assert "Er is al een buurt met deze CBS-code." in taken.text
    assert await neighbourhoods(session) == before
    made = client.post(
        f"{base(world)}/nieuw",
        data={
            "_csrf_token": token,
            "name": "Elinkwijk",
            "cbs_code": "BU03440300",
            "district": "Zuilen",
            "boundary": "",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert "De buurt is toegevoegd." in client.get(made.headers["location"]).text
    assert await neighbourhoods(session) == before + 1
    boundary = '{"type": "Polygon", "coordinates": [[[5.1, 52.1], [5.2, 52.1], [5.2, 52.2], [5.3, 52.3]]]}'
    edit = client.post(
        f"{base(world)}/{world.zuilen_id}",
        data={
            "_csrf_token": token,
            "name": "Zuilen",
            "cbs_code": "WK034403",
            "district": "",
            "boundary": boundary,
        },
    )
    assert edit.status_code == 422
    assert "Elke ring van de grens eindigt waar hij begint (een gesloten ring)." in edit.text
    closed = boundary.replace("[5.3, 52.3]", "[5.1, 52.1]")
    saved = client.post(
        f"{base(world)}/{world.zuilen_id}",
        data={
            "_csrf_token": token,
            "name": "Zuilen",
            "cbs_code": "WK034403",
            "district": "Noordwest",
            "boundary": closed,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(f"{base(world)}/{world.zuilen_id}").text
    assert "Verwijder de grens op de kaart" in page
    assert (
        client.get(f"/api/v1/neighbourhoods/{world.zuilen_id}/boundary").json()["boundary"]["type"]
        == "Polygon"
    )


async def test_borders_are_added_and_removed_both_ways(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = client.get(f"{base(world)}/{world.zuilen_id}/grenzen")
    assert page.status_code == 200
    assert "Ondiep" in page.text
    token = csrf(client)
    path = f"{base(world)}/{world.zuilen_id}/grenzen"
    empty = client.post(path, data={"_csrf_token": token, "buur": ""})
    assert empty.status_code == 422
    assert "Kies een buurt uit de lijst." in empty.text
    itself = client.post(path, data={"_csrf_token": token, "buur": str(world.zuilen_id)})
    assert itself.status_code == 422
    assert "Een buurt grenst niet aan zichzelf." in itself.text
    added = client.post(
        path, data={"_csrf_token": token, "buur": str(world.lunetten_id)}, follow_redirects=False
    )
    assert added.status_code == 303
    borders = await borders_of(session)
    assert world.zuilen_id in borders[world.lunetten_id]
    removed = client.post(
        path, data={"_csrf_token": token, "weg": str(world.ondiep_id)}, follow_redirects=False
    )
    assert removed.status_code == 303
    borders = await borders_of(session)
    assert world.ondiep_id not in borders[world.zuilen_id]
    assert world.ondiep_id not in borders


async def test_an_import_is_previewed_then_confirmed(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    assert client.get(f"{base(world)}/importeren").status_code == 200
    before = await neighbourhoods(session)
    token = csrf(client)
    preview = client.post(
        f"{base(world)}/importeren",
        data={"_csrf_token": token, "soort": "buurten"},
        files={"bestand": ("buurten.csv", ("\ufeff" + GOOD).encode(), "text/csv")},
    )
    assert preview.status_code == 200
    assert "Nieuwe buurten: 2" in preview.text
    assert "Prinses Margrietbuurt (Zuilen)" in preview.text
    assert await neighbourhoods(session) == before  # nothing is saved before the confirmation
    carried = re.search(r'name="inhoud" value="([^"]+)"', preview.text)
    assert carried is not None
    done = client.post(
        f"{base(world)}/importeren/bevestigen",
        data={"_csrf_token": token, "soort": "buurten", "inhoud": carried.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "De buurten zijn geïmporteerd." in client.get(done.headers["location"]).text
    assert await neighbourhoods(session) == before + 2
    postcodes = client.post(
        f"{base(world)}/importeren",
        data={"_csrf_token": token, "soort": "postcodes"},
        files={"bestand": ("postcodes.csv", b"postcode;buurtcode\n3552AB;BU03440300\n", "text/csv")},
    )
    assert "1 postcodes; 0 daarvan zijn al bekend" in postcodes.text


async def test_a_bad_file_is_refused_with_its_lines_and_nothing_is_written(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    before = await neighbourhoods(session)
    token = csrf(client)
    bad = GOOD + "BU0344;Kapot;WK034403;Zuilen;GM0344;Utrecht\n"
    refused = client.post(
        f"{base(world)}/importeren",
        data={"_csrf_token": token, "soort": "buurten"},
        files={"bestand": ("buurten.csv", bad.encode(), "text/csv")},
    )
    assert refused.status_code == 422
    assert "Er is niets geïmporteerd." in refused.text
    assert "Regel 4: BU0344 is geen CBS-buurtcode (BU en 8 cijfers)." in refused.text
    confirmed = client.post(  # a confirmation carrying a bad file is refused the same way
        f"{base(world)}/importeren/bevestigen",
        data={"_csrf_token": token, "soort": "buurten", "inhoud": base64.b64encode(bad.encode()).decode()},
    )
    assert confirmed.status_code == 422
    assert "Regel 4:" in confirmed.text
    missing = client.post(f"{base(world)}/importeren", data={"_csrf_token": token, "soort": "buurten"})
    assert missing.status_code == 422
    assert "Kies een CSV-bestand." in missing.text
    mangled = client.post(
        f"{base(world)}/importeren/bevestigen",
        data={"_csrf_token": token, "soort": "buurten", "inhoud": "%%%"},
    )
    assert mangled.status_code == 422
    assert await neighbourhoods(session) == before


async def test_the_municipality_keeps_a_contact_shown_where_no_broker_is_known(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    assert "Met vragen kunt u terecht bij de gemeente" not in client.get("/buurten/ondiep").text
    sign_in(client, inbox, world.emails["municipality_admin"])
    path = f"/beheer/gemeenten/{world.municipality_id}/contact"
    assert client.get(path).status_code == 200
    token = csrf(client)
    bad = client.post(path, data={"_csrf_token": token, "contact_email": "geen adres", "contact_url": ""})
    assert bad.status_code == 422
    assert "Vul een e-mailadres in, zoals wijken@gemeente.nl." in bad.text
    saved = client.post(
        path,
        data={"_csrf_token": token, "contact_email": "wijken@utrecht.example.org", "contact_phone": "14 030"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Het contact voor bewoners is opgeslagen." in client.get(saved.headers["location"]).text
    ondiep = client.get("/buurten/ondiep").text  # Ondiep has no broker
    assert "Met vragen kunt u terecht bij de gemeente" in ondiep
    assert "wijken@utrecht.example.org" in ondiep
    assert "Met vragen kunt u terecht bij de gemeente" not in client.get("/buurten/zuilen").text
