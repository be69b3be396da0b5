"""Volunteers: catalogue profiles, suggestions both ways, offers and answers, privacy until both agree."""

from datetime import date, datetime, timedelta

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import DraftContent, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people import service as people
from buurtbudget.volunteers.errors import (
    AlreadyAnswered,
    AlreadyMatched,
    FullyBooked,
    InvalidAvailability,
    InvalidQuery,
    NoProfile,
    NotOpenForHelp,
    NotYourMatch,
    OwnInitiative,
    UnknownSkill,
)
from buurtbudget.volunteers.index import Matcher
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile
from buurtbudget.volunteers.rules import DatedInput, ProfileInput, WeeklyInput
from buurtbudget.volunteers.service import VolunteerService
from buurtbudget.workdays import AMSTERDAM


async def count(session: AsyncSession, model: type[object]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def open_initiative(session: AsyncSession, world: World, skill: str = "kookles") -> int:
    [initiative_id] = await new_initiatives(session, world, 1)
    service = InitiativeService(session)
    await service.update_draft(
        world.actors["resident"],
        initiative_id,
        DraftContent(volunteer_needs=[VolunteerNeedInput(skill, 10)], themes=["eten"]),
    )
    await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
    return initiative_id


def profile(world: World, **changes: object) -> ProfileInput:
    values: dict[str, object] = {
        "neighbourhood_id": world.ondiep_id,
        "skills": ["koken", "fietsen repareren"],
        "themes": ["eten"],
        "weekly": [WeeklyInput(1, "19:00", "21:30")],
        "dated": [DatedInput(datetime.now(AMSTERDAM).date() + timedelta(days=7), "10:00", "24:00")],
        "max_commitments": 2,
        "consent": True,
    }
    values.update(changes)
    return ProfileInput(**values)  # type: ignore[arg-type]


async def volunteer(session: AsyncSession, email: str, data: ProfileInput) -> tuple[object, VolunteerProfile]:
    person = await people.get_or_create(session, email, actor_id=None)
    await session.commit()
    actor = people.actor_for(person)
    saved = await VolunteerService(session, Matcher()).save_profile(actor, data)
    return actor, saved


async def test_a_profile_is_stored_as_catalogue_codes_with_a_pseudonym(
    session: AsyncSession, world: World
) -> None:
    actor, saved = await volunteer(session, "vera@example.org", profile(world, skills=["Cooking", "kokne"]))
    assert saved.skills == ["koken"]
    assert saved.themes == ["eten"]
    assert saved.weekly == [{"weekday": 1, "start": "19:00", "end": "21:30"}]
    assert saved.dated[0]["end"] == "24:00"
    assert saved.pseudonym.startswith("V-")
    changed = await VolunteerService(session).save_profile(actor, profile(world, skills=["tuinieren"]))  # type: ignore[arg-type]
    assert (changed.id, changed.skills) == (saved.id, ["tuinieren"])
    actions = (await session.execute(select(AuditEntry.action).order_by(AuditEntry.id))).scalars().all()
    assert actions[-2:] == ["volunteer.profile_created", "volunteer.profile_changed"]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"skills": ["koken", "raketbouw"]}, UnknownSkill, "skills.1"),
        ({"skills": []}, InvalidQuery, "skills"),
        ({"skills": ["koken"] * 21}, InvalidQuery, "skills"),
        ({"themes": ["ruimtevaart"]}, InvalidInput, "themes.0"),
        ({"weekly": [WeeklyInput(1, "21:00", "19:00")]}, InvalidAvailability, "weekly.0.end"),
        ({"weekly": [WeeklyInput(1, "25:00", "26:00")]}, InvalidAvailability, "weekly.0.start"),
        ({"weekly": [WeeklyInput(1, "10:00", "10:05")]}, InvalidAvailability, "weekly.0.end"),
        ({"weekly": [WeeklyInput(7, "10:00", "12:00")]}, InvalidAvailability, "weekly.0.weekday"),
        ({"dated": [DatedInput(date(2020, 1, 1), "10:00", "12:00")]}, InvalidAvailability, "dated.0.day"),
        ({"max_commitments": 0}, InvalidInput, "max_commitments"),
        ({"neighbourhood_id": 999_999}, InvalidInput, "neighbourhood_id"),
    ],
)
async def test_bad_profiles_get_a_specific_error_and_store_nothing(
    session: AsyncSession, world: World, changes: dict[str, object], error: type[Exception], field: str
) -> None:
    audit_before = await count(session, AuditEntry)
    with pytest.raises(error) as raised:
        await volunteer(session, "vera@example.org", profile(world, **changes))
    assert raised.value.field == field  # type: ignore[attr-defined]
    assert await count(session, VolunteerProfile) == 0
    assert await count(session, AuditEntry) == audit_before + 1  # only the person was created


