"""The residents' front door: a municipality's look, themes by label, the full check step that keeps the
contact consent, and an initiative page with its bookings and agreed volunteers (only for its team)."""

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import InvalidInput, NotFound
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.models import Initiator
from buurtbudget.initiatives.rules import DraftContent, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.pabulib_import import PabulibImport
from buurtbudget.people import service as people
from buurtbudget.places import looks
from buurtbudget.places.models import Municipality
from buurtbudget.pots.service import PotService
from buurtbudget.spaces.bookings import BookingInput, BookingService
from buurtbudget.spaces.periods import Window
from buurtbudget.spaces.rules import SpaceInput
from buurtbudget.spaces.service import SpaceService
from buurtbudget.volunteers.rules import ProfileInput, WeeklyInput
from buurtbudget.volunteers.service import VolunteerService
from buurtbudget.workdays import AMSTERDAM

SLOTERDIJK = (
    Path(__file__).resolve().parents[2].parent / "shared/data/pabulib/nl/Netherlands_Amsterdam_643.pb"
)


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def body_classes(html: str) -> str:
    found = re.search(r'<body class="([^"]+)"', html)
    assert found
    return found.group(1)


# --- a municipality's look --------------------------------------------------------------------


async def test_pages_of_a_municipality_wear_its_theme_and_logo_and_others_the_default(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    await looks.set_look(session, "GM0344", "voorbeeld", logo_url="/static/img/utrecht.svg", actor_id=None)
    await looks.set_look(session, "gm1916", "utrecht", actor_id=None)
    zuilen = client.get("/buurten/zuilen")
    assert "voorbeeld-theme" in body_classes(zuilen.text)
    assert "/static/vendor/voorbeeld-tokens.css" in zuilen.text
    assert '<img class="site-logo" src="/static/img/utrecht.svg" alt="Gemeente Utrecht">' in zuilen.text
    assert "look-utrecht" in body_classes(client.get("/buurten/bovenveen").text)
    home = client.get("/")
    assert "buurtbudget-theme" in body_classes(home.text)  # no municipality: the default
    assert "site-logo" not in home.text
    [initiative_id] = await new_initiatives(session, world, 1)
    await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    assert "voorbeeld-theme" in body_classes(client.get(f"/initiatieven/{initiative_id}").text)
    entries = (
        await session.execute(select(AuditEntry).where(AuditEntry.action == "municipality.look_changed"))
    ).scalars()
    assert [entry.data for entry in entries][:1] == [
        {"theme": "voorbeeld", "logo_url": "/static/img/utrecht.svg"}
    ]


@pytest.mark.parametrize(
    ("theme", "logo", "field"),
    [
        ("paars", None, "theme"),
        ("utrecht", "https://elders.example/logo.png", "logo_url"),
        ("utrecht", "javascript:alert(1)", "logo_url"),
        ("utrecht", "/static/" + "a" * 300, "logo_url"),
    ],
)
async def test_a_theme_not_shipped_or_a_logo_from_elsewhere_is_refused_and_nothing_changes(
    session: AsyncSession, world: World, theme: str, logo: str | None, field: str
) -> None:
    change = (
        looks.set_look(session, "GM0344", theme, actor_id=None)
        if logo is None
        else looks.set_look(session, "GM0344", theme, logo_url=logo, actor_id=None)
    )
    with pytest.raises(InvalidInput) as refused:
        await change
    assert refused.value.field == field
    municipality = await session.scalar(select(Municipality).where(Municipality.cbs_code == "GM0344"))
    assert municipality is not None
    assert (municipality.theme, municipality.logo_url) == ("buurtbudget", None)
    with pytest.raises(NotFound):
        await looks.set_look(session, "GM9999", "utrecht", actor_id=None)


# --- the check step -----------------------------------------------------------------------------


def _evening() -> tuple[datetime, datetime]:
    day = datetime.now(AMSTERDAM).date() + timedelta(days=20)
    day = date(day.year, day.month, day.day)
    starts = datetime.combine(day, time(19, 30), tzinfo=AMSTERDAM).astimezone(UTC)
    return starts, starts + timedelta(hours=2, minutes=15)


async def _full_draft(session: AsyncSession, world: World) -> int:
    [initiative_id] = await new_initiatives(session, world, 1)
    service = InitiativeService(session)
    starts, ends = _evening()
    await service.update_draft(
        world.actors["resident"],
        initiative_id,
        DraftContent(
            themes=["groen", "zitplekken"],
            volunteer_needs=[VolunteerNeedInput("koken", 6)],
            space_needs=[SpaceNeedInput("Een zaal met keuken", 25, starts, ends)],
        ),
    )
    await service.invite_co_initiator(world.actors["resident"], initiative_id, "buurvrouw@example.org")
    await session.commit()
    return int(initiative_id)


async def test_the_check_step_shows_everything_that_is_sent_with_a_change_link_for_every_step(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    initiative_id = await _full_draft(session, world)
    sign_in(client, inbox, world.emails["resident"])
    review = client.get(f"/initiatieven/{initiative_id}/stappen/controleren")
    assert review.status_code == 200
    text = review.text
    assert "Initiatief 1" in text
    assert "Een plan voor de buurt." in text
    assert "groen, zitplekken" in text  # the label, and a typed theme as typed
    client.post("/taal", data={"locale": "en", "next": "/", "_csrf_token": csrf_token(text)})
    english = client.get(f"/initiatieven/{initiative_id}/stappen/controleren").text
    assert "green, zitplekken" in english
    assert "Materiaal" in text
    assert "€\xa0500,00" in text
    assert "koken, 6 uur" in text
    starts, _ends = _evening()
    when = starts.astimezone(AMSTERDAM)
    assert f"{when.day} " in text
    assert "19:30\u201321:45" in text
    assert "buurvrouw@example.org (uitgenodigd)" in text
    for slug in ("plan", "themas", "begroting", "hulp", "mede-initiatiefnemers"):
        assert f'class="utrecht-link change-link" href="/initiatieven/{initiative_id}/stappen/{slug}"' in text


async def _consent(session: AsyncSession, initiative_id: int, person_id: int) -> bool:
    session.expire_all()
    row = await session.scalar(
        select(Initiator.contact_consent).where(
            Initiator.initiative_id == initiative_id, Initiator.person_id == person_id
        )
    )
    await session.commit()  # end the read: SQLite lets the app write again
    return bool(row)


async def test_the_ticked_consent_is_kept_when_the_plan_is_sent_in(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    [initiative_id] = await new_initiatives(session, world, 1)
    sign_in(client, inbox, world.emails["resident"])
    review = client.get(f"/initiatieven/{initiative_id}/stappen/controleren")
    assert 'name="toestemming"' in review.text
    response = client.post(
        f"/initiatieven/{initiative_id}/insturen",
        data={"_csrf_token": csrf_token(review.text), "toestemming_gevraagd": "ja", "toestemming": "ja"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    person_id = world.actors["resident"].person_id
    assert person_id is not None
    assert await _consent(session, initiative_id, person_id)
    assert "Ingestuurd" in client.get(f"/initiatieven/{initiative_id}").text
    actions = (
        await session.execute(
            select(AuditEntry.action).where(AuditEntry.subject_id == initiative_id).order_by(AuditEntry.id)
        )
    ).scalars()
    assert "initiative.contact_consent" in list(actions)


async def test_an_incomplete_plan_keeps_the_tick_on_the_page_but_saves_nothing(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    draft = await InitiativeService(session).create_draft(
        world.actors["resident"], world.zuilen_id, DraftContent(title="Alleen een titel")
    )
    sign_in(client, inbox, world.emails["resident"])
    review = client.get(f"/initiatieven/{draft.id}/stappen/controleren")
    response = client.post(
        f"/initiatieven/{draft.id}/insturen",
        data={"_csrf_token": csrf_token(review.text), "toestemming_gevraagd": "ja", "toestemming": "ja"},
    )
    assert response.status_code == 409
    assert 'value="ja" checked aria-describedby="toestemming-uitleg"' in response.text
    person_id = world.actors["resident"].person_id
    assert person_id is not None
    assert not await _consent(session, draft.id, person_id)


async def test_keeping_the_draft_from_the_check_step_keeps_the_tick_too(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    [initiative_id] = await new_initiatives(session, world, 1)
    sign_in(client, inbox, world.emails["resident"])
    review = client.get(f"/initiatieven/{initiative_id}/stappen/controleren")
    assert f'formaction="/initiatieven/{initiative_id}/contact-toestemming"' in review.text
    response = client.post(
        f"/initiatieven/{initiative_id}/contact-toestemming",
        data={
            "_csrf_token": csrf_token(review.text),
            "toestemming_gevraagd": "ja",
            "toestemming": "ja",
            "terug": "pagina",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/initiatieven/{initiative_id}?")
    person_id = world.actors["resident"].person_id
    assert person_id is not None
    assert await _consent(session, initiative_id, person_id)
    assert "Concept" in client.get(f"/initiatieven/{initiative_id}").text


# --- the initiative page: bookings and agreed volunteers ------------------------------------------


async def _booked_and_helped(session: AsyncSession, world: World) -> int:
    initiative_id = await _full_draft(session, world)
    owner = world.actors["resident"]
    await InitiativeService(session).act(owner, initiative_id, Action.SUBMIT)
    space = await SpaceService(session).register(
        world.actors["broker"],
        SpaceInput(
            name="Buurthuis De Kade",
            neighbourhood_id=world.zuilen_id,
            capacity=40,
            description="Een zaal met keuken.",
            address="Kade 1, Utrecht",
            price_per_hour_cents=0,
            wheelchair_accessible=True,
            accessible_toilet=True,
            facilities=["keuken"],
            opening_hours=[Window(day, 9 * 60, 23 * 60) for day in range(7)],
        ),
        owner_email=None,
    )
    starts, ends = _evening()
    await BookingService(session).book(
        owner, space.id, BookingInput(starts, ends, 25, "Kookavond", initiative_id=initiative_id)
    )
    person = await people.get_or_create(session, "vera@example.org", actor_id=None, display_name="Vera K.")
    await session.commit()
    helper = people.actor_for(person)
    service = VolunteerService(session)
    await service.save_profile(
        helper,
        ProfileInput(
            neighbourhood_id=world.zuilen_id,
            skills=["koken"],
            themes=[],
            weekly=[WeeklyInput(1, "19:00", "22:00")],
            dated=[],
            max_commitments=2,
            consent=True,
        ),
    )
    match = await service.offer(helper, initiative_id)
    await service.answer(owner, match.id, accept=True, locale="nl")
    await session.commit()  # end the reads: SQLite lets the app write again
    return initiative_id


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("resident", True),
        ("broker", True),
        (None, False),
        ("other_resident", False),
        ("other_broker", False),
        ("juror", False),
        ("advisor", False),
        ("municipality_admin", True),  # supports the neighbourhoods of its municipality
        ("other_municipality_admin", False),
        ("platform_admin", True),
    ],
)
async def test_the_initiative_page_shows_bookings_and_agreed_volunteers_to_its_team_only(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World, who: str | None, sees: bool
) -> None:
    initiative_id = await _booked_and_helped(session, world)
    if who is not None:
        sign_in(client, inbox, world.emails[who])
    page = client.get(f"/initiatieven/{initiative_id}")
    assert page.status_code == 200
    assert ("Buurthuis De Kade" in page.text) is sees
    assert ("19:30\u201321:45" in page.text) is sees
    assert ("Vera K." in page.text) is sees
    assert "vera@example.org" not in page.text  # never an address
    if sees:
        assert "Geboekt" in page.text


async def test_the_api_gives_each_theme_key_its_label_in_the_asked_language(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    initiative_id = await _full_draft(session, world)
    await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    await session.commit()
    listed = client.get("/api/v1/initiatives", headers={"accept-language": "en"}).json()["items"]
    [item] = [i for i in listed if i["id"] == initiative_id]
    assert (item["themes"], item["theme_labels"]) == (["groen", "zitplekken"], ["green", "zitplekken"])
    detail = client.get(f"/api/v1/initiatives/{initiative_id}", headers={"accept-language": "nl"}).json()
    assert detail["theme_labels"] == ["groen", "zitplekken"]


async def test_the_neighbourhoods_api_names_each_municipality_s_look(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    await looks.set_look(session, "GM1916", "voorbeeld", logo_url="/static/img/lv.svg", actor_id=None)
    listed = client.get("/api/v1/neighbourhoods").json()
    by_slug = {n["slug"]: n["municipality"] for n in listed}
    assert (by_slug["bovenveen"]["theme"], by_slug["bovenveen"]["logo_url"]) == (
        "voorbeeld",
        "/static/img/lv.svg",
    )
    assert (by_slug["zuilen"]["theme"], by_slug["zuilen"]["logo_url"]) == ("buurtbudget", None)


async def test_a_pots_guide_and_a_rounds_pages_wear_their_municipality_s_look(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    await looks.set_look(session, "GM0344", "utrecht", actor_id=None)
    await PotService(session).fund(world.actors["municipality_admin"], world.pot_id, 10_000_00)
    imported = await PabulibImport(session).import_file(
        world.actors["municipality_admin"], world.pot_id, SLOTERDIJK
    )
    await session.commit()
    for path in (
        f"/potten/{world.pot_id}/zo-werkt-het",
        f"/rondes/{imported.round_id}",
        f"/rondes/{imported.round_id}/uitslag",
    ):
        shown = client.get(path)
        assert shown.status_code == 200, path
        assert "look-utrecht" in body_classes(shown.text), path
