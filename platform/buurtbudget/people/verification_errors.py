"""Errors of verified residency."""

from buurtbudget.errors import DomainError, NotAllowed


class NotVerified(NotAllowed):
    """The person is not (or no longer) a verified resident of the neighbourhood; pages link to verifying."""

    code = "not_verified"

    def __init__(self, message: str, *, neighbourhood_name: str, neighbourhood_slug: str) -> None:
        super().__init__(
            message, neighbourhood_name=neighbourhood_name, neighbourhood_slug=neighbourhood_slug
        )
        self.neighbourhood_name = neighbourhood_name
        self.neighbourhood_slug = neighbourhood_slug


class TooManyCodeAttempts(DomainError):  # noqa: N818
    """Too many wrong letter codes within the hour: guessing is slowed down."""

    code = "too_many_code_attempts"
