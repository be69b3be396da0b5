"""The broker prints letters with codes; a new resident enters the code from the letter, is verified and
volunteers for the jury pool. Every page is axe-clean in Dutch and English; the pages are photographed
at 320 px and desktop for the report."""

import re
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in
from playwright.sync_api import Browser, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SCREENSHOTS = Path("/work/shared/screenshots/issue12")
RESIDENT = "rosa.e2e@example.org"
ADDRESSES = (
    "straat,huisnummer,postcode,plaats\n"
    "Amsterdamsestraatweg,101,3551 AB,Utrecht\n"
    "Amsterdamsestraatweg,103,3551 AB,Utrecht\n"
)


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots for the report (outside the repository), at desktop and 320 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("desktop", 1280), ("320", 320)):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_resident_enters_the_code_from_the_letter_and_joins_the_jury_pool(
    browser: Browser, site: Any, tmp_path: Path
) -> None:
    results = site.axe_results
    staff = new_context(browser, site)
    broker = staff.new_page()
    broker.goto("/inloggen")
    sign_in(broker, site.inbox, site.world.emails["broker"])
    broker.goto("/buurten/zuilen/bewoners")
    expect(broker.locator("h1")).to_have_text("Geverifieerde bewoners van Zuilen")
    check(broker, results, "verified residents (staff)")
    bad = tmp_path / "fout.csv"
    bad.write_text(ADDRESSES + "Kanaalweg,,3553 AA,Utrecht\n", encoding="utf-8")
    broker.get_by_label("Adressen (CSV)").set_input_files(str(bad))
    broker.get_by_role("button", name="Maak de brieven").click()
    expect(broker.get_by_role("main")).to_contain_text("Regel 4: Het huisnummer klopt niet")
    check(broker, results, "verified residents with a refused file", both_languages=False)
    good = tmp_path / "adressen.csv"
    good.write_text(ADDRESSES, encoding="utf-8")
    broker.get_by_label("Adressen (CSV)").set_input_files(str(good))
    broker.get_by_role("button", name="Maak de brieven").click()
    expect(broker.get_by_role("status")).to_contain_text("De brieven zijn klaar.")
    check(broker, results, "verified residents with letters")
    shoot(broker, "verification-staff")
    pdf_link = broker.get_by_role("link", name=re.compile("^Brieven \\(PDF\\)")).first
    batch = re.search(r"/brieven/(\d+)/", pdf_link.get_attribute("href") or "")
    assert batch is not None
    listing = broker.request.get(f"/brieven/{batch.group(1)}/brieven.csv")
    assert listing.ok, listing.text()
    code = listing.text().splitlines()[1].split(",")[4]

    visitor = new_context(browser, site)
    page = visitor.new_page()
    page.goto("/buurten/zuilen/verifieren")
    expect(page.locator("h1")).to_have_text("Laat zien dat u in Zuilen woont")
    check(page, results, "verify page (signed out)")
    page.goto("/inloggen")
    sign_in(page, site.inbox, RESIDENT)
    page.goto("/buurten/zuilen/jury")
    expect(page.get_by_role("main")).to_contain_text("Zo werkt de loting")
    expect(page.get_by_role("main")).to_contain_text("Alleen geverifieerde bewoners van Zuilen")
    check(page, results, "jury pool page (not verified)")
    page.get_by_role("link", name="Laat zien dat u in deze buurt woont").click()
    expect(page.get_by_label("Code uit de brief")).to_be_visible()
    check(page, results, "verify page")
    shoot(page, "verification-code-form")
    page.get_by_label("Code uit de brief").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Code gebruiken").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    check(page, results, "verify page with a wrong code", both_languages=False)
    page.get_by_label("Code uit de brief").fill(code.lower())
    page.get_by_role("button", name="Code gebruiken").click()
    expect(page.get_by_role("status")).to_contain_text("Gelukt: u bent nu geverifieerde bewoner")
    expect(page.get_by_role("main")).to_contain_text("U bent geverifieerde bewoner van Zuilen.")
    check(page, results, "verify page (verified)")
    shoot(page, "verification-verified")

    page.get_by_role("link", name="Meld u aan voor de jurypoule").click()
    page.get_by_label("Leeftijd").select_option(label="41 tot en met 65 jaar")
    page.get_by_label("Gender").select_option(label="vrouw")
    page.get_by_role("button", name="Meld mij aan voor de jurypoule").click()
    expect(page.get_by_role("status")).to_contain_text("u zit in de jurypoule")
    expect(page.get_by_label("Gender")).to_have_value("vrouw")
    check(page, results, "jury pool page (in the pool)")
    shoot(page, "jury-pool")

    page.goto("/buurten/zuilen/verifieren")
    page.get_by_role("link", name="Ik ben verhuisd: beëindig mijn verificatie").click()
    expect(page.locator("h1")).to_have_text("Verificatie beëindigen")
    check(page, results, "end the verification")
    staff.close()
    visitor.close()
