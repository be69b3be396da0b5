"""Without a mail server, mails go to the outbox folder and the demo shows them, so sign-in still works."""

import re
from typing import Any

from litestar.testing import TestClient

from api.app import create_app
from buurtbudget.settings import Settings


def test_without_smtp_the_sign_in_mail_lands_in_the_outbox_and_the_demo_shows_it(settings: Settings) -> None:
    demo = settings.model_copy(update={"smtp_host": None, "show_outbox": True})
    with TestClient(create_app(demo), base_url="https://testserver.local") as client:
        response = client.post("/api/v1/auth/sign-in-requests", json={"email": "anna@example.org"})
        assert response.status_code == 202
        [mail] = list(demo.outbox_dir.glob("*.eml"))
        assert b"anna@example.org" in mail.read_bytes()
        page = client.get("/outbox")
        assert page.status_code == 200
        token = re.search(r"token=([A-Za-z0-9_-]+)", page.text)
        assert token, "the outbox page shows the sign-in link"
        assert client.post("/api/v1/auth/session", json={"token": token.group(1)}).status_code == 200


def test_the_outbox_page_exists_only_in_the_demo(settings: Settings, client: TestClient[Any]) -> None:
    assert client.get("/outbox").status_code == 404  # SMTP configured: no outbox page
    hidden = settings.model_copy(update={"smtp_host": None, "show_outbox": False})
    with TestClient(create_app(hidden), base_url="https://testserver.local") as other:
        assert other.get("/outbox").status_code == 404
