"""The app keeps no user state in its process: two instances on one database (or Redis) serve one user."""

import os
from typing import Any

import redis
from conftest import BASE_URL, Inbox, missing_component
from litestar.testing import TestClient

from api.app import create_app
from buurtbudget.settings import Settings

REDIS_URL = os.environ.get("BUURTBUDGET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def sign_in_on(first: TestClient[Any], inbox: Inbox, email: str) -> None:
    assert first.post("/api/v1/auth/sign-in-requests", json={"email": email}).status_code == 202
    assert first.post("/api/v1/auth/session", json={"token": inbox.sign_in_token(email)}).status_code == 200


def continue_on(second: TestClient[Any], first: TestClient[Any], email: str) -> None:
    second.cookies.set("bb_session", first.cookies["bb_session"], domain="testserver.local")
    response = second.get("/api/v1/people/me")
    assert response.status_code == 200, response.text
    assert response.json()["email"] == email
    assert second.delete("/api/v1/auth/session").status_code == 204
    assert first.get("/api/v1/people/me").status_code == 401  # signed out everywhere


def test_two_instances_share_sessions_through_the_database(settings: Settings, inbox: Inbox) -> None:
    with (
        TestClient(create_app(settings), base_url=BASE_URL) as first,
        TestClient(create_app(settings), base_url=BASE_URL) as second,
    ):
        sign_in_on(first, inbox, "anna@example.org")
        continue_on(second, first, "anna@example.org")


def test_two_instances_share_sessions_and_rate_limits_through_redis(settings: Settings, inbox: Inbox) -> None:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        missing_component(f"Redis at {REDIS_URL}: {error}")
    client.flushdb()
    shared = settings.model_copy(update={"redis_url": REDIS_URL, "sign_in_per_ip_per_minute": 3})
    try:
        with (
            TestClient(create_app(shared), base_url=BASE_URL) as first,
            TestClient(create_app(shared), base_url=BASE_URL) as second,
        ):
            sign_in_on(first, inbox, "anna@example.org")
            assert client.keys("buurtbudget*"), "the session lives in Redis"
            continue_on(second, first, "anna@example.org")
            # the sign-in request above counted on the first; the counter is shared with the second
            statuses = [
                second.post("/api/v1/auth/sign-in-requests", json={"email": f"p{n}@example.org"}).status_code
                for n in range(3)
            ]
            assert statuses == [202, 202, 429]
    finally:
        client.flushdb()
        client.close()
