"""VolunteerService: profiles, suggestions both ways, offers, invitations and answers; each change audited."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db import changes
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import record_event, transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.recusal import VOLUNTEER, recuse_for_role
from buurtbudget.people.models import Person
from buurtbudget.people.names import shown_name
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.volunteers.errors import (
    AlreadyAnswered,
    AlreadyMatched,
    FullyBooked,
    InvalidQuery,
    NoConsent,
    NoProfile,
    NotOpenForHelp,
    NotYourMatch,
    OwnInitiative,
)
from buurtbudget.volunteers.events import MatchAgreed, MatchProposed
from buurtbudget.volunteers.explain import ShownReason, explain, place_names
from buurtbudget.volunteers.index import OPEN_STATES, Matcher, commitments_query, matcher_for
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile
from buurtbudget.volunteers.rules import ProfileInput, clean, resolve_skills
from buurtbudget.workdays import AMSTERDAM
from matching import Match
from matching import VolunteerNeed as EngineNeed

MAX_RESULTS = 50
_PSEUDONYM_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class Summary:
    """What others see of a volunteer before both agreed: no name, no e-mail."""

    profile_id: int
    pseudonym: str
    skills: list[str]
    themes: list[str]
    weekly: list[dict[str, object]]
    dated: list[dict[str, object]]
    neighbourhood: str


@dataclass(frozen=True, slots=True)
class Contact:
    display_name: str
    email: str


@dataclass(frozen=True, slots=True)
class VolunteerSuggestion:
    volunteer: Summary
    score: float
    reasons: list[ShownReason]


@dataclass(frozen=True, slots=True)
class InitiativeSuggestion:
    initiative: Initiative
    neighbourhood: str
    score: float
    reasons: list[ShownReason]


@dataclass(frozen=True, slots=True)
class MatchView:
    """A match as one reader may see it: contacts only once both sides said yes."""

    match: VolunteerMatch
    initiative: Initiative
    volunteer: Summary
    reasons: list[ShownReason]
    side: str | None
    volunteer_contact: Contact | None
    initiative_contacts: list[Contact]

    @property
    def own_answer(self) -> str | None:
        if self.side is None:
            return None
        return self.match.volunteer_answer if self.side == "volunteer" else self.match.initiative_answer

    @property
    def can_accept(self) -> bool:
        return self.match.status == "pending" and self.own_answer == "pending"

    @property
    def can_decline(self) -> bool:
        return self.side is not None and self.match.status != "declined"


@dataclass(frozen=True, slots=True)
class CaseloadItem:
    initiative: Initiative
    neighbourhood: str
    matches: list[MatchView]
    suggestions: list[VolunteerSuggestion]


@dataclass(frozen=True, slots=True)
class Answer:
    view: MatchView
    agreed_now: bool


def _check_k(k: int) -> None:
    if not 1 <= k <= MAX_RESULTS:
        raise InvalidQuery("ask for 1 to 50 results", field="limit")


class VolunteerService:
    """Nothing personal crosses between a volunteer and an initiative before both agreed."""

    def __init__(self, session: AsyncSession, matcher: Matcher | None = None) -> None:
        self.session = session
        self.matcher = matcher or matcher_for(session)
        self.initiatives = InitiativeService(session)
        self._names: dict[str, str] | None = None
        self._places: dict[int, str] | None = None

    # --- helpers --------------------------------------------------------------------------------

    async def _place_names(self) -> tuple[dict[int, str], dict[str, str]]:
        if self._places is None or self._names is None:
            rows = (await self.session.execute(select(Neighbourhood.id, Neighbourhood.name))).tuples().all()
            towns = (await self.session.execute(select(Municipality.id, Municipality.name))).tuples().all()
            self._places = dict(rows)
            self._names = place_names(self._places, dict(towns))
        return self._places, self._names

    async def _reasons(self, reasons: list[dict[str, object]], locale: str) -> list[ShownReason]:
        _, names = await self._place_names()
        return [explain(str(r["code"]), dict(r.get("params") or {}), names, locale) for r in reasons]  # type: ignore[call-overload]

    async def summary(self, profile: VolunteerProfile) -> Summary:
        places, _ = await self._place_names()
        skills = self.matcher.catalogues.skills
        themes = self.matcher.catalogues.themes
        today = datetime.now(AMSTERDAM).date().isoformat()
        return Summary(
            profile_id=profile.id,
            pseudonym=profile.pseudonym,
            skills=[skills.label(c) for c in profile.skills if c in skills.entries],
            themes=[themes.label(c) for c in profile.themes if c in themes.entries],
            weekly=list(profile.weekly),
            dated=[d for d in profile.dated if str(d["day"]) >= today],
            neighbourhood=places.get(profile.neighbourhood_id, ""),
        )

    async def _profile_of(self, actor: Actor, *, lock: bool = False) -> VolunteerProfile:
        if not actor.signed_in:
            raise NotAllowed("sign in to register as a volunteer")
        query = select(VolunteerProfile).where(VolunteerProfile.person_id == actor.person_id)
        if lock:
            query = query.with_for_update()
        profile = (await self.session.execute(query)).scalar_one_or_none()
        if profile is None:
            raise NoProfile("you have no volunteer profile yet")
        return profile

    async def visible_initiative(self, actor: Actor, initiative_id: int) -> Initiative:
        """An initiative the actor may see (drafts of others do not exist for them)."""
        initiative = await self.session.get(Initiative, initiative_id)
        if initiative is None or (
            initiative.state == State.DRAFT.value
            and initiative.initiator_of(actor.person_id, status=None) is None
            and not await self.initiatives.supports(actor, initiative)
        ):
            raise NotFound("no such initiative", initiative_id=initiative_id)
        return initiative

    async def _open_need(self, initiative: Initiative) -> EngineNeed:
        await self.matcher.sync(self.session)
        if initiative.state not in OPEN_STATES:
            raise NotOpenForHelp(
                "volunteers are matched once the initiative is sent in, and until it is finished"
            )
        need = self.matcher.open_needs.get(initiative.id)
        if need is None:
            raise NotOpenForHelp("this initiative asks for no help yet: add the help you need first")
        return need

    async def _commitments(self, profile_id: int) -> int:
        rows = await self.session.execute(commitments_query().where(VolunteerMatch.profile_id == profile_id))
        return int(next((count for _pid, count in rows.tuples()), 0))

    async def _audit(
        self, actor: Actor, action: str, subject_type: str, subject_id: int, **data: object
    ) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"volunteer.{action}",
            subject_type=subject_type,
            subject_id=subject_id,
            data=dict(data),
        )

    def _score(self, need: EngineNeed, profile_id: int) -> tuple[float, list[dict[str, object]]]:
        """The engine's score and reasons for this pair (zero and none when it has no shared skill)."""
        found = self.matcher.volunteers.scan(need, 1, only=[str(profile_id)])
        if not found:
            return 0.0, []
        return _stored(found[0])

    # --- profiles -------------------------------------------------------------------------------

    async def my_profile(self, actor: Actor) -> VolunteerProfile:
        return await self._profile_of(actor)

    async def save_profile(self, actor: Actor, data: ProfileInput) -> VolunteerProfile:
        """Register or change the actor's profile; bad input raises a specific error and stores nothing."""
        if not actor.signed_in:
            raise NotAllowed("sign in to register as a volunteer")
        if not 1 <= data.max_commitments <= 10:
            raise InvalidInput("you can take 1 to 10 commitments at a time", field="max_commitments")
        cleaned = clean(data, self.matcher.catalogues, datetime.now(AMSTERDAM).date())
        async with transaction(self.session):
            if await self.session.get(Neighbourhood, data.neighbourhood_id) is None:
                raise InvalidInput("unknown neighbourhood", field="neighbourhood_id")
            query = select(VolunteerProfile).where(VolunteerProfile.person_id == actor.person_id)
            profile = (await self.session.execute(query.with_for_update())).scalar_one_or_none()
            created = profile is None
            if profile is None:
                profile = VolunteerProfile(person_id=actor.person_id, pseudonym=await self._new_pseudonym())
                self.session.add(profile)
            profile.neighbourhood_id = data.neighbourhood_id
            profile.skills = cleaned.skills
            profile.themes = cleaned.themes
            profile.weekly = cleaned.weekly
            profile.dated = cleaned.dated
            profile.max_commitments = data.max_commitments
            profile.consent = data.consent
            profile.updated_at = utcnow()
            await self.session.flush()
            changes.note_change(self.session, changes.VOLUNTEER, profile.id)
            await self._audit(
                actor,
                "profile_created" if created else "profile_changed",
                "volunteer_profile",
                profile.id,
                consent=data.consent,
            )
        return profile

    async def _new_pseudonym(self) -> str:
        while True:
            pseudonym = "V-" + "".join(secrets.choice(_PSEUDONYM_LETTERS) for _ in range(6))
            taken = await self.session.scalar(
                select(func.count()).where(VolunteerProfile.pseudonym == pseudonym)
            )
            if not taken:
                return pseudonym

    async def delete_profile(self, actor: Actor) -> None:
        """Erase the profile and its offers and invitations (the audit log keeps only ids)."""
        async with transaction(self.session):
            profile = await self._profile_of(actor, lock=True)
            profile_id = profile.id
            await self.session.delete(profile)
            await self.session.flush()
            changes.note_change(self.session, changes.VOLUNTEER, profile_id)
            await self._audit(actor, "profile_deleted", "volunteer_profile", profile_id)

    # --- suggestions ----------------------------------------------------------------------------

    async def _matched_initiatives(self, profile_id: int) -> set[int]:
        rows = await self.session.execute(
            select(VolunteerMatch.initiative_id).where(VolunteerMatch.profile_id == profile_id)
        )
        return set(rows.scalars())

    async def suggestions_for_me(self, actor: Actor, locale: str, k: int = 10) -> list[InitiativeSuggestion]:
        """Open initiatives where the volunteer fits best (none without consent or when fully booked)."""
        _check_k(k)
        profile = await self._profile_of(actor)
        await self.matcher.sync(self.session)
        exclude = await self._matched_initiatives(profile.id)
        rows = await self.session.execute(
            select(Initiator.initiative_id).where(Initiator.person_id == actor.person_id)
        )
        exclude |= set(rows.scalars())
        found = self.matcher.needs_for(profile.id, exclude, k)
        initiatives = {
            i.id: i
            for i in (
                await self.session.execute(
                    select(Initiative).where(Initiative.id.in_([int(m.id) for m in found]))
                )
            ).scalars()
        }
        places, _ = await self._place_names()
        result = []
        for match in found:
            initiative = initiatives.get(int(match.id))
            if initiative is None:
                continue
            score, reasons = _stored(match)
            result.append(
                InitiativeSuggestion(
                    initiative,
                    places.get(initiative.neighbourhood_id, ""),
                    score,
                    await self._reasons(reasons, locale),
                )
            )
        return result

    async def _require_owner_or_supporter(self, actor: Actor, initiative: Initiative) -> None:
        owner = initiative.initiator_of(actor.person_id) is not None
        if not owner and not await self.initiatives.supports(actor, initiative):
            raise NotAllowed("only the initiative's residents and its broker see its volunteers")

    async def _engaged(self, initiative: Initiative) -> set[int]:
        """Profiles already asked (or who said no) for this initiative, and its own residents' profiles."""
        rows = await self.session.execute(
            select(VolunteerMatch.profile_id).where(VolunteerMatch.initiative_id == initiative.id)
        )
        engaged = set(rows.scalars())
        own = await self.session.execute(
            select(VolunteerProfile.id).where(
                VolunteerProfile.person_id.in_([i.person_id for i in initiative.initiators])
            )
        )
        return engaged | set(own.scalars())

    async def _volunteer_suggestions(self, matches: list[Match], locale: str) -> list[VolunteerSuggestion]:
        ids = [int(m.id) for m in matches]
        profiles = {
            p.id: p
            for p in (
                await self.session.execute(select(VolunteerProfile).where(VolunteerProfile.id.in_(ids)))
            ).scalars()
        }
        result = []
        for match in matches:
            profile = profiles.get(int(match.id))
            if profile is None:
                continue
            score, reasons = _stored(match)
            result.append(
                VolunteerSuggestion(await self.summary(profile), score, await self._reasons(reasons, locale))
            )
        return result

    async def volunteer_suggestions(
        self, actor: Actor, initiative_id: int, locale: str, k: int = 10
    ) -> list[VolunteerSuggestion]:
        """Volunteers who fit the initiative's needs, as pseudonymous summaries with the engine's reasons."""
        _check_k(k)
        initiative = await self.visible_initiative(actor, initiative_id)
        await self._require_owner_or_supporter(actor, initiative)
        need = await self._open_need(initiative)
        matches = self.matcher.volunteers_for(need, await self._engaged(initiative), k)
        return await self._volunteer_suggestions(matches, locale)

    async def search(
        self, actor: Actor, skills: list[str], neighbourhood_id: int, locale: str, k: int = 10
    ) -> list[VolunteerSuggestion]:
        """For a neighbourhood's broker: who can do these things near it (pseudonymous)."""
        _check_k(k)
        neighbourhood = await self.session.get(Neighbourhood, neighbourhood_id)
        if neighbourhood is None:
            raise InvalidInput("unknown neighbourhood", field="neighbourhood_id")
        if not actor.supports(neighbourhood.id, neighbourhood.municipality_id):
            raise NotAllowed("only the neighbourhood's broker searches its volunteers")
        codes = resolve_skills(self.matcher.catalogues, skills, "skills")
        await self.matcher.sync(self.session)
        need = EngineNeed(
            initiative_id="search", area=self.matcher.area(neighbourhood.id), skills=tuple(codes)
        )
        return await self._volunteer_suggestions(self.matcher.volunteers_for(need, set(), k), locale)

    # --- offers, invitations, answers ------------------------------------------------------------

    async def _existing(self, profile_id: int, initiative_id: int) -> VolunteerMatch | None:
        return (
            await self.session.execute(
                select(VolunteerMatch).where(
                    VolunteerMatch.profile_id == profile_id, VolunteerMatch.initiative_id == initiative_id
                )
            )
        ).scalar_one_or_none()

    @staticmethod
    def _already(existing: VolunteerMatch, *, offering: bool) -> AlreadyMatched:
        if existing.status == "declined":
            return AlreadyMatched("this volunteer and this initiative already said no to each other")
        if existing.origin == "offer" and offering:
            return AlreadyMatched("you already offered help on this initiative")
        if existing.origin == "offer":
            return AlreadyMatched("this volunteer already offered help: answer the offer")
        if offering:
            return AlreadyMatched("this initiative already invited you: answer the invitation")
        return AlreadyMatched("you already invited this volunteer")

    async def _check_room(self, profile: VolunteerProfile) -> None:
        if await self._commitments(profile.id) >= profile.max_commitments:
            raise FullyBooked("this volunteer has as many commitments as they can take")

    async def offer(self, actor: Actor, initiative_id: int) -> VolunteerMatch:
        """The volunteer offers help; the initiative's residents are asked to answer."""
        async with transaction(self.session):
            profile = await self._profile_of(actor, lock=True)
            if not profile.consent:
                raise NoConsent("turn on 'match me' in your volunteer profile first")
            initiative = await self.visible_initiative(actor, initiative_id)
            if initiative.initiator_of(actor.person_id, status=None) is not None:
                raise OwnInitiative("you cannot offer help on your own initiative")
            return await self._propose(actor, profile, initiative, offering=True)

    async def invite(self, actor: Actor, initiative_id: int, profile_id: int) -> VolunteerMatch:
        """An initiative's resident invites a suggested volunteer; the volunteer is asked to answer."""
        async with transaction(self.session):
            initiative = await self.visible_initiative(actor, initiative_id)
            if initiative.initiator_of(actor.person_id) is None:
                raise NotYourMatch("only the initiative's residents invite volunteers")
            profile = (
                await self.session.execute(
                    select(VolunteerProfile).where(VolunteerProfile.id == profile_id).with_for_update()
                )
            ).scalar_one_or_none()
            if profile is None or not profile.consent:
                raise NotFound("no such volunteer", profile_id=profile_id)
            if any(i.person_id == profile.person_id for i in initiative.initiators):
                raise OwnInitiative("you cannot invite a resident of the initiative itself")
            return await self._propose(actor, profile, initiative, offering=False)

    async def _propose(
        self, actor: Actor, profile: VolunteerProfile, initiative: Initiative, *, offering: bool
    ) -> VolunteerMatch:
        """A new match: the proposing side said yes, the other side is asked (in the caller's transaction)."""
        need = await self._open_need(initiative)
        existing = await self._existing(profile.id, initiative.id)
        if existing is not None:
            raise self._already(existing, offering=offering)
        await self._check_room(profile)
        score, reasons = self._score(need, profile.id)
        match = VolunteerMatch(
            profile_id=profile.id,
            initiative_id=initiative.id,
            origin="offer" if offering else "invitation",
            volunteer_answer="accepted" if offering else "pending",
            initiative_answer="pending" if offering else "accepted",
            status="pending",
            score=score,
            reasons=reasons,
            created_by_id=actor.person_id,
        )
        self.session.add(match)
        await self.session.flush()
        action = "offered" if offering else "invited"
        await self._audit(actor, action, "volunteer_match", match.id, initiative_id=initiative.id)
        record_event(self.session, MatchProposed(match.id, offering))
        return match

    async def _load_match(self, match_id: int, *, lock: bool = False) -> VolunteerMatch:
        query = select(VolunteerMatch).where(VolunteerMatch.id == match_id)
        if lock:
            query = query.with_for_update()
        match = (await self.session.execute(query)).scalar_one_or_none()
        if match is None:
            raise NotFound("no such offer or invitation", match_id=match_id)
        return match

    async def answer(self, actor: Actor, match_id: int, *, accept: bool, locale: str) -> Answer:
        """Say yes or no for your side; yes from both sides makes an agreement (and shares contacts)."""
        if not actor.signed_in:
            raise NotAllowed("sign in to answer")
        agreed_now = ended = False
        async with transaction(self.session):
            match = await self._load_match(match_id, lock=True)
            profile = await self.session.get(VolunteerProfile, match.profile_id, with_for_update=True)
            initiative = await self.session.get(Initiative, match.initiative_id)
            if profile is None or initiative is None:
                raise NotFound("no such offer or invitation", match_id=match_id)
            side = self._side(actor, profile, initiative)
            if side is None:
                raise NotYourMatch("this offer or invitation is not yours to answer")
            own = "volunteer_answer" if side == "volunteer" else "initiative_answer"
            other = "initiative_answer" if side == "volunteer" else "volunteer_answer"
            if match.status == "declined":
                raise AlreadyAnswered("this match was declined: it cannot be answered any more")
            if accept:
                if getattr(match, own) != "pending":
                    raise AlreadyAnswered("you already said yes: now the other side answers")
                if getattr(match, other) == "accepted":
                    if initiative.state not in OPEN_STATES:
                        raise NotOpenForHelp(
                            "volunteers are matched once the initiative is sent in, and until it is finished"
                        )
                    await self._check_room(profile)
                    match.status = "agreed"
                    match.agreed_at = utcnow()
                    agreed_now = True
                    # A juror of an open round with this initiative on its ballot is recused at once.
                    await recuse_for_role(
                        self.session, profile.person_id, initiative.id, VOLUNTEER, actor.person_id
                    )
                setattr(match, own, "accepted")
            else:
                ended = match.status == "agreed"
                setattr(match, own, "declined")
                match.status = "declined"
            match.updated_at = utcnow()
            await self.session.flush()
            if agreed_now or (not accept and ended):
                # commitments change the volunteer's place in the index
                changes.note_change(self.session, changes.VOLUNTEER, profile.id)
            await self._audit(
                actor,
                "accepted" if accept else "declined",
                "volunteer_match",
                match.id,
                side=side,
                status=match.status,
            )
            if agreed_now:
                record_event(self.session, MatchAgreed(match.id))
        return Answer(await self._view(actor, match, initiative, profile, locale), agreed_now)

    @staticmethod
    def _side(actor: Actor, profile: VolunteerProfile, initiative: Initiative) -> str | None:
        if actor.person_id is not None and profile.person_id == actor.person_id:
            return "volunteer"
        if initiative.initiator_of(actor.person_id) is not None:
            return "initiative"
        return None

    # --- reading matches --------------------------------------------------------------------------

    async def _people(self, person_ids: list[int]) -> dict[int, Person]:
        rows = await self.session.execute(select(Person).where(Person.id.in_(set(person_ids))))
        return {p.id: p for p in rows.scalars()}

    async def _view(
        self,
        actor: Actor,
        match: VolunteerMatch,
        initiative: Initiative,
        profile: VolunteerProfile,
        locale: str,
    ) -> MatchView:
        side = self._side(actor, profile, initiative)
        volunteer_contact: Contact | None = None
        initiative_contacts: list[Contact] = []
        if match.status == "agreed":
            owners = [i.person_id for i in initiative.initiators if i.status == "active"]
            people = await self._people([profile.person_id, *owners])
            person = people.get(profile.person_id)
            if person is not None:
                volunteer_contact = Contact(shown_name(person.display_name), person.email)
            initiative_contacts = [
                Contact(shown_name(people[o].display_name), people[o].email) for o in owners if o in people
            ]
        return MatchView(
            match,
            initiative,
            await self.summary(profile),
            await self._reasons(list(match.reasons), locale),
            side,
            volunteer_contact,
            initiative_contacts,
        )

    async def _views(self, actor: Actor, matches: list[VolunteerMatch], locale: str) -> list[MatchView]:
        if not matches:
            return []
        profiles = {
            p.id: p
            for p in (
                await self.session.execute(
                    select(VolunteerProfile).where(VolunteerProfile.id.in_({m.profile_id for m in matches}))
                )
            ).scalars()
        }
        initiatives = {
            i.id: i
            for i in (
                await self.session.execute(
                    select(Initiative).where(Initiative.id.in_({m.initiative_id for m in matches}))
                )
            ).scalars()
        }
        return [
            await self._view(actor, m, initiatives[m.initiative_id], profiles[m.profile_id], locale)
            for m in matches
        ]

    async def get_match(self, actor: Actor, match_id: int, locale: str) -> MatchView:
        """One match, for its two sides and the initiative's broker."""
        match = await self._load_match(match_id)
        profile = await self.session.get(VolunteerProfile, match.profile_id)
        initiative = await self.session.get(Initiative, match.initiative_id)
        if profile is None or initiative is None:
            raise NotFound("no such offer or invitation", match_id=match_id)
        side = self._side(actor, profile, initiative)
        if side is None and not await self.initiatives.supports(actor, initiative):
            raise NotFound("no such offer or invitation", match_id=match_id)
        return await self._view(actor, match, initiative, profile, locale)

    async def my_matches(self, actor: Actor, locale: str) -> list[MatchView]:
        profile = await self._profile_of(actor)
        rows = await self.session.execute(
            select(VolunteerMatch)
            .where(VolunteerMatch.profile_id == profile.id)
            .order_by(VolunteerMatch.updated_at.desc(), VolunteerMatch.id.desc())
        )
        return await self._views(actor, list(rows.scalars()), locale)

    async def initiative_matches(self, actor: Actor, initiative_id: int, locale: str) -> list[MatchView]:
        initiative = await self.visible_initiative(actor, initiative_id)
        await self._require_owner_or_supporter(actor, initiative)
        rows = await self.session.execute(
            select(VolunteerMatch)
            .where(VolunteerMatch.initiative_id == initiative.id)
            .order_by(VolunteerMatch.updated_at.desc(), VolunteerMatch.id.desc())
        )
        return await self._views(actor, list(rows.scalars()), locale)

    async def agreed_names(self, actor: Actor, initiative_id: int, locale: str) -> list[str]:
        """The display names (never addresses) of the volunteers who agreed to help, for the initiative's
        residents and its broker; others see none."""
        initiative = await self.visible_initiative(actor, initiative_id)
        owner = initiative.initiator_of(actor.person_id) is not None
        if not owner and not await self.initiatives.supports(actor, initiative):
            return []
        rows = await self.session.execute(
            select(Person.display_name)
            .join(VolunteerProfile, VolunteerProfile.person_id == Person.id)
            .join(VolunteerMatch, VolunteerMatch.profile_id == VolunteerProfile.id)
            .where(VolunteerMatch.initiative_id == initiative.id, VolunteerMatch.status == "agreed")
            .order_by(VolunteerMatch.agreed_at, VolunteerMatch.id)
        )
        return [shown_name(name, locale) for name in rows.scalars()]

    async def caseload(self, actor: Actor, locale: str, k: int = 3) -> list[CaseloadItem]:
        """For brokers (and admins): the open initiatives of their neighbourhoods, matches and suggestions."""
        _check_k(k)
        brokered = [g.neighbourhood_id for g in actor.grants if g.role == Role.BROKER and g.neighbourhood_id]
        administered = [
            g.municipality_id for g in actor.grants if g.role == Role.MUNICIPALITY_ADMIN and g.municipality_id
        ]
        if not brokered and not administered and not actor.is_platform_admin:
            raise NotAllowed("only brokers see the volunteer matches of their neighbourhoods")
        query = select(Initiative).where(Initiative.state.in_(OPEN_STATES))
        if not actor.is_platform_admin:
            query = query.join(Neighbourhood, Neighbourhood.id == Initiative.neighbourhood_id).where(
                Neighbourhood.id.in_(brokered) | Neighbourhood.municipality_id.in_(administered)
            )
        initiatives = list((await self.session.execute(query.order_by(Initiative.id))).scalars())
        await self.matcher.sync(self.session)
        places, _ = await self._place_names()
        items = []
        for initiative in initiatives:
            need = self.matcher.open_needs.get(initiative.id)
            rows = await self.session.execute(
                select(VolunteerMatch)
                .where(VolunteerMatch.initiative_id == initiative.id)
                .order_by(VolunteerMatch.id)
            )
            matches = await self._views(actor, list(rows.scalars()), locale)
            if need is None and not matches:
                continue
            suggestions = (
                await self._volunteer_suggestions(
                    self.matcher.volunteers_for(need, await self._engaged(initiative), k), locale
                )
                if need is not None
                else []
            )
            items.append(
                CaseloadItem(initiative, places.get(initiative.neighbourhood_id, ""), matches, suggestions)
            )
        return items


def _stored(match: Match) -> tuple[float, list[dict[str, object]]]:
    """A match's score and reasons as they are stored (codes and parameters, no text)."""
    return round(min(1.0, max(0.0, match.score)), 4), [
        {"code": r.code, "params": dict(r.params)} for r in match.reasons
    ]
