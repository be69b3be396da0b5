"""Anonymous visitors leave no server-side session: only signing in or choosing a language stores one."""

import asyncio
import re
from typing import Any

from conftest import BASE_URL, Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select

from api.app import create_app
from buurtbudget.db.engine import create_engine
from buurtbudget.db.keyvalue import KeyValueEntry
from buurtbudget.settings import Settings

PAGES = [
    "/",
    "/buurten/zuilen",
    "/inloggen",
    "/inloggen?volgende=/mijn-initiatieven",  # remembered in a cookie, not a session
    "/initiatieven/nieuw?buurt=zuilen",  # sends anonymous visitors to sign in first
    "/mijn-initiatieven",
    "/rondes",
    "/ruimtes",
    "/bestaat-niet",
    "/api/v1/neighbourhoods",
]


def stored_sessions(settings: Settings) -> int:
    async def count() -> int:
        engine = create_engine(settings.database_url)
        async with engine.connect() as connection:
            found = await connection.scalar(
                select(func.count()).select_from(KeyValueEntry).where(KeyValueEntry.namespace == "sessions")
            )
        await engine.dispose()
        return int(found or 0)

    return asyncio.run(count())


def test_two_hundred_anonymous_page_views_store_no_session(settings: Settings, world: World) -> None:
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        for number in range(200):
            client.cookies.clear()  # a new visitor, as a crawler or a passer-by is
            response = client.get(PAGES[number % len(PAGES)])
            assert response.status_code < 500
            assert "bb_session" not in response.headers.get("set-cookie", "")
        # One visitor going round every page, keeping the cookies they get (the CSRF cookie).
        for path in PAGES:
            client.get(path)
    assert stored_sessions(settings) == 0


def test_the_page_asked_for_before_sign_in_is_remembered_without_a_session(
    client: TestClient[Any], settings: Settings, inbox: Inbox, world: World
) -> None:
    form = client.get("/inloggen?volgende=/rondes")
    assert stored_sessions(settings) == 0
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    client.post("/inloggen", data={"email": world.emails["resident"], "_csrf_token": token.group(1)})
    link = inbox.sign_in_token(world.emails["resident"])
    confirm = client.get(f"/inloggen/bevestigen?token={link}")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', confirm.text)
    assert token
    response = client.post(
        "/inloggen/bevestigen", data={"token": link, "_csrf_token": token.group(1)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "volgende=%2Frondes" in response.headers["location"]  # first the name, then the rounds
    assert stored_sessions(settings) == 1


def test_signing_in_stores_one_session_and_signing_out_removes_it(
    client: TestClient[Any], settings: Settings, inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    assert stored_sessions(settings) == 1
    assert client.delete("/api/v1/auth/session").status_code == 204
    assert stored_sessions(settings) == 0
