"""A real OpenID Connect provider for the tests: `oidc-provider-mock` in its own process on loopback.

`start_provider` runs this file as a script: it serves the provider on 127.0.0.1 on a port the kernel
picks, prints its issuer as the first line, and stops when its standard input closes, so it never
outlives the test run. Its own process keeps its warnings its own: the provider uses Authlib interfaces
that Authlib now deprecates, while the tests turn every warning of the application into an error.
The fixture is in the plugin `oidc_provider` (`pytest_plugins = ["oidc_provider"]`).
"""

import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

START_SECONDS = 10.0


@dataclass(frozen=True)
class LocalProvider:
    """The running provider, and what a person does there in a browser."""

    issuer: str

    def set_user(self, subject: str, claims: dict[str, object]) -> None:
        """The claims the provider will vouch for when `subject` signs in."""
        response = httpx.put(f"{self.issuer}/users/{subject}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def sign_in(self, authorization_url: str, subject: str) -> str:
        """Sign in at the provider as `subject` (its form's button); returns where it sends the browser."""
        assert authorization_url.startswith(self.issuer), authorization_url
        response = httpx.post(authorization_url, data={"sub": subject}, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["location"]

    def deny(self, authorization_url: str) -> str:
        """Press "deny" at the provider; returns where it sends the browser (with error=access_denied)."""
        response = httpx.post(authorization_url, data={"action": "deny"}, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["location"]


def local_path(location: str) -> str:
    """The path and query of an absolute address (the test client talks to the app directly)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _first_line(process: "subprocess.Popen[str]", seconds: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(timeout=left):
                return process.stdout.readline().strip()
            if process.poll() is not None:
                break
    return ""


@contextmanager
def start_provider(log: Path) -> Iterator[LocalProvider]:
    """A real OpenID Connect provider on a free loopback port; fails loudly if it does not start in time."""
    with log.open("w") as errors:
        process = subprocess.Popen(  # noqa: S603  (our own script, run by this interpreter)
            [sys.executable, str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "AUTHLIB_INSECURE_TRANSPORT": "1"},
        )
    try:
        issuer = _first_line(process, START_SECONDS)
        if not issuer.startswith("http://127.0.0.1:"):
            pytest.fail(
                f"the local OpenID Connect provider did not start within {START_SECONDS:.0f} s "
                f"(oidc-provider-mock; see {log}): {log.read_text()[-2000:]}"
            )
        yield LocalProvider(issuer=issuer)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()


def serve() -> None:
    """Serve the provider until standard input closes."""
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)
    import oidc_provider_mock
    import werkzeug.serving

    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_port}", flush=True)  # noqa: T201  (the fixture reads it)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    serve()
