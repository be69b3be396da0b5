"""Cancelling a round and declaring a conflict (API and pages): everyone is told, errors are in Dutch."""

from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_decision_mail import bodies_to
from test_pages_jury import count, csrf_token, open_round, run

from buurtbudget.jury.models import CastBallot, JuryDraw, Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.settings import Settings


def test_the_municipality_cancels_a_round_through_the_api_and_everyone_is_told(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, _ids, jurors = open_round(settings, world)
    sign_in(client, inbox, jurors[0])
    assert client.post(f"/api/v1/rounds/{round_id}/cancel", json={"reason": "Zomaar."}).status_code == 403
    sign_in(client, inbox, world.emails["municipality_admin"])
    empty = client.post(f"/api/v1/rounds/{round_id}/cancel", json={"reason": ""})
    assert empty.status_code in {400, 422}
    assert "reason" in empty.text
    inbox.messages.clear()
    cancelled = client.post(f"/api/v1/rounds/{round_id}/cancel", json={"reason": "De zaal brandde af"})
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["state"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "De zaal brandde af",
    )
    for address in [*jurors, world.emails["resident"]]:  # the jurors and the initiator
        [(subject, body)] = bodies_to(inbox, address).items()
        assert subject == "De ronde 'Voorjaarsronde' is geannuleerd"
        assert "De reden: De zaal brandde af." in body
    again = client.post(f"/api/v1/rounds/{round_id}/cancel", json={"reason": "Nog eens"})
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    early = client.post(f"/api/v1/rounds/{round_id}/close", json={"reason": "Toch sluiten"})
    assert early.status_code == 409


def test_a_juror_who_declares_a_conflict_after_voting_is_told_their_vote_was_removed(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)
    sign_in(client, inbox, jurors[0])
    marks = {str(ids[0]): 1, str(ids[1]): 1}
    assert client.put(f"/api/v1/rounds/{round_id}/ballot", json={"marks": marks}).status_code == 204
    inbox.messages.clear()
    declared = client.post(f"/api/v1/rounds/{round_id}/conflicts", json={"initiative_id": ids[0]})
    assert declared.status_code == 204
    [(subject, body)] = bodies_to(inbox, jurors[0]).items()
    assert subject == "Je stemt niet meer over 'Initiatief 1'"
    assert "omdat je een belangenconflict hebt gemeld" in body
    assert "Je stem hiervoor is van je stembiljet gehaald." in body
    assert count(settings, CastBallot) == 1


def test_cancelling_from_the_page_asks_a_reason_in_dutch(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, _ids, jurors = open_round(settings, world)
    sign_in(client, inbox, jurors[0])
    assert client.get(f"/rondes/{round_id}/annuleren").status_code == 403
    sign_in(client, inbox, world.emails["municipality_admin"])
    form = client.get(f"/rondes/{round_id}/annuleren")
    assert form.status_code == 200
    assert "Ja, annuleer de ronde" in form.text
    token = csrf_token(form.text)
    refused = client.post(f"/rondes/{round_id}/annuleren", data={"_csrf_token": token, "reden": " "})
    assert refused.status_code == 422
    assert "Geef een reden." in refused.text
    done = client.post(
        f"/rondes/{round_id}/annuleren",
        data={"_csrf_token": token, "reden": "Te weinig juryleden"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = client.get(f"/rondes/{round_id}").text
    assert "Deze ronde is geannuleerd. De reden: Te weinig juryleden" in page
    assert count(settings, Round) == 1


def undrawn_round(settings: Settings, world: World) -> int:
    """A jury round with eight volunteers (four women, four men) and no pool frozen yet."""

    async def job(session: Any) -> int:
        from test_jury_rounds import plan, ready_initiatives, residents

        ids = await ready_initiatives(session, world, 2)
        service = RoundService(session)
        for number, actor in enumerate(await residents(session, world, 8)):
            await service.volunteer(actor, world.zuilen_id, {"gender": "vrouw" if number % 2 else "man"})
        opened = await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))
        return int(opened.id)

    found: int = run(settings, job)
    return found


def test_the_municipality_freezes_the_pool_and_draws_from_the_draw_page(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    page = f"/rondes/{round_id}/loting"
    assert "Groep vastzetten" not in client.get(page).text  # the public sees no form
    sign_in(client, inbox, world.emails["municipality_admin"])
    form = client.get(page).text
    token = csrf_token(form)
    freeze = f"/rondes/{round_id}/loting/vastzetten"
    not_a_number = client.post(freeze, data={"_csrf_token": token, "seats": "vijf", "reserves": "1"})
    assert not_a_number.status_code == 422
    assert "Vul een heel getal in." in not_a_number.text
    bad_quota = client.post(
        freeze, data={"_csrf_token": token, "seats": "3", "reserves": "1", "quotas": "geslacht vrouw"}
    )
    assert bad_quota.status_code == 422
    assert "Schrijf elk quotum op een eigen regel" in bad_quota.text
    impossible = client.post(
        freeze, data={"_csrf_token": token, "seats": "3", "reserves": "0", "quotas": "gender=vrouw:5-6"}
    )
    assert impossible.status_code == 422
    assert count(settings, JuryDraw) == 0
    frozen = client.post(
        freeze,
        data={"_csrf_token": token, "seats": "3", "reserves": "1", "quotas": "gender=vrouw:1-2"},
        follow_redirects=False,
    )
    assert frozen.status_code == 303
    shown = client.get(frozen.headers["location"]).text
    assert "De groep is vastgezet." in shown
    assert "Zichtbaar na de loting" in shown

    sign_in(client, inbox, world.emails["resident"])
    refused = client.post(
        f"/rondes/{round_id}/loting/trekken", data={"_csrf_token": csrf_token(client.get(page).text)}
    )
    assert refused.status_code == 403
    sign_in(client, inbox, world.emails["municipality_admin"])
    drawn = client.post(
        f"/rondes/{round_id}/loting/trekken",
        data={"_csrf_token": csrf_token(client.get(page).text)},
        follow_redirects=False,
    )
    assert drawn.status_code == 303
    assert "Gecontroleerd" in client.get(page).text


def test_the_municipality_extends_voting_from_its_page_with_errors_in_dutch(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    sign_in(client, inbox, world.emails["resident"])
    assert client.get(f"/rondes/{round_id}/verlengen").status_code == 403
    sign_in(client, inbox, world.emails["municipality_admin"])
    form = client.get(f"/rondes/{round_id}/verlengen")
    assert form.status_code == 200
    token = csrf_token(form.text)
    bad = client.post(
        f"/rondes/{round_id}/verlengen", data={"_csrf_token": token, "sluit_op": "volgende week"}
    )
    assert bad.status_code == 422
    assert "Vul een datum en tijd in" in bad.text
    earlier = client.post(
        f"/rondes/{round_id}/verlengen", data={"_csrf_token": token, "sluit_op": "2020-01-01T12:00"}
    )
    assert earlier.status_code == 422
    assert "De nieuwe sluitingstijd is niet later dan de huidige." in earlier.text
    later = client.post(
        f"/rondes/{round_id}/verlengen",
        data={"_csrf_token": token, "sluit_op": "2999-01-01T12:00"},
        follow_redirects=False,
    )
    assert later.status_code == 303
    assert "2999" in client.get(f"/rondes/{round_id}").text


def test_initiators_are_told_in_dutch_why_they_cannot_withdraw_while_on_a_ballot(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, _jurors = open_round(settings, world)
    sign_in(client, inbox, world.emails["resident"])
    refused = client.post(f"/api/v1/initiatives/{ids[0]}/transitions", json={"action": "withdraw"})
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["detail"].startswith("Dit initiatief staat in een open ronde.")
    page = client.get(f"/initiatieven/{ids[0]}/intrekken")
    on_page = client.post(
        f"/initiatieven/{ids[0]}/intrekken",
        data={"_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert on_page.status_code == 409
    assert "Dit initiatief staat in een open ronde." in on_page.text
    assert client.get(f"/api/v1/initiatives/{ids[0]}").json()["state"] == "ready_for_jury"
    assert round_id
