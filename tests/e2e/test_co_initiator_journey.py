"""A resident invites a neighbour by e-mail; the neighbour signs in through the mail and joins."""

import re
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in, snap
from playwright.sync_api import Browser, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(100)]


def test_a_co_initiator_accepts_an_invitation(browser: Browser, site: Any) -> None:
    results = site.axe_results
    owner = new_context(browser, site)
    page = owner.new_page()
    page.goto("/initiatieven/nieuw?buurt=ondiep")
    sign_in(page, site.inbox, "carla.e2e@example.org")
    page.get_by_label("Titel van uw plan").fill("Moestuin voor de buurt")
    page.get_by_label("Uw verhaal").fill("We maken samen een moestuin naast het buurthuis.")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_role("navigation", name="Stappen").get_by_role("link", name=re.compile("Mede")).click()
    page.get_by_label("E-mailadres van de persoon die u uitnodigt").fill("dirk.e2e@example.org")
    page.get_by_role("button", name="Uitnodiging sturen").click()
    expect(page.get_by_role("status")).to_contain_text("De uitnodiging is verstuurd.")
    expect(page.get_by_role("main")).to_contain_text("(uitgenodigd)")
    check(page, results, "step 5: co-initiators with an invitation")
    snap(page, "step-co-initiators")
    owner.close()

    invitation = site.inbox.last_to("dirk.e2e@example.org").get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+", invitation)
    assert link, invitation
    guest = new_context(browser, site)
    page = guest.new_page()
    page.goto(link.group(0))
    sign_in(page, site.inbox, "dirk.e2e@example.org")
    expect(page.locator("h1")).to_have_text("Moestuin voor de buurt")
    expect(page.get_by_role("heading", name="U bent uitgenodigd")).to_be_visible()
    check(page, results, "initiative with an invitation")
    snap(page, "invitation")
    page.get_by_role("button", name="Doe mee met dit initiatief").click()
    expect(page.get_by_role("heading", name="U bent uitgenodigd")).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text("(uitgenodigd)")
    page.get_by_role("link", name="Mijn initiatieven").click()
    expect(page.get_by_role("main")).to_contain_text("Moestuin voor de buurt")
    guest.close()


def test_pages_keep_to_the_content_security_policy(browser: Browser, site: Any) -> None:
    """Without bypassing the CSP: no inline script or style is blocked, and htmx loads from our own origin."""
    context = new_context(browser, site, bypass_csp=False)
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if message.type == "error" else None)
    for path in ("/", "/buurten/zuilen", "/inloggen"):
        page.goto(path)
        assert page.evaluate("() => typeof window.htmx") == "object"
    assert blocked == []
    context.close()
