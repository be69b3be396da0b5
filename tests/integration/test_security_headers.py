"""Security headers on every answer (errors too), no caching of personal answers, HSTS, a local /schema."""

import re
from typing import Any

import pytest
from conftest import BASE_URL, Inbox, World, sign_in
from litestar import get
from litestar.testing import TestClient

from api.app import create_app
from buurtbudget.settings import Settings

EXPECTED = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_secured(response: Any) -> None:
    for name, part in EXPECTED.items():
        assert part in response.headers.get(name, ""), f"{name} missing on a {response.status_code}"


@get("/api/v1/test-boom", operation_id="testBoom", tags=["test"], include_in_schema=False)
async def boom() -> None:
    raise RuntimeError("a bug")


def test_error_answers_carry_the_security_headers(settings: Settings) -> None:
    app = create_app(settings)
    app.register(boom)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        missing_page = client.get("/bestaat-niet")
        assert missing_page.status_code == 404
        assert_secured(missing_page)
        missing_thing = client.get("/initiatieven/999999")
        assert missing_thing.status_code == 404
        assert_secured(missing_thing)
        problem = client.get("/api/v1/initiatives/999999")
        assert problem.status_code == 404
        assert problem.headers["content-type"].startswith("application/problem+json")
        assert_secured(problem)
        not_signed_in = client.get("/api/v1/people/me")
        assert not_signed_in.status_code == 401
        assert_secured(not_signed_in)
        crashed = client.get("/api/v1/test-boom")
        assert crashed.status_code == 500
        assert crashed.json()["code"] == "server_error"
        assert_secured(crashed)
        assert_secured(client.get("/"))


def test_answers_for_signed_in_people_are_never_stored_by_caches(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    assert "no-store" not in client.get("/").headers.get("cache-control", "")
    sign_in(client, inbox, world.emails["resident"])
    for path in ("/", "/mijn-initiatieven", "/api/v1/people/me", "/api/v1/initiatives/999999"):
        response = client.get(path)
        assert response.headers.get("cache-control") == "no-store", path


@pytest.mark.parametrize(
    ("base_url", "hsts"), [("https://buurtbudget.example", True), ("http://127.0.0.1:8000", False)]
)
def test_strict_transport_security_only_when_the_site_is_https(
    settings: Settings, base_url: str, hsts: bool
) -> None:
    with TestClient(
        create_app(settings.model_copy(update={"base_url": base_url})), base_url=BASE_URL
    ) as client:
        for response in (client.get("/"), client.get("/bestaat-niet")):
            header = response.headers.get("strict-transport-security", "")
            assert ("max-age=31536000" in header) is hsts


def test_the_schema_page_loads_nothing_from_other_hosts(client: TestClient[Any]) -> None:
    response = client.get("/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", response.text)
    assert references, "the page loads its scripts and styles"
    assert not [url for url in references if re.match(r"^(?:[a-z]+:)?//", url, re.IGNORECASE)]
    assert "http://" not in response.text
    assert "https://" not in response.text
    for url in references:
        assert client.get(url).status_code == 200, url
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert client.get("/schema/openapi.json").status_code == 200
