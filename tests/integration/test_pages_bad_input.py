"""Pages answer odd input with a Dutch page that names the field, never a raw 422 or a 500.

Empty number filters mean "not given"; a non-number shows the page again with an error by the field;
NUL characters in a form or a query are refused on both databases before anything is stored.
"""

from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_errors import row_counts
from test_pages_jury import count, open_round
from test_pages_jury import post as jury_post
from test_pages_spaces import post, space_form
from test_pages_volunteers import save_profile

from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.models import CastBallot
from buurtbudget.settings import Settings

NUMBER_ERROR_NL = "Vul een heel getal in, zoals 30. Of laat dit veld leeg."
DUTCH = {"accept-language": "nl"}


def test_empty_number_filters_on_the_spaces_page_mean_not_given(client: TestClient[Any]) -> None:
    response = client.get("/ruimtes?zoek=&mensen=&buurt=", headers=DUTCH)
    assert response.status_code == 200, response.text
    assert NUMBER_ERROR_NL not in response.text
    assert client.get("/ruimtes?mensen=12", headers=DUTCH).status_code == 200


@pytest.mark.parametrize("typed", ["veel", "12,5", "-3", "²", "0", "99999999999999999999"])
def test_a_non_number_on_the_spaces_page_shows_the_page_with_a_dutch_error_by_the_field(
    client: TestClient[Any], typed: str
) -> None:
    response = client.get("/ruimtes", params={"mensen": typed}, headers=DUTCH)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert NUMBER_ERROR_NL in response.text
    assert "utrecht-form-field--invalid" in response.text
    assert f'value="{typed}"' in response.text  # what was typed stays, to be corrected
    assert "Ruimtes" in response.text  # the page itself, not an error page


