"""The round's management page: the next step in each state, the turnout (counts only), the advisors."""

import re
from datetime import timedelta
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from test_decision_mail import bodies_to
from test_pages_jury import csrf_token, run

from buurtbudget.db.base import utcnow
from buurtbudget.jury.models import Round, RoundInitiative
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people import service as people
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Actor
from buurtbudget.settings import Settings


def undrawn_round(settings: Settings, world: World) -> int:
    """A jury round on two initiatives with eight volunteers and no pool frozen yet."""

    async def job(session: Any) -> int:
        from test_jury_rounds import plan, ready_initiatives, residents

        ids = await ready_initiatives(session, world, 2)
        service = RoundService(session)
        for actor in await residents(session, world, 8):
            await service.volunteer(actor, world.zuilen_id, {})
        opened = await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))
        return int(opened.id)

    found: int = run(settings, job)
    return found


def next_step(html: str) -> str | None:
    """The label of the step marked as the current one, or None when every step is done."""
    found = re.search(r'aria-current="step">\s*<strong>([^<]+)</strong>', html)
    return found.group(1) if found else None


def act(settings: Settings, job: Any) -> Any:
    return run(settings, job)


def test_the_page_says_what_is_done_and_what_comes_next_in_each_state(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    admin = world.actors["municipality_admin"]
    page = f"/rondes/{round_id}/beheer"
    sign_in(client, inbox, world.emails["municipality_admin"])
    first = client.get(page)
    assert first.status_code == 200
    assert next_step(first.text) == "Zet de groep vrijwilligers vast"
    assert f'href="/rondes/{round_id}/loting"' in first.text
    assert "Het quorum van 1 is nog niet gehaald." in first.text

    async def freeze(session: Any) -> None:
        await RoundService(session).freeze_pool(admin, round_id, seats=5, quotas=[])

    act(settings, freeze)
    assert next_step(client.get(page).text) == "Loot de jury"

    async def draw(session: Any) -> list[Actor]:
        drawn = await RoundService(session).draw_jury(admin, round_id)
        return [people.actor_for(await session.get(Person, int(j))) for j in drawn.jurors]

    jurors: list[Actor] = act(settings, draw)
    voting = client.get(page).text
    assert next_step(voting) == "Stemmen"
    assert f'href="/rondes/{round_id}/sluiten"' in voting
    assert f'href="/rondes/{round_id}/verlengen"' in voting
    assert "0 van de 5 juryleden hebben gestemd." in voting

    async def vote(session: Any, voters: list[Actor]) -> None:
        first = await session.scalar(
            select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == round_id).limit(1)
        )
        for voter in voters:
            await RoundService(session).cast_ballot(voter, round_id, {first: 1})

    act(settings, lambda session: vote(session, jurors[:2]))
    shown = client.get(page).text
    assert "2 van de 5 juryleden hebben gestemd." in shown
    assert "Het quorum van 1 is gehaald." in shown  # this round's own quorum
    assert "jurylid" not in shown  # never who voted
    act(settings, lambda session: vote(session, jurors[2:3]))
    shown = client.get(page).text
    assert "3 van de 5 juryleden hebben gestemd." in shown
    assert re.search(r"<td[^>]*>\d{4}-\d{2}-\d{2}</td><td[^>]*>3</td>", shown)  # ballots per day

    async def close(session: Any) -> None:
        await RoundService(session).close_round(admin, round_id, reason="Iedereen heeft gestemd")

    act(settings, close)
    shown = client.get(page).text
    assert next_step(shown) is None
    assert f'href="/rondes/{round_id}/uitslag"' in shown
    assert "Besloten" in shown