async def test_an_unknown_skill_is_named_with_suggestions(session: AsyncSession, world: World) -> None:
    with pytest.raises(UnknownSkill) as raised:
        await volunteer(session, "vera@example.org", profile(world, skills=["kokkerellen op maan"]))
    assert raised.value.params["skill"] == "kokkerellen op maan"
    assert "{skill}" in raised.value.message


async def test_volunteer_and_initiative_find_each_other_and_share_contacts_only_after_both_agree(
    session: AsyncSession, world: World
) -> None:
    initiative_id = await open_initiative(session, world)
    actor, saved = await volunteer(session, "vera@example.org", profile(world))
    service = VolunteerService(session)
    [suggestion] = await service.suggestions_for_me(actor, "nl")  # type: ignore[arg-type]
    assert suggestion.initiative.id == initiative_id
    assert 0 < suggestion.score <= 1
    texts = [r.text for r in suggestion.reasons]
    assert "kan: koken (gevraagd: kookles)" in texts
    assert "woont in de aangrenzende buurt Ondiep" in texts
    assert "vindt ook belangrijk: koken en eten" in texts

    owner = world.actors["resident"]
    [seen] = await service.volunteer_suggestions(owner, initiative_id, "en")
    assert seen.volunteer.pseudonym == saved.pseudonym
    assert seen.volunteer.skills == ["koken", "fietsreparatie"]
    assert seen.volunteer.neighbourhood == "Ondiep"
    assert "lives in the neighbouring Ondiep" in [r.text for r in seen.reasons]

    match_id = (await service.offer(actor, initiative_id)).id  # type: ignore[arg-type]
    with pytest.raises(AlreadyMatched):
        await service.offer(actor, initiative_id)  # type: ignore[arg-type]
    [before] = await service.initiative_matches(owner, initiative_id, "nl")
    assert before.volunteer_contact is None
    assert before.initiative_contacts == []
    assert "vera" not in repr(before.volunteer).lower()
    with pytest.raises(NotYourMatch):
        await service.answer(world.actors["broker"], match_id, accept=True, locale="nl")
    with pytest.raises(AlreadyAnswered):
        await service.answer(actor, match_id, accept=True, locale="nl")  # type: ignore[arg-type]
    answer = await service.answer(owner, match_id, accept=True, locale="nl")
    assert answer.agreed_now
    assert answer.view.match.status == "agreed"
    assert answer.view.volunteer_contact is not None
    assert answer.view.volunteer_contact.email == "vera@example.org"
    [mine] = await service.my_matches(actor, "nl")  # type: ignore[arg-type]
    assert [c.email for c in mine.initiative_contacts] == [world.emails["resident"]]
    [broker_view] = await service.caseload(world.actors["broker"], "nl")
    assert broker_view.initiative.id == initiative_id
    assert len(broker_view.matches) == 1


async def test_declined_and_fully_booked_volunteers_drop_out_of_suggestions(
    session: AsyncSession, world: World
) -> None:
    first = await open_initiative(session, world)
    second = await open_initiative(session, world)
    owner = world.actors["resident"]
    booked, booked_profile = await volunteer(session, "busy@example.org", profile(world, max_commitments=1))
    declining, declining_profile = await volunteer(session, "nee@example.org", profile(world))
    service = VolunteerService(session)
    invitation_id = (await service.invite(owner, first, declining_profile.id)).id
    await service.answer(declining, invitation_id, accept=False, locale="nl")  # type: ignore[arg-type]
    offer = await service.offer(booked, first)  # type: ignore[arg-type]
    offer_id, booked_id, declining_id = offer.id, booked_profile.id, declining_profile.id
    await service.answer(owner, offer_id, accept=True, locale="nl")
    pseudonyms_first = {
        s.volunteer.profile_id for s in await service.volunteer_suggestions(owner, first, "nl")
    }
    assert declining_profile.id not in pseudonyms_first
    # fully booked (1 of 1): out of the second initiative's suggestions, and it gets none itself
    suggested = {s.volunteer.profile_id for s in await service.volunteer_suggestions(owner, second, "nl")}
    assert suggested == {declining_profile.id}
    assert await service.suggestions_for_me(booked, "nl") == []  # type: ignore[arg-type]
    with pytest.raises(FullyBooked):
        await service.offer(booked, second)  # type: ignore[arg-type]
    with pytest.raises(AlreadyAnswered):
        await service.answer(declining, invitation_id, accept=True, locale="nl")  # type: ignore[arg-type]
    # the initiators end the agreement: the volunteer has room again and comes back in the suggestions
    await service.answer(owner, offer_id, accept=False, locale="nl")
    suggested = {s.volunteer.profile_id for s in await service.volunteer_suggestions(owner, second, "nl")}
    assert suggested == {declining_id, booked_id}


