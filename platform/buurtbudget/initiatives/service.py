"""InitiativeService: drafts, co-initiators, lifecycle steps, listing; each change with timeline and audit."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import record_event, transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives import lifecycle
from buurtbudget.initiatives.errors import BrokerCannotOwn, IllegalTransition, NotAnOwner
from buurtbudget.initiatives.events import CoInitiatorInvited, StepTaken
from buurtbudget.initiatives.lifecycle import Action, Party, State
from buurtbudget.initiatives.models import (
    CostLine,
    Initiative,
    InitiativeTheme,
    Initiator,
    SpaceNeed,
    TimelineEvent,
    VolunteerNeed,
)
from buurtbudget.initiatives.rules import DraftContent, check_complete, normalise_themes, validate
from buurtbudget.jury.on_ballot import refuse_while_on_ballot
from buurtbudget.jury.pool import require_resident
from buurtbudget.jury.recusal import INITIATOR, recuse_for_role
from buurtbudget.people import service as people
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.guide import check_within_maximum
from buurtbudget.workdays import add_working_days


@dataclass(frozen=True, slots=True)
class InitiativeFilter:
    neighbourhood_id: int | None = None
    state: State | None = None
    theme: str | None = None
    text: str | None = None
    mine: bool = False
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Initiative]
    total: int
    page: int
    per_page: int


class InitiativeService:
    """Ownership stays with residents: brokers may draft for them and move reviews on, never own."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- reading -------------------------------------------------------------------------------

    async def _neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        neighbourhood = await self.session.get(Neighbourhood, neighbourhood_id)
        if neighbourhood is None:
            raise InvalidInput("unknown neighbourhood", field="neighbourhood_id")
        return neighbourhood

    async def _load(self, initiative_id: int, *, lock: bool = False) -> Initiative:
        query = select(Initiative).where(Initiative.id == initiative_id)
        if lock:
            query = query.with_for_update()
        initiative = (await self.session.execute(query)).scalar_one_or_none()
        if initiative is None:
            raise NotFound("no such initiative", initiative_id=initiative_id)
        return initiative

    async def supports(self, actor: Actor, initiative: Initiative) -> bool:
        neighbourhood = await self._neighbourhood(initiative.neighbourhood_id)
        return actor.supports(neighbourhood.id, neighbourhood.municipality_id)

    async def _can_see(self, actor: Actor, initiative: Initiative) -> bool:
        if lifecycle.is_public(State(initiative.state)):
            return True
        if any(i.person_id == actor.person_id for i in initiative.initiators):
            return True
        return await self.supports(actor, initiative)

    async def get(self, actor: Actor, initiative_id: int) -> Initiative:
        """An initiative the actor may see; drafts of others are reported as missing."""
        initiative = await self._load(initiative_id)
        if not await self._can_see(actor, initiative):
            raise NotFound("no such initiative", initiative_id=initiative_id)
        return initiative

    async def timeline(self, initiative_id: int) -> list[TimelineEvent]:
        rows = await self.session.execute(
            select(TimelineEvent)
            .where(TimelineEvent.initiative_id == initiative_id)
            .order_by(TimelineEvent.at, TimelineEvent.id)
        )
        return list(rows.scalars())

    async def people_by_id(self, person_ids: Sequence[int]) -> dict[int, Person]:
        rows = await self.session.execute(select(Person).where(Person.id.in_(set(person_ids))))
        return {person.id: person for person in rows.scalars()}

    def _visible(
        self, actor: Actor, query: Select[tuple[Initiative]], mine: bool
    ) -> Select[tuple[Initiative]]:
        own = exists().where(Initiator.initiative_id == Initiative.id, Initiator.person_id == actor.person_id)
        if mine:
            return query.where(own)
        supported = [
            grant.neighbourhood_id
            for grant in actor.grants
            if grant.role == Role.BROKER and grant.neighbourhood_id is not None
        ]
        visible = [Initiative.state != State.DRAFT.value]
        if actor.signed_in:
            visible.append(own)
        if actor.is_platform_admin:
            return query
        administered = [g.municipality_id for g in actor.grants if g.role == Role.MUNICIPALITY_ADMIN]
        if supported:
            visible.append(Initiative.neighbourhood_id.in_(supported))
        if administered:
            visible.append(
                Initiative.neighbourhood_id.in_(
                    select(Neighbourhood.id).where(Neighbourhood.municipality_id.in_(administered))
                )
            )
        return query.where(or_(*visible))

    async def search(self, actor: Actor, filters: InitiativeFilter) -> Page:
        query = self._visible(actor, select(Initiative), filters.mine)
        if filters.neighbourhood_id is not None:
            query = query.where(Initiative.neighbourhood_id == filters.neighbourhood_id)
        if filters.state is not None:
            query = query.where(Initiative.state == filters.state.value)
        if filters.theme:
            query = query.where(
                exists().where(
                    InitiativeTheme.initiative_id == Initiative.id,
                    InitiativeTheme.theme == filters.theme.strip().lower(),
                )
            )
        if filters.text:
            pattern = f"%{filters.text.strip().lower()}%"
            query = query.where(
                or_(func.lower(Initiative.title).like(pattern), func.lower(Initiative.summary).like(pattern))
            )
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = await self.session.execute(
            query.order_by(Initiative.updated_at.desc(), Initiative.id.desc())
            .offset((filters.page - 1) * filters.per_page)
            .limit(filters.per_page)
        )
        return Page(list(rows.scalars()), total, filters.page, filters.per_page)

    async def public_counts(self) -> dict[int, int]:
        """How many public initiatives each neighbourhood has."""
        rows = await self.session.execute(
            select(Initiative.neighbourhood_id, func.count())
            .where(Initiative.state != State.DRAFT.value)
            .group_by(Initiative.neighbourhood_id)
        )
        return dict(rows.tuples().all())

    @staticmethod
    def _overdue_ids() -> Select[tuple[int]]:
        """Initiatives whose latest promised date has passed: flagged to the neighbourhood's broker."""
        latest = (
            select(TimelineEvent.initiative_id, func.max(TimelineEvent.id).label("last_id"))
            .group_by(TimelineEvent.initiative_id)
            .subquery()
        )
        return (
            select(TimelineEvent.initiative_id)
            .join(latest, TimelineEvent.id == latest.c.last_id)
            .where(TimelineEvent.due_at.is_not(None), TimelineEvent.due_at < utcnow())
        )

    async def is_overdue(self, initiative_id: int) -> bool:
        events = await self.timeline(initiative_id)
        return bool(events) and events[-1].due_at is not None and events[-1].due_at < utcnow()

    async def broker_ids(self, neighbourhood_id: int) -> set[int]:
        rows = await self.session.execute(
            select(RoleAssignment.person_id).where(
                RoleAssignment.role == Role.BROKER.value, RoleAssignment.neighbourhood_id == neighbourhood_id
            )
        )
        return set(rows.scalars())

    async def broker_of(self, neighbourhood_id: int) -> Person | None:
        """The neighbourhood's contact broker (the longest-serving one)."""
        row = await self.session.execute(
            select(Person)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(
                RoleAssignment.role == Role.BROKER.value, RoleAssignment.neighbourhood_id == neighbourhood_id
            )
            .order_by(RoleAssignment.id)
            .limit(1)
        )
        return row.scalar_one_or_none()

    # --- writing -------------------------------------------------------------------------------

    async def _timeline(
        self, initiative: Initiative, actor: Actor, event: str, step: lifecycle.Transition
    ) -> TimelineEvent:
        if step.contact == Party.INITIATOR:
            owner = next((i for i in initiative.initiators if i.status == "active"), None)
            contact_id = owner.person_id if owner else None
        else:
            broker = await self.broker_of(initiative.neighbourhood_id)
            contact_id = broker.id if broker else None
        now = utcnow()
        due_at = (
            add_working_days(now, step.response_working_days)
            if step.response_working_days is not None
            else None
        )
        entry = TimelineEvent(
            initiative_id=initiative.id,
            at=now,
            actor_id=actor.person_id,
            event=event,
            state=initiative.state,
            next_step=step.next_step,
            contact_id=contact_id,
            due_at=due_at,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def _audit(self, actor: Actor, action: str, initiative: Initiative, **data: object) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"initiative.{action}",
            subject_type="initiative",
            subject_id=initiative.id,
            data=dict(data),
        )

    async def _resident_owner(self, actor: Actor, neighbourhood: Neighbourhood, email: str | None) -> Person:
        """The resident who will own the draft: the actor, or (for a broker) the resident named."""
        if email is None:
            owner = await people.get_person(self.session, actor.person_id or 0)
        else:
            if not actor.supports(neighbourhood.id, neighbourhood.municipality_id):
                raise NotAllowed("only a broker of this neighbourhood drafts for a resident")
            owner = await people.get_or_create(self.session, email, actor_id=actor.person_id)
        if people.actor_for(owner).is_broker_for(neighbourhood.id):
            raise BrokerCannotOwn(
                "a broker supports initiatives in their neighbourhood and cannot own one",
                field="on_behalf_of" if email else "neighbourhood_id",
            )
        return owner

    def _apply(self, initiative: Initiative, content: DraftContent) -> None:
        if content.title is not None:
            initiative.title = content.title.strip()
        if content.summary is not None:
            initiative.summary = content.summary.strip()
        if content.themes is not None:
            initiative.theme_links = [InitiativeTheme(theme=t) for t in normalise_themes(content.themes)]
        if content.cost_lines is not None:
            initiative.cost_lines = [
                CostLine(
                    position=i,
                    description=line.description.strip(),
                    amount_cents=line.amount_cents,
                    essential=line.essential,
                )
                for i, line in enumerate(content.cost_lines)
            ]
        if content.volunteer_needs is not None:
            initiative.volunteer_needs = [
                VolunteerNeed(skill=need.skill.strip().lower(), hours=need.hours)
                for need in content.volunteer_needs
            ]
        if content.space_needs is not None:
            initiative.space_needs = [
                SpaceNeed(
                    description=s.description.strip(),
                    capacity=s.capacity,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                )
                for s in content.space_needs
            ]

    async def create_draft(
        self, actor: Actor, neighbourhood_id: int, content: DraftContent, *, on_behalf_of: str | None = None
    ) -> Initiative:
        if not actor.signed_in:
            raise NotAllowed("sign in to start an initiative")
        if content.title is None:
            raise InvalidInput("the title needs 3 to 150 characters", field="title")
        validate(content)
        async with transaction(self.session):
            neighbourhood = await self._neighbourhood(neighbourhood_id)
            owner = await self._resident_owner(actor, neighbourhood, on_behalf_of)
            initiative = Initiative(
                neighbourhood_id=neighbourhood.id,
                title="",
                created_by_id=actor.person_id,
                state=State.DRAFT.value,
                initiators=[Initiator(person_id=owner.id, status="active")],
            )
            self._apply(initiative, content)
            self.session.add(initiative)
            await self.session.flush()
            await self._timeline(initiative, actor, "created", lifecycle.CREATED)
            await self._audit(
                actor, "created", initiative, owner_id=owner.id, on_behalf=on_behalf_of is not None
            )
        return initiative

    async def _require_editor(self, actor: Actor, initiative: Initiative) -> None:
        if initiative.initiator_of(actor.person_id) is None and not await self.supports(actor, initiative):
            raise NotAnOwner("only the initiative's residents (or their broker) change it")

    async def update_draft(self, actor: Actor, initiative_id: int, content: DraftContent) -> Initiative:
        validate(content)
        async with transaction(self.session):
            initiative = await self._load(initiative_id, lock=True)
            if not await self._can_see(actor, initiative):
                raise NotFound("no such initiative", initiative_id=initiative_id)
            await self._require_editor(actor, initiative)
            await refuse_while_on_ballot(self.session, initiative_id, "edit")
            if not lifecycle.is_editable(State(initiative.state)):
                raise IllegalTransition("only a draft can be changed", state=initiative.state, action="edit")
            self._apply(initiative, content)
            initiative.updated_at = utcnow()
            await self._audit(actor, "edited", initiative)
        return initiative

    async def invite_co_initiator(self, actor: Actor, initiative_id: int, email: str) -> Initiator:
        async with transaction(self.session):
            initiative = await self._load(initiative_id, lock=True)
            if not await self._can_see(actor, initiative):
                raise NotFound("no such initiative", initiative_id=initiative_id)
            await self._require_editor(actor, initiative)
            if State(initiative.state) in (State.CLOSED, State.WITHDRAWN):
                raise IllegalTransition(
                    "a closed initiative takes no new co-initiators", state=initiative.state, action="invite"
                )
            invitee = await people.get_or_create(self.session, email, actor_id=actor.person_id)
            if people.actor_for(invitee).is_broker_for(initiative.neighbourhood_id):
                raise BrokerCannotOwn(
                    "a broker of this neighbourhood cannot co-own an initiative", field="email"
                )
            if any(i.person_id == invitee.id for i in initiative.initiators):
                raise InvalidInput("this person is already part of the initiative", field="email")
            initiator = Initiator(person_id=invitee.id, status="invited")
            initiative.initiators.append(initiator)
            await self.session.flush()
            await self._audit(actor, "co_initiator_invited", initiative, person_id=invitee.id)
            record_event(self.session, CoInitiatorInvited(initiative.id, invitee.id, actor.person_id))
        return initiator

    async def accept_invitation(self, actor: Actor, initiative_id: int) -> Initiative:
        async with transaction(self.session):
            initiative = await self._load(initiative_id, lock=True)
            invitation = initiative.initiator_of(actor.person_id, status="invited")
            if invitation is None:
                raise NotFound(
                    "there is no invitation for you on this initiative", initiative_id=initiative_id
                )
            invitation.status = "active"
            # A juror of an open round with this initiative on its ballot is recused from it at once.
            await recuse_for_role(
                self.session, invitation.person_id, initiative_id, INITIATOR, actor.person_id
            )
            await self._audit(actor, "co_initiator_joined", initiative, person_id=actor.person_id)
        return initiative

    async def act(
        self, actor: Actor, initiative_id: int, action: Action, *, contact_consent: bool | None = None
    ) -> Initiative:
        """Take one lifecycle step, if the table allows it from here and the actor is the right party.

        `contact_consent` (sending in only): the initiator's answer on the check step, saved with the
        step in one transaction, so a ticked box is never lost and never saved for a plan not sent in.
        """
        async with transaction(self.session):
            initiative = await self._load(initiative_id, lock=True)
            if not await self._can_see(actor, initiative):
                raise NotFound("no such initiative", initiative_id=initiative_id)
            step = lifecycle.transition(State(initiative.state), action)
            if step.actor == Party.INITIATOR and initiative.initiator_of(actor.person_id) is None:
                raise NotAnOwner("only the initiative's residents take this step")
            if step.actor == Party.BROKER and not await self.supports(actor, initiative):
                raise NotAllowed("only the neighbourhood's broker takes this step")
            if step.actor == Party.JURY:
                raise NotAllowed("the jury decides in a round")
            if action == Action.WITHDRAW:
                await refuse_while_on_ballot(self.session, initiative_id, action.value)
            if action in lifecycle.GRANT_ANSWERS:
                raise Conflict("answer a partial grant through the grant, so its money moves too")
            if action == Action.SUBMIT:
                check_complete(initiative.title, initiative.summary, len(initiative.cost_lines))
                # Representing an initiative takes a verified resident of its neighbourhood (not a draft).
                require_resident(actor, await self._neighbourhood(initiative.neighbourhood_id))
                await check_within_maximum(self.session, initiative)
            if action == Action.SUBMIT and contact_consent is not None:
                await self._consent(actor, initiative, contact_consent)
            await self._take(initiative, actor, action, step)
        return initiative

    async def _consent(self, actor: Actor, initiative: Initiative, consent: bool) -> None:
        mine = initiative.initiator_of(actor.person_id)
        if mine is None or mine.contact_consent == consent:
            return
        mine.contact_consent = consent
        await self._audit(actor, "contact_consent", initiative, consent=consent)

    async def _take(
        self, initiative: Initiative, actor: Actor, action: Action, step: lifecycle.Transition
    ) -> None:
        previous = initiative.state
        initiative.state = step.target.value
        initiative.updated_at = utcnow()
        await self._timeline(initiative, actor, action.value, step)
        await self._audit(actor, action.value, initiative, **{"from": previous, "to": step.target.value})
        record_event(
            self.session,
            StepTaken(initiative.id, previous, step.target.value, action.value, actor.person_id),
        )

    async def record_decision(self, actor: Actor, initiative_id: int, action: Action) -> Initiative:
        """The jury's decision on an initiative (grant, grant partly, decline), in the round's transaction."""
        initiative = await self._load(initiative_id, lock=True)
        step = lifecycle.transition(State(initiative.state), action)
        if step.actor != Party.JURY:
            raise IllegalTransition(
                "a round only records the jury's decisions", state=initiative.state, action=action.value
            )
        await self._take(initiative, actor, action, step)
        return initiative

    async def record_answer(self, actor: Actor, initiative_id: int, action: Action) -> Initiative:
        """The initiators' answer to a partial grant, in the grant's transaction (which moves the money)."""
        initiative = await self._load(initiative_id, lock=True)
        step = lifecycle.transition(State(initiative.state), action)
        if action not in lifecycle.GRANT_ANSWERS:
            raise IllegalTransition(
                "only an answer to a partial grant", state=initiative.state, action=action.value
            )
        if initiative.initiator_of(actor.person_id) is None:
            raise NotAnOwner("only the initiative's residents take this step")
        await self._take(initiative, actor, action, step)
        return initiative

    async def flag_overdue(self, neighbourhood_ids: Sequence[int]) -> list[Initiative]:
        """Initiatives in these neighbourhoods past their promised response date."""
        rows = await self.session.execute(
            select(Initiative)
            .where(Initiative.id.in_(self._overdue_ids()), Initiative.neighbourhood_id.in_(neighbourhood_ids))
            .order_by(Initiative.id)
        )
        return list(rows.scalars())
