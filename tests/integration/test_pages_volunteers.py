"""The volunteer pages: Dutch forms with CSRF that work without JavaScript, specific errors, privacy."""

import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from test_pages import csrf_token
from test_volunteers_service import open_initiative


def save_profile(client: TestClient[Any], world: World, **fields: object) -> Any:
    form = client.get("/vrijwilligers/profiel")
    assert form.status_code == 200
    data: dict[str, object] = {
        "_csrf_token": csrf_token(form.text),
        "neighbourhood_id": str(world.ondiep_id),
        "skills": ["koken"],
        "themes": ["eten"],
        "weekly.1.start": "19:00",
        "weekly.1.end": "21:00",
        "max_commitments": "3",
        "consent": "ja",
        **fields,
    }
    return client.post("/vrijwilligers/profiel", data=data, follow_redirects=False)


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient[Any]) -> None:
    response = client.get("/vrijwilligers", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen?volgende=")


def test_a_form_without_csrf_token_is_refused(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, "vera@example.org")
    response = client.post("/vrijwilligers/profiel", data={"neighbourhood_id": str(world.ondiep_id)})
    assert response.status_code == 403


def test_bad_profile_input_shows_a_dutch_error_at_the_field_and_keeps_the_values(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, "vera@example.org")
    response = save_profile(client, world, other_skills="raketbouw")
    assert response.status_code == 422
    assert "De vaardigheid &#39;raketbouw&#39; kennen we niet. Kies er een uit de lijst." in response.text
    assert 'id="other_skills-fout"' in response.text
    assert 'value="raketbouw"' in response.text
    late = save_profile(client, world, **{"weekly.1.start": "21:00", "weekly.1.end": "20:00"})
    assert late.status_code == 422
    assert "De eindtijd moet na de begintijd liggen." in late.text
    assert 'id="weekly-1-end-fout"' in late.text
    odd = save_profile(client, world, **{"weekly.3.start": "25:00", "weekly.3.end": "26:00"})
    assert 'id="weekly-3-start-fout"' in odd.text
    assert client.get("/vrijwilligers").text.count("Meld u aan als vrijwilliger") == 1  # nothing stored


async def test_offer_accept_and_contacts_through_the_pages(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    initiative_id = await open_initiative(session, world)
    sign_in(client, inbox, "wilhelmina@example.org")
    saved = save_profile(client, world)
    assert saved.status_code == 303
    home = client.get(saved.headers["location"])
    assert "Uw vrijwilligersprofiel is opgeslagen." in home.text
    assert "kan: koken (gevraagd: kookles)" in home.text
    offered = client.post(
        f"/vrijwilligers/aanbod/{initiative_id}",
        data={"_csrf_token": csrf_token(home.text)},
        follow_redirects=False,
    )
    assert offered.status_code == 303
    again = client.post(f"/vrijwilligers/aanbod/{initiative_id}", data={"_csrf_token": csrf_token(home.text)})
    assert again.status_code == 409
    assert "U heeft al hulp aangeboden bij dit initiatief." in again.text

    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    page = client.get(f"/initiatieven/{initiative_id}/vrijwilligers")
    assert page.status_code == 200
    assert "wilhelmina" not in page.text.lower()
    match_id = re.search(r"/vrijwilligers/matches/(\d+)/ja", page.text)
    assert match_id
    accepted = client.post(
        f"/vrijwilligers/matches/{match_id.group(1)}/ja",
        data={"_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert accepted.headers["location"] == f"/initiatieven/{initiative_id}/vrijwilligers?melding=beantwoord"
    after = client.get(accepted.headers["location"])
    assert "wilhelmina@example.org" in after.text
    assert "u gaat samenwerken" in after.text


async def test_the_broker_sees_the_caseload_page(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    await open_initiative(session, world)
    sign_in(client, inbox, world.emails["broker"])
    response = client.get("/makelaar/vrijwilligers")
    assert response.status_code == 200
    assert "Vrijwilligers in uw buurten" in response.text
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    assert client.get("/makelaar/vrijwilligers").status_code == 403


def test_deleting_the_profile_through_the_pages(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, "vera@example.org")
    save_profile(client, world)
    confirm = client.get("/vrijwilligers/profiel/verwijderen")
    assert "Dit kunt u niet ongedaan maken." in confirm.text
    done = client.post(
        "/vrijwilligers/profiel/verwijderen",
        data={"_csrf_token": csrf_token(confirm.text)},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/vrijwilligers?melding=verwijderd"
    assert "Meld u aan als vrijwilliger" in client.get(done.headers["location"]).text
