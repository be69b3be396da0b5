"""When a round is decided, the initiators hear by e-mail: granted, partly granted (please answer), or not."""

import asyncio
import socket
from typing import Any

from conftest import BASE_URL, Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from test_jury_rounds import plan, residents
from test_pages_jury import csrf_token
from test_round_tracks_and_grants import with_optional_lines

from api.app import create_app
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.rounds import RoundService
from buurtbudget.settings import Settings


async def voted_round(session: AsyncSession, world: World) -> tuple[int, list[int]]:
    """A € 1.000 round, voted: € 600 fits in full, € 400 of a € 700 request fits, € 500 with no votes not."""
    full, partly, unvoted = await new_initiatives(session, world, 3)
    service = InitiativeService(session)
    await service.update_draft(
        world.actors["resident"], full, DraftContent(cost_lines=[CostLineInput("Bankjes", 600_00)])
    )
    await with_optional_lines(session, world, partly)
    for initiative_id in (full, partly, unvoted):
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
        await service.act(world.actors["broker"], initiative_id, Action.START_REVIEW)
        await service.act(world.actors["broker"], initiative_id, Action.MARK_READY)
    rounds = RoundService(session)
    round_ = await rounds.open_round(
        world.actors["municipality_admin"], world.pot_id, plan([full, partly, unvoted], mode="open")
    )
    for voter in await residents(session, world, 3):
        await rounds.cast_ballot(voter, round_.id, {full: 1, partly: 1})
    await rounds.cast_ballot(world.actors["resident"], round_.id, {full: 1})
    return round_.id, [full, partly, unvoted]


def prepared(settings: Settings, world: World) -> tuple[int, list[int]]:
    async def run() -> tuple[int, list[int]]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            found = await voted_round(session, world)
        await engine.dispose()
        return found

    return asyncio.run(run())


def bodies_to(inbox: Inbox, address: str) -> dict[str, str]:
    """Subject -> plain text of every mail to `address`."""
    found = {}
    for message in inbox.messages:
        if message["To"] == address:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            found[str(message["Subject"])] = body.get_content().strip()
    return found


def test_closing_a_round_tells_each_initiator_what_their_initiative_got(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, (_full, partly, _unvoted) = prepared(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    inbox.messages.clear()
    closed = client.post(f"/api/v1/rounds/{round_id}/close", json={"reason": "Iedereen heeft gestemd."})
    assert closed.status_code == 200, closed.text
    mails = bodies_to(inbox, world.emails["resident"])  # the initiator of all three
    assert mails == {
        "Je initiatief krijgt geld": (
            f"De ronde 'Voorjaarsronde' kent 'Initiatief 1' €\xa0600,00 toe. "
            f"Bekijk de uitslag: http://127.0.0.1:8000/rondes/{round_id}/uitslag"
        ),
        "Je initiatief krijgt een deel van het geld: geef antwoord": (
            "De ronde 'Voorjaarsronde' kent 'Initiatief 2' €\xa0400,00 toe van de gevraagde €\xa0700,00: de "
            "kostenposten die je nodig vond. Neem het aan of wijs het af: "
            f"http://127.0.0.1:8000/initiatieven/{partly}/toekenning"
        ),
        "Je initiatief krijgt deze keer geen geld": (
            "De ronde 'Voorjaarsronde' kent 'Initiatief 3' geen geld toe. Op de uitslagpagina staat waarom: "
            f"http://127.0.0.1:8000/rondes/{round_id}/uitslag"
        ),
    }
    assert len(inbox.messages) == 3  # nobody else initiated anything on this ballot
    sign_in(client, inbox, world.emails["resident"])
    answer_page = client.get(f"/initiatieven/{partly}/toekenning")  # the link leads to the answer
    assert answer_page.status_code == 200
    assert "400,00" in answer_page.text


def test_closing_from_the_page_tells_the_initiators_too(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, _ids = prepared(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    inbox.messages.clear()
    token = csrf_token(client.get(f"/rondes/{round_id}/advies").text)
    closed = client.post(
        f"/rondes/{round_id}/sluiten",
        data={"_csrf_token": token, "reden": "Iedereen heeft gestemd.", "bevestigd": "ja"},
        follow_redirects=False,
    )
    assert closed.status_code == 303, closed.text
    assert len(bodies_to(inbox, world.emails["resident"])) == 3


def test_a_mail_server_that_is_down_does_not_undo_the_decision(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
) -> None:
    round_id, (_full, partly, _unvoted) = prepared(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    broken = settings.model_copy(update={"smtp_port": closed_port})
    with TestClient(create_app(broken), base_url=BASE_URL, raise_server_exceptions=False) as other:
        other.cookies = client.cookies  # the same signed-in session (sessions live in the database)
        closed = other.post(f"/api/v1/rounds/{round_id}/close", json={"reason": "Iedereen heeft gestemd."})
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed"
    assert client.get(f"/api/v1/initiatives/{partly}/grants").json()[0]["granted_cents"] == 400_00
