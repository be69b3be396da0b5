"""Domain errors shared by all contexts; the api layer maps each kind to an HTTP status."""

from typing import Any


class DomainError(Exception):
    """Base of all domain errors: a stable `code` and parameters for a translated message."""

    code = "domain_error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotFound(DomainError):  # noqa: N818  (domain language, not an "Error" suffix)
    """The thing asked for does not exist (or is not visible to the asker)."""

    code = "not_found"


class NotAllowed(DomainError):  # noqa: N818
    """The actor may not do this."""

    code = "not_allowed"


class Conflict(DomainError):  # noqa: N818
    """The request is valid but clashes with the current state."""

    code = "conflict"


class InvalidInput(DomainError):  # noqa: N818
    """A value the service cannot accept; `field` names where it came from."""

    code = "invalid_input"

    def __init__(self, message: str, *, field: str, **params: Any) -> None:
        super().__init__(message, field=field, **params)
        self.field = field
