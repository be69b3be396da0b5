"""Production defaults: no demo secret outside demo mode, tokens never logged, proxies only when trusted."""

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from click.testing import CliRunner
from pydantic import SecretStr

from api.app import create_app
from api.cli import main
from api.serving import redact, uvicorn_options
from buurtbudget.settings import DEMO_SECRET_KEY, PROJECT_ROOT, Settings, UnsafeSettingsError

READY_SECONDS = 20
SECRET_TOKEN = "Zm9vYmFyLXNlY3JldC1zaWduLWluLXRva2VuLTEyMw"


def test_the_app_refuses_the_demo_secret_outside_demo_mode(settings: Settings) -> None:
    production = settings.model_copy(update={"secret_key": SecretStr(DEMO_SECRET_KEY)})
    with pytest.raises(UnsafeSettingsError, match="BUURTBUDGET_SECRET_KEY"):
        create_app(production)
    create_app(production.model_copy(update={"demo": True}))  # the demo may use it


def test_serve_says_which_setting_is_missing_instead_of_starting() -> None:
    result = CliRunner().invoke(
        main, ["serve"], env={"BUURTBUDGET_SECRET_KEY": DEMO_SECRET_KEY, "BUURTBUDGET_DEMO": "false"}
    )
    assert result.exit_code == 1
    assert "BUURTBUDGET_SECRET_KEY" in result.output
    assert "BUURTBUDGET_DEMO=true" in result.output


def test_make_run_is_the_demo_and_docker_compose_is_not() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "BUURTBUDGET_DEMO=true" in run
    assert "SHOW_OUTBOX" not in makefile
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment = compose["services"]["app"]["environment"]
    assert "BUURTBUDGET_DEMO" not in environment
    assert not any("OUTBOX" in name for name in environment)
    assert environment["BUURTBUDGET_SECRET_KEY"].startswith("${BUURTBUDGET_SECRET_KEY:?")
    assert "TRUSTED_PROXIES" in environment["BUURTBUDGET_TRUSTED_PROXIES"]


def test_redact_removes_token_values_only() -> None:
    line = f'127.0.0.1:5 - "GET /inloggen/bevestigen?token={SECRET_TOKEN}&x=1 HTTP/1.1" 200'
    assert redact(line) == '127.0.0.1:5 - "GET /inloggen/bevestigen?token=[redacted]&x=1 HTTP/1.1" 200'
    assert redact("/pad?a=1&TOKEN=abc") == "/pad?a=1&TOKEN=[redacted]"
    assert redact("/pad?mytoken=abc") == "/pad?mytoken=abc"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app under uvicorn with the options `buurtbudget serve` uses, on a free loopback port."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        lifespan="on",
        ws="none",
        **uvicorn_options(settings),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="serve-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + READY_SECONDS
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail(f"the app did not start within {READY_SECONDS} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_sign_in_token_never_reaches_the_access_log(settings: Settings) -> None:
    collect = Collect()
    with serving(settings) as url:
        access = logging.getLogger("uvicorn.access")
        access.addHandler(collect)
        try:
            response = httpx.get(f"{url}/inloggen/bevestigen?token={SECRET_TOKEN}", timeout=10)
        finally:
            access.removeHandler(collect)
    assert response.status_code == 200
    assert SECRET_TOKEN in response.text  # the page holds it in its form, the log does not
    logged = [line for line in collect.lines if "/inloggen/bevestigen" in line]
    assert logged, "the access log is on"
    assert all(SECRET_TOKEN not in line for line in logged)
    assert "token=[redacted]" in logged[0]


def sign_in_requests(url: str, forwarded_for: list[str]) -> list[int]:
    """Sign-in requests (rate limited per client address) that claim to come from these addresses."""
    statuses = []
    for number, address in enumerate(forwarded_for):
        response = httpx.post(
            f"{url}/api/v1/auth/sign-in-requests",
            json={"email": f"bewoner{number}@example.org"},
            headers={"X-Forwarded-For": address},
            timeout=10,
        )
        statuses.append(response.status_code)
    return statuses


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        ("127.0.0.1", [202, 202, 202]),  # behind our proxy: three residents, one request each
        ("", [202, 202, 429]),  # no proxy trusted: made-up addresses change nothing
        ("10.9.8.7", [202, 202, 429]),  # the connection is not from the trusted proxy
    ],
)
def test_forwarded_addresses_count_only_from_trusted_proxies(
    settings: Settings, trusted: str, expected: list[int], inbox: Any
) -> None:
    limited = settings.model_copy(update={"trusted_proxies": trusted, "sign_in_per_ip_per_minute": 2})
    with serving(limited) as url:
        assert sign_in_requests(url, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == expected
