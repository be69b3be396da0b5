"""The page on which initiators accept or decline a partial grant."""

from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_grants import partly_granted
from test_pages_form import csrf_token, post_form

from buurtbudget.settings import Settings


def test_the_initiator_is_asked_and_accepts_the_smaller_amount(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    initiative_id = partly_granted(settings, world)
    sign_in(client, inbox, world.emails["resident"])
    initiative_page = client.get(f"/initiatieven/{initiative_id}").text
    assert f'href="/initiatieven/{initiative_id}/toekenning"' in initiative_page
    form = client.get(f"/initiatieven/{initiative_id}/toekenning")
    assert form.status_code == 200
    assert "De jury kent €\xa0400,00 toe van de €\xa0700,00" in form.text
    response = post_form(client, f"/initiatieven/{initiative_id}/toekenning", {"answer": "aannemen"})
    assert response.status_code == 303
    after = client.get(f"/initiatieven/{initiative_id}").text
    assert "De initiatiefnemers namen het kleinere bedrag aan." in after
    assert f'href="/initiatieven/{initiative_id}/toekenning"' not in after
    assert client.get(f"/initiatieven/{initiative_id}/toekenning").status_code == 409  # answered


def test_declining_from_the_page_returns_the_money(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    initiative_id = partly_granted(settings, world)
    sign_in(client, inbox, world.emails["resident"])
    before = client.get(f"/api/v1/pots/{world.pot_id}").json()["balance"]["available_cents"]
    assert (
        post_form(client, f"/initiatieven/{initiative_id}/toekenning", {"answer": "afwijzen"}).status_code
        == 303
    )
    after = client.get(f"/api/v1/pots/{world.pot_id}").json()["balance"]["available_cents"]
    assert after - before == 400_00


def test_only_initiators_with_a_csrf_token_and_a_real_answer_get_through(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    initiative_id = partly_granted(settings, world)
    path = f"/initiatieven/{initiative_id}/toekenning"
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/inloggen")
    sign_in(client, inbox, world.emails["other_resident"])
    assert f'href="{path}"' not in client.get(f"/initiatieven/{initiative_id}").text
    assert client.get(path).status_code == 403
    sign_in(client, inbox, world.emails["resident"])
    token = csrf_token(client.get(path).text)
    assert client.post(path, data={"answer": "aannemen"}).status_code == 403  # no CSRF token
    odd = client.post(path, data={"answer": "misschien", "_csrf_token": token}, follow_redirects=False)
    assert odd.status_code in {400, 422}
    assert "kent" in client.get(path).text  # still waiting: nothing was answered
