"""Similar initiatives: ranked elsewhere with Dutch reasons, duplicates nearby, an index kept up to date."""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from conftest import RecordingMailer, World, drain_outbox
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.base import utcnow
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotFound
from buurtbudget.initiatives.errors import NotAnOwner
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.models import CostLine, Initiative, InitiativeTheme, Initiator, TimelineEvent
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.outbox import queue
from buurtbudget.people import service as people
from buurtbudget.people.verification import ensure_verified
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings
from buurtbudget.similar.errors import (
    AbsurdSimilarQuery,
    EmptySimilarQuery,
    NoContactConsent,
    OwnInitiative,
    TooManyContactMessages,
)
from buurtbudget.similar.holder import holder_for
from buurtbudget.similar.service import Found, SimilarService
from buurtbudget.similar.texts import reason_text

GRANT_CENTS = 1_200_00


async def _initiative(
    session: AsyncSession,
    world: World,
    owner: str,
    neighbourhood_id: int,
    title: str,
    steps: tuple[str, ...] = ("submit",),
    *,
    story: str = "Een plan voor de buurt.",
    themes: tuple[str, ...] = (),
    costs: tuple[str, ...] = ("Materiaal",),
) -> int:
    service = InitiativeService(session)
    initiative = await service.create_draft(
        world.actors[owner],
        neighbourhood_id,
        DraftContent(
            title=title,
            summary=story,
            themes=list(themes),
            cost_lines=[CostLineInput(c, 100_00) for c in costs],
        ),
    )
    if steps:  # representing a plan takes a verified resident of its neighbourhood
        async with transaction(session):
            person = await people.get_person(session, world.actors[owner].person_id or 0)
            await ensure_verified(session, person, neighbourhood_id)
        resident = await people.actor_of(session, person.id)
    for step in steps:
        action = Action(step)
        acting = world.actors["broker"] if action in {Action.START_REVIEW, Action.MARK_READY} else resident
        await service.act(acting, initiative.id, action)
    return initiative.id


async def bovenveen_id(session: AsyncSession) -> int:
    found = await session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == "bovenveen"))
    assert found is not None
    return found


async def seed_similar(session: AsyncSession, world: World) -> dict[str, int]:
    """A granted cooking class in Zuilen (its initiator consents to contact) and related plans around it."""
    ids = {
        "kook_zuilen": await _initiative(
            session,
            world,
            "resident",
            world.zuilen_id,
            "Kooklessen voor kinderen",
            ("submit", "start_review", "mark_ready"),
            story="Elke week koken we samen met kinderen uit de buurt.",
            themes=("jeugd",),
            costs=("Ingrediënten", "Huur keuken"),
        ),
        "kook_ondiep": await _initiative(
            session,
            world,
            "other_resident",
            world.ondiep_id,
            "Kookclub voor kinderen",
            story="Kinderen leren koken in het buurthuis.",
            themes=("jeugd",),
            costs=("Ingrediënten",),
        ),
        "moestuin_bovenveen": await _initiative(
            session, world, "other_resident", await bovenveen_id(session), "Moestuin voor de buurt"
        ),
        "draft_lunetten": await _initiative(
            session, world, "other_resident", world.lunetten_id, "Kooklessen voor kinderen", ()
        ),
        "withdrawn_lunetten": await _initiative(
            session,
            world,
            "other_resident",
            world.lunetten_id,
            "Kooklessen voor de kinderen",
            ("submit", "withdraw"),
        ),
        "feest_zuilen": await _initiative(
            session, world, "resident", world.zuilen_id, "Buurtfeest op het plein"
        ),
    }
    async with transaction(session):
        await InitiativeService(session).record_decision(
            world.actors["municipality_admin"], ids["kook_zuilen"], Action.GRANT
        )
    await PotService(session).grant(
        world.actors["municipality_admin"], world.pot_id, ids["kook_zuilen"], GRANT_CENTS
    )
    await SimilarService(session).set_consent(world.actors["resident"], ids["kook_zuilen"], True)
    return ids


def ids_of(found: list[Found]) -> list[int]:
    return [f.card.id for f in found]


