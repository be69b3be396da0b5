"""IdentityProviderService: verify a resident through their municipality's OpenID Connect provider.

Begin: the neighbourhood's municipality must have a provider configured (by its CBS code in the settings);
the browser is sent there with a state, a nonce and a PKCE challenge that its session keeps. Finish: the
answer is checked in full (`identity_provider.OpenIdClient`) before anything is written. A visitor who is
not signed in is signed in by the e-mail address the provider vouches for (created as the magic link
would); then the identity verifies the person in the neighbourhood (`VerificationService`), audited.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.people.errors import (
    IdentityProviderNotConfigured,
    IdentityUsedByAnother,
    NoVerifiedEmail,
)
from buurtbudget.people.identity_provider import OpenIdClient, PendingSignIn, VerifiedIdentity
from buurtbudget.people.models import Person
from buurtbudget.people.service import find_by_email, get_or_create
from buurtbudget.people.verification import VerificationService
from buurtbudget.people.verification_models import IdentityLink, Verification
from buurtbudget.places.models import Neighbourhood
from buurtbudget.places.service import get_by_slug, get_neighbourhood
from buurtbudget.settings import IdentityProviderSettings, Settings

# The one address the provider sends browsers back to (registered at the provider as the redirect URI).
CALLBACK_PATH = "/verifieren/idp/terug"


def provider_for(settings: Settings, neighbourhood: Neighbourhood) -> IdentityProviderSettings | None:
    """The provider of the neighbourhood's municipality (its municipality must be loaded), if any."""
    return settings.oidc_providers.get(neighbourhood.municipality.cbs_code)


@dataclass(frozen=True)
class IdentityProviderInfo:
    """What a page or the API may tell about a neighbourhood's provider (never its secret)."""

    neighbourhood: Neighbourhood
    issuer: str
    label: str | None


@dataclass(frozen=True)
class IdentitySignIn:
    """The outcome of a finished sign-in: who, where, and whether the browser must now be signed in."""

    person: Person
    neighbourhood: Neighbourhood
    verification: Verification
    signed_in_now: bool


class IdentityProviderService:
    """Starting and finishing verification through a municipality's OpenID Connect provider."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def info(self, neighbourhood_id: int) -> IdentityProviderInfo:
        """The neighbourhood's provider, or IdentityProviderNotConfigured (a 404 for the API)."""
        neighbourhood = await get_neighbourhood(self.session, neighbourhood_id)
        provider = self._configured(neighbourhood)
        return IdentityProviderInfo(neighbourhood=neighbourhood, issuer=provider.issuer, label=provider.label)

    async def neighbourhood(self, slug: str) -> Neighbourhood:
        return await get_by_slug(self.session, slug)

    async def _provider(self, slug: str) -> tuple[Neighbourhood, IdentityProviderSettings]:
        neighbourhood = await get_by_slug(self.session, slug)
        return neighbourhood, self._configured(neighbourhood)

    def _configured(self, neighbourhood: Neighbourhood) -> IdentityProviderSettings:
        provider = provider_for(self.settings, neighbourhood)
        if provider is None:
            raise IdentityProviderNotConfigured(
                "this municipality has not set up signing in through its identity provider",
                neighbourhood_id=neighbourhood.id,
            )
        return provider

    def _client(self, provider: IdentityProviderSettings) -> OpenIdClient:
        return OpenIdClient(
            provider,
            redirect_uri=self.settings.base_url.rstrip("/") + CALLBACK_PATH,
            timeout=self.settings.oidc_timeout_seconds,
        )

    async def begin(self, slug: str) -> tuple[str, PendingSignIn]:
        """Where to send the browser, and what its session must keep until it comes back. Writes nothing."""
        _neighbourhood, provider = await self._provider(slug)
        return await self._client(provider).begin(slug)

    async def finish(
        self, pending: PendingSignIn, answer: dict[str, str], *, signed_in_person_id: int | None
    ) -> IdentitySignIn:
        """Check the provider's answer, then sign in (if needed) and verify the person; audited.

        Every check runs before the first write, so a refused answer writes nothing.
        """
        neighbourhood, provider = await self._provider(pending.neighbourhood_slug)
        identity = await self._client(provider).finish(pending, answer)
        person_id = await self._person_for(identity, signed_in_person_id)
        new = person_id is None
        if person_id is None:  # new here: the account is made as the magic link makes it
            person_id = await self._signed_in(identity, None)
        verification = await VerificationService(self.session).record_identity_provider(
            person_id=person_id,
            neighbourhood_id=neighbourhood.id,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        if signed_in_person_id is None and not new:
            await self._signed_in(identity, person_id)
        person = await self.session.get(Person, person_id)
        if person is None:  # erased meanwhile
            raise IdentityUsedByAnother("this identity already verifies another account")
        return IdentitySignIn(
            person=person,
            neighbourhood=neighbourhood,
            verification=verification,
            signed_in_now=signed_in_person_id is None,
        )

    async def _person_for(self, identity: VerifiedIdentity, signed_in_person_id: int | None) -> int | None:
        """Whom the identity will verify (None: a new person), refusing an identity another person holds."""
        linked = (
            await self.session.execute(
                select(IdentityLink.person_id).where(
                    IdentityLink.issuer == identity.issuer, IdentityLink.subject == identity.subject
                )
            )
        ).scalar_one_or_none()
        if signed_in_person_id is not None:
            person_id: int | None = signed_in_person_id
        else:
            if identity.email is None or not identity.email_verified:
                raise NoVerifiedEmail(
                    "the identity provider did not confirm an e-mail address: sign in with your e-mail first",
                    field="email",
                )
            person = await find_by_email(self.session, identity.email)
            person_id = person.id if person is not None else None
        if linked is not None and linked != person_id:
            raise IdentityUsedByAnother("this identity already verifies another account")
        return person_id

    async def _signed_in(self, identity: VerifiedIdentity, person_id: int | None) -> int:
        """Record that the provider signed a person in: the known one, or one made for the vouched address."""
        async with transaction(self.session):
            person = await self.session.get(Person, person_id) if person_id is not None else None
            if person is None:
                person = await get_or_create(self.session, identity.email or "", actor_id=None)
            await record(
                self.session,
                actor_id=person.id,
                action="person.signed_in",
                subject_type="person",
                subject_id=person.id,
                data={"method": "identity_provider", "issuer": identity.issuer},
            )
        return person.id
