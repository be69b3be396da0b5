"""Generated requests never get a 500 and every answer matches the published OpenAPI document.

schemathesis turns the published schema into hypothesis strategies. Two kinds of run, both through the
app's real middleware:

- per operation, valid and invalid requests, anonymously and as a platform administrator (SQLite);
- stateful: schemathesis' state machine chains operations along the links it infers from the schema
  (a created initiative's id feeds the next call), signed in as an administrator and as a resident,
  on SQLite and PostgreSQL, checking `not_a_server_error` and response schema conformance.

Bounded by `max_examples` and step counts (deadlines off) so the file stays within a few CPU minutes.
"""

from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
import schemathesis
from conftest import BASE_URL, Inbox, World, sign_in
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from buurtbudget.settings import Settings

pytestmark = pytest.mark.slow

SPEC = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi_schema.to_schema()
OPERATIONS = [
    (path, method.upper())
    for path, item in SPEC["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
]
# Signing out would end the signed-in run after its first step; the per-operation run covers it.
SIGN_OUT = ("/api/v1/auth/session", "delete")
STATEFUL_EXAMPLES = 80
STATEFUL_STEPS = 12


def send(client: TestClient[Any], case: Any) -> Any:
    kwargs = case.as_transport_kwargs(base_url=BASE_URL)
    body = (
        {"content": kwargs["data"]}
        if "data" in kwargs
        else {"json": kwargs["json"]}
        if "json" in kwargs
        else {}
    )
    headers = {k: v for k, v in kwargs["headers"].items() if k.lower() in {"content-type", "accept"}}
    return client.request(
        kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=headers, **body
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_generated_request_gets_a_server_error(
    settings: Settings, inbox: Inbox, world: World, path: str, method: str
) -> None:
    operation = schemathesis.openapi.from_dict(SPEC)[path][method]
    with (
        TestClient(create_app(settings), base_url=BASE_URL) as anonymous,
        TestClient(create_app(settings), base_url=BASE_URL) as admin,
    ):
        sign_in(admin, inbox, world.emails["platform_admin"])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=4,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                for client in (anonymous, admin):
                    response = send(client, case)
                    assert response.status_code < 500, f"{method} {response.url}: {response.text[:300]}"
                    if response.status_code >= 400:
                        assert response.headers["content-type"].startswith("application/problem+json")

            try:
                check()
            except Unsatisfiable:
                # Nothing to make invalid (an operation without parameters or body): that mode has no cases.
                assert mode is GenerationMode.NEGATIVE


@dataclass
class Counts:
    """What a stateful run did: scenarios (hypothesis examples), calls, and answers by status class."""

    scenarios: int = 0
    calls: int = 0
    by_status: dict[str, int] | None = None

    def count(self, status: int) -> None:
        self.calls += 1
        self.by_status = self.by_status or {}
        key = f"{status // 100}xx"
        self.by_status[key] = self.by_status.get(key, 0) + 1


def stateful_spec() -> dict[str, Any]:
    paths = {path: dict(item) for path, item in SPEC["paths"].items()}
    del paths[SIGN_OUT[0]][SIGN_OUT[1]]
    return {**SPEC, "paths": paths}


@pytest.mark.parametrize("role", ["platform_admin", "resident"])
def test_stateful_sequences_never_get_a_server_error_and_match_the_schema(
    settings: Settings, inbox: Inbox, world: World, role: str
) -> None:
    counts = Counts()
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        sign_in(client, inbox, world.emails[role])
        schema = schemathesis.openapi.from_dict(stateful_spec())

        class Sequences(schema.as_state_machine()):  # type: ignore[misc]
            checks: ClassVar[list[Any]] = [not_a_server_error, response_schema_conformance]

            def setup(self) -> None:
                counts.scenarios += 1

            def call(self, case: Any, **_kwargs: Any) -> Response:
                answer = send(client, case)
                counts.count(answer.status_code)
                return Response.from_httpx(answer, verify=True)

            def validate_response(
                self, response: Response, case: Any, additional_checks: Any = None, **_kwargs: Any
            ) -> None:
                case.validate_response(response, checks=self.checks)

        Sequences.run(
            settings=hypothesis_settings(
                max_examples=STATEFUL_EXAMPLES,
                stateful_step_count=STATEFUL_STEPS,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
        )
    print(f"stateful {role} on {settings.database_url.split(':')[0]}: {counts}")  # noqa: T201
    assert counts.calls >= STATEFUL_EXAMPLES
