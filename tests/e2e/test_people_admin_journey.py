"""A municipality administrator finds their people, gives a new colleague a role and revokes it again;
every page is axe-clean in Dutch and English, and the people page is photographed at 320 px and desktop."""

import re
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in
from playwright.sync_api import Browser, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

SCREENSHOTS = Path("/work/shared/screenshots/issue12")
NEWCOMER = "nieuwe.makelaar.e2e@example.org"


def shoot(page: Any, name: str, width: int) -> None:
    """A full-page screenshot for the report (outside the repository)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_gives_and_revokes_a_role(browser: Browser, site: Any) -> None:
    results = site.axe_results
    world = site.world
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/beheer")
    sign_in(page, site.inbox, world.emails["municipality_admin"])
    expect(page.locator("h1")).to_have_text("Beheer")
    check(page, results, "staff home")
    page.get_by_role("link", name=re.compile("^Mensen en rollen")).click()
    expect(page.locator("h1")).to_have_text("Mensen van Utrecht")
    expect(page.get_by_role("main")).to_contain_text(world.emails["broker"])
    check(page, results, "people list")
    shoot(page, "people-desktop", 1280)
    shoot(page, "people-320", 320)

    page.get_by_label("Rol").select_option(label="Sociaal makelaar")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("main")).to_contain_text("Gevonden mensen: 2")
    expect(page.get_by_role("main")).not_to_contain_text(world.emails["advisor"])

    page.get_by_role("link", name="Iemand een rol geven").first.click()
    expect(page.locator("h1")).to_have_text("Iemand een rol geven")
    check(page, results, "assign a role")
    page.get_by_label("E-mailadres").fill("geen adres")
    page.get_by_label("Rol").select_option(label="Sociaal makelaar")
    page.get_by_label("Buurt").select_option(label="Ondiep")
    page.get_by_role("button", name="Rol geven en e-mail sturen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
    )
    check(page, results, "assign a role with an error", both_languages=False)
    page.get_by_label("E-mailadres").fill(NEWCOMER)
    page.get_by_role("button", name="Rol geven en e-mail sturen").click()
    expect(page.get_by_role("status")).to_contain_text("De rol is gegeven.")
    expect(page.get_by_role("main")).to_contain_text("Sociaal makelaar")
    expect(page.get_by_role("main")).to_contain_text("Ondiep")
    check(page, results, "a person's roles")
    assert site.inbox.last_to(NEWCOMER)["Subject"] == "Uw rol op Buurtbudget"

    page.get_by_role("link", name=re.compile("^Deze rol intrekken")).click()
    expect(page.locator("h1")).to_have_text("Een rol intrekken")
    check(page, results, "revoke a role")
    page.get_by_role("button", name="Ja, trek de rol in").click()
    expect(page.get_by_role("alert")).to_contain_text("Geef een reden.")
    check(page, results, "revoke a role with an error", both_languages=False)
    page.get_by_label("Reden").fill("Verkeerde buurt gekozen")
    page.get_by_role("button", name="Ja, trek de rol in").click()
    expect(page.get_by_role("status")).to_contain_text("De rol is ingetrokken.")
    expect(page.locator("h1")).to_have_text("Mensen van Utrecht")
    context.close()


def test_the_people_pages_work_without_javascript(browser: Browser, site: Any) -> None:
    context = new_context(browser, site, javascript=False)
    page = context.new_page()
    page.goto(f"/beheer/gemeenten/{site.world.municipality_id}/mensen")
    sign_in(page, site.inbox, site.world.emails["platform_admin"])
    expect(page.locator("h1")).to_have_text("Mensen van Utrecht")
    page.get_by_label("Naam of e-mailadres").fill("advisor@")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("main")).to_contain_text("Gevonden mensen: 1")
    page.get_by_role("link", name="Iemand een rol geven").first.click()
    page.get_by_label("E-mailadres").fill(site.world.emails["advisor"])
    page.get_by_label("Rol").select_option(label="Adviseur van de jury")
    page.get_by_label("Buurt").select_option(label="Zuilen")
    page.get_by_role("button", name="Rol geven en e-mail sturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze persoon heeft deze rol hier al.")
    context.close()
