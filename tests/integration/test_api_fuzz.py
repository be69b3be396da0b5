"""Generated requests, valid and invalid, for every operation in the OpenAPI schema never get a 500.

schemathesis turns the published schema into hypothesis strategies; each generated request is sent
anonymously and as a signed-in platform administrator, through the app's real middleware.
"""

from typing import Any

import pytest
import schemathesis
from conftest import BASE_URL, Inbox, World, sign_in
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from litestar.testing import TestClient
from schemathesis.generation import GenerationMode

from api.app import create_app
from buurtbudget.settings import Settings

SPEC = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi_schema.to_schema()
OPERATIONS = [
    (path, method.upper())
    for path, item in SPEC["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
]


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
                max_examples=8,
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
