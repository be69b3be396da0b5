"""The space pages without JavaScript: find, register, change, book, cancel, my bookings, suitable spaces."""

import re
from typing import Any

from conftest import Inbox, World, sign_in
from icalendar import Calendar
from litestar.testing import TestClient
from test_pages import csrf_token
from test_spaces_service import TUESDAY

DAY = TUESDAY.isoformat()


def space_form(world: World, **changes: str) -> dict[str, Any]:
    form: dict[str, Any] = {
        "name": "Buurthuis De Kade",
        "neighbourhood_id": str(world.zuilen_id),
        "address": "Kade 1, Utrecht",
        "description": "Een zaal met keuken.",
        "capacity": "40",
        "price": "0",
        "wheelchair_accessible": "1",
        "facilities": ["keuken", "beamer"],
        "bookable": "1",
        **{f"opens.{day}": "09:00" for day in range(5)},
        **{f"closes.{day}": "22:00" for day in range(5)},
    }
    return form | changes


def post(client: TestClient[Any], path: str, form: dict[str, Any], page: str | None = None) -> Any:
    token = csrf_token(client.get(page or path).text)
    return client.post(path, data={**form, "_csrf_token": token}, follow_redirects=False)


def register(client: TestClient[Any], world: World, **changes: str) -> int:
    response = post(client, "/ruimtes/nieuw", space_form(world, **changes))
    assert response.status_code == 303, response.text
    found = re.match(r"/ruimtes/(\d+)\?opgeslagen=1", response.headers["location"])
    assert found
    return int(found.group(1))


