"""The minimal pages: Dutch home page, neighbourhood and initiative pages, sign-in forms protected by CSRF."""

import re
from typing import Any

from conftest import Inbox, World
from litestar.testing import TestClient

from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.service import InitiativeService


async def submitted_initiative(session: Any, world: World) -> int:
    from conftest import new_initiatives

    [initiative_id] = await new_initiatives(session, world, 1)
    await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    return initiative_id


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_home_page_is_dutch_and_finds_neighbourhoods_with_their_pot(
    client: TestClient[Any], world: World
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Geld voor uw buurt" in response.text
    assert 'href="/gemeenten/utrecht">Utrecht</a>' in response.text  # the municipalities, not every card
    found = client.get("/", params={"q": "Zuilen"}).text
    assert 'href="/buurten/zuilen">Zuilen</a>' in found
    assert "€\xa010.000,00" in found  # the pot, formatted the Dutch way (a no-break space after €)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_home_page_in_english_when_the_browser_asks(client: TestClient[Any], world: World) -> None:
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.text
    assert "Money for your neighbourhood" in response.text


async def test_initiative_page_shows_budget_and_timeline(
    client: TestClient[Any], session: Any, world: World
) -> None:
    initiative_id = await submitted_initiative(session, world)
    response = client.get(f"/initiatieven/{initiative_id}")
    assert response.status_code == 200
    assert "Initiatief 1" in response.text
    assert "€\xa0500,00" in response.text
    assert "Het initiatief is ingestuurd." in response.text  # what happened
    assert "De makelaar neemt contact met u op voor een eerste gesprek." in response.text  # what comes next
    assert "broker@example.org" in response.text  # who the contact is
    assert "Uiterlijk" in response.text  # by when


def test_neighbourhood_page_shows_pot_broker_and_initiatives(client: TestClient[Any], world: World) -> None:
    response = client.get("/buurten/zuilen")
    assert response.status_code == 200
    assert "Nog beschikbaar" in response.text
    assert "broker@example.org" in response.text
    assert client.get("/buurten/bestaat-niet").status_code == 404


def test_missing_pages_are_friendly_dutch_pages(client: TestClient[Any]) -> None:
    response = client.get("/initiatieven/999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Dit hebben we niet gevonden" in response.text


def test_signing_in_through_the_pages(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    form = client.get("/inloggen")
    response = client.post(
        "/inloggen",
        data={"email": world.emails["resident"], "_csrf_token": csrf_token(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    token = inbox.sign_in_token(world.emails["resident"])
    confirm = client.get(f"/inloggen/bevestigen?token={token}")
    assert confirm.status_code == 200  # a GET only shows a button: mail scanners cannot use up the link
    response = client.post(
        "/inloggen/bevestigen",
        data={"token": token, "_csrf_token": csrf_token(confirm.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/api/v1/people/me").status_code == 200


def test_a_bad_address_is_explained_next_to_the_field(client: TestClient[Any]) -> None:
    form = client.get("/inloggen")
    response = client.post("/inloggen", data={"email": "geen-adres", "_csrf_token": csrf_token(form.text)})
    assert response.status_code == 422
    assert 'aria-describedby="email-fout"' in response.text
    assert "Vul een geldig e-mailadres in" in response.text


def test_a_form_posted_without_its_csrf_token_is_refused(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    client.get("/inloggen")
    response = client.post("/inloggen", data={"email": world.emails["resident"]})
    assert response.status_code == 403
    assert inbox.messages == []


def test_page_ids_beyond_what_the_database_holds_are_refused_not_a_500(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    huge = 2**63
    assert client.get(f"/initiatieven/{huge}").status_code in {404, 422}
    from conftest import sign_in

    sign_in(client, inbox, world.emails["resident"])
    token = csrf_token(client.get("/inloggen").text)
    for path in (f"/initiatieven/{huge}/intrekken", f"/initiatieven/{huge}/insturen"):
        response = client.post(path, data={"_csrf_token": token})
        assert response.status_code in {404, 422}, (path, response.status_code)
    assert client.get(f"/initiatieven/{huge}/intrekken").status_code in {404, 422}
