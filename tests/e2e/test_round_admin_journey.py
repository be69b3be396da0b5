"""The municipality runs a round from its pages: opens it (with a confirmation step), freezes the pool,
draws the jury, follows the turnout and closes it with a confirmation; every page is axe-clean."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in
from playwright.sync_api import Browser, Page, expect
from test_jury_journey import api_as

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people import service as people
from buurtbudget.people.verification import ensure_verified
from buurtbudget.settings import PROJECT_ROOT
from buurtbudget.workdays import AMSTERDAM

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

JUROR = "jurylid.beheer.e2e@example.org"
PLANS = [("Bankjes op het plein", 400_00), ("Kookcafé voor de buurt", 700_00)]
# Screenshots for the report: outside the repository.
REPORT = PROJECT_ROOT.parent / "shared" / "screenshots" / "issue12"


def ready_plans(site: Any) -> list[int]:
    """Two plans of a verified resident, ready for the jury, and a verified juror-to-be in the pool
    (set up in the database: verifying residents has pages and tests of its own)."""
    world = site.world

    async def job() -> list[int]:
        engine = create_engine(site.database_url)
        try:
            async with create_session_factory(engine)() as session:
                initiatives = InitiativeService(session)
                owner, broker = world.actors["resident"], world.actors["broker"]
                ids = []
                for title, cents in PLANS:
                    draft = await initiatives.create_draft(
                        owner,
                        world.zuilen_id,
                        DraftContent(
                            title=title,
                            summary=f"{title}: samen met de buren.",
                            cost_lines=[CostLineInput("Materiaal", cents)],
                            themes=["ontmoeting"],
                        ),
                    )
                    for actor, action in [
                        (owner, Action.SUBMIT),
                        (broker, Action.START_REVIEW),
                        (broker, Action.MARK_READY),
                    ]:
                        await initiatives.act(actor, draft.id, action)
                    ids.append(draft.id)
                async with transaction(session):
                    person = await people.get_or_create(session, JUROR, actor_id=None)
                    await ensure_verified(session, person, world.zuilen_id)
                await RoundService(session).volunteer(people.actor_for(person), world.zuilen_id, {})
                return ids
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's own event loop runs in this thread
        found: list[int] = pool.submit(asyncio.run, job()).result()
    return found


def typed(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def snap_report(page: Page, name: str) -> None:
    REPORT.mkdir(parents=True, exist_ok=True)
    for label, width in (("desktop", 1280), ("320", 320)):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(REPORT / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_municipality_opens_draws_follows_and_closes_a_round(browser: Browser, site: Any) -> None:
    results = site.axe_results
    world = site.world
    ids = ready_plans(site)
    context = new_context(browser, site)
    page = context.new_page()

    # Opening: sign in first, then back to the form.
    page.goto(f"/beheer/rondes/nieuw?pot={world.pot_id}")
    expect(page).to_have_url(re.compile(r"/inloggen\?volgende="))
    sign_in(page, site.inbox, world.emails["municipality_admin"])
    expect(page.locator("h1")).to_contain_text("Een ronde openen")
    expect(page.get_by_label(re.compile("Bankjes op het plein"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("vraagt €\xa0400,00 — elkaar ontmoeten")  # theme label
    check(page, results, "round admin: open form")

    now = datetime.now(UTC)
    page.get_by_label("Naam van de ronde").fill("Najaarsronde Zuilen")
    for title, _cents in PLANS:
        page.get_by_label(re.compile(title)).check()
    page.get_by_label("Te verdelen bedrag, in euro").fill("1.000")
    page.get_by_label("Stemmen begint").fill(typed(now - timedelta(hours=1)))
    page.get_by_label("Stemmen sluit", exact=True).fill("morgen")  # a bad value first
    page.get_by_role("button", name="Controleren en bevestigen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Vul een datum en tijd in")
    check(page, results, "round admin: open form with an error", both_languages=False)
    page.get_by_label("Stemmen sluit", exact=True).fill(typed(now + timedelta(days=7)))
    page.get_by_label(re.compile("^Quorum")).fill("1")
    page.get_by_role("button", name="Controleren en bevestigen").click()

    # The confirmation step: what the pot reserves, nothing saved yet.
    expect(page.locator("h1")).to_contain_text("Controleer en open de ronde")
    expect(page.get_by_role("main")).to_contain_text("Nog niets is opgeslagen.")
    expect(page.get_by_role("main")).to_contain_text("€\xa01.000,00")
    check(page, results, "round admin: confirm opening", both_languages=False)  # a POST result
    page.get_by_role("button", name="Ja, open de ronde en zet het geld apart").click()

    # The management page: the next step is freezing the pool.
    expect(page.locator("h1")).to_contain_text("De ronde beheren: Najaarsronde Zuilen")
    expect(page.get_by_role("status")).to_contain_text("De ronde is open.")
    round_id = int(re.findall(r"/rondes/(\d+)/beheer", page.url)[0])
    expect(page.locator('[aria-current="step"]')).to_contain_text("Zet de groep vrijwilligers vast")
    check(page, results, "round admin: manage (opened)")
    page.get_by_role("link", name="Groep vastzetten").click()
    page.get_by_label("Zetels").fill("1")
    page.get_by_label("Reserves").fill("0")
    page.get_by_role("button", name="Groep vastzetten").click()
    expect(page.get_by_role("status")).to_contain_text("De groep is vastgezet.")
    page.get_by_role("button", name="Loot nu de jury").click()
    expect(page.locator(".notice")).to_contain_text("De jury is geloot.")

    # Turnout: the juror votes (through the API), the page counts the ballot, never who cast it.
    page.goto(f"/rondes/{round_id}/beheer")
    expect(page.locator('[aria-current="step"]')).to_contain_text("Stemmen")
    expect(page.get_by_role("main")).to_contain_text("0 van de 1 juryleden hebben gestemd.")
    juror = api_as(browser, site, JUROR)
    marks = {str(ids[0]): 1}
    assert juror.request.put(f"/api/v1/rounds/{round_id}/ballot", data={"marks": marks}).status == 204
    juror.close()
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("1 van de 1 juryleden hebben gestemd.")
    expect(page.get_by_role("main")).to_contain_text("Het quorum van 1 is gehaald.")
    expect(page.get_by_role("main")).to_contain_text("advisor@example.org")  # the neighbourhood's advisor
    check(page, results, "round admin: manage (voting)")
    snap_report(page, "round-manage")

    # Closing, with a confirmation step and (before the closing time) a reason.
    page.get_by_role("link", name="De ronde sluiten").click()
    page.get_by_label("Reden").fill("De jury heeft gestemd.")
    page.get_by_role("button", name="Ja, sluit de ronde nu").click()
    expect(page.locator("h1")).to_have_text("Uitslag: Najaarsronde Zuilen")
    page.goto(f"/rondes/{round_id}/beheer")
    expect(page.locator('[aria-current="step"]')).to_have_count(0)
    expect(page.get_by_role("link", name="Bekijk de uitslag")).to_be_visible()
    check(page, results, "round admin: manage (decided)")
    context.close()
