"""Turning an initiative, its people and its timeline into the detail the API and pages show."""

from api.initiatives import texts
from api.initiatives.schemas import (
    ContactOut,
    CostLineOut,
    InitiativeOut,
    InitiativeSummaryOut,
    InitiatorOut,
    SpaceNeedOut,
    TimelineEventOut,
    VolunteerNeedOut,
)
from buurtbudget.i18n import DEFAULT_LOCALE, gettext
from buurtbudget.initiatives.lifecycle import TABLE, Action, Party, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.initiatives.themes import theme_labels
from buurtbudget.people.models import Person
from buurtbudget.people.names import SOCIAL_BROKER, shown_name
from buurtbudget.people.roles import Actor


def summary(initiative: Initiative, locale: str = DEFAULT_LOCALE) -> InitiativeSummaryOut:
    return InitiativeSummaryOut(
        id=initiative.id,
        neighbourhood_id=initiative.neighbourhood_id,
        title=initiative.title,
        state=State(initiative.state),
        themes=initiative.themes,
        theme_labels=theme_labels(initiative.themes, locale),
        total_cents=initiative.total_cents,
        updated_at=initiative.updated_at,
    )


def _contact(person: Person | None, brokers: set[int], locale: str) -> ContactOut | None:
    if person is None:
        return None
    return ContactOut(
        person_id=person.id,
        # A broker without a chosen name is named by their role, a resident by the neutral label.
        display_name=person.display_name
        or (gettext(SOCIAL_BROKER, locale) if person.id in brokers else shown_name("", locale)),
        email=person.email if person.id in brokers else None,
    )


async def actions_for(service: InitiativeService, actor: Actor, initiative: Initiative) -> list[Action]:
    """The steps this actor can take now (drives the buttons on pages and a client's UI)."""
    state = State(initiative.state)
    is_initiator = initiative.initiator_of(actor.person_id) is not None
    supports = await service.supports(actor, initiative)
    allowed = []
    for (from_state, action), step in TABLE.items():
        if from_state != state:
            continue
        if (step.actor == Party.INITIATOR and is_initiator) or (step.actor == Party.BROKER and supports):
            allowed.append(action)
    return allowed


async def detail(
    service: InitiativeService, actor: Actor, initiative: Initiative, locale: str
) -> InitiativeOut:
    events = await service.timeline(initiative.id)
    person_ids = [i.person_id for i in initiative.initiators] + [e.contact_id for e in events if e.contact_id]
    people = await service.people_by_id(person_ids)
    brokers = await service.broker_ids(initiative.neighbourhood_id)
    return InitiativeOut(
        **summary(initiative, locale).model_dump(),
        summary=initiative.summary,
        cost_lines=[CostLineOut.model_validate(line) for line in initiative.cost_lines],
        volunteer_needs=[VolunteerNeedOut.model_validate(need) for need in initiative.volunteer_needs],
        space_needs=[SpaceNeedOut.model_validate(space) for space in initiative.space_needs],
        initiators=[
            InitiatorOut(
                person_id=i.person_id,
                display_name=shown_name(people[i.person_id].display_name, locale),
                status=i.status,
            )
            for i in initiative.initiators
        ],
        timeline=[
            TimelineEventOut(
                at=event.at,
                event=event.event,
                what_happened=texts.what_happened(event.event, locale),
                state=State(event.state),
                next_step=event.next_step,
                what_comes_next=texts.what_comes_next(event.next_step, locale),
                contact=_contact(people.get(event.contact_id) if event.contact_id else None, brokers, locale),
                due_at=event.due_at,
            )
            for event in events
        ],
        overdue=await service.is_overdue(initiative.id),
        allowed_actions=await actions_for(service, actor, initiative),
    )
