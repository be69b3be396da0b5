"""The step-by-step form: a draft saved at every step, errors next to their fields, send in, withdraw."""

import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def post_form(client: TestClient[Any], path: str, data: dict[str, str]) -> Any:
    form = client.get(path)
    assert form.status_code == 200, form.text
    return client.post(path, data={**data, "_csrf_token": csrf_token(form.text)}, follow_redirects=False)


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client: TestClient[Any]) -> None:
    response = client.get("/initiatieven/nieuw?buurt=zuilen", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inloggen?volgende=%2Finitiatieven%2Fnieuw%3Fbuurt%3Dzuilen"


def test_a_resident_fills_in_the_steps_and_sends_the_plan_in(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = post_form(
        client,
        "/initiatieven/nieuw",
        {
            "neighbourhood_id": str(world.zuilen_id),
            "title": "Bankjes",
            "summary": "Bankjes in het park.",
            "ga": "opslaan",
        },
    )
    assert response.status_code == 303, response.text
    step = response.headers["location"]
    assert step.endswith("/stappen/plan?opgeslagen=1")
    base = step.split("?")[0].rsplit("/", 1)[0]
    page = client.get(step)
    assert "Uw concept is bewaard" in page.text

    response = post_form(
        client, f"{base}/themas", {"themes": "groen", "other_themes": "zitplekken", "ga": "verder"}
    )
    assert response.headers["location"].endswith("/stappen/begroting")

    response = post_form(
        client,
        f"{base}/begroting",
        {
            "rows": "3",
            "cost_lines.0.description": "Bankje",
            "cost_lines.0.amount": "1.250,50",
            "cost_lines.2.description": "Verf",
            "cost_lines.2.amount": "veel",
            "ga": "verder",
        },
    )
    assert response.status_code == 422
    assert 'aria-describedby="cost_lines-2-amount-fout"' in response.text
    assert 'href="#cost_lines-2-amount"' in response.text  # the summary links to the field

    response = post_form(
        client,
        f"{base}/begroting",
        {
            "rows": "3",
            "cost_lines.0.description": "Bankje",
            "cost_lines.0.amount": "1.250,50",
            "cost_lines.2.description": "Verf",
            "cost_lines.2.amount": "49,50",
            "cost_lines.2.optional": "ja",
            "ga": "verder",
        },
    )
    assert response.status_code == 303
    total = client.post(
        f"{base.rsplit('/', 1)[0]}/begroting/totaal",
        data={
            "rows": "2",
            "cost_lines.0.amount": "10",
            "cost_lines.1.amount": "2,50",
            "_csrf_token": csrf_token(client.get(f"{base}/begroting").text),
        },
    )
    assert "€\xa012,50" in total.text

    review = client.get(f"{base}/controleren")
    assert "€\xa01.300,00" in review.text
    assert "Verf (kan ook zonder)" in review.text
    assert "Bankje (kan ook zonder)" not in review.text
    assert (
        'id="cost_lines-1-optional" name="cost_lines.1.optional" value="ja" checked'
        in client.get(f"{base}/begroting").text
    )  # saved lines are renumbered: the optional paint is the second line now
    initiative = base.rsplit("/", 1)[0]
    response = client.post(
        f"{initiative}/insturen", data={"_csrf_token": csrf_token(review.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    detail = client.get(initiative)
    assert "Het initiatief is ingestuurd." in detail.text
    assert "Ingestuurd" in detail.text

    response = post_form(client, f"{initiative}/intrekken", {})
    assert response.status_code == 303
    assert "Ingetrokken" in client.get(initiative).text


def test_the_language_choice_is_remembered_in_the_session(client: TestClient[Any], world: World) -> None:
    home = client.get("/", headers={"accept-language": "nl"})
    assert '<html lang="nl">' in home.text
    response = client.post(
        "/taal",
        data={"locale": "en", "next": "/buurten/zuilen", "_csrf_token": csrf_token(home.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/buurten/zuilen"
    page = client.get("/buurten/zuilen", headers={"accept-language": "nl"})
    assert '<html lang="en">' in page.text
    assert "Still available" in page.text
    response = client.post(
        "/taal",
        data={"locale": "nl", "next": "//elders.example", "_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"  # never sent to another site
    assert '<html lang="nl">' in client.get("/", headers={"accept-language": "en"}).text


def test_the_step_form_refuses_a_post_without_its_csrf_token(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    client.get("/initiatieven/nieuw")
    response = client.post(
        "/initiatieven/nieuw",
        data={"neighbourhood_id": str(world.zuilen_id), "title": "Zonder token", "summary": ""},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get("/api/v1/initiatives?mine=true").json()["total"] == 0


def test_only_the_initiators_change_a_draft(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = post_form(
        client,
        "/initiatieven/nieuw",
        {"neighbourhood_id": str(world.zuilen_id), "title": "Van mij", "summary": ""},
    )
    step = response.headers["location"]
    client.post("/uitloggen", data={"_csrf_token": csrf_token(client.get("/").text)})
    sign_in(client, inbox, world.emails["other_resident"])
    assert client.get(step).status_code == 404  # someone else's draft is not even shown


async def test_the_neighbourhood_page_searches_its_initiatives(
    client: TestClient[Any], session: Any, world: World
) -> None:
    from conftest import new_initiatives

    from buurtbudget.initiatives.lifecycle import Action
    from buurtbudget.initiatives.service import InitiativeService

    for initiative_id in await new_initiatives(session, world, 2):
        await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    page = client.get("/buurten/zuilen?zoek=initiatief 2")
    assert "Initiatief 2" in page.text
    assert "Initiatief 1" not in page.text
    assert "Gevonden initiatieven: 1" in page.text
    assert 'hx-select="#initiatieven"' in page.text  # htmx only enhances the plain GET form
