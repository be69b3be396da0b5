"""Typing a title flags a likely duplicate nearby and shows examples elsewhere, which can be contacted."""

import re
from typing import Any

import pytest
from browser_tools import check, check_copy, new_context, scan, sign_in, snap, verify_resident
from playwright.sync_api import APIRequestContext, Browser, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

LUNETTEN_COOKING = "Kooklessen voor kinderen in Lunetten"
ZUILEN_COOKING = "Kookclub voor kinderen"


def api_sign_in(api: APIRequestContext, site: Any, email: str) -> None:
    assert api.post("/api/v1/auth/sign-in-requests", data={"email": email}).status == 202
    assert api.post("/api/v1/auth/session", data={"token": site.inbox.sign_in_token(email)}).ok


def public_initiative(
    browser: Browser, site: Any, email: str, neighbourhood_id: int, title: str, *, consent: bool
) -> int:
    """An initiative sent in through the JSON API by its own resident."""
    verify_resident(site, email, neighbourhood_id)  # sending a plan in takes a verified resident
    context = new_context(browser, site)
    api = context.request
    api_sign_in(api, site, email)
    created = api.post(
        "/api/v1/initiatives",
        data={
            "neighbourhood_id": neighbourhood_id,
            "title": title,
            "summary": "Kinderen leren samen koken en eten daarna met hun ouders.",
            "themes": ["jeugd"],
            "cost_lines": [{"description": "Ingrediënten", "amount_cents": 300_00}],
        },
    )
    assert created.status == 201, created.text()
    initiative_id = int(created.json()["id"])
    assert api.post(f"/api/v1/initiatives/{initiative_id}/transitions", data={"action": "submit"}).ok
    if consent:
        assert api.put(f"/api/v1/initiatives/{initiative_id}/contact-consent", data={"consent": True}).ok
    context.close()
    return initiative_id


@pytest.fixture(scope="module")
def examples(browser: Browser, site: Any) -> dict[str, int]:
    world = site.world
    return {
        "lunetten": public_initiative(
            browser, site, "anna.similar@example.org", world.lunetten_id, LUNETTEN_COOKING, consent=False
        ),
        "zuilen": public_initiative(
            browser, site, "bram.similar@example.org", world.zuilen_id, ZUILEN_COOKING, consent=True
        ),
    }


def test_typing_a_title_warns_about_a_duplicate_and_suggests_initiatives_elsewhere(
    page: Page, site: Any, examples: dict[str, int]
) -> None:
    results = site.axe_results
    page.goto("/initiatieven/nieuw?buurt=lunetten")
    sign_in(page, site.inbox, "chris.similar@example.org")
    expect(page.locator("h1")).to_have_text("Uw plan")
    suggestions = page.locator("#vergelijkbaar")
    expect(suggestions).to_have_attribute("aria-live", "polite")
    page.get_by_label("Titel van uw plan").fill("Kookles voor kinderen")
    expect(suggestions).to_contain_text("Let op: misschien is er al zo'n initiatief in uw buurt.")
    expect(suggestions.get_by_role("link", name=LUNETTEN_COOKING)).to_have_attribute(
        "href", f"/initiatieven/{examples['lunetten']}"
    )
    expect(suggestions).to_contain_text("Vergelijkbare initiatieven elders")
    expect(suggestions).to_contain_text(f"{ZUILEN_COOKING} in Zuilen")
    expect(suggestions).to_contain_text("vergelijkbare titel")
    scan(page, results, "step 1 with similar initiatives (js)")
    snap(page, "similar-while-typing")
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Title of your plan").fill("Kookles voor kinderen")
    expect(suggestions).to_contain_text("Watch out: your neighbourhood may already have this initiative.")
    expect(suggestions).to_contain_text("Similar initiatives elsewhere")
    scan(page, results, "step 1 with similar initiatives (js)")
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_label("Titel van uw plan").fill("Kookles voor kinderen")

    page.get_by_label("Uw verhaal").fill("Kinderen uit Lunetten leren koken.")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.locator("h1")).to_have_text("Thema's")
    found = re.search(r"/initiatieven/(\d+)/", page.url)
    assert found, page.url
    page.goto(f"/initiatieven/{found.group(1)}")
    elsewhere = page.get_by_role("region", name="Elders")
    expect(elsewhere).to_contain_text(f"{ZUILEN_COOKING} in Zuilen")
    expect(elsewhere).to_contain_text("neem contact op met de initiatiefnemer")
    expect(elsewhere).not_to_contain_text(LUNETTEN_COOKING)  # the same neighbourhood is not 'elsewhere'
    expect(elsewhere).not_to_contain_text("bram.similar@example.org")
    check(page, results, "initiative with similar initiatives elsewhere")
    snap(page, "initiative-elsewhere")

    elsewhere.get_by_role("link", name=re.compile("neem contact op met de initiatiefnemer")).click()
    expect(page.locator("h1")).to_have_text("Contact met de initiatiefnemer")
    check(page, results, "contact the initiator")
    page.get_by_label("Uw bericht").fill("Hoe hebben jullie de keuken van het buurthuis geregeld?")
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.locator("h1")).to_have_text("Uw bericht is verstuurd")
    snap(page, "contact-sent")
    mail = site.inbox.last_to("bram.similar@example.org")
    assert mail["Reply-To"] == "chris.similar@example.org"


def check_copy_in_english(page: Page, site: Any) -> None:
    """The same search page with the browser preferring English, scanned by axe in a scripted tab."""
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(base_url=site.url, locale="en-GB", bypass_csp=True)
    try:
        copy = context.new_page()
        copy.goto(page.url)
        expect(copy.locator("html")).to_have_attribute("lang", "en")
        expect(copy.locator("#vergelijkbaar")).to_contain_text("Similar initiatives elsewhere")
        scan(copy, site.axe_results, "similar initiatives search (no-js)")
    finally:
        context.close()


def test_without_javascript_the_search_page_shows_the_same_suggestions(
    page_without_js: Page, site: Any, examples: dict[str, int]
) -> None:
    page = page_without_js
    page.goto("/initiatieven/vergelijkbaar")
    expect(page.locator("h1")).to_have_text("Vergelijkbare initiatieven")
    page.get_by_label("Titel van uw plan").fill("Kookles voor kinderen")
    page.get_by_label("Uw buurt").select_option(str(site.world.lunetten_id))
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"/initiatieven/vergelijkbaar\?title="))
    results = page.locator("#vergelijkbaar")
    expect(results).to_contain_text("Let op: misschien is er al zo'n initiatief in uw buurt.")
    expect(results).to_contain_text(f"{ZUILEN_COOKING} in Zuilen")
    check_copy(page, site.axe_results, "similar initiatives search (no-js)")
    check_copy_in_english(page, site)
    snap(page, "similar-search-no-js")
    page.get_by_label("Titel van uw plan").fill("de het een")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Typ een paar woorden over het plan")
    expect(page.get_by_label("Titel van uw plan")).to_have_attribute("aria-invalid", "true")
