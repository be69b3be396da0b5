"""Every error is an RFC 9457 problem with a specific status, and no failed request leaves a write behind."""

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE_URL, Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select

from api.app import create_app
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.models import CostLine, Initiative, TimelineEvent
from buurtbudget.pots.models import LedgerTransaction
from buurtbudget.settings import Settings

GOOD_DRAFT = {
    "title": "Moestuin",
    "summary": "Samen tuinieren",
    "cost_lines": [{"description": "Bakken", "amount_cents": 1000}],
}


def row_counts(settings: Settings) -> dict[str, int]:
    async def read() -> dict[str, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            result = {
                model.__tablename__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Initiative, CostLine, TimelineEvent, AuditEntry, LedgerTransaction)
            }
        await engine.dispose()
        return result

    return asyncio.run(read())


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    return body


def test_malformed_json_is_a_400(client: TestClient[Any], world: World, inbox: Inbox) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = client.post(
        "/api/v1/initiatives", content=b'{"title": "Moes', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "bad_request")


def test_validation_errors_are_a_422_listing_each_field(
    client: TestClient[Any], world: World, inbox: Inbox
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = client.post(
        "/api/v1/initiatives",
        json={
            "neighbourhood_id": world.zuilen_id,
            "title": "x",
            "cost_lines": [{"description": "", "amount_cents": 12.5}],
        },
    )
    body = assert_problem(response, 422, "validation_failed")
    fields = {error["field"] for error in body["errors"]}
    assert {"title", "cost_lines.0.description", "cost_lines.0.amount_cents"} <= fields
    assert all(error["reason"] for error in body["errors"])


def test_domain_validation_names_the_field(client: TestClient[Any], world: World, inbox: Inbox) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = client.post("/api/v1/initiatives", json={**GOOD_DRAFT, "neighbourhood_id": 999})
    body = assert_problem(response, 422, "invalid_input")
    assert body["errors"] == [{"field": "neighbourhood_id", "reason": body["detail"]}]


def test_problems_are_in_dutch_by_default_and_english_on_request(client: TestClient[Any]) -> None:
    dutch = client.get("/api/v1/people/me").json()
    english = client.get("/api/v1/people/me", headers={"accept-language": "en-GB,en;q=0.9"}).json()
    assert dutch["title"] != english["title"]
    assert english["title"] == "Please sign in first"


def test_missing_things_are_a_404(client: TestClient[Any]) -> None:
    assert_problem(client.get("/api/v1/initiatives/424242"), 404, "not_found")
    assert_problem(client.get("/api/v1/neighbourhoods/424242"), 404, "not_found")
    assert_problem(client.get("/api/v1/pots/424242"), 404, "not_found")
    assert_problem(client.get("/api/v1/no-such-endpoint"), 404, "not_found")


def test_illegal_transition_is_a_409_and_writes_nothing(
    client: TestClient[Any], world: World, inbox: Inbox, settings: Settings
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    created = client.post("/api/v1/initiatives", json={**GOOD_DRAFT, "neighbourhood_id": world.zuilen_id})
    assert created.status_code == 201
    initiative_id = created.json()["id"]
    before = row_counts(settings)
    body = assert_problem(
        client.post(f"/api/v1/initiatives/{initiative_id}/transitions", json={"action": "mark_ready"}),
        409,
        "illegal_transition",
    )
    assert "draft" in body["detail"] or body["detail"]
    assert row_counts(settings) == before


@pytest.mark.parametrize(
    "bad_request",
    [
        {
            "json": {
                "neighbourhood_id": 1,
                "title": "Goed",
                "cost_lines": [{"description": "a", "amount_cents": -1}],
            }
        },
        {"json": {"neighbourhood_id": 1, "title": "Goed", "themes": ["x"] * 9}},
        {"json": {"neighbourhood_id": 1, "title": "Goed", "unknown": True}},
        {
            "json": {
                "neighbourhood_id": 1,
                "title": "Goed",
                "space_needs": [
                    {
                        "description": "zaal",
                        "capacity": 5,
                        "starts_at": "2026-05-01T20:00:00+02:00",
                        "ends_at": "2026-05-01T18:00:00+02:00",
                    }
                ],
            }
        },
        {"content": b"[]", "headers": {"content-type": "application/json"}},
        {"content": b"\xff\xfe", "headers": {"content-type": "application/json"}},
    ],
)
def test_no_bad_request_gives_a_500_or_a_partial_write(
    client: TestClient[Any], world: World, inbox: Inbox, settings: Settings, bad_request: dict[str, Any]
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    response = client.post("/api/v1/initiatives", **bad_request)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert row_counts(settings) == before


def test_paging_parameters_are_validated(client: TestClient[Any]) -> None:
    assert_problem(client.get("/api/v1/initiatives?per_page=1000"), 422, "validation_failed")
    assert_problem(client.get("/api/v1/initiatives?page=0"), 422, "validation_failed")
    assert_problem(client.get("/api/v1/initiatives?state=bogus"), 422, "validation_failed")


def test_the_openapi_schema_is_served(client: TestClient[Any]) -> None:
    schema = client.get("/schema/openapi.json").json()
    operations = {
        operation["operationId"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {
        "createInitiative",
        "listInitiatives",
        "getInitiative",
        "transitionInitiative",
        "listPots",
        "getMe",
    } <= operations


@pytest.mark.postgres
def test_a_worker_whose_database_connections_are_all_in_use_answers_busy(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=postgres_url,
        outbox_dir=tmp_path / "outbox",
        database_pool_size=1,
        database_max_overflow=0,
        database_pool_timeout_seconds=0.2,
    )
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        engine = app.state["services"].engine
        held = client.blocking_portal.call(engine.connect().start)  # the worker's one connection
        try:
            response = client.get("/api/v1/neighbourhoods", headers={"Accept-Language": "nl"})
        finally:
            client.blocking_portal.call(held.close)
        problem = assert_problem(response, 503, "busy")
        assert problem["detail"] == "Het is nu erg druk. Probeer het over een paar seconden opnieuw."
        assert response.headers["retry-after"] == "5"
        assert client.get("/api/v1/neighbourhoods").status_code == 200  # free again, served again


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "Moes\xff\xfetuin"}',  # invalid UTF-8 inside a JSON string
        b'{"neighbourhood_id": 1, "title": "\xc3"}',  # a cut-off multi-byte character
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than any decoder recurses
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=["invalid utf-8", "cut-off character", "deep lists", "deep objects"],
)
def test_unreadable_json_bodies_are_a_400_and_write_nothing(
    client: TestClient[Any], world: World, inbox: Inbox, settings: Settings, body: bytes
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    response = client.post("/api/v1/initiatives", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 400, "bad_request")
    assert row_counts(settings) == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/initiatives?q=moes%00tuin", "q"),
        ("/api/v1/spaces?q=kade%00", "q"),
        ("/api/v1/initiatives?theme=%00", "theme"),
        ("/api/v1/similar-initiatives?title=moestuin%00", "title"),
    ],
)
def test_nul_characters_in_query_parameters_are_a_422_naming_the_parameter(
    client: TestClient[Any], path: str, field: str
) -> None:
    """PostgreSQL cannot compare text holding NUL: both databases refuse it before any query."""
    body = assert_problem(client.get(path), 422, "invalid_input")
    assert [error["field"] for error in body["errors"]] == [field]


def test_nul_characters_in_a_path_are_a_422(client: TestClient[Any]) -> None:
    response = client.get("/buurten/zuilen%00", headers={"accept-language": "nl"})
    assert response.status_code == 422
    assert "NUL" in response.text
    assert "Er ging bij ons iets mis" not in response.text


def _closed_port() -> int:
    """A loopback port nothing listens on (asked from the kernel, then closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_is_a_503_with_retry_after_not_a_500(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/buurtbudget",
        outbox_dir=tmp_path / "outbox",
        database_pool_timeout_seconds=2,
    )
    with TestClient(create_app(settings), base_url=BASE_URL, raise_server_exceptions=False) as client:
        problem = assert_problem(
            client.get("/api/v1/neighbourhoods", headers={"accept-language": "nl"}), 503, "unavailable"
        )
        assert (
            problem["detail"]
            == "We kunnen onze gegevens nu niet bereiken. Probeer het over een minuut opnieuw."
        )
        page = client.get("/", headers={"accept-language": "nl"})
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["retry-after"] == "30"
        assert "We kunnen onze gegevens nu niet bereiken" in page.text
        signing_in = client.post("/api/v1/auth/sign-in-requests", json={"email": "resident@example.org"})
        assert_problem(signing_in, 503, "unavailable")
        assert signing_in.headers["retry-after"] == "30"


def test_an_unreachable_redis_is_a_503_with_retry_after_not_a_500(settings: Settings) -> None:
    settings = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{_closed_port()}/0"})
    with TestClient(create_app(settings), base_url=BASE_URL, raise_server_exceptions=False) as client:
        # Signing in counts attempts in Redis (rate limits), and a session lives there.
        response = client.post("/api/v1/auth/sign-in-requests", json={"email": "resident@example.org"})
        assert_problem(response, 503, "unavailable")
        assert response.headers["retry-after"] == "30"
        client.cookies.set("bb_session", "x" * 40)
        page = client.get("/", headers={"accept-language": "nl"})
        assert page.status_code == 503
        assert page.headers["retry-after"] == "30"
