"""Errors of the people context."""

from buurtbudget.errors import Conflict, DomainError, InvalidInput, NotFound


class InvalidSignInLink(InvalidInput):
    """The link is unknown, already used or expired."""

    code = "invalid_sign_in_link"


class TooManySignInRequests(DomainError):  # noqa: N818
    """Too many sign-in mails for one address within the hour."""

    code = "too_many_sign_in_requests"


class EmailTaken(Conflict):
    """Another account already uses this address."""

    code = "email_taken"


class RoleAlreadyHeld(Conflict):
    """The person already holds this role for this neighbourhood or municipality."""

    code = "role_already_held"


class LastAdministratorRole(Conflict):
    """Revoking this would leave the person who asks without any administrator role."""

    code = "last_administrator_role"


# Verification through a municipality's identity provider: why it did not work (each has its own page).


class IdentityProviderNotConfigured(NotFound):
    """The neighbourhood's municipality has no OpenID Connect provider set up."""

    code = "identity_provider_not_configured"


class IdentityProviderError(DomainError):
    """Base of the failures of one sign-in at a provider; nothing was written."""

    code = "identity_provider_error"


class SignInNotStartedHere(IdentityProviderError):  # noqa: N818  (domain language)
    """The answer does not belong to a sign-in started in this browser (state missing, wrong or stale)."""

    code = "identity_provider_state_mismatch"


class SignInCancelled(IdentityProviderError):  # noqa: N818  (domain language)
    """The person stopped at the provider, or the provider refused (error=access_denied)."""

    code = "identity_provider_access_denied"


class ProviderRefused(IdentityProviderError):  # noqa: N818  (domain language)
    """The provider answered with an error other than a refusal by the person."""

    code = "identity_provider_refused"


class ProviderUnavailable(IdentityProviderError):  # noqa: N818  (domain language)
    """The provider could not be reached in time, or answered what no provider should."""

    code = "identity_provider_unavailable"


class InvalidIdentityToken(IdentityProviderError):  # noqa: N818  (domain language)
    """The ID token failed a check: signature, issuer, audience, expiry or nonce."""

    code = "identity_provider_invalid_token"


class NoVerifiedEmail(IdentityProviderError, InvalidInput):  # noqa: N818  (domain language)
    """Not signed in, and the provider vouched for no e-mail address to sign in with."""

    code = "identity_provider_no_verified_email"


class IdentityUsedByAnother(IdentityProviderError, Conflict):  # noqa: N818  (domain language)
    """This identity already verified another person."""

    code = "identity_provider_subject_taken"