def test_after_the_closing_time_the_next_step_is_deciding_and_a_cancelled_round_skips_the_rest(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    admin = world.actors["municipality_admin"]

    async def past(session: Any) -> None:
        found = await session.get(Round, round_id)
        found.voting_opens_at = utcnow() - timedelta(days=8)
        found.voting_closes_at = utcnow() - timedelta(days=1)
        await session.commit()

    act(settings, past)
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/rondes/{round_id}/beheer"
    assert next_step(client.get(page).text) == "Zet de groep vrijwilligers vast"  # a jury first

    async def cancel(session: Any) -> None:
        await RoundService(session).cancel(admin, round_id, "De zaal is niet beschikbaar")

    act(settings, cancel)
    shown = client.get(page).text
    assert next_step(shown) is None
    assert shown.count("Niet gedaan: de ronde is geannuleerd") == 5
    assert "Deze ronde is geannuleerd. De reden: De zaal is niet beschikbaar" in shown
    assert 'action="/rondes/' not in shown  # no forms on a cancelled round


def test_the_neighbourhoods_advisors_are_listed_and_others_never_see_the_page(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    page = f"/rondes/{round_id}/beheer"
    sign_in(client, inbox, world.emails["municipality_admin"])
    shown = client.get(page).text
    assert "advisor@example.org" in shown  # the world's advisor of Zuilen
    for who in ("other_municipality_admin", "advisor", "juror", "broker", "resident"):
        sign_in(client, inbox, world.emails[who])
        refused = client.get(page)
        assert refused.status_code == 403, who
        assert "advisor@example.org" not in refused.text
    client.cookies.clear()
    anonymous = client.get(page, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/inloggen?volgende=%2Frondes%2F{round_id}%2Fbeheer"
    assert client.get("/rondes/999999/beheer", follow_redirects=False).status_code == 303
    sign_in(client, inbox, world.emails["platform_admin"])
    assert client.get(page).status_code == 200
    assert client.get("/rondes/999999/beheer").status_code == 404


def test_an_advisor_is_invited_from_the_round_page_and_never_votes(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id = undrawn_round(settings, world)
    page = f"/rondes/{round_id}/beheer"
    action = f"{page}/adviseurs"
    sign_in(client, inbox, world.emails["municipality_admin"])
    token = csrf_token(client.get(page).text)
    bad = client.post(action, data={"_csrf_token": token, "email": "geen adres"})
    assert bad.status_code == 422
    assert re.search(r'id="email-fout">Vul een geldig e-mailadres in', bad.text), bad.text
    assert 'value="geen adres"' in bad.text
    inbox.messages.clear()
    invited = client.post(
        action, data={"_csrf_token": token, "email": "Adviseur.Nieuw@Example.org"}, follow_redirects=False
    )
    assert invited.status_code == 303
    assert invited.headers["location"] == f"{page}?klaar=uitgenodigd"
    shown = client.get(invited.headers["location"]).text
    assert "De adviseur is per e-mail uitgenodigd." in shown
    assert "adviseur.nieuw@example.org" in shown  # listed among the neighbourhood's advisors
    [(subject, body)] = bodies_to(inbox, "adviseur.nieuw@example.org").items()
    assert "/inloggen/bevestigen?token=" in body
    assert subject
    twice = client.post(action, data={"_csrf_token": token, "email": "adviseur.nieuw@example.org"})
    assert twice.status_code == 409
    assert re.search(r'id="email-fout">[^<]+', twice.text)

    async def roles(session: Any) -> list[tuple[str, int | None]]:
        rows = await session.execute(
            select(RoleAssignment.role, RoleAssignment.neighbourhood_id)
            .join(Person, Person.id == RoleAssignment.person_id)
            .where(Person.email == "adviseur.nieuw@example.org")
        )
        return list(rows.tuples())

    assert run(settings, roles) == [("advisor", world.zuilen_id)]

    # The advisor signs in and reads along, but has no vote.
    sign_in(client, inbox, "adviseur.nieuw@example.org")
    assert client.get(f"/rondes/{round_id}/advies").status_code == 200

    async def first_initiative(session: Any) -> int:
        found: int = await session.scalar(
            select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == round_id).limit(1)
        )
        return found

    marks = {str(run(settings, first_initiative)): 1}
    assert client.put(f"/api/v1/rounds/{round_id}/ballot", json={"marks": marks}).status_code == 403
    assert client.get(page).status_code == 403  # nor manages the round

    # Another municipality's administrator invites nobody here.
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    refused = client.post(action, data={"_csrf_token": token, "email": "iemand@example.org"})
    assert refused.status_code == 403
    assert run(settings, lambda session: count_advisors(session, world.zuilen_id)) == 2


async def count_advisors(session: Any, neighbourhood_id: int) -> int:
    rows = await session.execute(
        select(RoleAssignment.id).where(
            RoleAssignment.role == "advisor", RoleAssignment.neighbourhood_id == neighbourhood_id
        )
    )
    return len(rows.all())
