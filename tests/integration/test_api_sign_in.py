"""Magic-link sign-in through a real SMTP server: single use, hashed, expiring, rate limited; sign-out."""

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import Inbox, sign_in
from litestar.testing import TestClient
from sqlalchemy import select, update

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.people.models import SignInToken
from buurtbudget.settings import Settings


def tokens(settings: Settings) -> list[SignInToken]:
    async def read() -> list[SignInToken]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            rows = list((await session.execute(select(SignInToken))).scalars())
        await engine.dispose()
        return rows

    return asyncio.run(read())


def test_the_link_from_the_mail_signs_in_once(
    client: TestClient[Any], inbox: Inbox, settings: Settings
) -> None:
    response = client.post("/api/v1/auth/sign-in-requests", json={"email": "Anna@Example.org"})
    assert response.status_code == 202
    message = inbox.last_to("anna@example.org")
    assert "Buurtbudget" in message["Subject"]
    token = inbox.sign_in_token("anna@example.org")

    response = client.post("/api/v1/auth/session", json={"token": token})
    assert response.status_code == 200
    assert response.json()["email"] == "anna@example.org"
    cookie = response.headers["set-cookie"]
    for part in ("bb_session=", "HttpOnly", "Secure", "SameSite=lax"):
        assert part in cookie
    assert client.get("/api/v1/people/me").json()["email"] == "anna@example.org"

    again = client.post("/api/v1/auth/session", json={"token": token})
    assert again.status_code == 422
    assert again.json()["code"] == "invalid_sign_in_link"


def test_only_a_hash_of_the_token_is_stored(
    client: TestClient[Any], inbox: Inbox, settings: Settings
) -> None:
    client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
    token = inbox.sign_in_token("anna@example.org")
    [stored] = tokens(settings)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert timedelta(minutes=14) < stored.expires_at - stored.created_at <= timedelta(minutes=15)


def test_an_expired_link_does_not_sign_in(client: TestClient[Any], inbox: Inbox, settings: Settings) -> None:
    client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
    token = inbox.sign_in_token("anna@example.org")

    async def expire() -> None:
        engine = create_engine(settings.database_url)
        async with engine.begin() as connection:
            await connection.execute(
                update(SignInToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        await engine.dispose()

    asyncio.run(expire())
    response = client.post("/api/v1/auth/session", json={"token": token})
    assert response.status_code == 422
    assert client.get("/api/v1/people/me").status_code == 401


def test_sign_out_ends_the_session(client: TestClient[Any], inbox: Inbox) -> None:
    sign_in(client, inbox, "anna@example.org")
    session_id = client.cookies.get("bb_session")
    assert client.delete("/api/v1/auth/session").status_code == 204
    assert client.get("/api/v1/people/me").status_code == 401
    client.cookies.set("bb_session", session_id or "", domain="testserver.local")  # replaying the old cookie
    assert client.get("/api/v1/people/me").status_code == 401


def test_signing_in_issues_a_new_session_id(client: TestClient[Any], inbox: Inbox) -> None:
    client.cookies.set("bb_session", "a" * 64, domain="testserver.local")  # planted by an attacker
    sign_in(client, inbox, "anna@example.org")
    assert client.cookies.get("bb_session") != "a" * 64


def test_anonymous_visitors_get_no_session_cookie(client: TestClient[Any]) -> None:
    assert "bb_session" not in client.get("/api/v1/neighbourhoods").headers.get("set-cookie", "")


def test_sign_in_requests_are_limited_per_address(
    client: TestClient[Any], inbox: Inbox, settings: Settings
) -> None:
    for _ in range(settings.sign_in_per_address_per_hour):
        assert (
            client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"}).status_code
            == 202
        )
    response = client.post("/api/v1/auth/sign-in-requests", json={"email": "ANNA@example.org"})
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_sign_in_requests"
    assert response.headers["retry-after"] == "3600"
    assert len(inbox.messages) == settings.sign_in_per_address_per_hour
    assert client.post("/api/v1/auth/sign-in-requests", json={"email": "bob@example.org"}).status_code == 202


def test_sign_in_requests_are_limited_per_ip(settings: Settings, inbox: Inbox) -> None:
    from api.app import create_app

    limited = settings.model_copy(update={"sign_in_per_ip_per_minute": 3})
    with TestClient(create_app(limited), base_url="https://testserver.local") as client:
        statuses = [
            client.post("/api/v1/auth/sign-in-requests", json={"email": f"person{n}@example.org"}).status_code
            for n in range(4)
        ]
        assert statuses == [202, 202, 202, 429]
        assert client.get("/api/v1/neighbourhoods").status_code == 200  # other requests are not limited
