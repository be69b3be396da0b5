"""The front door in a real browser: the check step with a change link per step, the consent kept when
the plan is sent in, and a page in each municipality look, each scanned by axe."""

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_tools import check, new_context, scan, sign_in
from playwright.sync_api import Browser, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

REPORT_SHOTS = Path("/work/shared/screenshots/issue12")


def _set_look(site: Any, cbs_code: str, theme: str) -> None:
    from buurtbudget.db.engine import create_engine, create_session_factory
    from buurtbudget.places import looks

    async def run() -> None:
        engine = create_engine(site.database_url)
        try:
            async with create_session_factory(engine)() as session:
                await looks.set_look(session, cbs_code, theme, actor_id=None)
        finally:
            await engine.dispose()

    asyncio.run(run())


def _shot(page: Page, name: str) -> None:
    """A screenshot for the issue's report (outside the repository; never committed)."""
    REPORT_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REPORT_SHOTS / name), full_page=True)


@pytest.fixture(scope="module")
def looks_set(site: Any) -> Iterator[None]:
    _set_look(site, "GM0344", "utrecht")
    _set_look(site, "GM1916", "voorbeeld")
    yield
    _set_look(site, "GM0344", "buurtbudget")  # the other journeys see the default again
    _set_look(site, "GM1916", "buurtbudget")


@pytest.mark.usefixtures("looks_set")
@pytest.mark.parametrize(
    ("slug", "theme", "shot"),
    [("zuilen", "utrecht", "theme-utrecht.png"), ("bovenveen", "voorbeeld", "theme-second.png")],
)
def test_a_neighbourhood_page_in_each_look_is_axe_clean(
    browser: Browser, site: Any, slug: str, theme: str, shot: str
) -> None:
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"/buurten/{slug}")
    expect(page.locator("body")).to_have_attribute("data-theme", theme)
    check(page, site.axe_results, f"neighbourhood page, look {theme}")
    _shot(page, shot)
    context.close()


@pytest.mark.usefixtures("looks_set")
def test_the_check_step_links_every_step_and_keeps_the_consent(browser: Browser, site: Any) -> None:
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/inloggen")
    sign_in(page, site.inbox, site.world.emails["resident"])
    page.goto("/initiatieven/nieuw?buurt=zuilen")
    page.get_by_label(re.compile("Titel")).fill("Bankjes op het plein")
    page.get_by_label(re.compile("verhaal", re.IGNORECASE)).fill("Drie bankjes om elkaar te ontmoeten.")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_label("groen").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.locator("#cost_lines-0-description").fill("Bankjes")
    page.locator("#cost_lines-0-amount").fill("900")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_role("button", name="Opslaan en verder").click()  # no help needed
    page.get_by_role("button", name="Opslaan en verder").click()  # no co-initiators
    expect(page.locator("h1")).to_have_text(re.compile("Controleren"))
    for slug in ("plan", "themas", "begroting", "hulp", "mede-initiatiefnemers"):
        expect(page.locator(f'a.change-link[href$="/stappen/{slug}"]')).to_have_count(1)
    expect(page.get_by_text("groen", exact=True)).to_be_visible()
    scan(page, site.axe_results, "check step, look utrecht")
    _shot(page, "check-step.png")
    page.get_by_label(re.compile("andere buurten", re.IGNORECASE)).check()
    page.get_by_role("button", name="Insturen").click()
    expect(page.get_by_text("Ingestuurd", exact=True)).to_be_visible()
    expect(page.locator("#toestemming")).to_be_checked()  # the tick was sent in with the plan
    context.close()
