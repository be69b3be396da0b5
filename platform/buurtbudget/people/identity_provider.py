"""OpenID Connect with a municipality's identity provider: Authlib as the client, no database.

The authorisation code flow with PKCE (S256), a random state and nonce; the ID token is checked with the
provider's published keys (signature), and for issuer, audience, expiry, issue time and nonce. Every call to
the provider has a bounded timeout; whatever goes wrong becomes one of the errors in `identity_errors`.
"""

import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx2
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from buurtbudget.people.errors import (
    InvalidIdentityToken,
    ProviderRefused,
    ProviderUnavailable,
    SignInCancelled,
    SignInNotStartedHere,
)
from buurtbudget.settings import IdentityProviderSettings

DISCOVERY_PATH = "/.well-known/openid-configuration"
# Asymmetric signatures only: an HS256 token would be signed with our own client secret.
SIGNING_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
CLOCK_LEEWAY_SECONDS = 60
# A sign-in not finished within this time must be started again.
PENDING_SECONDS = 15 * 60
REFUSALS = frozenset({"access_denied", "login_required", "consent_required", "interaction_required"})


@dataclass(frozen=True)
class PendingSignIn:
    """What the browser's session keeps between leaving for the provider and coming back."""

    state: str
    nonce: str
    code_verifier: str
    neighbourhood_slug: str
    started_at: float

    def as_dict(self) -> dict[str, str | float]:
        return {
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "neighbourhood_slug": self.neighbourhood_slug,
            "started_at": self.started_at,
        }

    @classmethod
    def from_dict(cls, data: Any, *, now: float | None = None) -> "PendingSignIn":
        """The pending sign-in kept in the session; refused when missing, malformed or too old."""
        texts = ("state", "nonce", "code_verifier", "neighbourhood_slug")
        if (
            not isinstance(data, dict)
            or not all(isinstance(data.get(key), str) and data[key] for key in texts)
            or not isinstance(data.get("started_at"), int | float)
        ):
            raise SignInNotStartedHere("this sign-in was not started here or has expired")
        started_at = float(data["started_at"])
        if not 0 <= (now if now is not None else time.time()) - started_at <= PENDING_SECONDS:
            raise SignInNotStartedHere("this sign-in was not started here or has expired")
        return cls(
            state=data["state"],
            nonce=data["nonce"],
            code_verifier=data["code_verifier"],
            neighbourhood_slug=data["neighbourhood_slug"],
            started_at=started_at,
        )


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider vouches for, read from an ID token that passed every check."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool


class OpenIdClient:
    """One provider: discovery, the authorisation request, the code exchange and the ID token's checks."""

    def __init__(self, provider: IdentityProviderSettings, *, redirect_uri: str, timeout: float) -> None:
        self.provider = provider
        self.redirect_uri = redirect_uri
        self.timeout = timeout

    def _client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.provider.client_id,
            client_secret=self.provider.client_secret.get_secret_value(),
            scope=" ".join(self.provider.scopes),
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            timeout=self.timeout,
            follow_redirects=False,
        )

    async def _json(self, client: AsyncOAuth2Client, url: str) -> dict[str, Any]:
        try:
            response = await client.request("GET", url, withhold_token=True)
            response.raise_for_status()
            data = response.json()
        except (httpx2.HTTPError, ValueError) as error:
            raise ProviderUnavailable("the identity provider cannot be reached", url=url) from error
        if not isinstance(data, dict):
            raise ProviderUnavailable("the identity provider gave an answer we cannot read", url=url)
        return data

    async def _metadata(self, client: AsyncOAuth2Client) -> dict[str, Any]:
        metadata = await self._json(client, self.provider.issuer + DISCOVERY_PATH)
        if str(metadata.get("issuer", "")).rstrip("/") != self.provider.issuer:
            # A provider must publish exactly its own issuer (OpenID Connect Discovery, section 4.3).
            raise ProviderUnavailable(
                "the identity provider gave an answer we cannot read", url=self.provider.issuer
            )
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(metadata.get(endpoint), str):
                raise ProviderUnavailable(
                    "the identity provider gave an answer we cannot read", url=self.provider.issuer
                )
        return metadata

    async def begin(self, neighbourhood_slug: str) -> tuple[str, PendingSignIn]:
        """The provider's address to send the browser to, and what to keep until it comes back."""
        pending = PendingSignIn(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            neighbourhood_slug=neighbourhood_slug,
            started_at=time.time(),
        )
        async with self._client() as client:
            metadata = await self._metadata(client)
            url, _state = client.create_authorization_url(
                metadata["authorization_endpoint"],
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return str(url), pending

    async def finish(self, pending: PendingSignIn, answer: dict[str, str]) -> VerifiedIdentity:
        """Check the provider's answer (the query of the redirect back) and return whom it vouches for."""
        state = answer.get("state", "")
        error = answer.get("error")
        # Some providers leave the state out of an error answer; such an answer carries no code and is
        # only reported. Any answer that carries a state must carry ours.
        if (state or not error) and not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise SignInNotStartedHere("this sign-in was not started here or has expired")
        if error:
            if error in REFUSALS:
                raise SignInCancelled("signing in at the identity provider was stopped", error=error)
            raise ProviderRefused("the identity provider did not accept the sign-in", error=error)
        code = answer.get("code", "")
        if not code:
            raise ProviderRefused("the identity provider did not accept the sign-in", error="no_code")
        async with self._client() as client:
            metadata = await self._metadata(client)
            try:
                token = await client.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=pending.code_verifier, state=state
                )
            except OAuthError as refused:
                raise ProviderRefused(
                    "the identity provider did not accept the sign-in", error=str(refused.error)
                ) from refused
            except (httpx2.HTTPError, ValueError) as down:
                raise ProviderUnavailable(
                    "the identity provider cannot be reached", url=metadata["token_endpoint"]
                ) from down
            keys = await self._json(client, metadata["jwks_uri"])
        return self._identity(token, keys, metadata, pending)

    def _identity(
        self, token: dict[str, Any], keys: dict[str, Any], metadata: dict[str, Any], pending: PendingSignIn
    ) -> VerifiedIdentity:
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise InvalidIdentityToken(
                "the identity provider sent no valid proof of identity", reason="missing"
            )
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [alg for alg in offered if alg in SIGNING_ALGORITHMS]
        try:
            decoded = jwt.decode(
                id_token,
                KeySet.import_key_set(keys),  # type: ignore[arg-type]
                registry=JWSRegistry(algorithms=algorithms, strict_check_header=False),
            )
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {
                    "iss": {"essential": True, "value": self.provider.issuer},
                    "aud": {"essential": True, "value": self.provider.client_id},
                    "exp": {"essential": True},
                },
                {
                    "nonce": pending.nonce,
                    "client_id": self.provider.client_id,
                    "access_token": token.get("access_token"),
                },
            )
            claims.validate(leeway=CLOCK_LEEWAY_SECONDS)
        except (JoseError, ValueError, TypeError, KeyError) as bad:
            raise InvalidIdentityToken(
                "the identity provider sent no valid proof of identity", reason=type(bad).__name__
            ) from bad
        # The nonce is checked by CodeIDToken only when the token carries one: we always sent one.
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), pending.nonce.encode()):
            raise InvalidIdentityToken(
                "the identity provider sent no valid proof of identity", reason="nonce"
            )
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidIdentityToken("the identity provider sent no valid proof of identity", reason="sub")
        email = claims.get("email")
        return VerifiedIdentity(
            issuer=self.provider.issuer,
            subject=subject,
            email=email if isinstance(email, str) and email else None,
            email_verified=claims.get("email_verified") is True,
        )
