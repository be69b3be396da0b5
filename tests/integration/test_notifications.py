"""Mails people expect: initiators on every step, the broker when a plan comes in, who invites a
co-initiator, the space's owner and the booker on a booking; each in the recipient's own language."""

from email.message import EmailMessage
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_spaces import booking_body, register
from test_pages import csrf_token

PLAN = {
    "neighbourhood_id": 0,
    "title": "Moestuin op het plein",
    "summary": "Samen groente kweken op het plein.",
    "cost_lines": [{"description": "Aarde en zaden", "amount_cents": 45000}],
}


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def mails_to(inbox: Inbox, address: str) -> list[EmailMessage]:
    return [m for m in inbox.messages if m["To"] == address]


def new_plan(client: TestClient[Any], world: World) -> int:
    response = client.post("/api/v1/initiatives", json={**PLAN, "neighbourhood_id": world.zuilen_id})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def step(client: TestClient[Any], initiative_id: int, action: str) -> None:
    response = client.post(f"/api/v1/initiatives/{initiative_id}/transitions", json={"action": action})
    assert response.status_code == 200, response.text


def test_the_broker_hears_of_a_plan_sent_in_and_the_initiators_of_every_step(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    initiative_id = new_plan(client, world)
    inbox.messages.clear()
    step(client, initiative_id, "submit")
    [to_broker] = mails_to(inbox, world.emails["broker"])
    assert to_broker["Subject"] == "Er is een nieuw plan ingediend"
    assert f"http://127.0.0.1:8000/initiatieven/{initiative_id}" in body_of(to_broker)
    [to_resident] = mails_to(inbox, world.emails["resident"])
    assert "ingediend" in to_resident["Subject"]
    assert "Moestuin op het plein" in body_of(to_resident)
    assert mails_to(inbox, world.emails["other_broker"]) == []  # another neighbourhood's broker

    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    inbox.messages.clear()
    step(client, initiative_id, "start_review")
    step(client, initiative_id, "mark_ready")
    subjects = [m["Subject"] for m in mails_to(inbox, world.emails["resident"])]
    assert len(subjects) == 2
    assert "beoordeeld" in subjects[0]
    assert "jury" in subjects[1]


def test_an_invitation_says_who_invites_in_the_invitees_language(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, "guest@example.org")  # a person who reads English
    token = csrf_token(client.get("/").text)
    chosen = client.post(
        "/taal", data={"locale": "en", "next": "/", "_csrf_token": token}, follow_redirects=False
    )
    assert chosen.status_code == 303
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    assert client.patch("/api/v1/people/me", json={"display_name": "Anna de Vries"}).status_code == 200
    initiative_id = new_plan(client, world)
    inbox.messages.clear()
    invited = client.post(
        f"/api/v1/initiatives/{initiative_id}/co-initiators", json={"email": "guest@example.org"}
    )
    assert invited.status_code == 201, invited.text
    [mail] = mails_to(inbox, "guest@example.org")
    assert mail["Subject"] == "Anna de Vries invites you to join an initiative"
    assert body_of(mail).startswith(
        "Anna de Vries invites you to join the initiative 'Moestuin op het plein'"
    )


def test_the_owner_and_the_booker_hear_of_a_booking_and_its_cancellation(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    space = register(client, world, owner_email="beheer@dekade.example.org")
    client.cookies.clear()
    sign_in(client, inbox, world.emails["resident"])
    inbox.messages.clear()
    booked = client.post(f"/api/v1/spaces/{space['id']}/bookings", json=booking_body())
    assert booked.status_code == 201, booked.text
    [to_owner] = mails_to(inbox, "beheer@dekade.example.org")
    [to_booker] = mails_to(inbox, world.emails["resident"])
    assert to_owner["Subject"] == "Buurthuis De Kade is geboekt"
    assert to_booker["Subject"] == "Je hebt Buurthuis De Kade geboekt"
    assert "Kookles voor kinderen" in body_of(to_owner)
    assert "19:00" in body_of(to_booker)
    inbox.messages.clear()
    cancelled = client.post(f"/api/v1/bookings/{booked.json()['id']}/cancellation")
    assert cancelled.status_code == 200, cancelled.text
    assert {m["To"] for m in inbox.messages} == {"beheer@dekade.example.org", world.emails["resident"]}
    assert all(m["Subject"] == "Boeking geannuleerd: Buurthuis De Kade" for m in inbox.messages)
