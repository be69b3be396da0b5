"""A volunteer registers, gets a suggestion, offers help; the initiator accepts; both see the contact."""

import re
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in, snap, verify_resident
from playwright.sync_api import Browser, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

OWNER = "olga.e2e@example.org"
VOLUNTEER = "vincent.e2e@example.org"
TITLE = "Kookles voor kinderen"


def test_a_volunteer_offers_help_and_the_initiator_accepts(browser: Browser, site: Any) -> None:
    results = site.axe_results
    verify_resident(site, OWNER, site.world.zuilen_id)  # sending a plan in takes a verified resident
    owner = new_context(browser, site)
    owner_page = owner.new_page()
    owner_page.goto("/inloggen")
    sign_in(owner_page, site.inbox, OWNER)
    created = owner_page.request.post(
        "/api/v1/initiatives",
        data={
            "neighbourhood_id": site.world.zuilen_id,
            "title": TITLE,
            "summary": "Samen koken met kinderen uit de buurt.",
            "cost_lines": [{"description": "Boodschappen", "amount_cents": 25000}],
            "volunteer_needs": [{"skill": "kookles", "hours": 10}],
        },
    )
    assert created.status == 201, created.text()
    initiative_id = created.json()["id"]
    submitted = owner_page.request.post(
        f"/api/v1/initiatives/{initiative_id}/transitions", data={"action": "submit"}
    )
    assert submitted.status == 200, submitted.text()

    helper = new_context(browser, site)
    page = helper.new_page()
    page.goto("/vrijwilligers/profiel")
    sign_in(page, site.inbox, VOLUNTEER)
    expect(page.locator("h1")).to_have_text("Uw vrijwilligersprofiel")
    check(page, results, "volunteer profile form")
    snap(page, "volunteer-profile")
    page.get_by_label("Uw buurt").select_option(label="Ondiep (Utrecht)")
    page.get_by_label("koken", exact=True).check()
    page.get_by_label("dinsdag: van").fill("19:00")
    page.get_by_label("dinsdag: tot").fill("21:00")
    page.get_by_label(re.compile("Ja, stel mij voor")).check()
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw vrijwilligersprofiel is opgeslagen.")
    suggestion = page.locator(".card", has_text=TITLE)
    expect(suggestion).to_contain_text("kan: koken (gevraagd: kookles)")
    check(page, results, "volunteer home with a suggestion")
    snap(page, "volunteer-suggestions")
    suggestion.get_by_role("button", name=re.compile("Ik wil helpen")).click()
    expect(page.get_by_role("status")).to_contain_text("Uw aanbod is verstuurd.")
    expect(page.get_by_role("main")).to_contain_text("wacht op antwoord")
    expect(page.get_by_role("main")).not_to_contain_text(OWNER)

    owner_page.goto(f"/initiatieven/{initiative_id}/vrijwilligers")
    expect(owner_page.get_by_role("main")).to_contain_text("aanbod om te helpen")
    expect(owner_page.get_by_role("main")).not_to_contain_text(VOLUNTEER)
    check(owner_page, results, "initiative volunteers with an offer")
    snap(owner_page, "initiative-volunteers")
    owner_page.get_by_role("button", name=re.compile("Ja, we gaan samenwerken")).click()
    expect(owner_page.get_by_role("status")).to_contain_text("Uw antwoord is opgeslagen.")
    expect(owner_page.get_by_role("main")).to_contain_text(VOLUNTEER)
    check(owner_page, results, "initiative volunteers after agreeing")

    page.goto("/vrijwilligers")
    expect(page.get_by_role("main")).to_contain_text(OWNER)
    expect(page.get_by_role("main")).to_contain_text("u gaat samenwerken")
    check(page, results, "volunteer home after agreeing")
    snap(page, "volunteer-agreed")
    owner.close()
    helper.close()


def test_the_profile_form_works_without_javascript(browser: Browser, site: Any) -> None:
    context = new_context(browser, site, javascript=False)
    page = context.new_page()
    page.goto("/vrijwilligers/profiel")
    sign_in(page, site.inbox, "nojs.e2e@example.org")
    page.get_by_label("Uw buurt").select_option(label="Zuilen (Utrecht)")
    page.get_by_label("Iets anders dat u kunt").fill("raketbouw")
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("De vaardigheid 'raketbouw' kennen we niet.")
    page.get_by_label("Iets anders dat u kunt").fill("fietsen repareren")
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw vrijwilligersprofiel is opgeslagen.")
    context.close()
