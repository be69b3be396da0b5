"""What the journeys share: axe scans in both languages, screenshots, signing in through the mailed link."""

import asyncio
import re
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from buurtbudget.settings import PROJECT_ROOT

AXE = PROJECT_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
WIDTHS = {"phone-320": 320, "phone-390": 390, "desktop": 1280}


def new_context(
    browser: Browser, site: Any, *, javascript: bool = True, bypass_csp: bool = True
) -> BrowserContext:
    """A fresh visitor whose browser prefers Dutch; axe is injected inline, so the CSP is bypassed."""
    context = browser.new_context(
        base_url=site.url,
        locale="nl-NL",
        java_script_enabled=javascript,
        bypass_csp=bypass_csp,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    return context


def violations(page: Page, axe_path: Path = AXE) -> list[dict[str, Any]]:
    """The WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    loaded = "() => typeof window.axe !== 'undefined'"
    if not page.evaluate(loaded):
        page.add_script_tag(path=str(axe_path))
    result: dict[str, Any] = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    found: list[dict[str, Any]] = result["violations"]
    return found


def describe(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in found
    )


def scan(page: Page, results: dict[str, int], name: str) -> None:
    language = page.locator("html").get_attribute("lang") or "?"
    found = violations(page)
    results[f"{name} [{language}]"] = len(found)
    assert not found, f"{name} [{language}]:\n{describe(found)}"


def check(page: Page, results: dict[str, int], name: str, *, both_languages: bool = True) -> None:
    """No violation here, in the language shown and, after the language switch, in the other one."""
    scan(page, results, name)
    if not both_languages:
        return
    first = page.locator("html").get_attribute("lang")
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).not_to_have_attribute("lang", first or "")
    scan(page, results, name)
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", first or "")


def check_copy(page: Page, results: dict[str, int], name: str) -> None:
    """axe needs JavaScript: scan what a visitor without it sees, in a scripted tab of the same session."""
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(
        base_url=page.url, storage_state=page.context.storage_state(), bypass_csp=True, locale="nl-NL"
    )
    try:
        copy = context.new_page()
        copy.goto(page.url)
        scan(copy, results, name)
    finally:
        context.close()


def snap(page: Page, name: str) -> None:
    """Full-page screenshots at phone and desktop widths, for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(page: Page, inbox: Any, email: str) -> None:
    """On the sign-in page: ask for a link, open it from the mail, press the button."""
    page.get_by_label(re.compile("e-mailadres|e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_role("button", name=re.compile("Stuur mij een link|Send me a link")).click()
    expect(page.locator("h1")).to_have_text(re.compile("Kijk in uw e-mail|Check your e-mail"))
    page.goto(f"/inloggen/bevestigen?token={inbox.sign_in_token(email)}")
    page.get_by_role("button", name=re.compile("Nu inloggen|Sign in now")).click()
    page.wait_for_url(lambda url: "/inloggen/bevestigen" not in url)
    if "/mijn-naam" in page.url:  # the first sign-in asks which name others may see
        page.get_by_label(re.compile("^(Uw naam|Your name)")).fill("Buurtgenoot")
        page.get_by_role("button", name=re.compile("Opslaan|Save")).click()
        page.wait_for_url(lambda url: "/mijn-naam" not in url)


def verify_resident(site: Any, email: str, neighbourhood_id: int) -> None:
    """Make `email` a verified resident of the neighbourhood (as the broker's approval would), so a
    journey that sends in a plan starts from someone who already showed where they live."""

    async def run() -> None:
        from buurtbudget.db.engine import create_engine, create_session_factory
        from buurtbudget.db.transaction import transaction
        from buurtbudget.people import service as people
        from buurtbudget.people.verification import ensure_verified

        engine = create_engine(site.database_url)
        try:
            async with create_session_factory(engine)() as session, transaction(session):
                person = await people.get_or_create(session, email, actor_id=None)
                await ensure_verified(session, person, neighbourhood_id)
        finally:
            await engine.dispose()

    # Playwright's sync API keeps an event loop running in this thread: the database work gets its own.
    worker = threading.Thread(target=lambda: asyncio.run(run()))
    worker.start()
    worker.join()
