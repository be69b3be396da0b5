"""The e2e harness (a pytest plugin): the real app under uvicorn on a loopback port, and Chromium."""

import asyncio
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from browser_tools import new_context
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from api.app import create_app
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.settings import PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# One report per test process: pytest-xdist workers (gw0, gw1, ...) each scan their own pages.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
AXE_REPORT = PROJECT_ROOT / "var" / (f"axe-results-{_WORKER}.json" if _WORKER else "axe-results.json")
READY_SECONDS = 20


@dataclass
class Site:
    """The running app: where it listens and the world it was given."""

    url: str
    world: Any
    inbox: Any
    axe_results: dict[str, int] = field(default_factory=dict)
    database_url: str = ""  # for a test that sets up what no page can (a municipality's look)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _build_world(database_url: str) -> Any:
    from conftest import build_world  # the root conftest's world: municipalities, people, a funded pot

    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await build_world(session)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def site(
    sqlite_template: Path, smtp_server: tuple[Controller, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The real app on a migrated SQLite database, mailing through the test SMTP server."""
    folder = tmp_path_factory.mktemp("e2e")
    database = folder / "buurtbudget.db"
    shutil.copy(sqlite_template, database)
    database_url = f"sqlite+aiosqlite:///{database}"
    world = asyncio.run(_build_world(database_url))
    port = _free_port()
    controller, inbox = smtp_server
    settings = Settings(
        database_url=database_url,
        base_url=f"http://127.0.0.1:{port}",
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        outbox_dir=folder / "outbox",
        cookie_secure=False,
        sign_in_per_address_per_hour=100,
        sign_in_per_ip_per_minute=1000,
    )
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            pytest.fail(f"the app did not start within {READY_SECONDS} s")
        time.sleep(0.05)
    found = Site(url=settings.base_url, world=world, inbox=inbox, database_url=database_url)
    yield found
    server.should_exit = True
    thread.join(timeout=10)
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(found.axe_results, indent=2, sort_keys=True), encoding="utf-8")


@pytest.fixture(scope="module")
def playwright_session(site: Site) -> Iterator[Playwright]:
    """Sync Playwright runs an event loop in this thread: the site (built with asyncio.run) comes first.

    Module scope: the loop stops after each journey module, so later async tests get a free thread.
    """
    if not CHROMIUM.exists():
        from conftest import missing_component

        missing_component(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    context = new_context(browser, site)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, site: Site) -> Iterator[Page]:
    context = new_context(browser, site, javascript=False)
    yield context.new_page()
    context.close()
