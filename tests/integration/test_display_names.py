"""Display names are chosen by the person (asked at first sign-in, editable); none is made from an address."""

import asyncio
import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db import migrate
from buurtbudget.db.engine import create_engine
from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people import service as people
from buurtbudget.people.models import Person
from buurtbudget.people.verification import ensure_verified

ANNA = "anna.jansen@example.org"
# Every part of Anna's address that a name guessed from it could show (the broker's work address is
# shown on purpose: residents contact their broker).
ADDRESS_PARTS = re.compile(r"anna|jansen", re.IGNORECASE)


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


async def annas_plan(session: AsyncSession, world: World) -> int:
    """A plan sent in by Anna, a Zuilen resident who has not chosen a name."""
    async with transaction(session):
        anna = await people.get_or_create(session, ANNA, actor_id=None)
        await ensure_verified(session, anna, world.zuilen_id)
    actor = people.actor_for(anna)
    service = InitiativeService(session)
    initiative = await service.create_draft(
        actor,
        world.zuilen_id,
        DraftContent(
            title="Moestuin aan de Vecht",
            summary="Samen groenten kweken.",
            cost_lines=[CostLineInput("Zaden", 80_00)],
        ),
    )
    await service.act(actor, initiative.id, Action.SUBMIT)
    return initiative.id


async def test_no_name_is_made_from_the_address(session: AsyncSession) -> None:
    async with transaction(session):
        person = await people.get_or_create(session, ANNA, actor_id=None)
    assert person.display_name == ""


async def test_public_pages_never_show_any_part_of_an_e_mail_address(
    session: AsyncSession, world: World, client: TestClient[Any]
) -> None:
    initiative_id = await annas_plan(session, world)
    page = client.get(f"/initiatieven/{initiative_id}")
    assert page.status_code == 200
    assert "Moestuin aan de Vecht" in page.text
    assert "Bewoner" in page.text
    assert "Contactpersoon: Sociaal makelaar" in page.text  # a broker without a name: their role
    assert "Sociaal makelaar · " in client.get("/buurten/zuilen").text
    shown = page.text
    assert not ADDRESS_PARTS.findall(shown)
    answer = client.get(f"/api/v1/initiatives/{initiative_id}", headers={"Accept-Language": "nl"})
    assert answer.status_code == 200
    assert [i["display_name"] for i in answer.json()["initiators"]] == ["Bewoner"]
    assert not ADDRESS_PARTS.findall(answer.text)


async def test_the_chosen_name_is_shown_once_it_is_set_through_the_api(
    session: AsyncSession, world: World, client: TestClient[Any], inbox: Inbox
) -> None:
    initiative_id = await annas_plan(session, world)
    sign_in(client, inbox, ANNA)
    assert client.get("/api/v1/people/me").json()["display_name"] == ""
    for bad, reason in (
        ("", "Vul de naam in"),
        ("anna@example.org", "geen e-mailadres"),
        ("x" * 61, "60 tekens"),
    ):
        refused = client.patch(
            "/api/v1/people/me", json={"display_name": bad}, headers={"Accept-Language": "nl"}
        )
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["field"] == "display_name"
        assert reason in refused.json()["detail"] + refused.json()["errors"][0]["reason"]
    chosen = client.patch("/api/v1/people/me", json={"display_name": "  Anna   uit Zuilen "})
    assert chosen.status_code == 200
    assert chosen.json()["display_name"] == "Anna uit Zuilen"
    client.delete("/api/v1/auth/session")
    assert "Anna uit Zuilen" in client.get(f"/initiatieven/{initiative_id}").text


def test_the_first_sign_in_asks_for_a_name_and_then_goes_where_the_person_was_going(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    form = client.get("/inloggen?volgende=/mijn-initiatieven")
    client.post("/inloggen", data={"email": ANNA, "_csrf_token": csrf_token(form.text)})
    token = inbox.sign_in_token(ANNA)
    confirm = client.get(f"/inloggen/bevestigen?token={token}")
    signed_in = client.post(
        "/inloggen/bevestigen",
        data={"token": token, "_csrf_token": csrf_token(confirm.text)},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/mijn-naam?volgende=%2Fmijn-initiatieven"
    page = client.get(signed_in.headers["location"])
    assert "Welke naam mogen anderen zien" in page.text
    refused = client.post(
        "/mijn-naam",
        data={"display_name": ANNA, "next": "/mijn-initiatieven", "_csrf_token": csrf_token(page.text)},
    )
    assert refused.status_code == 422
    assert "geen e-mailadres" in refused.text
    saved = client.post(
        "/mijn-naam",
        data={"display_name": "Anna", "next": "/mijn-initiatieven", "_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/mijn-initiatieven"
    assert client.get("/api/v1/people/me").json()["display_name"] == "Anna"
    assert 'value="Anna"' in client.get("/mijn-naam").text  # editable later


def test_a_later_sign_in_does_not_ask_again(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, world.emails["resident"])
    assert client.patch("/api/v1/people/me", json={"display_name": "Ria"}).status_code == 200
    client.delete("/api/v1/auth/session")
    form = client.get("/inloggen?volgende=/rondes")
    client.post("/inloggen", data={"email": world.emails["resident"], "_csrf_token": csrf_token(form.text)})
    token = inbox.sign_in_token(world.emails["resident"])
    confirm = client.get(f"/inloggen/bevestigen?token={token}")
    response = client.post(
        "/inloggen/bevestigen",
        data={"token": token, "_csrf_token": csrf_token(confirm.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/rondes"


def test_the_migration_removes_names_that_were_guessed_from_addresses(sqlite_url: str) -> None:
    migrate.downgrade(sqlite_url, "0010")

    async def insert_and_read(after: bool) -> dict[str, str]:
        engine = create_engine(sqlite_url)
        async with engine.begin() as connection:
            if not after:
                await connection.execute(
                    text(
                        "INSERT INTO people (email, display_name, created_at) VALUES "
                        "('anna.jansen@example.org', 'Anna Jansen', CURRENT_TIMESTAMP), "
                        "('piet@example.org', 'Piet', CURRENT_TIMESTAMP), "
                        "('k@example.org', 'Karin van Dam', CURRENT_TIMESTAMP)"
                    )
                )
            rows = await connection.execute(select(Person.email, Person.display_name))
            names = dict(rows.tuples().all())
        await engine.dispose()
        return names

    asyncio.run(insert_and_read(after=False))
    migrate.upgrade(sqlite_url)
    names = asyncio.run(insert_and_read(after=True))
    assert names == {"anna.jansen@example.org": "", "piet@example.org": "", "k@example.org": "Karin van Dam"}
