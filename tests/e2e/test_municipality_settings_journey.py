"""A municipality's administrator sets the jury pool's questions and how long a verification counts in
the settings page; the platform administrator sees the look and the forms to add and rename a
municipality. Every page is axe-clean in Dutch and English, with and without an error shown.

The journey writes only to Leidschendam-Voorburg (the other journeys use Utrecht's jury questions and
the list of municipalities): the platform administrator's forms are shown with an error, not saved."""

import re
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in
from playwright.sync_api import Browser, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

SCREENSHOTS = Path("/work/shared/screenshots/issue12")


def shoot(page: Any, name: str, width: int) -> None:
    """A full-page screenshot for the report (outside the repository)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_sets_the_jury_questions_and_the_verification_period(
    browser: Browser, site: Any
) -> None:
    results = site.axe_results
    world = site.world
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/beheer")
    sign_in(page, site.inbox, world.emails["other_municipality_admin"])
    page.get_by_role("link", name="Beheer", exact=True).click()  # the header's link
    expect(page.locator("h1")).to_have_text("Beheer")
    page.get_by_role("link", name=re.compile("^Instellingen: jurypool")).click()
    expect(page.locator("h1")).to_have_text("Instellingen van Leidschendam-Voorburg")
    check(page, results, "municipality settings")
    shoot(page, "municipality-settings-desktop", 1280)
    shoot(page, "municipality-settings-320", 320)

    page.get_by_label("Sleutel (3)").fill("gebied")
    page.get_by_label("Vraag zoals vrijwilligers die lezen (3)").fill("Deel van de buurt")
    page.get_by_label("Antwoorden (3)").fill("noord = Noord")
    page.get_by_role("button", name="Vragen opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("2 tot 20")
    check(page, results, "municipality settings with an error", both_languages=False)
    page.get_by_label("Antwoorden (3)").fill("noord = Noord\nzuid = Zuid")
    page.get_by_role("button", name="Vragen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De wijzigingen zijn opgeslagen.")
    expect(page.get_by_label("Sleutel (3)")).to_have_value("gebied")

    page.get_by_label("Dagen").fill("twee jaar")
    page.get_by_role("button", name="Periode opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een heel aantal dagen in")
    page.get_by_label("Dagen").fill("365")
    page.get_by_role("button", name="Periode opslaan").click()
    expect(page.get_by_label("Dagen")).to_have_value("365")
    context.close()


def test_the_platform_administrator_sees_the_look_and_the_municipality_forms(
    browser: Browser, site: Any
) -> None:
    results = site.axe_results
    world = site.world
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/beheer")
    sign_in(page, site.inbox, world.emails["platform_admin"])
    page.goto(f"/beheer/gemeenten/{world.other_municipality_id}/instellingen")
    expect(page.get_by_label("Uiterlijk", exact=True)).to_be_visible()
    page.get_by_label("Logo (mag leeg blijven)").fill("https://elders.example/logo.png")
    page.get_by_role("button", name="Uiterlijk opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("/static/")
    check(page, results, "municipality settings, the look with an error", both_languages=False)

    page.goto("/beheer")
    page.get_by_role("link", name="Gemeente toevoegen").click()
    expect(page.locator("h1")).to_have_text("Gemeente toevoegen")
    check(page, results, "add a municipality")
    page.get_by_label("Naam", exact=True).fill("Zeist")
    page.get_by_label("CBS-code").fill("0355")
    page.get_by_role("button", name="Gemeente toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("GM")
    check(page, results, "add a municipality with an error", both_languages=False)

    page.goto(f"/beheer/gemeenten/{world.other_municipality_id}/bewerken")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Leidschendam-Voorburg")
    check(page, results, "rename a municipality")
    page.get_by_label("Naam", exact=True).fill("Utrecht")  # another municipality's name
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is al een gemeente met deze naam.")
    check(page, results, "rename a municipality with an error", both_languages=False)
    context.close()
