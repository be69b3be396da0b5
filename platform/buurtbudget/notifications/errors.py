"""Errors of the notifications context."""

from buurtbudget.errors import DomainError


class MailUnavailable(DomainError):  # noqa: N818
    """The mail server did not take the message; nothing was lost but the mail itself."""

    code = "mail_unavailable"