async def test_similar_initiatives_elsewhere_are_ranked_with_dutch_reasons(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    found = (
        await SimilarService(session).for_initiative(world.actors["other_resident"], ids["kook_ondiep"])
    ).elsewhere
    assert found
    assert found[0].card.id == ids["kook_zuilen"]
    first = found[0]
    assert 0.0 < first.score <= 1.0
    assert (first.card.granted_cents, first.card.contact_consent) == (GRANT_CENTS, True)
    texts = [reason_text(r, first.card, "nl", "Utrecht") for r in first.reasons]
    year = utcnow().year
    assert texts[0] == f"vergelijkbare titel: 'Kooklessen voor kinderen' in Zuilen, toegekend {year}"
    assert any(t.startswith("zelfde thema: kinderen en jongeren") for t in texts)  # the label, not the key
    assert any(t.startswith("vergelijkbare begroting") for t in texts)
    english = [reason_text(r, first.card, "en", "Utrecht") for r in first.reasons]
    assert english[0] == f"similar title: 'Kooklessen voor kinderen' in Zuilen, granted {year}"
    assert any(t.startswith("same theme: children and young people") for t in english)
    assert all(a >= b for a, b in zip([f.score for f in found], [f.score for f in found][1:], strict=False))


async def test_the_initiative_itself_drafts_withdrawn_plans_and_its_own_neighbourhood_stay_out(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    similar = await SimilarService(session).for_initiative(world.actors["resident"], ids["kook_zuilen"], k=20)
    found = ids_of(similar.elsewhere)
    assert ids["kook_ondiep"] in found
    for hidden in ("kook_zuilen", "draft_lunetten", "withdrawn_lunetten", "feest_zuilen"):
        assert ids[hidden] not in found, hidden


async def test_a_draft_is_not_searched_for_by_others(session: AsyncSession, world: World) -> None:
    ids = await seed_similar(session, world)
    with pytest.raises(NotFound):
        await SimilarService(session).for_initiative(world.actors["resident"], ids["draft_lunetten"])
    own = await SimilarService(session).for_initiative(world.actors["other_resident"], ids["draft_lunetten"])
    assert ids_of(own.elsewhere)[0] == ids["kook_zuilen"]


async def test_matches_cross_municipalities_and_name_the_other_one(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    suggestions = await SimilarService(session).suggest("buurtmoestuin", world.zuilen_id)
    [garden] = [f for f in suggestions.elsewhere if f.card.id == ids["moestuin_bovenveen"]]
    text = reason_text(garden.reasons[0], garden.card, "nl", suggestions.municipality)
    assert "Bovenveen (Leidschendam-Voorburg)" in text
    assert not garden.card.contact_consent


async def test_typing_a_title_warns_about_a_likely_duplicate_in_the_same_neighbourhood(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    service = SimilarService(session)
    here = await service.suggest("Kookles voor kinderen", world.zuilen_id)
    assert ids_of(here.duplicates) == [ids["kook_zuilen"]]
    assert here.duplicates[0].likely_duplicate
    assert ids["kook_zuilen"] not in ids_of(here.elsewhere)  # elsewhere means: another neighbourhood
    assert ids["kook_ondiep"] in ids_of(here.elsewhere)
    elsewhere = await service.suggest("Kookles voor kinderen", world.lunetten_id)
    assert elsewhere.duplicates == []  # the draft and the withdrawn plan in Lunetten do not count
    assert ids_of(elsewhere.elsewhere)[0] == ids["kook_zuilen"]
    unrelated = await service.suggest("Buurtfeest op het plein", world.ondiep_id)
    assert unrelated.duplicates == []


async def test_a_duplicate_nearby_is_found_however_many_equal_titles_there_are_elsewhere(
    session: AsyncSession, world: World
) -> None:
    title = "Buurtfeest in de zomer"
    elsewhere = [world.ondiep_id, world.ondiep_id, world.lunetten_id, await bovenveen_id(session)]
    for neighbourhood in elsewhere:  # created first: equal scores would rank them before the one nearby
        await _initiative(session, world, "other_resident", neighbourhood, title)
    nearby = await _initiative(session, world, "resident", world.zuilen_id, title)
    found = await SimilarService(session).suggest(title, world.zuilen_id)
    assert ids_of(found.duplicates) == [nearby]
    assert found.duplicates[0].likely_duplicate
    assert nearby not in ids_of(found.elsewhere)


@pytest.mark.parametrize(
    ("title", "neighbourhood", "k", "error", "field"),
    [
        ("", None, 5, EmptySimilarQuery, "title"),
        ("   ", None, 5, EmptySimilarQuery, "title"),
        ("de het een", None, 5, EmptySimilarQuery, "title"),
        ("?!… — ;;", None, 5, EmptySimilarQuery, "title"),
        ("kook" * 40, None, 5, AbsurdSimilarQuery, "title"),
        ("Kooklessen", None, 0, AbsurdSimilarQuery, "k"),
        ("Kooklessen", None, 21, AbsurdSimilarQuery, "k"),
        ("Kooklessen", 999_999, 5, InvalidInput, "neighbourhood_id"),
    ],
)
async def test_empty_or_absurd_queries_get_a_specific_error(
    session: AsyncSession,
    world: World,
    title: str,
    neighbourhood: int | None,
    k: int,
    error: type[InvalidInput],
    field: str,
) -> None:
    await seed_similar(session, world)
    with pytest.raises(error) as raised:
        await SimilarService(session).suggest(title, neighbourhood, k)
    assert raised.value.field == field


async def test_the_index_follows_changes_without_a_rebuild(session: AsyncSession, world: World) -> None:
    ids = await seed_similar(session, world)
    service = SimilarService(session)
    await service.suggest("kooklessen", None)
    holder = holder_for(session)
    assert holder.builds == 1
    new = await _initiative(session, world, "resident", world.lunetten_id, "Kookcursus voor tieners")
    assert new in ids_of((await service.suggest("kookcursus", None)).elsewhere)
    await InitiativeService(session).act(world.actors["other_resident"], ids["kook_ondiep"], Action.WITHDRAW)
    assert ids["kook_ondiep"] not in ids_of((await service.suggest("kookclub kinderen", None, 20)).elsewhere)
    await service.set_consent(world.actors["resident"], ids["kook_zuilen"], False)
    [kook] = [
        f for f in (await service.suggest("kooklessen", None)).elsewhere if f.card.id == ids["kook_zuilen"]
    ]
    assert not kook.card.contact_consent
    assert holder.builds == 1


async def test_another_worker_sees_changes_made_by_this_one(
    session: AsyncSession, world: World, database_url: str
) -> None:
    ids = await seed_similar(session, world)
    engine = create_engine(database_url)  # a second process has its own engine and index
    other_worker = create_session_factory(engine)
    try:
        async with other_worker() as other:  # one session per request, as in the app
            before = await SimilarService(other).suggest("moestuin", None)
            assert ids_of(before.elsewhere) == [ids["moestuin_bovenveen"]]
        new = await _initiative(session, world, "resident", world.zuilen_id, "Moestuin achter de flat")
        async with other_worker() as other:
            after = await SimilarService(other).suggest("moestuin", None)
            assert set(ids_of(after.elsewhere)) == {ids["moestuin_bovenveen"], new}
            assert holder_for(other).builds == 1
    finally:
        await engine.dispose()


async def test_a_change_committed_late_with_an_older_timestamp_is_still_picked_up(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    service = SimilarService(session)
    await service.suggest("moestuin", None)
    # Stamped before the newest change seen (as by a transaction that commits late): the log still names it.
    newest = await session.scalar(select(func.max(Initiative.updated_at)))
    assert newest is not None
    async with transaction(session):
        initiative = await session.get(Initiative, ids["moestuin_bovenveen"])
        assert initiative is not None
        initiative.state = "withdrawn"
        initiative.updated_at = newest - timedelta(seconds=5)
    assert ids["moestuin_bovenveen"] not in ids_of((await service.suggest("moestuin", None)).elsewhere)
    assert holder_for(session).builds == 1


async def test_a_deleted_initiative_leaves_the_index_without_a_rebuild(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    service = SimilarService(session)
    await service.suggest("moestuin", None)
    victim = ids["moestuin_bovenveen"]
    async with transaction(session):
        for model in (CostLine, InitiativeTheme, Initiator, TimelineEvent):
            await session.execute(delete(model).where(model.initiative_id == victim))  # type: ignore[attr-defined]
        initiative = await session.get(Initiative, victim)
        assert initiative is not None
        await session.delete(initiative)
    assert victim not in ids_of((await service.suggest("moestuin", None)).elsewhere)
    assert holder_for(session).builds == 1


async def test_only_an_initiator_gives_consent_and_it_is_audited(session: AsyncSession, world: World) -> None:
    ids = await seed_similar(session, world)
    service = SimilarService(session)
    for role in ("other_resident", "broker", "platform_admin"):
        with pytest.raises(NotAnOwner):
            await service.set_consent(world.actors[role], ids["feest_zuilen"], True)
    await service.set_consent(world.actors["resident"], ids["feest_zuilen"], True)
    entries = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "initiative.contact_consent",
                AuditEntry.subject_id == ids["feest_zuilen"],
            )
        )
    ).all()
    assert [e.data for e in entries] == [{"consent": True}]


class DownMailer:
    async def send(self, message: EmailMessage) -> None:
        raise MailUnavailable("the mail server is not available; try again in a few minutes")


async def statuses_of_mails(session: AsyncSession) -> dict[str, int]:
    await session.commit()
    return await queue.counts(session)


def contact_mails(mailer: RecordingMailer) -> list[EmailMessage]:
    """The messages passed on to initiators (they carry the sender as Reply-To)."""
    return [mail for mail in mailer.sent if mail["Reply-To"]]


async def contact_count(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "similar.contact_sent")
        )
        or 0
    )


async def test_contact_passes_a_message_on_without_showing_the_initiators_address(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    mailer = RecordingMailer()
    settings = Settings(base_url="https://buurtbudget.example")
    sent = await SimilarService(session).contact(
        world.actors["other_resident"], ids["kook_zuilen"], "Hoe hebben jullie de keuken geregeld?"
    )
    assert sent.sent_to == 1
    assert sent.initiative.id == ids["kook_zuilen"]
    await drain_outbox(session, mailer, settings)
    [mail] = contact_mails(mailer)
    assert mail["To"] == world.emails["resident"]
    assert mail["Reply-To"] == world.emails["other_resident"]
    body = mail.get_content()
    assert "Hoe hebben jullie de keuken geregeld?" in body
    assert f"https://buurtbudget.example/initiatieven/{ids['kook_zuilen']}" in body
    assert await contact_count(session) == 1


@pytest.mark.parametrize(
    ("sender", "target", "message", "error"),
    [
        ("other_resident", "moestuin_bovenveen", "Hallo, mag ik iets vragen?", OwnInitiative),
        ("resident", "moestuin_bovenveen", "Hallo, mag ik iets vragen?", NoContactConsent),
        ("resident", "kook_zuilen", "Hallo, mag ik iets vragen?", OwnInitiative),
        ("other_resident", "kook_zuilen", "kort", InvalidInput),
        ("other_resident", "kook_zuilen", "x" * 2001, InvalidInput),
        ("other_resident", "draft_lunetten", "Hallo, mag ik iets vragen?", OwnInitiative),
        ("resident", "draft_lunetten", "Hallo, mag ik iets vragen?", NotFound),
        ("resident", "withdrawn_lunetten", "Hallo, mag ik iets vragen?", NotFound),
    ],
)
async def test_contact_refusals_send_nothing_and_record_nothing(
    session: AsyncSession, world: World, sender: str, target: str, message: str, error: type[Exception]
) -> None:
    ids = await seed_similar(session, world)
    mailer = RecordingMailer()
    with pytest.raises(error):
        await SimilarService(session).contact(world.actors[sender], ids[target], message)
    await drain_outbox(session, mailer)
    assert contact_mails(mailer) == []
    assert await contact_count(session) == 0


async def test_a_mail_server_that_is_down_delays_the_message_but_never_loses_it(
    session: AsyncSession, world: World
) -> None:
    ids = await seed_similar(session, world)
    await drain_outbox(session, RecordingMailer())  # the mails that seeding queued
    await SimilarService(session).contact(
        world.actors["other_resident"], ids["kook_zuilen"], "Hoe ging het koken?"
    )
    assert await contact_count(session) == 1  # recorded with the queued mail, in one unit of work
    down = await drain_outbox(session, DownMailer())
    assert (down.sent, down.retried) == (0, 1)
    assert (await statuses_of_mails(session)).get("pending") == 1  # kept for the worker's next try
    assert await contact_count(session) == 1


async def test_a_sender_mails_at_most_five_initiators_a_day(session: AsyncSession, world: World) -> None:
    ids = await seed_similar(session, world)
    mailer = RecordingMailer()
    service = SimilarService(session)
    for _ in range(5):
        await service.contact(world.actors["juror"], ids["kook_zuilen"], "Een vraag over koken.")
    with pytest.raises(TooManyContactMessages):
        await service.contact(world.actors["juror"], ids["kook_zuilen"], "Nog een vraag.")
    await drain_outbox(session, mailer)
    assert len(contact_mails(mailer)) == 5
    assert await contact_count(session) == 5
