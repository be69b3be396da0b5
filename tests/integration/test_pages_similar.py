"""Pages: 'elsewhere' on the initiative page, suggestions while typing (htmx or not), consent, contact."""

import re
from html import unescape
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from test_similar_service import seed_similar

HTMX = {"HX-Request": "true"}


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def text_of(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


async def test_the_initiative_page_shows_what_was_done_elsewhere_with_contact_only_on_consent(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    response = client.get(f"/initiatieven/{ids['kook_ondiep']}")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Elders" in text
    assert (
        "Kooklessen voor kinderen in Zuilen, toegekend €\xa01.200,00, neem contact op met de initiatiefnemer"
        in text
    )
    assert "vergelijkbare titel: 'Kooklessen voor kinderen' in Zuilen, toegekend" in text
    assert f'href="/initiatieven/{ids["kook_zuilen"]}/contact"' in response.text
    assert world.emails["resident"] not in response.text  # the initiator's address is never shown
    garden = client.get(f"/initiatieven/{ids['feest_zuilen']}")
    assert '/contact"' not in garden.text  # nothing like it elsewhere, or no consent: no contact link
    assert 'name="toestemming"' not in response.text  # only an initiator sees the consent choice


async def test_the_page_works_in_english(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    text = text_of(client.get(f"/initiatieven/{ids['kook_ondiep']}", headers={"accept-language": "en"}).text)
    assert "Elsewhere" in text
    assert "Kooklessen voor kinderen in Zuilen, granted €1,200.00, contact the initiator" in text


async def test_an_initiator_gives_consent_on_the_initiative_page(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["other_resident"])
    page = client.get(f"/initiatieven/{ids['moestuin_bovenveen']}")
    assert 'name="toestemming"' in page.text
    assert 'value="ja" checked' not in page.text
    saved = client.post(
        f"/initiatieven/{ids['moestuin_bovenveen']}/contact-toestemming",
        data={"_csrf_token": csrf_token(page.text), "toestemming": "ja", "terug": "pagina"},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Uw keuze is bewaard." in saved.text
    assert 'value="ja" checked' in saved.text
    client.cookies.clear()
    search = client.get("/initiatieven/vergelijkbaar", params={"title": "moestuin"})
    assert f'href="/initiatieven/{ids["moestuin_bovenveen"]}/contact"' in search.text


async def test_someone_else_cannot_give_consent_for_an_initiator(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["resident"])
    page = client.get(f"/initiatieven/{ids['kook_zuilen']}")
    response = client.post(
        f"/initiatieven/{ids['moestuin_bovenveen']}/contact-toestemming",
        data={"_csrf_token": csrf_token(page.text), "toestemming": "ja"},
    )
    assert response.status_code == 403
    assert "Alleen de bewoners van het initiatief kiezen" in response.text


async def test_the_htmx_fragment_warns_about_a_duplicate_and_lists_examples_elsewhere(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    response = client.get(
        "/initiatieven/vergelijkbaar",
        params={"title": "Kookles voor kinderen", "neighbourhood_id": str(world.zuilen_id)},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment, swapped into the live region
    text = text_of(response.text)
    assert "Let op: misschien is er al zo'n initiatief in uw buurt." in text
    assert (
        f'<a class="utrecht-link" href="/initiatieven/{ids["kook_zuilen"]}">Kooklessen voor kinderen</a>'
        in (response.text)
    )
    assert "Vergelijkbare initiatieven elders" in text
    assert "Kookclub voor kinderen in Ondiep" in text


async def test_the_fragment_explains_a_query_it_cannot_search_and_stays_quiet_when_empty(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    await seed_similar(session, world)
    stop_words = client.get("/initiatieven/vergelijkbaar", params={"title": "de het"}, headers=HTMX)
    assert stop_words.status_code == 200  # htmx swaps only successful answers
    assert "Typ een paar woorden over het plan" in stop_words.text
    empty = client.get(
        "/initiatieven/vergelijkbaar", params={"title": "  ", "neighbourhood_id": ""}, headers=HTMX
    )
    assert (empty.status_code, text_of(empty.text)) == (200, "")


async def test_without_javascript_the_same_address_is_a_search_page(
    client: TestClient[Any], session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    blank = client.get("/initiatieven/vergelijkbaar")
    assert blank.status_code == 200
    assert '<form method="get" action="/initiatieven/vergelijkbaar"' in blank.text
    found = client.get(
        "/initiatieven/vergelijkbaar",
        params={"title": "kookles kinderen", "neighbourhood_id": str(world.zuilen_id)},
    )
    assert found.status_code == 200
    assert "Let op: misschien is er al zo'n initiatief in uw buurt." in text_of(found.text)
    assert f'href="/initiatieven/{ids["kook_ondiep"]}"' in found.text


def test_bad_queries_on_the_search_page_are_explained_in_dutch(client: TestClient[Any], world: World) -> None:
    for title, message in [
        ("", "Typ de titel van uw plan."),
        ("?!", "Typ een paar woorden over het plan"),
        ("kook " * 40, "Een titel heeft hoogstens 150 tekens."),
    ]:
        response = client.get("/initiatieven/vergelijkbaar", params={"title": title})
        assert response.status_code == 422, title
        assert message[:-1].lower() in text_of(response.text).lower(), title
        assert 'aria-invalid="true"' in response.text
    unknown = client.get(
        "/initiatieven/vergelijkbaar", params={"title": "moestuin", "neighbourhood_id": "999999"}
    )
    assert unknown.status_code == 422
    assert "Onbekende buurt" in unknown.text
    assert client.get("/initiatieven/vergelijkbaar", params={"title": "x" * 2001}).status_code == 422


def test_the_plan_step_asks_for_suggestions_while_typing_and_still_posts_without_javascript(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    step = client.get("/initiatieven/nieuw")
    assert 'hx-get="/initiatieven/vergelijkbaar"' in step.text
    assert 'hx-trigger="input changed delay:500ms"' in step.text
    assert 'hx-include="#neighbourhood_id"' in step.text
    assert '<div id="vergelijkbaar" class="similar-suggestions" aria-live="polite">' in step.text
    assert 'href="/initiatieven/vergelijkbaar"' in step.text  # the link that works without JavaScript
    created = client.post(
        "/initiatieven/nieuw",
        data={
            "_csrf_token": csrf_token(step.text),
            "neighbourhood_id": str(world.zuilen_id),
            "title": "Kookles voor kinderen",
            "summary": "Samen koken.",
            "ga": "verder",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    draft_step = client.get(created.headers["location"].replace("themas", "plan"))
    assert f'hx-vals=\'{{"neighbourhood_id": "{world.zuilen_id}"}}\'' in draft_step.text
    assert 'value="Kookles voor kinderen"' in draft_step.text


async def test_the_check_step_offers_the_consent_to_the_initiator(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["other_resident"])
    page = client.get(f"/initiatieven/{ids['draft_lunetten']}/stappen/controleren")
    assert "Bewoners van andere buurten mogen contact met mij opnemen over dit plan" in page.text
    saved = client.post(
        f"/initiatieven/{ids['draft_lunetten']}/contact-toestemming",
        data={"_csrf_token": csrf_token(page.text), "toestemming": "ja", "terug": "controleren"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert (
        saved.headers["location"]
        == f"/initiatieven/{ids['draft_lunetten']}/stappen/controleren?opgeslagen=toestemming"
    )
    again = client.get(saved.headers["location"])
    assert 'value="ja" checked' in again.text


async def test_contacting_an_initiator_by_the_page_sends_an_e_mail(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    target = ids["kook_zuilen"]
    anonymous = client.get(f"/initiatieven/{target}/contact", follow_redirects=False)
    assert anonymous.status_code in {302, 303}
    assert anonymous.headers["location"].startswith("/inloggen")
    sign_in(client, inbox, world.emails["other_resident"])
    form = client.get(f"/initiatieven/{target}/contact")
    assert form.status_code == 200
    assert world.emails["resident"] not in form.text
    short = client.post(
        f"/initiatieven/{target}/contact", data={"_csrf_token": csrf_token(form.text), "bericht": "hoi"}
    )
    assert short.status_code == 422
    assert "Schrijf een bericht van 10 tot 2000 tekens." in short.text
    inbox.messages.clear()
    sent = client.post(
        f"/initiatieven/{target}/contact",
        data={"_csrf_token": csrf_token(form.text), "bericht": "Mogen wij jullie recepten gebruiken?"},
    )
    assert sent.status_code == 200
    assert "Uw bericht is verstuurd" in sent.text
    assert "Mogen wij jullie recepten gebruiken?" in inbox.last_to(world.emails["resident"]).get_content()


async def test_an_initiative_without_consent_cannot_be_contacted_by_the_page(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    sign_in(client, inbox, world.emails["resident"])
    response = client.get(f"/initiatieven/{ids['moestuin_bovenveen']}/contact")
    assert response.status_code == 403
    assert "willen geen contact" in response.text