async def test_offers_need_an_open_initiative_and_a_profile(session: AsyncSession, world: World) -> None:
    [draft] = await new_initiatives(session, world, 1, owner="other_resident")
    initiative_id = await open_initiative(session, world)
    service = VolunteerService(session)
    with pytest.raises(NoProfile):
        await service.offer(world.actors["juror"], initiative_id)
    actor, _ = await volunteer(session, "vera@example.org", profile(world))
    with pytest.raises(NotFound):
        await service.offer(actor, draft)  # type: ignore[arg-type]
    [no_help] = await new_initiatives(session, world, 1)
    await InitiativeService(session).act(world.actors["resident"], no_help, Action.SUBMIT)
    with pytest.raises(NotOpenForHelp):
        await service.offer(actor, no_help)  # type: ignore[arg-type]
    own_actor, _ = await volunteer(session, world.emails["resident"], profile(world))
    with pytest.raises(OwnInitiative):
        await service.offer(own_actor, initiative_id)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        await service.volunteer_suggestions(world.actors["other_resident"], initiative_id, "nl")
    assert await count(session, VolunteerMatch) == 0


async def test_deleting_a_profile_erases_it_and_its_matches(session: AsyncSession, world: World) -> None:
    initiative_id = await open_initiative(session, world)
    actor, _ = await volunteer(session, "vera@example.org", profile(world))
    service = VolunteerService(session)
    await service.offer(actor, initiative_id)  # type: ignore[arg-type]
    await service.delete_profile(actor)  # type: ignore[arg-type]
    assert await count(session, VolunteerProfile) == 0
    assert await count(session, VolunteerMatch) == 0
    assert await service.volunteer_suggestions(world.actors["resident"], initiative_id, "nl") == []
    with pytest.raises(NoProfile):
        await service.delete_profile(actor)  # type: ignore[arg-type]


async def test_each_worker_sees_the_changes_of_another_incrementally(
    session: AsyncSession, world: World
) -> None:
    initiative_id = await open_initiative(session, world)
    first, second = Matcher(), Matcher()
    owner = world.actors["resident"]
    assert await VolunteerService(session, second).volunteer_suggestions(owner, initiative_id, "nl") == []
    actor, saved = await volunteer(session, "vera@example.org", profile(world))  # written through a third
    [found] = await VolunteerService(session, second).volunteer_suggestions(owner, initiative_id, "nl")
    assert found.volunteer.profile_id == saved.id
    await VolunteerService(session, first).save_profile(actor, profile(world, skills=["muziek"]))  # type: ignore[arg-type]
    assert await VolunteerService(session, second).volunteer_suggestions(owner, initiative_id, "nl") == []
    await VolunteerService(session, first).save_profile(actor, profile(world, consent=False))  # type: ignore[arg-type]
    assert str(saved.id) in second.volunteers  # not synced yet
    await VolunteerService(session, second).volunteer_suggestions(owner, initiative_id, "nl")
    assert str(saved.id) not in second.volunteers  # consent withdrawn: out of the index
    assert second.builds == 1  # built once, then only the changed rows applied
    await InitiativeService(session).act(owner, initiative_id, Action.WITHDRAW)
    with pytest.raises(NotOpenForHelp):
        await VolunteerService(session, second).volunteer_suggestions(owner, initiative_id, "nl")
    assert initiative_id not in second.open_needs
    assert second.builds == 1


async def test_brokers_search_near_their_neighbourhood_with_checked_queries(
    session: AsyncSession, world: World
) -> None:
    await volunteer(session, "vera@example.org", profile(world))
    service = VolunteerService(session)
    [found] = await service.search(world.actors["broker"], ["kok"], world.zuilen_id, "nl")
    assert found.volunteer.skills[0] == "koken"
    with pytest.raises(InvalidQuery):
        await service.search(world.actors["broker"], ["  "], world.zuilen_id, "nl")
    with pytest.raises(InvalidQuery):
        await service.search(world.actors["broker"], ["koken"], world.zuilen_id, "nl", k=5000)
    with pytest.raises(UnknownSkill):
        await service.search(world.actors["broker"], ["xyzzy"], world.zuilen_id, "nl")
    with pytest.raises(NotAllowed):
        await service.search(world.actors["broker"], ["koken"], world.lunetten_id, "nl")
