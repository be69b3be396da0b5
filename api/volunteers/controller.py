"""JSON endpoints of volunteering under /api/v1: profiles, suggestions, offers, invitations, answers."""

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.dependencies import CurrentActor, Locale
from api.guards import PUBLIC, requires_signed_in
from api.providers import Volunteers
from api.schemas import ID_MAX, PathId
from api.volunteers import presenters
from api.volunteers.problems import HANDLERS
from api.volunteers.schemas import (
    CaseloadItemOut,
    CatalogueOut,
    CodeLabel,
    InitiativeSuggestionOut,
    InvitationIn,
    MatchOut,
    OfferIn,
    ProfileIn,
    ProfileOut,
    VolunteerSuggestionOut,
)
from buurtbudget.people.roles import Actor
from buurtbudget.volunteers.rules import DatedInput, ProfileInput, WeeklyInput
from buurtbudget.volunteers.service import VolunteerService

Limit = Annotated[int, QueryParameter(ge=1, le=50, description="How many results (1 to 50)")]
SkillQuery = Annotated[
    list[Annotated[str, QueryParameter(max_length=80)]],
    QueryParameter(name="skill", max_items=20, description="A skill to look for; repeat for more"),
]
NeighbourhoodQuery = Annotated[int, QueryParameter(ge=1, le=ID_MAX)]


def profile_input(data: ProfileIn) -> ProfileInput:
    return ProfileInput(
        neighbourhood_id=data.neighbourhood_id,
        skills=list(data.skills),
        themes=list(data.themes),
        weekly=[WeeklyInput(s.weekday, s.start, s.end) for s in data.weekly],
        dated=[DatedInput(s.day, s.start, s.end) for s in data.dated],
        max_commitments=data.max_commitments,
        consent=data.consent,
    )


