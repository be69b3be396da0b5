"""Opening a round from a page: the form, the confirmation step (nothing written), the round opened with
the same service call as the API; every bad value is told in Dutch at its field and nothing is written."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_pages_jury import count, csrf_token, run

from api.jury.open_form import amsterdam_text
from buurtbudget.jury.models import Round, RoundInitiative
from buurtbudget.pots.models import LedgerTransaction
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings

NOW = datetime.now(UTC)


def ready(settings: Settings, world: World, number: int = 3) -> list[int]:
    """Initiatives of € 500 in Zuilen, ready for the jury."""

    async def job(session: Any) -> list[int]:
        from test_jury_rounds import ready_initiatives

        ids: list[int] = await ready_initiatives(session, world, number)
        return ids

    found: list[int] = run(settings, job)
    return found


def form(ids: list[int], **changes: str | list[str]) -> dict[str, str | list[str]]:
    """A good form: a jury round of € 1.000 on the initiatives, voting from an hour ago for a week."""
    data: dict[str, str | list[str]] = {
        "name": "Najaarsronde",
        "mode": "jury",
        "track": "regular",
        "initiative_ids": [str(i) for i in ids],
        "amount": "1.000,00",
        "ballot_kind": "approval",
        "max_approvals": "2",
        "max_total": "",
        "max_score": "10",
        "points": "10",
        "rule": "greedy",
        "tie_break": "lexicographic",
        "voting_opens_at": amsterdam_text(NOW - timedelta(hours=1)),
        "voting_closes_at": amsterdam_text(NOW + timedelta(days=7)),
        "deliberation_opens_at": "",
        "decision_due_on": "",
        "quorum": "",
        "min_support": "1",
        "partial_grants": "ja",
    }
    return {**data, **changes}


def available(settings: Settings, world: World) -> int:
    async def job(session: Any) -> int:
        return (await PotService(session).summaries([world.pot_id]))[world.pot_id].available_cents

    found: int = run(settings, job)
    return found


def open_page(client: TestClient[Any], world: World) -> str:
    return f"/beheer/rondes/nieuw?pot={world.pot_id}"


def submit(client: TestClient[Any], world: World, data: dict[str, Any]) -> Any:
    token = csrf_token(client.get(open_page(client, world)).text)
    return client.post(open_page(client, world), data={**data, "_csrf_token": token}, follow_redirects=False)


def error_at(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-fout">([^<]*)<', html)
    assert found, f"an error is shown at {field}"
    return found.group(1)


def test_the_municipality_opens_a_round_after_a_confirmation_step(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = ready(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = client.get(open_page(client, world))
    assert page.status_code == 200
    assert "Initiatief 1" in page.text
    assert "€\xa0500,00" in page.text
    before = available(settings, world)

    confirm = submit(client, world, form(ids[:2]))
    assert confirm.status_code == 200, confirm.text
    assert "Nog niets is opgeslagen." in confirm.text
    assert "€\xa01.000,00" in confirm.text
    assert (count(settings, Round), available(settings, world)) == (0, before)  # nothing written yet

    changed = submit(client, world, {**form(ids[:2]), "wijzigen": "ja"})
    assert changed.status_code == 200
    assert 'value="Najaarsronde"' in changed.text  # back to the form with what was typed

    opened = submit(client, world, {**form(ids[:2]), "bevestigd": "ja"})
    assert opened.status_code == 303, opened.text
    location = opened.headers["location"]
    assert re.fullmatch(r"/rondes/\d+/beheer\?klaar=geopend", location)
    assert count(settings, Round) == 1
    assert count(settings, RoundInitiative) == 2
    assert available(settings, world) == before - 1_000_00
    hub = client.get(location)
    assert hub.status_code == 200
    assert "De ronde is open." in hub.text

    # The two initiatives are on an open round now: the form offers only the third.
    again = client.get(open_page(client, world)).text
    assert "Initiatief 3" in again
    assert f'id="initiatief-{ids[0]}"' not in again


BAD = [
    ({"name": ""}, "name", "Geef de ronde een naam"),
    ({"initiative_ids": []}, "initiative_ids", "Kies minstens één initiatief"),
    ({"amount": "tien euro"}, "amount", "Vul een bedrag in euro in"),
    ({"amount": "0"}, "amount", "Vul een bedrag in euro in"),
    ({"mode": "loterij"}, "mode", "Kies een van de mogelijkheden"),
    ({"rule": "iets"}, "rule", "Kies een van de mogelijkheden"),
    ({"voting_opens_at": "morgen"}, "voting_opens_at", "Vul een datum en tijd in"),
    ({"voting_closes_at": "2026-02-30T20:00"}, "voting_closes_at", "Vul een datum en tijd in"),
    ({"quorum": "0"}, "quorum", "Vul een heel aantal stembiljetten"),
    ({"min_support": "-1"}, "min_support", "Vul een heel getal"),
    ({"max_total": "veel"}, "max_total", "Vul een bedrag in euro in"),
    ({"decision_due_on": "31-03-2027"}, "decision_due_on", "Vul een datum in"),
    ({"seats": "0"}, "seats", "Vul een heel aantal zetels in"),
    # What the service checks is also checked before the confirmation step.
    ({"mode": "open", "seats": "5"}, "seats", "Alleen een juryronde heeft zetels."),
    ({"seats": "3", "quorum": "4"}, "quorum", "Het quorum van de ronde vraagt meer stemmen"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD, ids=[field for _, field, _ in BAD])
def test_a_bad_value_is_told_in_dutch_at_its_field_and_nothing_is_written(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    change: dict[str, Any],
    field: str,
    message: str,
) -> None:
    ids = ready(settings, world, 2)
    sign_in(client, inbox, world.emails["municipality_admin"])
    for confirmed in ({}, {"bevestigd": "ja"}):
        refused = submit(client, world, {**form(ids, **change), **confirmed})
        assert refused.status_code == 422, refused.text
        assert message in error_at(refused.text, field)
        assert 'href="#' + field + '"' in refused.text  # the summary links to the field
    assert (count(settings, Round), count(settings, LedgerTransaction)) == (0, 1)  # only the funding


def test_what_the_service_refuses_is_told_at_the_field_and_nothing_is_written(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = ready(settings, world, 2)
    sign_in(client, inbox, world.emails["municipality_admin"])
    transactions = count(settings, LedgerTransaction)
    closes_first = form(ids, voting_closes_at=amsterdam_text(NOW - timedelta(days=1)))
    for confirmed in ({}, {"bevestigd": "ja"}):
        refused = submit(client, world, {**closes_first, **confirmed})
        assert refused.status_code == 422
        assert error_at(refused.text, "voting_closes_at") == "Het stemmen sluit voordat het opent."
    # More than the pot holds (€ 10.000): refused at the confirmation step and at the service.
    too_much = form(ids, amount="10.000,01")
    for confirmed in ({}, {"bevestigd": "ja"}):
        refused = submit(client, world, {**too_much, **confirmed})
        assert refused.status_code == 409
        assert error_at(refused.text, "amount") == "Er zit minder in de pot dan deze ronde verdeelt."
    # An initiative that is not ready (a made-up id) never reaches the ballot.
    refused = submit(client, world, {**form([*ids, 999_999]), "bevestigd": "ja"})
    assert refused.status_code == 422
    assert error_at(refused.text, "initiative_ids")
    assert (count(settings, Round), count(settings, LedgerTransaction)) == (0, transactions)
    # The whole pot is fine.
    assert submit(client, world, {**form(ids, amount="10.000"), "bevestigd": "ja"}).status_code == 303
    assert available(settings, world) == 0


def test_another_municipality_neither_sees_nor_opens_a_round_on_the_pot(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = ready(settings, world, 2)
    sign_in(client, inbox, world.emails["municipality_admin"])
    token = csrf_token(client.get(open_page(client, world)).text)
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    page = client.get(open_page(client, world))
    assert page.status_code == 403
    assert "Initiatief 1" not in page.text
    for confirmed in ({}, {"bevestigd": "ja"}):
        refused = client.post(open_page(client, world), data={**form(ids), **confirmed, "_csrf_token": token})
        assert refused.status_code == 403
    assert count(settings, Round) == 0
    assert client.get("/beheer/rondes/nieuw?pot=999999").status_code in {403, 404}


def test_planned_seats_are_kept_and_offered_when_the_pool_is_frozen(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    ids = ready(settings, world, 2)
    sign_in(client, inbox, world.emails["municipality_admin"])
    confirm = submit(client, world, form(ids, seats="3"))
    assert "Zetels in de jury" in confirm.text
    opened = submit(client, world, {**form(ids, seats="3"), "bevestigd": "ja"})
    round_id = int(re.findall(r"/rondes/(\d+)/beheer", opened.headers["location"])[0])
    hub = client.get(f"/rondes/{round_id}/beheer").text
    assert "3, gepland; vast zodra de groep wordt vastgezet" in hub
    draw = client.get(f"/rondes/{round_id}/loting").text
    assert re.search(r'name="seats" type="text" value="3"', draw)
    # The JSON API takes and shows the same planned seats.
    shown = client.get(f"/api/v1/rounds/{round_id}").json()
    assert shown["seats"] == 3
    body = {
        "name": "Open ronde",
        "mode": "open",
        "amount_cents": 100_00,
        "initiative_ids": [ready(settings, world, 1)[0]],
        "ballot_kind": "approval",
        "rule": "greedy",
        "voting_opens_at": NOW.isoformat(),
        "voting_closes_at": (NOW + timedelta(days=3)).isoformat(),
        "seats": 5,
    }
    refused = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "seats"
    assert count(settings, Round) == 1
