"""The round pages: the rounds list, the juror's and the advisor's views, the ballot form, and the result."""

import asyncio
import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.deliberation.models import Advice, DiscussionMessage, Minutes
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.jury.models import CastBallot, Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def run(settings: Settings, job: Any) -> Any:
    async def go() -> Any:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await job(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def open_round(
    settings: Settings, world: World, rules: BallotRules | None = None
) -> tuple[int, list[int], list[str]]:
    """A jury round on three initiatives of € 500 (€ 1.000 to share): its id, the ids, the jurors' e-mails."""

    async def job(session: Any) -> tuple[int, list[int], list[str]]:
        from test_jury_rounds import plan, ready_initiatives, residents

        ids = await ready_initiatives(session, world, 3)
        pool = await residents(session, world, 12)  # five serve; seven stay eligible for a next round
        service = RoundService(session)
        for actor in pool:
            await service.volunteer(actor, world.zuilen_id, {})
        opened = await service.open_round(
            world.actors["municipality_admin"], world.pot_id, plan(ids, rules=rules)
        )
        await service.freeze_pool(world.actors["municipality_admin"], opened.id, seats=5, quotas=[])
        drawn = await service.draw_jury(world.actors["municipality_admin"], opened.id)
        emails = dict((await session.execute(select(Person.id, Person.email))).tuples().all())
        return opened.id, ids, [emails[int(j)] for j in drawn.jurors]

    result: tuple[int, list[int], list[str]] = run(settings, job)
    return result


def count(settings: Settings, table: Any) -> int:
    async def job(session: Any) -> int:
        return len((await session.execute(select(table))).scalars().all())

    found: int = run(settings, job)
    return found


def post(client: TestClient[Any], page: str, action: str, data: dict[str, str]) -> Any:
    """Post a form the way the browser does: with the token of the page it sits on."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


def test_the_rounds_list_and_the_round_page_are_public(
    client: TestClient[Any], settings: Settings, world: World
) -> None:
    round_id, ids, _jurors = open_round(settings, world)
    listing = client.get("/rondes")
    assert listing.status_code == 200
    assert "Juryrondes" in listing.text
    assert "Zuilen" in listing.text
    assert f'href="/rondes/{round_id}"' in listing.text
    assert "Voorjaarsronde" in client.get("/rondes?buurt=zuilen").text
    assert "Er zijn nog geen rondes." in client.get("/rondes?buurt=lunetten").text
    assert client.get("/rondes?buurt=bestaat-niet").status_code == 404
    overview = client.get(f"/rondes/{round_id}")
    assert overview.status_code == 200
    assert "€\xa01.000,00" in overview.text
    assert all(f'href="/initiatieven/{i}"' in overview.text for i in ids)
    assert f"/api/v1/rounds/{round_id}/export.pb" in overview.text
    assert f"/api/v1/rounds/{round_id}/export.csv" in overview.text
    assert f'href="/rondes/{round_id}/jury"' not in overview.text  # an anonymous visitor gets no way in
    assert client.get("/rondes/999999").status_code == 404
    result = client.get(f"/rondes/{round_id}/uitslag")
    assert result.status_code == 200
    assert "De uitslag staat hier als het stemmen sluit" in result.text


def test_the_juror_reads_the_budget_and_the_advice_beside_the_discussion(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)

    async def advise(session: Any) -> None:
        service = DeliberationService(session)
        await service.write_advice(
            world.actors["advisor"], round_id, ids[0], "Vraag <b>twee</b> offertes op."
        )
        await service.post_message(world.actors["broker"], round_id, ids[0], "Ik help bij de vergunning.")

    run(settings, advise)
    anonymous = client.get(f"/rondes/{round_id}/jury", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/inloggen?volgende=%2Frondes%2F{round_id}%2Fjury"

    sign_in(client, inbox, jurors[0])
    page = client.get(f"/rondes/{round_id}/jury")
    assert page.status_code == 200
    text = page.text
    assert '<html lang="nl">' in text
    assert "Jurypagina" in text
    assert "Materiaal" in text  # the cost lines
    assert "€\xa0500,00" in text
    assert "Advies van professionals" in text
    assert "Vraag &lt;b&gt;twee&lt;/b&gt; offertes op." in text  # shown, never run as markup
    assert "Ik help bij de vergunning." in text
    assert text.index("Advies van professionals") < text.index("Ik help bij de vergunning.")
    assert f'name="mark.{ids[0]}" value="1"' in text  # an approval ballot: one box per initiative
    assert "U mag er hoogstens 2 kiezen." in text
    assert "Gekozen: 0 van hoogstens 2" in text
    assert 'hx-post="/rondes/' in text  # htmx only enhances: the form posts without it
    assert "Uw advies over" not in text  # jurors do not write advice
    assert client.get(f"/rondes/{round_id}/advies", follow_redirects=False).headers["location"] == (
        f"/rondes/{round_id}/jury"
    )
    overview = client.get(f"/rondes/{round_id}")
    assert f'href="/rondes/{round_id}/jury"' in overview.text


def test_the_juror_posts_a_message_and_votes_with_errors_in_dutch_per_field(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)
    room = f"/rondes/{round_id}/jury"
    sign_in(client, inbox, jurors[0])

    empty = post(
        client,
        room,
        f"/rondes/{round_id}/berichten",
        {"initiative_id": str(ids[1]), f"message.{ids[1]}": " "},
    )
    assert empty.status_code == 422
    assert "Schrijf eerst een bericht." in empty.text
    assert f'aria-describedby="message-{ids[1]}-fout"' in empty.text
    posted = post(
        client,
        room,
        f"/rondes/{round_id}/berichten",
        {"initiative_id": str(ids[1]), f"message.{ids[1]}": "Mooi plan!"},
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == f"{room}?opgeslagen=bericht#initiatief-{ids[1]}"
    assert "Mooi plan!" in client.get(room).text
    assert count(settings, DiscussionMessage) == 1

    everything = {f"mark.{i}": "1" for i in ids}
    refused = post(client, room, f"/rondes/{round_id}/jury/stem", everything)
    assert refused.status_code == 422
    assert "U koos 3 initiatieven; u mag er hoogstens 2 kiezen." in refused.text
    assert 'href="#ballot"' in refused.text  # the summary leads to the ballot
    assert refused.text.count("checked") == 3  # what the juror ticked stays ticked
    assert count(settings, CastBallot) == 0

    total = client.post(
        f"/rondes/{round_id}/jury/totaal",
        data={f"mark.{ids[0]}": "1", f"mark.{ids[2]}": "1", "_csrf_token": csrf_token(client.get(room).text)},
    )
    assert "Gekozen: 2 van hoogstens 2" in total.text
    assert "Samen kosten ze: €\xa01.000,00" in total.text

    saved = post(
        client, room, f"/rondes/{round_id}/jury/stem", {f"mark.{ids[0]}": "1", f"mark.{ids[2]}": "1"}
    )
    assert saved.status_code == 303
    again = client.get(saved.headers["location"])
    assert "Uw stem is bewaard." in again.text
    assert f'name="mark.{ids[0]}" value="1" checked' in again.text
    assert f'name="mark.{ids[1]}" value="1">' in again.text

    async def ballots(session: Any) -> list[dict[int, int]]:
        found: list[dict[int, int]] = await RoundService(session).ballots(round_id)
        return found

    assert run(settings, ballots) == [{ids[0]: 1, ids[2]: 1}]


def test_score_and_points_ballots_name_the_field_and_the_limit(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    scored, ids, jurors = open_round(settings, world, BallotRules(BallotKind.SCORE, max_score=5))
    sign_in(client, inbox, jurors[0])
    room = f"/rondes/{scored}/jury"
    page = client.get(room).text
    assert "Geef elk initiatief een cijfer van 0 (helemaal niet) tot 5 (heel graag)." in page
    assert f'id="mark-{ids[0]}"' in page
    for typed in ("zes", "6"):
        refused = post(client, room, f"/rondes/{scored}/jury/stem", {f"mark.{ids[0]}": typed})
        assert refused.status_code == 422
        assert "Vul een heel getal in van 0 tot en met 5." in refused.text
        assert (
            f'aria-describedby="mark-{ids[0]}-uitleg mark-{ids[0]}-fout" aria-invalid="true"' in refused.text
        )
    assert count(settings, CastBallot) == 0

    points, more, jurors = open_round(settings, world, BallotRules(BallotKind.CUMULATIVE, points=10))
    sign_in(client, inbox, jurors[0])
    room = f"/rondes/{points}/jury"
    assert "Punten gebruikt: 0 van 10; over: 10" in client.get(room).text
    refused = post(
        client, room, f"/rondes/{points}/jury/stem", {f"mark.{more[0]}": "6", f"mark.{more[1]}": "6"}
    )
    assert refused.status_code == 422
    assert "U gaf 12 punten; u hebt er 10." in refused.text
    assert "Dit is meer dan mag." in refused.text  # the running total says so too
    assert count(settings, CastBallot) == 0
    saved = post(
        client, room, f"/rondes/{points}/jury/stem", {f"mark.{more[0]}": "6", f"mark.{more[1]}": "4"}
    )
    assert saved.status_code == 303
    assert "Punten gebruikt: 10 van 10; over: 0" in client.get(room).text


def test_a_recused_initiative_is_shown_as_such_and_cannot_be_voted_on(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)
    sign_in(client, inbox, jurors[0])
    assert (
        client.post(f"/api/v1/rounds/{round_id}/conflicts", json={"initiative_id": ids[0]}).status_code == 204
    )
    room = f"/rondes/{round_id}/jury"
    page = client.get(room).text
    assert "u hebt hier een belang bij en stemt er niet over." in page
    assert f'name="mark.{ids[0]}"' not in page
    assert f'name="message.{ids[0]}"' not in page  # nor does the juror join its discussion
    assert f'name="message.{ids[1]}"' in page
    # A forged mark for it is not read: the ballot holds only what the juror may vote on.
    saved = post(
        client, room, f"/rondes/{round_id}/jury/stem", {f"mark.{ids[0]}": "1", f"mark.{ids[1]}": "1"}
    )
    assert saved.status_code == 303

    async def ballots(session: Any) -> list[dict[int, int]]:
        found: list[dict[int, int]] = await RoundService(session).ballots(round_id)
        return found

    assert run(settings, ballots) == [{ids[1]: 1}]
    forged = post(
        client,
        room,
        f"/rondes/{round_id}/berichten",
        {"initiative_id": str(ids[0]), f"message.{ids[0]}": "Stem voor!"},
    )
    assert forged.status_code == 403
    assert count(settings, DiscussionMessage) == 0


def test_the_advisor_writes_advice_and_has_no_ballot(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, _jurors = open_round(settings, world)
    sign_in(client, inbox, world.emails["advisor"])
    room = f"/rondes/{round_id}/advies"
    page = client.get(room)
    assert page.status_code == 200
    assert "Adviespagina" in page.text
    assert "Professionals stemmen niet." in page.text
    assert "/jury/stem" not in page.text
    assert "mark." not in page.text
    assert "De ronde sluiten" not in page.text  # only the municipality closes
    assert client.get(f"/rondes/{round_id}/jury", follow_redirects=False).headers["location"] == room

    empty = post(client, room, room, {"initiative_id": str(ids[0]), f"advice.{ids[0]}": ""})
    assert empty.status_code == 422
    assert "Schrijf eerst uw advies." in empty.text
    saved = post(client, room, room, {"initiative_id": str(ids[0]), f"advice.{ids[0]}": "Prima plan."})
    assert saved.status_code == 303
    changed = post(
        client, room, room, {"initiative_id": str(ids[0]), f"advice.{ids[0]}": "Prima plan, met vergunning."}
    )
    assert changed.status_code == 303
    page = client.get(changed.headers["location"])
    assert "Uw advies is bewaard." in page.text
    assert ">Prima plan, met vergunning.</textarea>" in page.text  # the own advice, ready to change
    assert count(settings, Advice) == 1
    elsewhere = post(client, room, room, {"initiative_id": "999999", "advice.999999": "Hm."})
    assert elsewhere.status_code == 422
    assert "Dit initiatief staat niet op het stembiljet van deze ronde." in elsewhere.text
    assert count(settings, Advice) == 1


def test_outsiders_are_refused_in_dutch_and_nothing_is_stored(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, _jurors = open_round(settings, world)
    sign_in(client, inbox, world.emails["other_resident"])
    for view in ("jury", "advies"):
        refused = client.get(f"/rondes/{round_id}/{view}")
        assert refused.status_code == 403
        assert "Alleen de jury en haar adviseurs doen mee aan het overleg." in refused.text
    token = csrf_token(client.get("/rondes").text)
    posted = client.post(
        f"/rondes/{round_id}/berichten",
        data={"initiative_id": str(ids[0]), f"message.{ids[0]}": "Hallo", "_csrf_token": token},
    )
    assert posted.status_code == 403
    voted = client.post(f"/rondes/{round_id}/jury/stem", data={f"mark.{ids[0]}": "1", "_csrf_token": token})
    assert voted.status_code == 403
    closed = client.post(f"/rondes/{round_id}/sluiten", data={"_csrf_token": token})
    assert closed.status_code == 403
    assert (count(settings, DiscussionMessage), count(settings, CastBallot)) == (0, 0)


def test_forms_without_their_csrf_token_are_refused(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)
    sign_in(client, inbox, jurors[0])
    client.get(f"/rondes/{round_id}/jury")
    assert client.post(f"/rondes/{round_id}/jury/stem", data={f"mark.{ids[0]}": "1"}).status_code == 403
    assert (
        client.post(
            f"/rondes/{round_id}/berichten", data={"initiative_id": str(ids[0]), f"message.{ids[0]}": "Hoi"}
        ).status_code
        == 403
    )
    sign_in(client, inbox, world.emails["municipality_admin"])
    assert client.post(f"/rondes/{round_id}/sluiten").status_code == 403
    assert (
        client.post(f"/rondes/{round_id}/notulen", data={"held_on": "2026-01-01", "minutes": "x"}).status_code
        == 403
    )
    assert (count(settings, CastBallot), count(settings, DiscussionMessage), count(settings, Minutes)) == (
        0,
        0,
        0,
    )

    async def state(session: Any) -> str:
        found = await session.get(Round, round_id)
        return str(found.state)

    assert run(settings, state) == "open"


def test_minutes_the_closing_and_the_public_result_page(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = open_round(settings, world)
    votes = [
        {ids[0]: "1", ids[1]: "1"},
        {ids[1]: "1"},
        {ids[1]: "1", ids[2]: "1"},
        {ids[2]: "1"},
        {ids[0]: "1"},
    ]
    for juror, marks in zip(jurors, votes, strict=True):
        sign_in(client, inbox, juror)
        room = f"/rondes/{round_id}/jury"
        assert (
            post(
                client, room, f"/rondes/{round_id}/jury/stem", {f"mark.{i}": v for i, v in marks.items()}
            ).status_code
            == 303
        )

    sign_in(client, inbox, world.emails["broker"])
    room = f"/rondes/{round_id}/advies"
    bad = post(client, room, f"/rondes/{round_id}/notulen", {"held_on": "gisteren", "minutes": "Verslag."})
    assert bad.status_code == 422
    assert "Vul de datum van de vergadering in, zoals 2026-03-14." in bad.text
    future = post(
        client, room, f"/rondes/{round_id}/notulen", {"held_on": "2999-01-01", "minutes": "Verslag."}
    )
    assert "De vergadering kan niet in de toekomst liggen." in future.text
    saved = post(
        client,
        room,
        f"/rondes/{round_id}/notulen",
        {"held_on": "2026-01-05", "minutes": "Drie plannen besproken."},
    )
    assert saved.status_code == 303
    assert count(settings, Minutes) == 1

    sign_in(client, inbox, world.emails["municipality_admin"])
    room_page = client.get(room).text
    assert "De ronde sluiten" in room_page
    # Closing asks for a confirmation first; before the closing time it also needs a reason.
    confirm = client.post(f"/rondes/{round_id}/sluiten", data={"_csrf_token": csrf_token(room_page)})
    assert confirm.status_code == 200
    assert "Ja, sluit de ronde nu" in confirm.text
    assert count(settings, Round) == 1
    no_reason = client.post(
        f"/rondes/{round_id}/sluiten", data={"_csrf_token": csrf_token(confirm.text), "bevestigd": "ja"}
    )
    assert no_reason.status_code == 409
    assert "Wil je eerder sluiten? Geef dan een reden." in no_reason.text
    closed = client.post(
        f"/rondes/{round_id}/sluiten",
        data={
            "_csrf_token": csrf_token(confirm.text),
            "bevestigd": "ja",
            "reden": "Alle vijf hebben gestemd.",
        },
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert closed.headers["location"] == f"/rondes/{round_id}/uitslag"

    client.cookies.clear()  # the result is public
    result = client.get(f"/rondes/{round_id}/uitslag")
    assert result.status_code == 200
    text = result.text
    assert "voor de aangekondigde sluitingstijd. De reden: Alle vijf hebben gestemd." in text

    async def published(session: Any) -> dict[str, Any]:
        found = await session.get(Round, round_id)
        return dict(found.result.to_stored())

    tally = run(settings, published)
    loser = next(i for i in ids if str(i) not in tally["selected"])
    reason = tally["explanations"][str(loser)]["reason"]
    assert text.count(">Toegekend</strong>") == 2
    assert text.count(">Niet toegekend</strong>") == 1
    if reason == "did-not-fit":
        assert "Past niet meer in het resterende bedrag van €\xa00,00" in text
    else:
        assert "Verloor bij gelijke stand van Initiatief" in text
        assert "door de tie-break: het laagste nummer" in text
    assert 'class="bar-chart"' in text
    assert '<svg class="bar-chart__bar" aria-hidden="true"' in text
    assert "Steun per initiatief: de langste balk heeft de meeste steun." in text  # the text alternative
    assert "De geldlijn" in text
    assert "Hier was het geld op: nog €\xa00,00 over" in text
    assert "Totaal toegekend" in text
    assert "€\xa01.000,00" in text
    assert "Drie plannen besproken." in text  # the minutes are public now
    assert f"/api/v1/rounds/{round_id}/export.pb" in text
    english = client.get(f"/rondes/{round_id}/uitslag", headers={"accept-language": "en"}).text
    assert "The money line" in english
    assert "Here the money ran out" in english


def test_a_partial_grant_shows_as_partly_granted_with_its_amount(
    client: TestClient[Any], settings: Settings, world: World
) -> None:
    """€ 1.000 to share: € 600 in full, then € 400 of the € 700 asked (the optional € 300 left out)."""

    async def job(session: Any) -> int:
        from test_jury_rounds import plan, residents

        from buurtbudget.initiatives.lifecycle import Action
        from buurtbudget.initiatives.rules import CostLineInput, DraftContent
        from buurtbudget.initiatives.service import InitiativeService

        service = InitiativeService(session)
        ids = []
        for title, lines in (
            ("Speeltuin", [CostLineInput("Toestellen", 600_00)]),
            ("Buurtfeest", [CostLineInput("Tent", 400_00), CostLineInput("Muziek", 300_00, essential=False)]),
        ):
            draft = await service.create_draft(
                world.actors["resident"],
                world.zuilen_id,
                DraftContent(title=title, summary="Plan.", cost_lines=lines),
            )
            await service.act(world.actors["resident"], draft.id, Action.SUBMIT)
            await service.act(world.actors["broker"], draft.id, Action.START_REVIEW)
            await service.act(world.actors["broker"], draft.id, Action.MARK_READY)
            ids.append(draft.id)
        pool = await residents(session, world, 3)
        rounds = RoundService(session)
        for actor in pool:
            await rounds.volunteer(actor, world.zuilen_id, {})
        opened = await rounds.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))
        await rounds.freeze_pool(world.actors["municipality_admin"], opened.id, seats=3, quotas=[])
        drawn = await rounds.draw_jury(world.actors["municipality_admin"], opened.id)
        for actor in pool:
            if str(actor.person_id) in drawn.jurors:
                await rounds.cast_ballot(actor, opened.id, {ids[0]: 1, ids[1]: 1})
        await rounds.close_round(
            world.actors["municipality_admin"], opened.id, reason="Alle juryleden hebben gestemd"
        )
        return int(opened.id)

    round_id = run(settings, job)
    text = client.get(f"/rondes/{round_id}/uitslag").text
    assert ">Deels toegekend</strong>" in text
    assert "€\xa0400,00 toegekend van de gevraagde €\xa0700,00" in text
    assert "Totaal toegekend" in text
    assert "€\xa01.000,00" in text
    assert '<rect class="bar bar--partly"' in text