def test_number_filters_on_the_suitable_spaces_page(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    created = client.post(
        "/api/v1/initiatives", json={"neighbourhood_id": world.zuilen_id, "title": "Kookles"}
    )
    path = f"/initiatieven/{created.json()['id']}/ruimtes"
    assert client.get(f"{path}?max_prijs=", headers=DUTCH).status_code == 200
    assert client.get(f"{path}?max_prijs=25", headers=DUTCH).status_code == 200
    wrong = client.get(f"{path}?max_prijs=gratis", headers=DUTCH)
    assert wrong.status_code == 422
    assert NUMBER_ERROR_NL in wrong.text
    assert "utrecht-form-field--invalid" in wrong.text


def test_link_numbers_on_pages_fall_back_when_empty_or_odd(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    created = client.post(
        "/api/v1/initiatives", json={"neighbourhood_id": world.zuilen_id, "title": "Kookles"}
    ).json()
    space = client.post(
        "/api/v1/spaces", json={"name": "De Kade", "neighbourhood_id": world.zuilen_id, "capacity": 10}
    ).json()
    for rows in ("", "veel", "²", "0"):
        page = client.get(f"/initiatieven/{created['id']}/stappen/plan?rijen={rows}", headers=DUTCH)
        assert page.status_code == 200, page.text
    for initiative in ("", "abc", "²"):
        page = client.get(f"/ruimtes/{space['id']}/boeken?initiatief={initiative}", headers=DUTCH)
        assert page.status_code == 200, page.text


def test_a_nul_character_in_a_page_form_is_a_dutch_page_naming_the_field_and_stores_nothing(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    spaces_before = client.get("/api/v1/spaces").json()["total"]
    response = post(client, "/ruimtes/nieuw", space_form(world, name="Buurthuis\x00De Kade"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Haal het onzichtbare teken (NUL) weg uit het veld “name”." in response.text
    assert "Er ging bij ons iets mis" not in response.text
    assert row_counts(settings) == before
    assert client.get("/api/v1/spaces").json()["total"] == spaces_before


def test_a_nul_character_in_a_page_query_is_a_dutch_page(client: TestClient[Any]) -> None:
    response = client.get("/ruimtes?zoek=kade%00", headers=DUTCH)
    assert response.status_code == 422
    assert "Haal het onzichtbare teken (NUL) weg uit het veld “zoek”." in response.text


@pytest.mark.parametrize("typed", ["²", "٣", "99999999999"])
def test_digits_int_cannot_read_in_a_page_form_are_a_form_error(
    client: TestClient[Any], inbox: Inbox, world: World, typed: str
) -> None:
    """`str.isdigit` accepts "²" (int() does not) and other scripts' digits: both forms refuse them."""
    sign_in(client, inbox, world.emails["resident"])
    space = post(client, "/ruimtes/nieuw", space_form(world, capacity=typed))
    assert space.status_code == 422
    assert "Er ging bij ons iets mis" not in space.text
    plan = post(
        client,
        "/initiatieven/nieuw",
        {"title": "Moestuin", "summary": "Samen tuinieren", "neighbourhood_id": typed},
        page="/initiatieven/nieuw",
    )
    assert plan.status_code == 422, plan.text
    assert "Er ging bij ons iets mis" not in plan.text


ONE_LINE_NL = "Schrijf dit op één regel, zonder enters of tabs."


@pytest.mark.parametrize("name", ["De Kade\r\nBcc: iedereen@example.org", "De\tKade", "De Kade\u2028"])
def test_line_breaks_in_names_and_titles_on_page_forms_are_a_form_error(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, name: str
) -> None:
    """Space names, booking titles and initiative titles go into mail subjects: they stay one line."""
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    space = post(client, "/ruimtes/nieuw", space_form(world, name=name), page="/ruimtes/nieuw")
    assert space.status_code == 422
    assert ONE_LINE_NL in space.text
    plan = post(
        client,
        "/initiatieven/nieuw",
        {"title": name, "summary": "Een\r\nverhaal", "neighbourhood_id": str(world.zuilen_id)},
        page="/initiatieven/nieuw",
    )
    assert plan.status_code == 422
    assert ONE_LINE_NL in plan.text
    assert row_counts(settings) == before
    kade = client.post(
        "/api/v1/spaces", json={"name": "De Kade", "neighbourhood_id": world.zuilen_id, "capacity": 10}
    ).json()
    booking = post(
        client,
        f"/ruimtes/{kade['id']}/boeken",
        {"date": "2027-03-24", "start": "19:00", "end": "21:00", "people": "5", "title": name},
    )
    assert booking.status_code == 422
    assert ONE_LINE_NL in booking.text


@pytest.mark.parametrize("field", ["neighbourhood_id", "max_commitments"])
def test_digits_int_cannot_read_in_the_volunteer_form_are_a_form_error(
    client: TestClient[Any], inbox: Inbox, world: World, field: str
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    response = save_profile(client, world, **{field: "³"})
    assert response.status_code == 422, response.text
    assert "Er ging bij ons iets mis" not in response.text


def test_digits_int_cannot_read_on_a_score_ballot_are_a_form_error(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world, BallotRules(BallotKind.SCORE, max_score=5))
    sign_in(client, inbox, jurors[0])
    room = f"/rondes/{round_id}/jury"
    for typed in ("²", "9" * 5000):
        refused = jury_post(client, room, f"/rondes/{round_id}/jury/stem", {f"mark.{ids[0]}": typed})
        assert refused.status_code == 422
        assert "Vul een heel getal in van 0 tot en met 5." in refused.text
    assert count(settings, CastBallot) == 0


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_extending_a_round_to_year_1_or_9999_is_a_form_error(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World, typed: str
) -> None:
    round_id, _ids, _jurors = open_round(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/rondes/{round_id}/verlengen"
    response = jury_post(client, page, page, {"sluit_op": typed})
    assert response.status_code == 422, response.text
    assert "Er ging bij ons iets mis" not in response.text


def test_a_form_that_is_not_utf_8_is_a_dutch_400_page(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    body = b'--grens\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff\xfe\r\n--grens--\r\n'
    response = client.post(
        "/ruimtes/nieuw",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=grens", **DUTCH},
    )
    assert response.status_code == 400
    assert "Het verzoek is onleesbaar. Stuur tekst als UTF-8." in response.text
