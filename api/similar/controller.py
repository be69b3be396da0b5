"""JSON endpoints: similar initiatives of one, suggestions for a title, consent and contact requests."""

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from api.dependencies import CurrentActor, Locale
from api.guards import PUBLIC, requires_signed_in
from api.providers import Similar
from api.schemas import PathId, QueryId
from api.similar.presenters import many_out
from api.similar.schemas import (
    ContactConsentIn,
    ContactConsentOut,
    ContactRequestIn,
    ContactRequestOut,
    SimilarListOut,
    SuggestionsOut,
)

Results = Annotated[int, QueryParameter(ge=1, le=20, description="How many results (1 to 20)")]
Title = Annotated[
    str, QueryParameter(max_length=2000, description="The title being typed (at most 150 characters)")
]


class SimilarController(Controller):
    path = "/api/v1"
    tags = ["similar initiatives"]
    guards = [requires_signed_in]

    @get(
        "/initiatives/{initiative_id:int}/similar",
        operation_id="listSimilarInitiatives",
        summary="Initiatives like this one in other neighbourhoods, ranked, with the reasons",
        opt=PUBLIC,
    )
    async def similar(
        self,
        similar: Similar,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        k: Results = 5,
    ) -> SimilarListOut:
        found = await similar.for_initiative(actor, initiative_id, k)
        return SimilarListOut(items=many_out(found.elsewhere, locale, found.municipality))

    @get(
        "/similar-initiatives",
        operation_id="suggestSimilarInitiatives",
        summary="While typing a title: likely duplicates in the neighbourhood, and examples elsewhere",
        opt=PUBLIC,
    )
    async def suggest(
        self,
        similar: Similar,
        locale: Locale,
        title: Title = "",
        neighbourhood_id: QueryId = None,
        k: Results = 5,
    ) -> SuggestionsOut:
        found = await similar.suggest(title, neighbourhood_id, k)
        return SuggestionsOut(
            likely_duplicates=many_out(found.duplicates, locale, found.municipality),
            elsewhere=many_out(found.elsewhere, locale, found.municipality),
        )

    @put(
        "/initiatives/{initiative_id:int}/contact-consent",
        operation_id="setContactConsent",
        summary="An initiator says whether residents elsewhere may contact them (through the platform)",
        status_code=HTTP_200_OK,
    )
    async def set_consent(
        self,
        similar: Similar,
        actor: CurrentActor,
        initiative_id: PathId,
        data: JSONBody[ContactConsentIn],
    ) -> ContactConsentOut:
        await similar.set_consent(actor, initiative_id, data.consent)
        return ContactConsentOut(initiative_id=initiative_id, consent=data.consent)

    @post(
        "/initiatives/{initiative_id:int}/contact-requests",
        operation_id="contactInitiator",
        summary="Send the consenting initiators a message by e-mail; their address stays hidden",
        status_code=HTTP_202_ACCEPTED,
    )
    async def contact(
        self,
        similar: Similar,
        actor: CurrentActor,
        initiative_id: PathId,
        data: JSONBody[ContactRequestIn],
    ) -> ContactRequestOut:
        sent = await similar.contact(actor, initiative_id, data.message)
        return ContactRequestOut(sent_to=sent.sent_to)