def test_the_spaces_pages_ask_to_sign_in_before_registering_or_booking(client: TestClient[Any]) -> None:
    assert client.get("/ruimtes").status_code == 200
    for path in ("/ruimtes/nieuw", "/mijn-boekingen"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inloggen?volgende=")
    assert client.get("/ruimtes/999999").status_code == 404
    assert "Dit hebben we niet gevonden" in client.get("/ruimtes/999999").text


def test_a_broker_registers_a_space_and_residents_find_it(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    form = client.get("/ruimtes/nieuw").text
    assert '<html lang="nl">' in form
    assert "E-mailadres van de eigenaar" in form  # brokers may register for someone else
    space_id = register(client, world, owner_email="beheer@dekade.example.org")
    page = client.get(f"/ruimtes/{space_id}?opgeslagen=1").text
    assert "De ruimte is opgeslagen." in page
    assert "keuken" in page
    assert "Ruimte aanpassen" in page  # the broker manages it
    client.cookies.clear()
    listing = client.get("/ruimtes", params={"mensen": "20", "voorziening": "keuken", "rolstoel": "1"}).text
    assert "Buurthuis De Kade" in listing
    assert "Gevonden ruimtes: 1" in listing
    assert "Gevonden ruimtes: 0" in client.get("/ruimtes", params={"mensen": "50"}).text
    public = client.get(f"/ruimtes/{space_id}").text
    assert "Ruimte aanpassen" not in public
    assert "Maandag: 09:00 – 22:00" in public  # noqa: RUF001 - the page's en dash


def test_a_bad_space_form_shows_dutch_errors_next_to_the_fields(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = post(
        client, "/ruimtes/nieuw", space_form(world, capacity="veel", price="gratis", **{"closes.0": ""})
    )
    assert response.status_code == 422
    assert "Vul een heel getal in" in response.text or "Vul een getal in" in response.text
    assert "Vul een bedrag in euro in" in response.text
    assert "Vul een openingstijd én een sluitingstijd in" in response.text
    assert 'aria-invalid="true"' in response.text
    response = post(client, "/ruimtes/nieuw", space_form(world, **{"opens.0": "22:00", "closes.0": "09:00"}))
    assert response.status_code == 422
    assert "De sluitingstijd ligt niet na de openingstijd." in response.text
    assert "Gevonden ruimtes: 0" in client.get("/ruimtes").text


def test_the_owner_changes_the_space_and_others_may_not(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    space_id = register(client, world, name="Mijn schuur", capacity="8")
    edit = client.get(f"/ruimtes/{space_id}/bewerken").text
    assert 'value="Mijn schuur"' in edit
    response = post(
        client, f"/ruimtes/{space_id}/bewerken", space_form(world, name="Onze schuur", capacity="12")
    )
    assert response.status_code == 303
    assert "Onze schuur" in client.get(f"/ruimtes/{space_id}").text
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])
    assert client.get(f"/ruimtes/{space_id}/bewerken").status_code == 403


def test_booking_through_the_pages_refuses_a_second_booking_and_cancels(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space_id = register(client, world)
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    booking = {"title": "Kookles", "date": DAY, "start": "19:00", "end": "21:00", "people": "20"}
    response = post(client, f"/ruimtes/{space_id}/boeken", booking)
    assert response.status_code == 303, response.text
    booking_path = response.headers["location"].split("?")[0]
    page = client.get(response.headers["location"]).text
    assert "De ruimte is voor u geboekt." in page
    calendar = client.get(f"{booking_path}/agenda.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(calendar.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Kookles (Buurthuis De Kade)"

    again = post(client, f"/ruimtes/{space_id}/boeken", booking | {"start": "20:00", "end": "22:00"})
    assert again.status_code == 409
    assert "De ruimte is op dat moment al geboekt. Kies een andere tijd." in again.text
    closed = post(client, f"/ruimtes/{space_id}/boeken", booking | {"start": "21:00", "end": "23:00"})
    assert (closed.status_code, "De ruimte is op dat moment dicht." in closed.text) == (422, True)
    unreadable = post(client, f"/ruimtes/{space_id}/boeken", booking | {"date": "morgen", "people": "veel"})
    assert unreadable.status_code == 422
    assert "Vul een datum in" in unreadable.text
    assert "Kookles" in client.get("/mijn-boekingen").text

    confirm = client.get(f"{booking_path}/annuleren").text
    assert "Wilt u &#39;Kookles&#39; in Buurthuis De Kade" in confirm
    cancelled = post(client, f"{booking_path}/annuleren", {}, page=f"{booking_path}/annuleren")
    assert cancelled.status_code == 303
    assert "Deze boeking is geannuleerd." in client.get(booking_path).text
    assert post(client, f"/ruimtes/{space_id}/boeken", booking).status_code == 303
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])
    assert client.get(booking_path).status_code == 404


def test_the_space_page_shows_other_residents_only_that_the_space_is_booked(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space_id = register(client, world, owner_email="beheer@dekade.example.org")
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    booking = {"title": "Kookles", "date": DAY, "start": "19:00", "end": "21:00", "people": "20"}
    response = post(client, f"/ruimtes/{space_id}/boeken", booking)
    assert response.status_code == 303, response.text
    booking_path = response.headers["location"].split("?")[0]
    own = client.get(f"/ruimtes/{space_id}").text  # the booker sees the title and a link
    assert f'href="{booking_path}">Kookles</a>' in own
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])  # neither booker, owner nor broker
    other = client.get(f"/ruimtes/{space_id}")
    assert other.status_code == 200
    assert "Geboekt" in other.text
    assert "Kookles" not in other.text
    assert booking_path not in other.text


def test_the_pages_speak_english_after_the_language_switch(client: TestClient[Any], world: World) -> None:
    response = client.get("/ruimtes", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.text
    assert "Find a space" in response.text


def test_suitable_spaces_for_an_initiative_with_reasons_and_a_booking_link(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space_id = register(client, world)
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    from test_spaces_service import at

    need = {
        "description": "Zaal met keuken",
        "capacity": 20,
        "starts_at": at(TUESDAY, 19).isoformat(),
        "ends_at": at(TUESDAY, 21).isoformat(),
    }
    created = client.post(
        "/api/v1/initiatives",
        json={"neighbourhood_id": world.zuilen_id, "title": "Kookles", "space_needs": [need]},
    )
    initiative_id = created.json()["id"]
    page = client.get(f"/initiatieven/{initiative_id}/ruimtes").text
    assert "Buurthuis De Kade" in page
    assert "past voor 20 mensen (maximaal 40)" in page
    assert "in dezelfde buurt (Zuilen)" in page
    link = (
        f"/ruimtes/{space_id}/boeken?initiatief={initiative_id}&amp;datum={DAY}&amp;van=19:00&amp;tot=21:00"
    )
    assert link in page
    english = client.get(f"/initiatieven/{initiative_id}/ruimtes", headers={"accept-language": "en"}).text
    assert "fits 20 people (up to 40)" in english
    filtered = client.get(f"/initiatieven/{initiative_id}/ruimtes", params={"voorziening": "piano"}).text
    assert "Op dat moment past er geen ruimte." in filtered
