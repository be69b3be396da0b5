"""The municipality runs a pot from pages: makes it, adds money (typed as Dutch euros, with an error for a
wrong amount and a confirmation before the money moves), sets a theme budget by its label, the fast track
and the page 'Zo werkt het'; the pot page shows the money per round with a chart drawn on the server.
Every page is axe-clean in Dutch and English; the pot page is photographed at desktop width and 320 px."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, check_copy, new_context, scan, sign_in
from playwright.sync_api import Browser, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SCREENSHOTS = Path("/work/shared/screenshots/issue12")
POT = "Lunetten 2020 (e2e)"  # a past period: no plan of another journey asks from this pot


def shoot(page: Page, name: str, width: int) -> None:
    """A full-page screenshot for the report (outside the repository)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def decided_round(site: Any, pot_id: int) -> None:
    """A round on the pot, decided by two neighbours: € 600 granted, € 400 offered and still reserved."""

    async def run() -> None:
        from conftest import grant_or_verify

        from buurtbudget.db.engine import create_engine, create_session_factory
        from buurtbudget.db.transaction import transaction
        from buurtbudget.initiatives.lifecycle import Action
        from buurtbudget.initiatives.rules import CostLineInput, DraftContent
        from buurtbudget.initiatives.service import InitiativeService
        from buurtbudget.jury.allocation import Rule, TieBreak
        from buurtbudget.jury.ballots import BallotKind, BallotRules
        from buurtbudget.jury.rounds import RoundPlan, RoundService
        from buurtbudget.people import service as people
        from buurtbudget.people.roles import Grant, Role

        world = site.world
        engine = create_engine(site.database_url)
        try:
            async with create_session_factory(engine)() as session:
                owner, broker = world.actors["other_resident"], world.actors["other_broker"]
                initiatives = InitiativeService(session)
                ids = []
                for title, lines in [
                    ("Bankjes bij de speeltuin", [CostLineInput("Bankjes", 600_00)]),
                    (
                        "Buurtfeest Lunetten",
                        [CostLineInput("Zaal", 400_00), CostLineInput("Band", 300_00, False)],
                    ),
                ]:
                    draft = await initiatives.create_draft(
                        owner,
                        world.lunetten_id,
                        DraftContent(title=title, summary="Voor de buurt.", cost_lines=lines),
                    )
                    for actor, action in [
                        (owner, Action.SUBMIT),
                        (broker, Action.START_REVIEW),
                        (broker, Action.MARK_READY),
                    ]:
                        await initiatives.act(actor, draft.id, action)
                    ids.append(draft.id)
                voters = []
                async with transaction(session):
                    for number in range(2):
                        person = await people.get_or_create(
                            session, f"lunetten{number}.e2e@example.org", actor_id=None
                        )
                        await grant_or_verify(session, person, Grant(Role.RESIDENT, world.lunetten_id))
                        voters.append(people.actor_for(person))
                now = datetime.now(UTC)
                rounds = RoundService(session)
                opened = await rounds.open_round(
                    world.actors["municipality_admin"],
                    pot_id,
                    RoundPlan(
                        name="Zomerronde Lunetten",
                        mode="open",
                        amount_cents=1_000_00,
                        initiative_ids=ids,
                        rules=BallotRules(BallotKind.APPROVAL, max_approvals=2),
                        rule=Rule.GREEDY,
                        tie_break=TieBreak.LEXICOGRAPHIC,
                        voting_opens_at=now - timedelta(hours=1),
                        voting_closes_at=now + timedelta(days=7),
                        quorum=1,
                    ),
                )
                await rounds.cast_ballot(voters[0], opened.id, {ids[0]: 1, ids[1]: 1})
                await rounds.cast_ballot(voters[1], opened.id, {ids[0]: 1})
                await rounds.close_round(
                    world.actors["municipality_admin"], opened.id, reason="Iedereen heeft gestemd"
                )
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's own event loop runs in this thread
        pool.submit(asyncio.run, run()).result()


