"""A resident verifies through the municipality's identity provider in Chromium: the button, the provider's
own form, back to the verification page; the pages for a stopped sign-in and a municipality without one.

The app runs with a real local OpenID Connect provider (oidc-provider-mock in its own process) configured
for Utrecht; Leidschendam-Voorburg has none. Every page of ours is scanned by axe in both languages.
"""

import asyncio
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from browser_tools import check, new_context, sign_in, snap
from oidc_tools import LocalProvider
from playwright.sync_api import Browser, Page, expect
from pydantic import SecretStr

from api.app import create_app
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.settings import IdentityProviderSettings, Settings

pytest_plugins = ["e2e_site", "oidc_provider"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

SCREENSHOTS = Path("/work/shared/screenshots/issue12")
READY_SECONDS = 20


@dataclass(frozen=True)
class Site:
    """The app with a provider: where it listens and the world it was given."""

    url: str
    world: Any
    inbox: Any


async def _world(database_url: str) -> Any:
    from conftest import build_world

    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await build_world(session)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def idp_site(
    sqlite_template: Path,
    smtp_server: tuple[Controller, Any],
    oidc_provider: LocalProvider,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    """The real app under uvicorn, with Utrecht's identity provider configured."""
    folder = tmp_path_factory.mktemp("e2e-idp")
    database = folder / "buurtbudget.db"
    shutil.copy(sqlite_template, database)
    database_url = f"sqlite+aiosqlite:///{database}"
    world = asyncio.run(_world(database_url))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller, inbox = smtp_server
    settings = Settings(
        database_url=database_url,
        base_url=f"http://127.0.0.1:{port}",
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        outbox_dir=folder / "outbox",
        cookie_secure=False,
        oidc_providers={
            "GM0344": IdentityProviderSettings(
                issuer=oidc_provider.issuer, client_id="buurtbudget-e2e", client_secret=SecretStr("geheim")
            )
        },
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, name="e2e-idp-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            pytest.fail(f"the app did not start within {READY_SECONDS} s")
        time.sleep(0.05)
    yield Site(url=settings.base_url, world=world, inbox=inbox)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def visitor(idp_site: Site, browser: Browser) -> Iterator[Page]:
    # The site first: it is built with asyncio.run, before Playwright runs its loop in this thread.
    context = new_context(browser, idp_site)
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str) -> None:
    """Screenshots for the report (outside the repository) besides the usual ones in var/screenshots."""
    snap(page, name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in (("desktop", 1280), ("phone-320", 320)):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_resident_verifies_with_digid_through_the_municipality(
    visitor: Page, idp_site: Site, oidc_provider: LocalProvider
) -> None:
    results: dict[str, int] = {}
    oidc_provider.set_user("digid-e2e-1", {"email": "digid.e2e@example.org", "email_verified": True})
    visitor.goto("/inloggen")
    sign_in(visitor, idp_site.inbox, "digid.e2e@example.org")
    visitor.goto("/buurten/zuilen/verifieren")
    button = visitor.get_by_role("link", name="Inloggen met DigiD via de gemeente")
    expect(button).to_be_visible()
    shoot(visitor, "idp-button")  # before the scan: switching the language reloads the page
    check(visitor, results, "verification page with the DigiD button")
    button.click()
    # The provider's own page (not ours, so not scanned): sign in there as the test person.
    visitor.wait_for_url(re.compile(re.escape(oidc_provider.issuer)))
    visitor.locator("input[name=sub]").fill("digid-e2e-1")
    visitor.get_by_role("button", name="Authorize").click()
    visitor.wait_for_url(re.compile(r"/buurten/zuilen/verifieren\?klaar=geverifieerd"))
    expect(visitor.get_by_role("status")).to_be_visible()
    expect(visitor.get_by_role("link", name="Inloggen met DigiD via de gemeente")).to_have_count(0)
    shoot(visitor, "idp-verified")  # before the scan: switching the language reloads the page
    check(visitor, results, "verification page after DigiD")


def test_stopping_at_the_provider_and_a_municipality_without_one(
    visitor: Page, idp_site: Site, oidc_provider: LocalProvider
) -> None:
    results: dict[str, int] = {}
    visitor.goto("/buurten/zuilen/verifieren/idp")
    visitor.wait_for_url(re.compile(re.escape(oidc_provider.issuer)))
    visitor.get_by_role("button", name="Deny").click()
    visitor.wait_for_url(re.compile("/verifieren/idp/terug"))
    expect(visitor.locator("h1")).to_have_text("U bent gestopt met inloggen")
    shoot(visitor, "idp-stopped")  # before the scan: switching the language reloads the page
    check(visitor, results, "identity provider: stopped")
    visitor.goto("/buurten/bovenveen/verifieren/idp")
    expect(visitor.locator("h1")).to_have_text("Inloggen via de gemeente is niet ingesteld")
    shoot(visitor, "idp-not-set-up")  # before the scan: switching the language reloads the page
    check(visitor, results, "identity provider: not set up")


def test_a_visitor_who_is_not_signed_in_signs_in_and_verifies_in_one_go(
    visitor: Page, idp_site: Site, oidc_provider: LocalProvider
) -> None:
    results: dict[str, int] = {}
    oidc_provider.set_user("digid-e2e-2", {"email": "nieuw.e2e@example.org", "email_verified": True})
    visitor.goto("/buurten/zuilen/verifieren")
    button = visitor.get_by_role("link", name="Inloggen met DigiD via de gemeente")
    shoot(visitor, "idp-button-signed-out")
    check(visitor, results, "verification page with the DigiD button, signed out")
    button.click()
    visitor.wait_for_url(re.compile(re.escape(oidc_provider.issuer)))
    visitor.locator("input[name=sub]").fill("digid-e2e-2")
    visitor.get_by_role("button", name="Authorize").click()
    visitor.wait_for_url(re.compile("/mijn-naam"))  # a first sign-in asks which name others may see
    visitor.get_by_label(re.compile("^(Uw naam|Your name)")).fill("Nieuwe Buurtgenoot")
    visitor.get_by_role("button", name=re.compile("Opslaan|Save")).click()
    visitor.wait_for_url(re.compile(r"/buurten/zuilen/verifieren\?klaar=geverifieerd"))
    expect(visitor.get_by_role("status")).to_be_visible()
    expect(visitor.get_by_role("button", name="Uitloggen")).to_be_visible()
