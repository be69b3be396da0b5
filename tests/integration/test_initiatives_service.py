"""Initiatives: residents own them, steps follow the table, every step leaves a timeline entry."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.errors import (
    BrokerCannotOwn,
    IllegalTransition,
    IncompleteInitiative,
    NotAnOwner,
)
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative, Initiator, TimelineEvent
from buurtbudget.initiatives.rules import CostLineInput, DraftContent, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeFilter, InitiativeService
from buurtbudget.people.service import find_by_email
from buurtbudget.people.verification_errors import NotVerified


async def count(session: AsyncSession, model: type[object]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_draft_is_owned_by_its_resident_and_starts_the_timeline(
    session: AsyncSession, world: World
) -> None:
    service = InitiativeService(session)
    draft = await service.create_draft(
        world.actors["resident"],
        world.zuilen_id,
        DraftContent(
            title="Moestuin achter de flat",
            summary="Samen tuinieren.",
            themes=["Groen", " groen ", "Ontmoeting"],
            cost_lines=[CostLineInput("Bakken", 1_200_00), CostLineInput("Zaden", 300_00, essential=False)],
            volunteer_needs=[VolunteerNeedInput("Tuinieren", 40)],
            space_needs=[
                SpaceNeedInput(
                    "Schuur", 10, datetime(2026, 4, 1, 9, tzinfo=UTC), datetime(2026, 4, 1, 12, tzinfo=UTC)
                )
            ],
        ),
    )
    assert draft.state == State.DRAFT
    assert [i.person_id for i in draft.initiators] == [world.actors["resident"].person_id]
    assert draft.themes == ["groen", "ontmoeting"]
    assert draft.total_cents == 1_500_00
    [event] = await service.timeline(draft.id)
    assert (event.event, event.next_step, event.contact_id) == (
        "created",
        "complete_and_submit",
        world.actors["resident"].person_id,
    )


async def test_a_broker_drafts_for_a_resident_who_owns_it(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    draft = await service.create_draft(
        world.actors["broker"],
        world.zuilen_id,
        DraftContent(title="Buurtfeest"),
        on_behalf_of="Nieuwe.Bewoner@Example.org",
    )
    resident = await find_by_email(session, "nieuwe.bewoner@example.org")
    assert resident is not None
    assert [i.person_id for i in draft.initiators] == [resident.id]
    assert draft.created_by_id == world.actors["broker"].person_id
    assert world.actors["broker"].person_id not in [i.person_id for i in draft.initiators]


async def test_a_broker_never_becomes_an_owner(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    before = await count(session, Initiative)
    with pytest.raises(BrokerCannotOwn):
        await service.create_draft(
            world.actors["broker"], world.zuilen_id, DraftContent(title="Mijn eigen plan")
        )
    with pytest.raises(BrokerCannotOwn):
        await service.create_draft(
            world.actors["other_broker"],
            world.lunetten_id,
            DraftContent(title="Plan"),
            on_behalf_of=world.emails["other_broker"],
        )
    [draft_id] = await new_initiatives(session, world, 1)
    with pytest.raises(BrokerCannotOwn):
        await service.invite_co_initiator(world.actors["resident"], draft_id, world.emails["broker"])
    assert await count(session, Initiative) == before + 1
    assert await count(session, Initiator) == before + 1


async def test_only_a_broker_of_the_neighbourhood_drafts_for_someone_else(
    session: AsyncSession, world: World
) -> None:
    with pytest.raises(NotAllowed):
        await InitiativeService(session).create_draft(
            world.actors["resident"],
            world.zuilen_id,
            DraftContent(title="Plan"),
            on_behalf_of="x@example.org",
        )
    with pytest.raises(NotAllowed):
        await InitiativeService(session).create_draft(
            world.actors["other_broker"],
            world.zuilen_id,
            DraftContent(title="Plan"),
            on_behalf_of="x@example.org",
        )


async def test_the_lifecycle_writes_what_happened_what_next_who_and_by_when(
    session: AsyncSession, world: World
) -> None:
    service = InitiativeService(session)
    [draft_id] = await new_initiatives(session, world, 1)
    await service.act(world.actors["resident"], draft_id, Action.SUBMIT)
    await service.act(world.actors["broker"], draft_id, Action.START_REVIEW)
    initiative = await service.act(world.actors["broker"], draft_id, Action.MARK_READY)
    assert initiative.state == State.READY_FOR_JURY
    events = await service.timeline(draft_id)
    assert [(e.event, e.state, e.next_step) for e in events] == [
        ("created", "draft", "complete_and_submit"),
        ("submit", "submitted", "intake"),
        ("start_review", "in_review", "review"),
        ("mark_ready", "ready_for_jury", "jury_decides"),
    ]
    submitted = events[1]
    assert submitted.contact_id == world.actors["broker"].person_id
    assert submitted.due_at is not None
    assert timedelta(days=5) <= submitted.due_at - submitted.at <= timedelta(days=12)  # 5 working days


@pytest.mark.parametrize(
    ("who", "action", "error"),
    [
        ("other_resident", Action.SUBMIT, NotAnOwner),
        ("broker", Action.SUBMIT, NotAnOwner),
        ("resident", Action.START_REVIEW, IllegalTransition),
        ("resident", Action.GRANT, IllegalTransition),
        ("municipality_admin", Action.SUBMIT, NotAnOwner),
    ],
)
async def test_wrong_party_or_state_changes_nothing(
    session: AsyncSession, world: World, who: str, action: Action, error: type[Exception]
) -> None:
    [draft_id] = await new_initiatives(session, world, 1)
    events, audits = await count(session, TimelineEvent), await count(session, AuditEntry)
    with pytest.raises((error, NotFound)):
        await InitiativeService(session).act(world.actors[who], draft_id, action)
    assert (await count(session, TimelineEvent), await count(session, AuditEntry)) == (events, audits)
    session.expire_all()
    assert (await session.get(Initiative, draft_id)).state == State.DRAFT  # type: ignore[union-attr]


async def test_submitting_needs_a_story_and_a_budget(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    draft = await service.create_draft(
        world.actors["resident"], world.zuilen_id, DraftContent(title="Half plan")
    )
    with pytest.raises(IncompleteInitiative) as caught:
        await service.act(world.actors["resident"], draft.id, Action.SUBMIT)
    assert caught.value.params["missing"] == ["summary", "cost_lines"]


async def test_drafts_are_private_until_submitted(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    [draft_id] = await new_initiatives(session, world, 1)
    with pytest.raises(NotFound):
        await service.get(world.actors["other_resident"], draft_id)
    with pytest.raises(NotFound):
        await service.get(world.actors["other_broker"], draft_id)
    for who in ("resident", "broker", "municipality_admin", "platform_admin"):
        assert (await service.get(world.actors[who], draft_id)).id == draft_id
    await service.act(world.actors["resident"], draft_id, Action.SUBMIT)
    assert (await service.get(world.actors["other_resident"], draft_id)).id == draft_id


async def test_co_initiators_are_invited_and_accept(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    [draft_id] = await new_initiatives(session, world, 1)
    await service.invite_co_initiator(world.actors["resident"], draft_id, world.emails["other_resident"])
    with pytest.raises(NotAnOwner):  # invited, not yet an owner
        await service.act(world.actors["other_resident"], draft_id, Action.SUBMIT)
    with pytest.raises(InvalidInput):
        await service.invite_co_initiator(world.actors["resident"], draft_id, world.emails["other_resident"])
    await service.accept_invitation(world.actors["other_resident"], draft_id)
    # A co-initiator verified in Lunetten does not represent a Zuilen plan; its Zuilen resident does.
    with pytest.raises(NotVerified):
        await service.act(world.actors["other_resident"], draft_id, Action.SUBMIT)
    initiative = await service.act(world.actors["resident"], draft_id, Action.SUBMIT)
    assert {i.status for i in initiative.initiators} == {"active"}
    with pytest.raises(NotFound):
        await service.accept_invitation(world.actors["juror"], draft_id)


async def test_only_drafts_change(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    [draft_id] = await new_initiatives(session, world, 1)
    await service.update_draft(world.actors["resident"], draft_id, DraftContent(title="Betere titel"))
    await service.act(world.actors["resident"], draft_id, Action.SUBMIT)
    with pytest.raises(IllegalTransition):
        await service.update_draft(world.actors["resident"], draft_id, DraftContent(title="Nog beter"))
    session.expire_all()
    assert (await service.get(world.actors["resident"], draft_id)).title == "Betere titel"


async def test_search_filters_and_paginates(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    ids = await new_initiatives(session, world, 5)
    for initiative_id in ids[:3]:
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
    anonymous_view = await service.search(world.actors["other_resident"], InitiativeFilter(per_page=2))
    assert anonymous_view.total == 3
    assert len(anonymous_view.items) == 2
    second_page = await service.search(world.actors["other_resident"], InitiativeFilter(per_page=2, page=2))
    assert len(second_page.items) == 1
    mine = await service.search(world.actors["resident"], InitiativeFilter(mine=True))
    assert mine.total == 5
    drafts = await service.search(world.actors["broker"], InitiativeFilter(state=State.DRAFT))
    assert drafts.total == 2
    assert (await service.search(world.actors["resident"], InitiativeFilter(text="initiatief 2"))).total == 1


async def test_overdue_initiatives_are_flagged_to_the_broker(session: AsyncSession, world: World) -> None:
    service = InitiativeService(session)
    [late, on_time] = await new_initiatives(session, world, 2)
    for initiative_id in (late, on_time):
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
    event = (
        await session.execute(
            select(TimelineEvent).where(TimelineEvent.initiative_id == late, TimelineEvent.event == "submit")
        )
    ).scalar_one()
    event.due_at = datetime.now(UTC) - timedelta(days=1)
    await session.commit()
    assert [i.id for i in await service.flag_overdue([world.zuilen_id])] == [late]
    assert await service.is_overdue(late)
    assert not await service.is_overdue(on_time)
