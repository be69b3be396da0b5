"""Deliberation: a discussion per initiative for the jury and its advisors only, advice, minutes."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.jury.deliberation.errors import (
    DeliberationClosed,
    NotAMinuteTaker,
    NotAnAdvisor,
    NotInDeliberation,
    RecusedFromDiscussion,
)
from buurtbudget.jury.deliberation.models import Advice, DiscussionMessage, Minutes
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.jury.errors import NotOnBallot
from buurtbudget.jury.models import CastBallot, Juror
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.roles import ANONYMOUS, Actor
from buurtbudget.settings import Settings

INSIDE = ["advisor", "broker", "municipality_admin", "platform_admin"]
OUTSIDE = ["resident", "other_resident", "other_broker", "juror", "other_municipality_admin"]


async def round_with_jury(
    session: AsyncSession, world: World
) -> tuple[int, list[int], list[Actor], list[Actor]]:
    """A jury round on three initiatives: five jurors and two reserves drawn from twelve residents."""
    from test_jury_rounds import jury_round, residents

    round_id, ids, jurors = await jury_round(session, world)
    seats = dict(
        (await session.execute(select(Juror.person_id, Juror.seat).where(Juror.round_id == round_id)))
        .tuples()
        .all()
    )
    pool = await residents(session, world, 12)  # the same people again: get_or_create by address
    reserves = [actor for actor in pool if seats.get(actor.person_id or 0) == "reserve"]
    return round_id, ids, jurors, reserves


async def count(session: AsyncSession, table: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_the_jury_and_its_advisors_see_the_discussion_and_no_one_else(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors, reserves = await round_with_jury(session, world)
    service = DeliberationService(session)
    await service.post_message(jurors[0], round_id, ids[0], "  Wie onderhoudt de bankjes?  ")
    await service.post_message(world.actors["advisor"], round_id, ids[0], "De gemeente, vijf jaar lang.")
    readers = [jurors[1], reserves[0], *(world.actors[who] for who in INSIDE)]
    for reader in readers:
        thread = await service.messages(reader, round_id, ids[0])
        assert [m.body for m in thread] == ["Wie onderhoudt de bankjes?", "De gemeente, vijf jaar lang."]
        assert await service.messages(reader, round_id, ids[1]) == []
    for who in OUTSIDE:
        with pytest.raises(NotInDeliberation):
            await service.messages(world.actors[who], round_id, ids[0])
        with pytest.raises(NotInDeliberation):
            await service.advice(world.actors[who], round_id)
    with pytest.raises(NotInDeliberation):
        await service.messages(ANONYMOUS, round_id)
    # Reserves take part in the discussion too, and every message is in the audit log.
    await service.post_message(reserves[0], round_id, ids[1], "Ik lees mee.")
    actions = list((await session.execute(select(AuditEntry.action))).scalars())
    assert actions.count("deliberation.message_posted") == 3


async def test_outsiders_cannot_post_and_nothing_is_stored(session: AsyncSession, world: World) -> None:
    round_id, ids, _jurors, _reserves = await round_with_jury(session, world)
    service = DeliberationService(session)
    for who in OUTSIDE:
        with pytest.raises(NotInDeliberation):
            await service.post_message(world.actors[who], round_id, ids[0], "Mag ik meepraten?")
    assert await count(session, DiscussionMessage) == 0


async def test_bad_messages_get_a_specific_error_and_store_nothing(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors, _reserves = await round_with_jury(session, world)
    service = DeliberationService(session)
    audit_before = await count(session, AuditEntry)
    with pytest.raises(InvalidInput) as empty:
        await service.post_message(jurors[0], round_id, ids[0], "   ")
    assert empty.value.field == "body"
    with pytest.raises(InvalidInput) as long:
        await service.post_message(jurors[0], round_id, ids[0], "x" * 4001)
    assert long.value.message == "a message has at most 4000 characters"
    with pytest.raises(NotOnBallot) as elsewhere:
        await service.post_message(jurors[0], round_id, 999_999, "Hallo")
    assert elsewhere.value.field == "initiative_id"
    with pytest.raises(NotFound):
        await service.post_message(jurors[0], 999_999, ids[0], "Hallo")
    assert await count(session, DiscussionMessage) == 0
    assert await count(session, AuditEntry) == audit_before


async def test_a_recused_juror_reads_but_does_not_discuss_that_initiative(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors, _reserves = await round_with_jury(session, world)
    await RoundService(session).declare_conflict(jurors[0], round_id, ids[0])
    service = DeliberationService(session)
    with pytest.raises(RecusedFromDiscussion):
        await service.post_message(jurors[0], round_id, ids[0], "Dit is mijn buurman.")
    assert await service.messages(jurors[0], round_id, ids[0]) == []
    await service.post_message(jurors[0], round_id, ids[1], "Over dit plan praat ik wel mee.")
    assert await count(session, DiscussionMessage) == 1


async def test_advisors_write_one_advice_per_initiative_and_may_change_it(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors, _reserves = await round_with_jury(session, world)
    service = DeliberationService(session)
    first = await service.write_advice(world.actors["advisor"], round_id, ids[0], "Vraag een vergunning aan.")
    second = await service.write_advice(world.actors["advisor"], round_id, ids[0], "De vergunning is er al.")
    assert first.id == second.id
    await service.write_advice(world.actors["broker"], round_id, ids[0], "Goed voorbereid.")
    await service.write_advice(world.actors["municipality_admin"], round_id, ids[1], "Past in het beleid.")
    shown = await service.advice(jurors[0], round_id, ids[0])
    assert [(a.advisor_id, a.body) for a in shown] == [
        (world.actors["advisor"].person_id, "De vergunning is er al."),
        (world.actors["broker"].person_id, "Goed voorbereid."),
    ]
    assert shown[0].updated_at >= shown[0].written_at
    with pytest.raises(NotAnAdvisor):
        await service.write_advice(jurors[0], round_id, ids[0], "Ik ben jurylid.")
    for who in OUTSIDE:
        with pytest.raises(NotInDeliberation):
            await service.write_advice(world.actors[who], round_id, ids[0], "Mijn advies.")
    with pytest.raises(InvalidInput):
        await service.write_advice(world.actors["advisor"], round_id, ids[1], "")
    assert await count(session, Advice) == 3


async def test_one_advisor_saving_twice_at_once_keeps_one_advice(
    engine: AsyncEngine, session: AsyncSession, world: World, database_url: str
) -> None:
    round_id, ids, _jurors, _reserves = await round_with_jury(session, world)
    racing = create_engine(database_url, **({"pool_size": 10} if "postgresql" in database_url else {}))
    sessions = create_session_factory(racing)

    async def save(number: int) -> None:
        async with sessions() as own:
            await DeliberationService(own).write_advice(
                world.actors["advisor"], round_id, ids[0], f"Versie {number}"
            )

    await asyncio.gather(*(save(n) for n in range(10)))
    await racing.dispose()
    async with create_session_factory(engine)() as fresh:
        assert await fresh.scalar(select(func.count()).select_from(Advice)) == 1


async def test_advisors_can_never_vote_and_their_refusal_stores_nothing(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, _jurors, _reserves = await round_with_jury(session, world)
    for who in INSIDE:
        with pytest.raises(NotAllowed) as refused:
            await RoundService(session).cast_ballot(world.actors[who], round_id, {ids[0]: 1})
        expected = "advisors advise and never vote"  # brokers and civil servants advise, never vote
        assert refused.value.message == expected, who
    assert await count(session, CastBallot) == 0


async def test_minutes_are_written_by_the_municipality_or_a_broker_and_public_once_closed(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors, reserves = await round_with_jury(session, world)
    service = DeliberationService(session)
    today = datetime.now(UTC).date()
    written = await service.write_minutes(world.actors["broker"], round_id, today, "Alle plannen besproken.")
    await service.write_minutes(
        world.actors["municipality_admin"], round_id, today - timedelta(days=7), "Eerste kennismaking."
    )
    for who in (jurors[0], reserves[0], world.actors["advisor"]):
        with pytest.raises(NotAMinuteTaker):
            await service.write_minutes(who, round_id, today, "Mijn verslag.")
    with pytest.raises(NotInDeliberation):
        await service.write_minutes(world.actors["other_broker"], round_id, today, "Verslag.")
    with pytest.raises(InvalidInput) as future:
        await service.write_minutes(world.actors["broker"], round_id, today + timedelta(days=2), "Verslag.")
    assert future.value.field == "held_on"
    with pytest.raises(InvalidInput) as empty:
        await service.write_minutes(world.actors["broker"], round_id, today, " ")
    assert empty.value.field == "body"
    assert await count(session, Minutes) == 2

    # Before closing, only the room reads them (oldest meeting first); afterwards everyone does.
    assert [m.body for m in await service.minutes(jurors[0], round_id)] == [
        "Eerste kennismaking.",
        "Alle plannen besproken.",
    ]
    for outsider in (ANONYMOUS, world.actors["other_resident"]):
        with pytest.raises(NotInDeliberation):
            await service.minutes(outsider, round_id)
    await RoundService(session).cast_ballot(jurors[0], round_id, {ids[1]: 1})  # the quorum of one
    await RoundService(session).close_round(
        world.actors["municipality_admin"], round_id, reason="Alle juryleden hebben gestemd"
    )
    assert [m.id for m in await DeliberationService(session).minutes(ANONYMOUS, round_id)][-1] == written.id
    # Minutes may still follow a closed round; the discussion and the advice are frozen.
    await service.write_minutes(world.actors["broker"], round_id, date.today(), "Besluit toegelicht.")  # noqa: DTZ011
    with pytest.raises(DeliberationClosed):
        await service.post_message(jurors[0], round_id, ids[0], "Nog één ding.")
    with pytest.raises(DeliberationClosed):
        await service.write_advice(world.actors["advisor"], round_id, ids[0], "Te laat.")
    assert await count(session, DiscussionMessage) == 0
    assert await count(session, Advice) == 0


# --- the JSON API ------------------------------------------------------------------------------


def prepare(settings: Settings, world: World) -> tuple[int, list[int], list[str]]:
    """A round whose jurors sign in by e-mail (jurylidN@example.org): the round, initiatives, e-mails."""

    async def run() -> tuple[int, list[int], list[str]]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            round_id, ids, jurors, _reserves = await round_with_jury(session, world)
            from buurtbudget.people.models import Person

            emails = dict((await session.execute(select(Person.id, Person.email))).tuples().all())
        await engine.dispose()
        return round_id, ids, [emails[j.person_id or 0] for j in jurors]

    return asyncio.run(run())


def stored(settings: Settings, table: Any) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            found = await count(session, table)
        await engine.dispose()
        return found

    return asyncio.run(run())


def test_an_advisors_ballot_is_refused_with_a_specific_403_and_nothing_is_stored(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, _jurors = prepare(settings, world)
    for who in ("advisor", "broker"):
        sign_in(client, inbox, world.emails[who])
        refused = client.put(f"/api/v1/rounds/{round_id}/ballot", json={"marks": {str(ids[0]): 1}})
        assert refused.status_code == 403, who
        problem = refused.json()
        assert problem["code"] == "not_allowed"
        assert problem["detail"] == "Adviseurs geven advies en stemmen nooit."
    sign_in(client, inbox, world.emails["municipality_admin"])  # the municipality advises too: not a juror
    refused = client.put(f"/api/v1/rounds/{round_id}/ballot", json={"marks": {}})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    assert stored(settings, CastBallot) == 0


def test_the_deliberation_through_the_api(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, ids, jurors = prepare(settings, world)
    base = f"/api/v1/rounds/{round_id}"
    sign_in(client, inbox, world.emails["advisor"])
    advice = client.put(f"{base}/initiatives/{ids[0]}/advice", json={"body": "Vraag offertes op."})
    assert advice.status_code == 200, advice.text
    assert advice.json()["advisor_name"]
    assert client.put(f"{base}/initiatives/{ids[0]}/advice", json={"body": ""}).status_code == 422
    answered = client.post(f"{base}/initiatives/{ids[0]}/messages", json={"body": "Vragen? Stel ze hier."})
    assert answered.status_code == 201
    assert answered.json()["author_role"] == "advisor"
    written = client.post(f"{base}/minutes", json={"held_on": "2026-01-05", "body": "Kennismaking."})
    assert written.status_code == 403  # an advisor advises; minutes are for the municipality and brokers
    assert written.json()["code"] == "not_a_minute_taker"

    sign_in(client, inbox, jurors[0])
    assert client.put(f"{base}/ballot", json={"marks": {}}).status_code == 204  # the quorum of one
    posted = client.post(f"{base}/initiatives/{ids[0]}/messages", json={"body": "Wie betaalt het onderhoud?"})
    assert posted.status_code == 201, posted.text
    assert posted.json()["author_role"] == "juror"
    assert client.post(f"{base}/initiatives/999999/messages", json={"body": "Hallo"}).json()["code"] == (
        "not_on_ballot"
    )
    whole = client.get(f"{base}/deliberation").json()
    thread = next(t for t in whole["threads"] if t["initiative_id"] == ids[0])
    assert [m["body"] for m in thread["messages"]] == ["Vragen? Stel ze hier.", "Wie betaalt het onderhoud?"]
    assert [a["body"] for a in thread["advice"]] == ["Vraag offertes op."]
    assert client.put(f"{base}/initiatives/{ids[0]}/advice", json={"body": "Ja!"}).json()["code"] == (
        "not_an_advisor"
    )

    sign_in(client, inbox, world.emails["other_resident"])
    refused = client.get(f"{base}/initiatives/{ids[0]}/messages")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_in_deliberation"
    assert client.get(f"{base}/minutes").status_code == 403

    sign_in(client, inbox, world.emails["broker"])
    written = client.post(
        f"{base}/minutes", json={"held_on": "2026-01-05", "body": "Alle plannen besproken."}
    )
    assert written.status_code == 201, written.text
    future = client.post(f"{base}/minutes", json={"held_on": "2999-01-01", "body": "Later."})
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "held_on"

    client.cookies.clear()
    assert client.get(f"{base}/minutes").status_code == 401  # not public while the round is open
    sign_in(client, inbox, world.emails["municipality_admin"])
    assert client.post(f"{base}/close", json={"reason": "De jury is klaar."}).status_code == 200
    client.cookies.clear()
    public = client.get(f"{base}/minutes")
    assert public.status_code == 200
    assert [m["body"] for m in public.json()] == ["Alle plannen besproken."]
    assert client.get(f"{base}/deliberation").status_code == 401
    assert stored(settings, DiscussionMessage) == 2
    assert stored(settings, Minutes) == 1
