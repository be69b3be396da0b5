"""The site's header links to the workspace (/beheer) for the people who manage something: brokers and
administrators of a municipality or the platform; nobody else sees the link, and it costs no query of
its own (it is read with the check that the session still counts)."""

from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_roles import ROLES

MANAGING = {"broker", "other_broker", "municipality_admin", "other_municipality_admin", "platform_admin"}
LINK = '<a href="/beheer">'


def test_the_header_links_to_management_for_those_who_manage(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, inbox, world.emails[role])
        for path in ("/", "/rondes", f"/beheer/gemeenten/{world.municipality_id}/buurten"):
            response = client.get(path)
            if response.status_code != 200:
                continue  # pages only some roles may see
            assert (LINK in response.text) == (role in MANAGING), f"{role} on {path}"
    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    home = client.get("/")
    assert f"{LINK}Beheer</a>" in home.text or f"{LINK}Management</a>" in home.text
    assert client.get("/beheer").status_code == 200