class VolunteerController(Controller):
    path = "/api/v1/volunteers"
    tags = ["volunteers"]
    guards = [requires_signed_in]
    exception_handlers = HANDLERS

    @get(
        "/catalogue",
        operation_id="getVolunteerCatalogue",
        summary="The skills and themes a profile can name",
        opt=PUBLIC,
    )
    async def catalogue(self, volunteers: Volunteers) -> CatalogueOut:
        catalogues = volunteers.matcher.catalogues
        return CatalogueOut(
            skills=[CodeLabel(code=c, label=e.label) for c, e in sorted(catalogues.skills.entries.items())],
            themes=[CodeLabel(code=c, label=e.label) for c, e in sorted(catalogues.themes.entries.items())],
        )

    @get(
        "/me",
        operation_id="getMyVolunteerProfile",
        summary="Your volunteer profile",
    )
    async def get_profile(self, volunteers: Volunteers, actor: CurrentActor) -> ProfileOut:
        return presenters.profile(volunteers, await volunteers.my_profile(actor))

    @put(
        "/me",
        operation_id="saveMyVolunteerProfile",
        summary="Register as a volunteer, or change your profile",
        status_code=HTTP_200_OK,
    )
    async def save_profile(
        self, volunteers: Volunteers, actor: CurrentActor, data: JSONBody[ProfileIn]
    ) -> ProfileOut:
        return presenters.profile(volunteers, await volunteers.save_profile(actor, profile_input(data)))

    @delete(
        "/me",
        operation_id="deleteMyVolunteerProfile",
        summary="Delete your profile with its offers and invitations",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def delete_profile(self, volunteers: Volunteers, actor: CurrentActor) -> None:
        await volunteers.delete_profile(actor)

    @get(
        "/me/suggestions",
        operation_id="listMyInitiativeSuggestions",
        summary="Initiatives where you could help, best first, with the reasons",
    )
    async def suggestions(
        self, volunteers: Volunteers, actor: CurrentActor, locale: Locale, limit: Limit = 10
    ) -> list[InitiativeSuggestionOut]:
        found = await volunteers.suggestions_for_me(actor, locale, limit)
        return [presenters.initiative_suggestion(s) for s in found]

    @get(
        "/me/matches",
        operation_id="listMyVolunteerMatches",
        summary="Your offers and invitations; contacts once both sides said yes",
    )
    async def my_matches(self, volunteers: Volunteers, actor: CurrentActor, locale: Locale) -> list[MatchOut]:
        return [presenters.match(v) for v in await volunteers.my_matches(actor, locale)]

    @post(
        "/me/offers",
        operation_id="offerVolunteerHelp",
        summary="Offer your help on an initiative",
        status_code=HTTP_201_CREATED,
    )
    async def offer(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        data: JSONBody[OfferIn],
    ) -> MatchOut:
        match = await volunteers.offer(actor, data.initiative_id)
        return presenters.match(await volunteers.get_match(actor, match.id, locale))

    @get(
        "/search",
        operation_id="searchVolunteers",
        summary="For a neighbourhood's broker: volunteers with these skills near it (no names)",
    )
    async def search(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        neighbourhood_id: NeighbourhoodQuery,
        skill: SkillQuery,
        limit: Limit = 10,
    ) -> list[VolunteerSuggestionOut]:
        found = await volunteers.search(actor, skill, neighbourhood_id, locale, limit)
        return [presenters.volunteer_suggestion(s) for s in found]

    @get(
        "/caseload",
        operation_id="listVolunteerCaseload",
        summary="For brokers: matches and suggestions for the initiatives of their neighbourhoods",
    )
    async def caseload(
        self, volunteers: Volunteers, actor: CurrentActor, locale: Locale
    ) -> list[CaseloadItemOut]:
        return [presenters.caseload_item(i) for i in await volunteers.caseload(actor, locale)]


class InitiativeVolunteerController(Controller):
    path = "/api/v1/initiatives/{initiative_id:int}"
    tags = ["volunteers"]
    guards = [requires_signed_in]
    exception_handlers = HANDLERS

    @get(
        "/volunteer-suggestions",
        operation_id="listVolunteerSuggestions",
        summary="For the initiative's residents and broker: fitting volunteers, without names",
    )
    async def suggestions(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        limit: Limit = 10,
    ) -> list[VolunteerSuggestionOut]:
        found = await volunteers.volunteer_suggestions(actor, initiative_id, locale, limit)
        return [presenters.volunteer_suggestion(s) for s in found]

    @get(
        "/volunteer-matches",
        operation_id="listInitiativeVolunteerMatches",
        summary="Offers and invitations of the initiative; contacts once both sides said yes",
    )
    async def matches(
        self, volunteers: Volunteers, actor: CurrentActor, locale: Locale, initiative_id: PathId
    ) -> list[MatchOut]:
        views = await volunteers.initiative_matches(actor, initiative_id, locale)
        return [presenters.match(v) for v in views]

    @post(
        "/volunteer-invitations",
        operation_id="inviteVolunteer",
        summary="Invite a suggested volunteer to help",
        status_code=HTTP_201_CREATED,
    )
    async def invite(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        data: JSONBody[InvitationIn],
    ) -> MatchOut:
        match = await volunteers.invite(actor, initiative_id, data.profile_id)
        return presenters.match(await volunteers.get_match(actor, match.id, locale))


class VolunteerMatchController(Controller):
    path = "/api/v1/volunteer-matches"
    tags = ["volunteers"]
    guards = [requires_signed_in]
    exception_handlers = HANDLERS

    @get(
        "/{match_id:int}",
        operation_id="getVolunteerMatch",
        summary="One offer or invitation",
    )
    async def get_match(
        self, volunteers: Volunteers, actor: CurrentActor, locale: Locale, match_id: PathId
    ) -> MatchOut:
        return presenters.match(await volunteers.get_match(actor, match_id, locale))

    async def _answer(
        self,
        volunteers: VolunteerService,
        actor: Actor,
        locale: str,
        match_id: int,
        *,
        accept: bool,
    ) -> MatchOut:
        answer = await volunteers.answer(actor, match_id, accept=accept, locale=locale)
        return presenters.match(answer.view)

    @post(
        "/{match_id:int}/accept",
        operation_id="acceptVolunteerMatch",
        summary="Say yes for your side (the volunteer, or the initiative's residents)",
        status_code=HTTP_200_OK,
    )
    async def accept(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        match_id: PathId,
    ) -> MatchOut:
        return await self._answer(volunteers, actor, locale, match_id, accept=True)

    @post(
        "/{match_id:int}/decline",
        operation_id="declineVolunteerMatch",
        summary="Say no for your side (also to end an agreement)",
        status_code=HTTP_200_OK,
    )
    async def decline(
        self,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        match_id: PathId,
    ) -> MatchOut:
        return await self._answer(volunteers, actor, locale, match_id, accept=False)
