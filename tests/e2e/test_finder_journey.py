"""The municipality sets up neighbourhoods and postcodes in pages (a CSV import with its preview), and a
resident finds their neighbourhood on the home page by postcode, by a mistyped name, and among two
neighbourhoods with the same name told apart by their district; every page is axe-clean."""

from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in, snap
from playwright.sync_api import Browser, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

REPORT_SHOTS = Path("/work/shared/screenshots/issue12")  # for the closing note, outside the repo
NEIGHBOURHOODS = (
    "buurtcode;buurtnaam;wijkcode;wijknaam;gemeentecode;gemeentenaam\n"
    "BU03440901;Centrum;WK034409;Lunetten;GM0344;Utrecht\n"
    "BU03440300;Elinkwijk;WK034403;Zuilen;GM0344;Utrecht\n"
)
POSTCODES = "postcode;buurtcode\n3552;WK034403\n3552AB;BU03440300\n3524;WK034409\n"


def report_shot(page: Page, name: str, width: int) -> None:
    REPORT_SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(REPORT_SHOTS / name), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def upload(page: Page, kind: str, path: Path) -> None:
    page.get_by_label("In het bestand staan").select_option(kind)
    page.get_by_label("CSV-bestand").set_input_files(str(path))
    page.get_by_role("button", name="Controleer het bestand").click()


def test_the_municipality_sets_up_places_and_a_resident_finds_their_neighbourhood(
    browser: Browser, site: Any, tmp_path: Path
) -> None:
    results = site.axe_results
    world = site.world
    base = f"/beheer/gemeenten/{world.municipality_id}/buurten"

    admin = new_context(browser, site).new_page()
    admin.goto(base)
    sign_in(admin, site.inbox, world.emails["municipality_admin"])
    expect(admin.locator("h1")).to_have_text("Buurten van Utrecht")
    check(admin, results, "municipality neighbourhoods")
    snap(admin, "places-list")

    # A neighbourhood added by hand, with a wrong code first.
    admin.get_by_role("link", name="Een buurt toevoegen").click()
    check(admin, results, "add a neighbourhood")
    admin.get_by_label("Naam", exact=True).fill("Centrum")
    admin.get_by_label("Wijk of stadsdeel").fill("Binnenstad")
    admin.get_by_label("CBS-code").fill("BU12")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.locator("#cbs_code-fout")).to_contain_text("BU en 8 cijfers")
    check(admin, results, "add a neighbourhood, with an error", both_languages=False)
    admin.get_by_label("CBS-code").fill("BU03440000")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_role("status")).to_contain_text("De buurt is toegevoegd.")

    # A CBS file: first the preview, then the confirmation.
    admin.get_by_role("link", name="Importeren uit een CSV-bestand").click()
    check(admin, results, "import a CSV file")
    broken = tmp_path / "kapot.csv"
    broken.write_text(NEIGHBOURHOODS + "BU0344;Kapot;WK034409;Lunetten;GM0344;Utrecht\n", encoding="utf-8")
    upload(admin, "buurten", broken)
    expect(admin.locator(".import-problems")).to_contain_text("Regel 4: BU0344 is geen CBS-buurtcode")
    check(admin, results, "import refused", both_languages=False)
    good = tmp_path / "buurten.csv"
    good.write_text(NEIGHBOURHOODS, encoding="utf-8-sig")
    upload(admin, "buurten", good)
    expect(admin.locator("h1")).to_have_text("Controleer de import")
    expect(admin.locator("main")).to_contain_text("Nieuwe buurten: 2")
    check(admin, results, "import preview", both_languages=False)  # a POST's answer: no language switch
    snap(admin, "places-import-preview")
    admin.get_by_role("button", name="Ja, importeer dit bestand").click()
    expect(admin.get_by_role("status")).to_contain_text("De buurten zijn geïmporteerd.")
    admin.get_by_role("link", name="Importeren uit een CSV-bestand").click()
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text(POSTCODES, encoding="utf-8")
    upload(admin, "postcodes", postcodes)
    admin.get_by_role("button", name="Ja, importeer dit bestand").click()
    expect(admin.get_by_role("status")).to_contain_text("De postcodes zijn geïmporteerd.")

    # Borders, both ways.
    admin.goto(f"{base}/{world.zuilen_id}/grenzen")
    check(admin, results, "neighbourhood borders")
    admin.get_by_label("Grenst aan").select_option(str(world.lunetten_id))
    admin.get_by_role("button", name="Voeg de grens toe").click()
    expect(admin.locator("main")).to_contain_text("Lunetten")
    admin.goto(f"{base}/{world.zuilen_id}")
    check(admin, results, "edit a neighbourhood")
    admin.goto(f"/beheer/gemeenten/{world.municipality_id}/contact")
    check(admin, results, "contact for residents")
    admin.get_by_label("Telefoon").fill("14 030")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_role("status")).to_contain_text("Het contact voor bewoners is opgeslagen.")

    # A resident, without signing in, finds their neighbourhood.
    visitor = new_context(browser, site).new_page()
    visitor.goto("/")
    expect(visitor.get_by_label("Buurtnaam of postcode")).to_be_visible()
    check(visitor, results, "home page finder")
    visitor.get_by_label("Buurtnaam of postcode").fill("3552 ab")
    visitor.get_by_role("button", name="Zoeken").click()
    expect(visitor.locator("#resultaten")).to_contain_text("Postcode 3552 AB ligt in:")
    expect(visitor.locator("#resultaten li")).to_have_count(2)  # Zuilen (the area) and Elinkwijk
    visitor.get_by_label("Buurtnaam of postcode").fill("centrm")
    visitor.get_by_role("button", name="Zoeken").click()
    results_list = visitor.locator("#resultaten li")
    expect(results_list).to_have_count(2)
    expect(results_list.nth(0)).to_contain_text("Centrum (Binnenstad)")
    expect(results_list.nth(1)).to_contain_text("Centrum (Lunetten)")
    check(visitor, results, "home page finder results")
    report_shot(visitor, "home-finder-desktop.png", 1280)
    report_shot(visitor, "home-finder-320.png", 320)
    visitor.get_by_role("link", name="Centrum (Lunetten)").click()
    expect(visitor).to_have_title("Centrum (Lunetten) · Utrecht · Buurtbudget")
    visitor.go_back()
    expect(visitor.get_by_label("Buurtnaam of postcode")).to_have_value("centrm")
    visitor.get_by_label("Buurtnaam of postcode").fill("Atlantis")
    visitor.get_by_role("button", name="Zoeken").click()
    expect(visitor.locator("#resultaten")).to_contain_text("We vonden geen buurt met de naam 'Atlantis'")
    check(visitor, results, "home page finder, nothing found", both_languages=False)
    visitor.get_by_role("link", name="Utrecht").click()
    expect(visitor.locator("h1")).to_have_text("Buurten van Utrecht")
    check(visitor, results, "municipality page")

    # Without JavaScript the finder works the same (a plain GET form).
    plain = new_context(browser, site, javascript=False).new_page()
    plain.goto("/")
    plain.get_by_label("Buurtnaam of postcode").fill("Lunetten")
    plain.get_by_role("button", name="Zoeken").click()
    expect(plain.locator("#resultaten")).to_contain_text("Lunetten")
