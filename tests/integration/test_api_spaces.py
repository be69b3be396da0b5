"""The spaces API: register and change spaces, book and cancel, calendars, matches; bad input is refused."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from icalendar import Calendar
from litestar.testing import TestClient
from test_spaces_service import SATURDAY, TUESDAY, at

SPACE = {
    "name": "Buurthuis De Kade",
    "capacity": 40,
    "address": "Kade 1, Utrecht",
    "facilities": ["kitchen", "Beamer"],
    "wheelchair_accessible": True,
    "accessible_toilet": True,
    "opening_hours": [{"weekday": day, "opens": "09:00", "closes": "22:00"} for day in range(5)],
    "lat": 52.106,
    "lon": 5.105,
}


def booking_body(start: int = 19, end: int = 21, **changes: Any) -> dict[str, Any]:
    body = {
        "starts_at": at(TUESDAY, start).isoformat(),
        "ends_at": at(TUESDAY, end).isoformat(),
        "people": 20,
        "title": "Kookles voor kinderen",
    }
    return body | changes


def register(client: TestClient[Any], world: World, **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/spaces", json={**SPACE, "neighbourhood_id": world.zuilen_id, **changes})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_broker_registers_a_space_for_its_owner_who_then_changes_it(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world, owner_email="beheer@dekade.example.org")
    assert space["facilities"] == ["beamer", "keuken"]
    assert space["opening_hours"][0] == {"weekday": 0, "opens": "09:00", "closes": "22:00"}
    assert space["can_manage"] is True
    client.cookies.clear()
    sign_in(client, inbox, "beheer@dekade.example.org")
    changed = client.patch(
        f"/api/v1/spaces/{space['id']}", json={"capacity": 60, "price_per_hour_cents": 1250}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["capacity"], changed.json()["price_per_hour_cents"]) == (60, 1250)
    assert changed.json()["facilities"] == ["beamer", "keuken"]  # untouched
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])
    refused = client.patch(f"/api/v1/spaces/{space['id']}", json={"capacity": 1})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_a_space_manager")
    assert client.get(f"/api/v1/spaces/{space['id']}").json()["capacity"] == 60


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"capacity": 0}, 422, "capacity"),
        ({"capacity": "veel"}, 422, "capacity"),
        ({"price_per_hour_cents": -5}, 422, "price_per_hour_cents"),
        ({"facilities": ["teleporter"]}, 422, "facilities"),
        ({"opening_hours": [{"weekday": 0, "opens": "22:00", "closes": "09:00"}]}, 422, "opening_hours"),
        ({"opening_hours": [{"weekday": 9, "opens": "09:00", "closes": "12:00"}]}, 422, "opening_hours"),
        ({"lat": 52.1, "lon": None}, 422, "lat"),
        ({"lat": 200.0}, 422, "lat"),
        ({"neighbourhood_id": 999_999}, 422, "neighbourhood_id"),
        ({"name": "x"}, 422, "name"),
        ({"unknown": 1}, 422, "unknown"),
    ],
)
def test_bad_spaces_are_refused_with_the_field_and_nothing_is_stored(
    client: TestClient[Any], inbox: Inbox, world: World, changes: dict[str, Any], status: int, field: str
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    response = client.post("/api/v1/spaces", json={**SPACE, "neighbourhood_id": world.zuilen_id, **changes})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(field in error["field"] for error in response.json()["errors"]), response.json()
    assert client.get("/api/v1/spaces").json()["total"] == 0


def test_listing_filters_and_the_facility_catalogue(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    register(client, world)
    register(
        client, world, name="Atelier", address="Plein 2", capacity=10, facilities=["garden"],
        wheelchair_accessible=False,
    )  # fmt: skip
    client.cookies.clear()

    def names(**params: Any) -> list[str]:
        response = client.get("/api/v1/spaces", params=params)
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    assert names() == ["Atelier", "Buurthuis De Kade"]
    assert names(people=20) == ["Buurthuis De Kade"]
    assert names(facility=["tuin"]) == ["Atelier"]
    assert names(wheelchair_accessible="true") == ["Buurthuis De Kade"]
    assert names(q="kade") == ["Buurthuis De Kade"]
    assert client.get("/api/v1/spaces", params={"facility": "teleporter"}).status_code == 422
    catalogue = client.get("/api/v1/space-facilities", headers={"accept-language": "en"}).json()
    assert {"code": "keuken", "label": "kitchen"} in catalogue
    assert {"code": "keuken", "label": "keuken"} in client.get("/api/v1/space-facilities").json()


def test_booking_twice_is_a_conflict_until_the_first_is_cancelled(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world)
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    booked = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body())
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert (booking["state"], booking["space_name"]) == ("booked", "Buurthuis De Kade")
    again = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body(start=20, end=22))
    assert (again.status_code, again.json()["code"]) == (409, "booking_conflict")
    assert again.json()["detail"] == "De ruimte is op dat moment al geboekt. Kies een andere tijd."
    agenda = client.get(f"/api/v1/spaces/{space['id']}/agenda").json()
    assert [(a["booking_id"], a["title"]) for a in agenda] == [(booking["id"], "Kookles voor kinderen")]
    assert [b["id"] for b in client.get("/api/v1/bookings").json()] == [booking["id"]]
    client.cookies.clear()  # someone else sees only that it is booked
    assert [
        (a["booking_id"], a["title"]) for a in client.get(f"/api/v1/spaces/{space['id']}/agenda").json()
    ] == [(None, None)]
    sign_in(client, inbox, world.emails["resident"])
    cancelled = client.post(f"/api/v1/bookings/{booking['id']}/cancellation")
    assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")
    twice = client.post(f"/api/v1/bookings/{booking['id']}/cancellation")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_cancelled")
    assert (
        client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body(start=20, end=22)).status_code
        == 201
    )


def test_the_agenda_shows_other_residents_only_that_the_space_is_booked(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world, owner_email="beheer@dekade.example.org")
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    booking = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body()).json()

    def agenda() -> list[tuple[Any, Any]]:
        response = client.get(f"/api/v1/spaces/{space['id']}/agenda")
        assert response.status_code == 200, response.text
        return [(a["booking_id"], a["title"]) for a in response.json()]

    assert agenda() == [(booking["id"], "Kookles voor kinderen")]  # the booker
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_resident"])  # neither booker, owner nor broker
    assert agenda() == [(None, None)]
    assert "Kookles" not in client.get(f"/api/v1/spaces/{space['id']}/agenda").text


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (booking_body(start=21, end=19), 422, "booking_ends_before_start"),
        (
            booking_body(starts_at=at(TUESDAY - timedelta(weeks=60), 19).isoformat()),
            422,
            "booking_in_past",
        ),
        (booking_body(start=8, end=23), 422, "booking_too_long"),
        (booking_body(start=21, end=23), 422, "outside_opening_hours"),
        (
            booking_body(starts_at=at(SATURDAY, 10).isoformat(), ends_at=at(SATURDAY, 12).isoformat()),
            422,
            "outside_opening_hours",
        ),
        (booking_body(people=41), 422, "over_capacity"),
        (booking_body(starts_at="2027-01-05T19:00:00"), 422, "validation_failed"),  # no time zone
        (booking_body(people=0), 422, "validation_failed"),
        (booking_body(title=""), 422, "validation_failed"),
        (
            booking_body(starts_at="2999-12-31T20:00:00+00:00", ends_at="2999-12-31T22:00:00+00:00"),
            422,
            "booking_too_far_ahead",
        ),
    ],
)
def test_bad_bookings_get_a_specific_problem_and_change_nothing(
    client: TestClient[Any], inbox: Inbox, world: World, body: dict[str, Any], status: int, code: str
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world)
    response = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=body)
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert client.get("/api/v1/bookings").json() == []
    assert client.get(f"/api/v1/spaces/{space['id']}/agenda").json() == []


def test_calendars_of_a_booking_and_of_a_space_read_back_as_icalendar(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world)
    booking = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body()).json()
    second = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body(start=10, end=12)).json()
    client.post(f"/api/v1/bookings/{second['id']}/cancellation")

    response = client.get(f"/api/v1/bookings/{booking['id']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert 'filename="boeking-' in response.headers["content-disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"booking-{booking['id']}@127.0.0.1"
    assert event.decoded("DTSTART") == at(TUESDAY, 19)
    assert event.decoded("DTEND") == at(TUESDAY, 21)
    assert str(event["SUMMARY"]) == "Kookles voor kinderen (Buurthuis De Kade)"
    assert str(event["LOCATION"]) == "Buurthuis De Kade, Kade 1, Utrecht"

    client.cookies.clear()  # the feed is public and carries no names or titles
    feed = client.get(f"/api/v1/spaces/{space['id']}/calendar.ics")
    assert feed.status_code == 200
    events = {str(e["UID"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert str(events[f"booking-{booking['id']}@127.0.0.1"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"booking-{second['id']}@127.0.0.1"]["STATUS"]) == "CANCELLED"
    assert {str(e["SUMMARY"]) for e in events.values()} == {"Geboekt: Buurthuis De Kade"}
    assert client.get(f"/api/v1/bookings/{booking['id']}/calendar.ics").status_code == 401
    assert client.get("/api/v1/spaces/999999/calendar.ics").status_code == 404


def test_an_initiative_gets_ranked_spaces_with_dutch_reasons(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    kade = register(client, world)
    register(client, world, name="Klein atelier", capacity=5)
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
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
    response = client.get(
        f"/api/v1/initiatives/{initiative_id}/space-matches", params={"facility": ["keuken"]}
    )
    assert response.status_code == 200, response.text
    [need_matches] = response.json()["needs"]
    [found] = need_matches["matches"]
    assert found["space"]["id"] == kade["id"]
    assert 0 < found["score"] <= 1
    assert [r["text"] for r in found["reasons"]][:2] == [
        "past voor 20 mensen (maximaal 40)",
        "open en vrij op het gevraagde moment",
    ]
    assert (
        client.post(f"/api/v1/spaces/{kade['id']}/bookings", json=booking_body(start=18, end=20)).status_code
        == 201
    )
    after = client.get(f"/api/v1/initiatives/{initiative_id}/space-matches").json()
    assert after["needs"][0]["matches"] == []  # booked at that time: it drops out
    client.cookies.clear()
    assert client.get(f"/api/v1/initiatives/{initiative_id}/space-matches").status_code == 404  # a draft