def test_the_municipality_runs_a_pot_from_pages(browser: Browser, site: Any) -> None:
    results = site.axe_results
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/beheer/potten")
    sign_in(page, site.inbox, site.world.emails["municipality_admin"])
    expect(page.locator("h1")).to_have_text("Potten")
    expect(page.get_by_role("main")).to_contain_text("Buurtbudget 2026")
    check(page, results, "pots")

    page.get_by_role("link", name="Nieuwe pot maken").click()
    expect(page.locator("h1")).to_have_text("Nieuwe pot maken")
    check(page, results, "new pot")
    page.get_by_label("Buurt").select_option(label="Lunetten (Utrecht)")
    page.get_by_label("Naam van de pot").fill(POT)
    page.get_by_role("button", name="Pot maken").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een datum in, zoals 2026-01-31.")
    check(page, results, "new pot with an error", both_languages=False)
    page.get_by_label("Eerste dag").fill("2020-01-01")
    page.get_by_label("Laatste dag").fill("2020-12-31")
    page.get_by_role("button", name="Pot maken").click()
    expect(page.locator("h1")).to_have_text(POT)
    expect(page.get_by_role("status")).to_contain_text("De pot is gemaakt.")
    pot_url = page.url.split("?")[0]
    pot_id = int(pot_url.rsplit("/", 1)[1])

    page.get_by_role("link", name="Geld storten").click()
    expect(page.locator("h1")).to_have_text(f"Geld storten: {POT}")
    check(page, results, "add money")
    page.get_by_label("Bedrag in euro").fill("5.000,5,0")
    page.get_by_role("button", name="Verder: controleren").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een bedrag in euro in, zoals 250 of 12,50.")
    check(page, results, "add money with an error", both_languages=False)
    page.get_by_label("Bedrag in euro").fill("5.000,50")
    page.get_by_label("Notitie (mag leeg)").fill("Bijdrage gemeente 2020")
    page.get_by_role("button", name="Verder: controleren").click()
    expect(page.locator("h1")).to_have_text("Controleer voordat het geld verschuift")
    expect(page.get_by_role("main")).to_contain_text("€\xa05.000,50")
    check(page, results, "add money: confirm", both_languages=False)  # a posted page; English below
    page.get_by_role("button", name="Ja, stort het geld").click()
    expect(page.get_by_role("status")).to_contain_text("Het geld is aan de pot toegevoegd.")

    page.get_by_role("link", name="Themabudget apart zetten").click()
    check(page, results, "theme budget")
    page.get_by_label("Thema").select_option(label="groen")
    page.get_by_label("Bedrag in euro").fill("250")
    page.get_by_role("button", name="Verder: controleren").click()
    expect(page.get_by_role("main")).to_contain_text("groen")
    check(page, results, "theme budget: confirm", both_languages=False)
    page.get_by_role("button", name="Ja, zet het geld apart").click()
    expect(page.get_by_role("status")).to_contain_text("Het themabudget is apart gezet.")

    page.get_by_role("link", name="Snelle route").click()
    check(page, results, "fast track")
    page.get_by_label("Aanvragen tot (euro's)").fill("300")
    page.get_by_label("Juryleden in een snelle ronde").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De snelle route is opgeslagen.")

    page.get_by_role("link", name="Schrijf hoe het werkt").click()
    check(page, results, "write how it works")
    page.get_by_label(re.compile("^Hoeveel één initiatief hooguit mag vragen")).fill("750")
    page.get_by_label("Voorwaarden").fill("Voor en door bewoners van Lunetten.\n\nNiet voor winst.")
    page.get_by_label("Datum van de volgende ronde (mag leeg)").fill("2020-09-01")
    page.get_by_label("Hoe het geld wordt betaald en verantwoord").fill("Vooraf betaald; bonnetjes achteraf.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De pagina 'Zo werkt het' is opgeslagen.")

    decided_round(site, pot_id)
    page.goto(pot_url)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Zomerronde Lunetten")
    expect(main.get_by_role("link", name="Zomerronde Lunetten")).to_have_attribute(
        "href", re.compile(r"^/rondes/\d+$")
    )
    expect(page.get_by_role("img", name=f"Het geld van {POT}")).to_be_visible()
    expect(main).to_contain_text("Uitbetalingen worden hier nog niet bijgehouden")
    check(page, results, "pot")
    shoot(page, "pot-desktop", 1280)
    shoot(page, "pot-320", 320)

    page.get_by_role("link", name="De pagina 'Zo werkt het' zoals bewoners hem zien").click()
    expect(page.locator("h1")).to_have_text(f"Zo werkt het: {POT}")
    expect(page.get_by_role("main")).to_contain_text("Niet voor winst.")
    check(page, results, "how it works")

    page.goto(f"{pot_url}/storten")
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Amount in euros").fill("12.50")
    page.get_by_role("button", name="Next: check").click()
    expect(page.locator("h1")).to_have_text("Check before the money moves")
    scan(page, results, "add money: confirm")
    page.get_by_role("button", name="No, change it").click()
    expect(page.get_by_label("Amount in euros")).to_have_value("12.50")
    context.close()


def test_money_moves_from_pages_without_javascript(browser: Browser, site: Any) -> None:
    results = site.axe_results
    context = new_context(browser, site, javascript=False)
    page = context.new_page()
    page.goto(f"/beheer/potten/{site.world.pot_id}/storten")
    sign_in(page, site.inbox, site.world.emails["platform_admin"])
    expect(page.locator("h1")).to_have_text(re.compile("^Geld storten"))
    page.get_by_label("Bedrag in euro").fill("12,50")
    page.get_by_role("button", name="Verder: controleren").click()
    expect(page.locator("h1")).to_have_text("Controleer voordat het geld verschuift")
    page.get_by_role("button", name="Nee, aanpassen").click()
    expect(page.get_by_label("Bedrag in euro")).to_have_value("12,50")
    page.get_by_role("button", name="Verder: controleren").click()
    page.get_by_role("button", name="Ja, stort het geld").click()
    expect(page.get_by_role("status")).to_contain_text("Het geld is aan de pot toegevoegd.")
    check_copy(page, results, "pot, without JavaScript")
    context.close()
