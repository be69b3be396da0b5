"""The JSON API refuses forged writes: bodies other than JSON (415) and requests from other sites (403)."""

from typing import Any

import pytest
from conftest import Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.cross_site import EXEMPT_PATHS, origin_of

OWN = "http://127.0.0.1:8000"  # the base_url of the test settings
EVIL = "https://evil.example"


def state_of(client: TestClient[Any], initiative_id: int) -> str:
    response = client.get(f"/api/v1/initiatives/{initiative_id}")
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


@pytest.fixture
async def draft(session: AsyncSession, world: World) -> int:
    [initiative_id] = await new_initiatives(session, world, 1)
    return initiative_id


def test_a_cross_site_text_plain_form_cannot_withdraw_an_initiative(
    client: TestClient[Any], inbox: Inbox, world: World, draft: int
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    # What fetch(url, {method: "POST", mode: "no-cors", credentials: "include", body: ...}) on another
    # site sends: text/plain needs no preflight, and a same-site page's request carries the cookie.
    forged = client.post(
        f"/api/v1/initiatives/{draft}/transitions",
        content=b'{"action": "withdraw"}',
        headers={"Content-Type": "text/plain", "Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403
    assert forged.headers["content-type"].startswith("application/problem+json")
    assert forged.json()["code"] == "cross_site_request"
    assert "andere website" in forged.json()["detail"]
    assert state_of(client, draft) == "draft"


def test_a_text_plain_body_is_refused_even_without_origin_headers(
    client: TestClient[Any], inbox: Inbox, world: World, draft: int
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ):
        response = client.post(
            f"/api/v1/initiatives/{draft}/transitions",
            content=b'{"action": "withdraw"}',
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 415, content_type
        problem = response.json()
        assert problem["code"] == "unsupported_media_type"
        assert problem["status"] == 415
        assert "application/json" in problem["detail"]
    assert state_of(client, draft) == "draft"


def test_other_sites_are_refused_by_origin_or_fetch_metadata(
    client: TestClient[Any], inbox: Inbox, world: World, draft: int
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    url = f"/api/v1/initiatives/{draft}/transitions"
    body = {"action": "withdraw"}
    assert client.post(url, json=body, headers={"Origin": EVIL}).status_code == 403
    assert client.post(url, json=body, headers={"Origin": "null"}).status_code == 403
    assert client.post(url, json=body, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post(url, json=body, headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
    assert client.delete("/api/v1/auth/session", headers={"Origin": EVIL}).status_code == 403  # body-less
    assert state_of(client, draft) == "draft"


def test_the_own_site_and_non_browser_clients_may_write(
    client: TestClient[Any], inbox: Inbox, world: World, draft: int
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    url = f"/api/v1/initiatives/{draft}/transitions"
    same_origin = client.post(
        url, json={"action": "submit"}, headers={"Origin": OWN, "Sec-Fetch-Site": "same-origin"}
    )
    assert same_origin.status_code == 200, same_origin.text
    no_headers = client.post(url, json={"action": "withdraw"})  # curl, scripts: neither header
    assert no_headers.status_code == 200, no_headers.text
    assert state_of(client, draft) == "withdrawn"
    # A body-less write needs no content type.
    assert client.delete("/api/v1/auth/session", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 204


def test_the_exemptions_are_an_explicit_short_list() -> None:
    assert frozenset({"/api/v1/payments/stripe/webhook"}) == EXEMPT_PATHS
    assert origin_of("HTTPS://Buurtbudget.example:443/pad") == "https://buurtbudget.example"
    assert origin_of("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
