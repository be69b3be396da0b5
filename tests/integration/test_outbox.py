"""Without a mail server, mails go to the outbox folder and the demo shows them, so sign-in still works."""

import re
from typing import Any

from conftest import World
from litestar.testing import TestClient

from api.app import create_app
from buurtbudget.settings import Settings


def test_without_smtp_the_sign_in_mail_lands_in_the_outbox_and_the_demo_shows_it(settings: Settings) -> None:
    demo = settings.model_copy(update={"smtp_host": None, "demo": True})
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


def test_the_outbox_page_exists_only_in_demo_mode(settings: Settings, client: TestClient[Any]) -> None:
    assert client.get("/outbox").status_code == 404  # SMTP configured: no outbox page
    not_a_demo = settings.model_copy(update={"smtp_host": None, "demo": False})
    with TestClient(create_app(not_a_demo), base_url="https://testserver.local") as other:
        assert other.get("/outbox").status_code == 404
        other.get("/inloggen/verstuurd")
        assert "/outbox" not in other.get("/inloggen/verstuurd").text


def test_the_outbox_never_shows_sign_in_links_of_people_with_more_than_a_resident_role(
    settings: Settings, world: World
) -> None:
    demo = settings.model_copy(update={"smtp_host": None, "demo": True})
    with TestClient(create_app(demo), base_url="https://testserver.local") as client:
        for role in ("resident", "broker", "juror", "municipality_admin", "platform_admin"):
            response = client.post("/api/v1/auth/sign-in-requests", json={"email": world.emails[role]})
            assert response.status_code == 202
        client.post("/api/v1/auth/sign-in-requests", json={"email": "nieuw@example.org"})
        assert len(list(demo.outbox_dir.glob("*.eml"))) == 6
        page = client.get("/outbox")
        assert page.status_code == 200
        shown = page.text
        assert world.emails["resident"] in shown
        assert "nieuw@example.org" in shown
        for role in ("broker", "juror", "municipality_admin", "platform_admin"):
            assert world.emails[role] not in shown, role
        assert len(set(re.findall(r"token=[A-Za-z0-9_-]+", shown))) == 2
