"""Errors of the people context."""

from buurtbudget.errors import Conflict, DomainError, InvalidInput


class InvalidSignInLink(InvalidInput):
    """The link is unknown, already used or expired."""

    code = "invalid_sign_in_link"


class TooManySignInRequests(DomainError):  # noqa: N818
    """Too many sign-in mails for one address within the hour."""

    code = "too_many_sign_in_requests"


class EmailTaken(Conflict):
    """Another account already uses this address."""

    code = "email_taken"
