"""Verification through the municipality's OpenID Connect provider: the button's two routes, and its API.

GET /buurten/{slug}/verifieren/idp sends the browser to the provider (state, nonce and PKCE verifier kept in
the session); the provider sends it back to GET /verifieren/idp/terug, one fixed address for the whole
installation (providers want each redirect address registered). Both are open to visitors who are not
signed in: the provider's verified e-mail address signs them in.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_302_FOUND,
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from pydantic import BaseModel
from sqlalchemy import inspect

from api.auth.controller import start_session
from api.dependencies import locale_of, session_person_id
from api.people.name_page import NAME_PAGE
from api.providers import IdentityProviders
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, DomainError
from buurtbudget.i18n import N_, gettext
from buurtbudget.people.errors import (
    IdentityProviderError,
    IdentityProviderNotConfigured,
    IdentityUsedByAnother,
    InvalidIdentityToken,
    NoVerifiedEmail,
    ProviderRefused,
    ProviderUnavailable,
    SignInCancelled,
    SignInNotStartedHere,
)
from buurtbudget.people.identity_provider import PendingSignIn
from buurtbudget.people.identity_sign_in import CALLBACK_PATH, provider_for
from buurtbudget.places.models import Neighbourhood
from buurtbudget.settings import Settings

PENDING = "identity_provider_pending"
# The verification page says "you are now a verified resident" when it is opened with this query.
VERIFIED_NOTICE = {"klaar": "geverifieerd"}
ANSWER_FIELDS = ("state", "code", "error")

# Each failure: its status and page title (the service's message says what happened).
PROBLEMS: tuple[tuple[type[DomainError], int, str], ...] = (
    (SignInNotStartedHere, HTTP_400_BAD_REQUEST, N_("This sign-in cannot be finished")),
    (SignInCancelled, HTTP_403_FORBIDDEN, N_("You stopped signing in")),
    (ProviderUnavailable, HTTP_503_SERVICE_UNAVAILABLE, N_("The identity provider cannot be reached")),
    (ProviderRefused, HTTP_400_BAD_REQUEST, N_("The identity provider did not let you in")),
    (InvalidIdentityToken, HTTP_400_BAD_REQUEST, N_("We could not check who you are")),
    (NoVerifiedEmail, HTTP_422_UNPROCESSABLE_ENTITY, N_("Sign in with your e-mail address first")),
    (IdentityUsedByAnother, HTTP_409_CONFLICT, N_("This identity is already in use")),
    (Conflict, HTTP_409_CONFLICT, N_("This identity is already in use")),
)


def verification_page(slug: str) -> str:
    return f"/buurten/{slug}/verifieren"


def start_path(slug: str) -> str:
    return f"/buurten/{slug}/verifieren/idp"


def button_label(settings: Settings) -> Callable[[Any], str | None]:
    """For templates: the label ("" for the default) when the municipality has a provider, else None."""

    def label(neighbourhood: Any) -> str | None:
        if not isinstance(neighbourhood, Neighbourhood) or "municipality" in inspect(neighbourhood).unloaded:
            return None
        provider = provider_for(settings, neighbourhood)
        return None if provider is None else provider.label or ""

    return label


def _problem(request: Request[Any, Any, Any], error: DomainError, slug: str | None) -> Template:
    status, title = next(
        ((status, title) for kind, status, title in PROBLEMS if isinstance(error, kind)),
        (HTTP_400_BAD_REQUEST, N_("We could not check who you are")),
    )
    detail = gettext(error.message, locale_of(request))
    return page(
        request,
        "people/identity_provider_problem.html",
        status_code=status,
        title=title,
        detail=f"{detail[:1].upper()}{detail[1:]}.",
        slug=slug,
        may_retry=not isinstance(error, IdentityUsedByAnother | Conflict),
    )


def _forget_pending(request: Request[Any, Any, Any]) -> Any:
    """The pending sign-in, removed from the session: a provider's answer is used once, whatever happens."""
    if not request.scope.get("session"):
        return None
    session = dict(request.session)
    stored = session.pop(PENDING, None)
    request.set_session(session)
    return stored


class IdentityProviderPages(Controller):
    """Public: a visitor who is not signed in yet signs in through the provider's verified address."""

    include_in_schema = False
    tags = ["pages"]

    @get("/buurten/{slug:str}/verifieren/idp", operation_id="identityProviderStartPage")
    async def start(
        self, request: Request[Any, Any, Any], identity_providers: IdentityProviders, slug: FromPath[str]
    ) -> Template | Redirect:
        try:
            url, pending = await identity_providers.begin(slug)
        except IdentityProviderNotConfigured:
            return page(
                request,
                "people/identity_provider_not_configured.html",
                status_code=HTTP_404_NOT_FOUND,
                neighbourhood=await identity_providers.neighbourhood(slug),
            )
        except IdentityProviderError as error:
            return _problem(request, error, slug)
        session = dict(request.session) if request.scope.get("session") else {}
        request.set_session({**session, PENDING: pending.as_dict()})
        return Redirect(url, status_code=HTTP_302_FOUND)

    @get(CALLBACK_PATH, operation_id="identityProviderReturnPage")
    async def back(
        self, request: Request[Any, Any, Any], identity_providers: IdentityProviders
    ) -> Template | Redirect:
        stored = _forget_pending(request)
        slug = stored.get("neighbourhood_slug") if isinstance(stored, dict) else None
        answer = {
            field: value
            for field in ANSWER_FIELDS
            if isinstance(value := request.query_params.get(field), str)
        }
        try:
            outcome = await identity_providers.finish(
                PendingSignIn.from_dict(stored), answer, signed_in_person_id=session_person_id(request)
            )
        except IdentityProviderNotConfigured:
            return page(
                request,
                "people/identity_provider_not_configured.html",
                status_code=HTTP_404_NOT_FOUND,
                neighbourhood=None,
            )
        except (IdentityProviderError, Conflict) as error:
            return _problem(request, error, slug if isinstance(slug, str) else None)
        after = f"{verification_page(outcome.neighbourhood.slug)}?{urlencode(VERIFIED_NOTICE)}"
        if outcome.signed_in_now:
            start_session(request, outcome.person.id)
            if not outcome.person.display_name:  # first sign-in: ask which name others may see
                after = f"{NAME_PAGE}?{urlencode({'volgende': after})}"
        return Redirect(after, status_code=HTTP_303_SEE_OTHER)


class IdentityProviderOut(BaseModel):
    """A neighbourhood's identity provider as residents may know it (never its client secret)."""

    issuer: str
    label: str | None
    start_url: str


class IdentityProviderController(Controller):
    """Public: which provider residents of a neighbourhood can verify with."""

    path = "/api/v1/neighbourhoods"
    tags = ["verification"]

    @get(
        "/{neighbourhood_id:int}/identity-provider",
        operation_id="getNeighbourhoodIdentityProvider",
        summary="The municipality's OpenID Connect provider residents verify with (404 when none is set up)",
    )
    async def get_provider(
        self, identity_providers: IdentityProviders, neighbourhood_id: PathId
    ) -> IdentityProviderOut:
        info = await identity_providers.info(neighbourhood_id)
        return IdentityProviderOut(
            issuer=info.issuer, label=info.label, start_url=start_path(info.neighbourhood.slug)
        )
