"""A resident signs in through the mailed link, starts an initiative in steps, comes back, and sends it in."""

import re
from typing import Any

import pytest
from browser_tools import check as check_in_both_languages
from browser_tools import check_copy, sign_in, snap, verify_resident
from playwright.sync_api import Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(100)]


def start_and_send_in(page: Page, site: Any, email: str, *, javascript: bool) -> None:
    results = site.axe_results
    mode = "js" if javascript else "no-js"
    verify_resident(site, email, site.world.zuilen_id)  # sending a plan in takes a verified resident

    def check(page: Page, results: dict[str, int], name: str, *, both_languages: bool) -> None:
        if javascript:
            check_in_both_languages(page, results, name, both_languages=both_languages)
        elif "error" not in name:  # a page shown after a post cannot be opened again in another tab
            check_copy(page, results, name)

    page.goto("/")
    expect(page.locator("h1")).to_have_text("Geld voor uw buurt")
    if javascript:
        check(page, results, "home", both_languages=True)
        snap(page, "home")
    page.get_by_label("Buurtnaam of postcode").fill("zuilen")  # the finder, not a wall of cards
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Zuilen").click()
    expect(page.locator("h1")).to_have_text("Zuilen")
    if javascript:
        check(page, results, "neighbourhood", both_languages=True)
        snap(page, "neighbourhood")

    page.get_by_role("main").get_by_role("link", name="Start een initiatief").click()
    expect(page).to_have_url(re.compile(r"/inloggen\?volgende="))
    check(page, results, f"sign in ({mode})", both_languages=javascript)
    if javascript:
        snap(page, "sign-in")
    sign_in(page, site.inbox, email)

    # Step 1, back where the resident was going: the neighbourhood is already chosen.
    expect(page.locator("h1")).to_have_text("Uw plan")
    expect(page.get_by_label("Uw buurt")).to_have_value(str(site.world.zuilen_id))
    check(page, results, f"step 1: plan ({mode})", both_languages=javascript)
    page.get_by_role("button", name="Opslaan en verder").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_contain_text("De titel heeft 3 tot 150 tekens")
    title = page.get_by_label("Titel van uw plan")
    expect(title).to_have_attribute("aria-invalid", "true")
    check(page, results, f"step 1 with an error ({mode})", both_languages=False)
    if javascript:
        snap(page, "step-plan-error")
    title.fill("Bankjes op het plein")
    page.get_by_label("Uw verhaal").fill(
        "We zetten drie bankjes op het plein. Buren kunnen dan samen zitten."
    )
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.locator("h1")).to_have_text("Thema's")
    check(page, results, f"step 2: themes ({mode})", both_languages=javascript)
    page.get_by_label("groen").check()
    page.get_by_label("elkaar ontmoeten").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.locator("h1")).to_have_text("Begroting")
    page.get_by_label("Waar is het voor? (1)").fill("Drie bankjes")
    page.get_by_label("Bedrag in euro (1)").fill("1.200")
    page.get_by_label("Waar is het voor? (2)").fill("Verf en kwasten")
    page.get_by_label("Bedrag in euro (2)").fill("50,50")
    total = page.locator("#lopend-totaal")
    if javascript:  # htmx keeps the total up to date while typing, and says when an amount is unreadable
        expect(total).to_contain_text("€\xa01.250,50")
        page.get_by_label("Bedrag in euro (2)").fill("vijftig")
        expect(total).to_contain_text("Niet elk bedrag is goed te lezen")
        page.get_by_label("Bedrag in euro (2)").fill("50,50")
        expect(total).not_to_contain_text("Niet elk bedrag")
    page.get_by_role("button", name="Bewaren als concept").click()
    expect(page.get_by_role("status")).to_contain_text("Uw concept is bewaard")
    expect(total).to_contain_text("€\xa01.250,50")
    check(page, results, f"step 3: budget ({mode})", both_languages=javascript)
    if javascript:
        snap(page, "step-budget")

    # The resident leaves, and comes back later through 'My initiatives'.
    page.goto("/")
    page.get_by_role("link", name="Mijn initiatieven").click()
    expect(page.locator("h1")).to_have_text("Mijn initiatieven")
    check(page, results, f"my initiatives ({mode})", both_languages=javascript)
    if javascript:
        snap(page, "my-initiatives")
    page.get_by_role("link", name=re.compile("Verder met uw concept")).click()
    expect(page.get_by_label("Titel van uw plan")).to_have_value("Bankjes op het plein")
    page.get_by_role("navigation", name="Stappen").get_by_role("link", name=re.compile("Hulp")).click()
    expect(page.locator("h1")).to_have_text("Hulp gezocht")
    check(page, results, f"step 4: help ({mode})", both_languages=javascript)
    page.get_by_label("Wat voor hulp? (1)").fill("Klussen")
    page.get_by_label("Uren (1)").fill("6")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.locator("h1")).to_have_text("Mede-initiatiefnemers")
    check(page, results, f"step 5: co-initiators ({mode})", both_languages=javascript)
    page.get_by_role("button", name="Opslaan en verder").click()

    expect(page.locator("h1")).to_have_text("Controleren en insturen")
    expect(page.get_by_role("main")).to_contain_text("€\xa01.250,50")
    check(page, results, f"step 6: review ({mode})", both_languages=javascript)
    if javascript:
        snap(page, "step-review")
    page.get_by_role("button", name="Insturen").click()

    expect(page.locator("h1")).to_have_text("Bankjes op het plein")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Ingestuurd")
    expect(main).to_contain_text("Het initiatief is ingestuurd.")
    expect(main).to_contain_text("De makelaar neemt contact met u op")
    expect(main).to_contain_text("Uiterlijk")
    check(page, results, f"initiative with its timeline ({mode})", both_languages=javascript)
    if javascript:
        snap(page, "initiative")

    # The neighbourhood's list finds it (with JavaScript while typing, without it by pressing Search).
    page.get_by_role("link", name="Zuilen").click()
    page.get_by_label("Zoek in de initiatieven").fill("bankjes")
    if not javascript:
        page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#initiatieven")).to_contain_text("Bankjes op het plein")
    expect(page).to_have_url(re.compile(r"zoek=bankjes"))


def test_a_resident_starts_an_initiative_in_steps_and_sends_it_in(page: Page, site: Any) -> None:
    start_and_send_in(page, site, "anna.e2e@example.org", javascript=True)


def test_the_same_journey_works_without_javascript(page_without_js: Page, site: Any) -> None:
    start_and_send_in(page_without_js, site, "bram.e2e@example.org", javascript=False)
