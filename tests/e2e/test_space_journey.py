"""A broker registers a space; a resident finds it for their initiative, books it, downloads the ICS file,
is refused a second booking of the same time in plain Dutch, and cancels the booking."""

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in, snap
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from buurtbudget.workdays import AMSTERDAM

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

SPACE = "Buurthuis De Kade (e2e)"


def coming_tuesday() -> datetime:
    today = datetime.now(AMSTERDAM).date()
    day = today + timedelta(days=7 + (1 - today.weekday()) % 7)
    return datetime.combine(day, time(19), tzinfo=AMSTERDAM)


def test_a_space_is_registered_found_booked_refused_twice_and_cancelled(
    browser: Browser, site: Any, tmp_path: Path
) -> None:
    results = site.axe_results
    world = site.world

    # The broker registers the neighbourhood centre's hall.
    broker = new_context(browser, site)
    page = broker.new_page()
    page.goto("/ruimtes")
    expect(page.locator("h1")).to_have_text("Ruimtes")
    check(page, results, "spaces")
    page.get_by_role("link", name="Ruimte aanmelden").click()
    sign_in(page, site.inbox, world.emails["broker"])
    expect(page.locator("h1")).to_have_text("Ruimte aanmelden")
    check(page, results, "register a space")
    snap(page, "space-register")
    page.get_by_label("Naam van de ruimte").fill(SPACE)
    page.get_by_label("Buurt", exact=True).select_option(str(world.zuilen_id))
    page.get_by_label("Adres", exact=True).fill("Kade 1, Utrecht")
    page.get_by_label("Voor hoeveel mensen hoogstens?").fill("40")
    page.get_by_label("Prijs per uur in euro").fill("0")
    page.get_by_label("Rolstoeltoegankelijk").check()
    page.get_by_label("keuken").check()
    for day in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"):
        page.get_by_label(f"{day}: open van").fill("09:00")
        page.get_by_label(f"{day}: open tot").fill("22:00")
    page.get_by_role("button", name="Ruimte opslaan").click()
    expect(page.locator("h1")).to_have_text(SPACE)
    expect(page.get_by_role("status")).to_contain_text("De ruimte is opgeslagen.")
    check(page, results, "a space with its agenda")
    snap(page, "space")
    space_url = page.url.split("?")[0]
    broker.close()

    # A resident with an initiative that needs a hall on Tuesday evening.
    resident = new_context(browser, site)
    page = resident.new_page()
    page.goto("/inloggen")
    sign_in(page, site.inbox, world.emails["resident"])
    starts = coming_tuesday()
    created = page.request.post(
        "/api/v1/initiatives",
        data={
            "neighbourhood_id": world.zuilen_id,
            "title": "Kookles voor kinderen",
            "space_needs": [
                {
                    "description": "Zaal met keuken",
                    "capacity": 20,
                    "starts_at": starts.astimezone(UTC).isoformat(),
                    "ends_at": (starts + timedelta(hours=2)).astimezone(UTC).isoformat(),
                }
            ],
        },
    )
    assert created.status == 201, created.text()
    initiative_id = created.json()["id"]
    page.goto(f"/initiatieven/{initiative_id}/ruimtes")
    expect(page.locator("h1")).to_have_text("Ruimtes voor Kookles voor kinderen")
    card = page.locator(".card", has_text=SPACE)
    expect(card).to_contain_text("past voor 20 mensen (maximaal 40)")
    expect(card).to_contain_text("in dezelfde buurt (Zuilen)")
    check(page, results, "suitable spaces for an initiative")
    snap(page, "space-matches")

    card.get_by_role("link", name=re.compile("Boeken")).click()
    expect(page.locator("h1")).to_have_text(f"{SPACE} boeken")
    expect(page.get_by_label("Van (tijd)")).to_have_value("19:00")
    check(page, results, "book a space")
    snap(page, "space-book")
    page.get_by_label("Waar is het voor?").fill("Kookles voor kinderen")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("status")).to_contain_text("De ruimte is voor u geboekt.")
    check(page, results, "a booking")
    snap(page, "booking")
    booking_url = page.url.split("?")[0]

    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in uw agenda (ICS)").click()
    saved = tmp_path / "boeking.ics"
    download.value.save_as(saved)
    [event] = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == starts.astimezone(UTC)
    assert str(event["SUMMARY"]) == f"Kookles voor kinderen ({SPACE})"
    assert str(event["LOCATION"]) == f"{SPACE}, Kade 1, Utrecht"

    # The same time once more: refused, in plain Dutch, next to the field.
    page.goto(f"{space_url}/boeken?datum={starts.date().isoformat()}&van=19:00&tot=21:00&mensen=20")
    page.get_by_label("Waar is het voor?").fill("Nog een kookles")
    page.get_by_role("button", name="Boeken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("De ruimte is op dat moment al geboekt.")
    expect(page.get_by_label("Van (tijd)")).to_have_attribute("aria-invalid", "true")
    check(page, results, "a refused second booking", both_languages=False)
    snap(page, "space-book-refused")

    page.goto("/mijn-boekingen")
    expect(page.get_by_role("main")).to_contain_text("Kookles voor kinderen")
    check(page, results, "my bookings")
    page.goto(booking_url)
    page.get_by_role("link", name="Boeking annuleren").click()
    expect(page.locator("h1")).to_have_text("Boeking annuleren")
    check(page, results, "cancel a booking")
    page.get_by_role("button", name="Ja, annuleren").click()
    expect(page.get_by_role("status")).to_contain_text("Deze boeking is geannuleerd.")
    page.goto(space_url)
    expect(page.get_by_role("main")).to_contain_text("Nog geen boekingen")
    resident.close()
