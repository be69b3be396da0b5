"""What the municipality's round pages share: signed-in only (`api.pages.staff_base.StaffPages`), a
service's refusal shown at the form field it names, and the labels of a round's choices."""

from api.pages.form_errors import sentence
from buurtbudget.errors import DomainError, InvalidInput
from buurtbudget.i18n import gettext


def refusal_at_field(
    error: DomainError, locale: str, known: set[str], renamed: dict[str, str], fallback: str
) -> dict[str, str]:
    """The service's refusal as a sentence in the visitor's language, at the form field it names."""
    named = error.params.get("field")
    field = renamed.get(str(named), str(named)) if isinstance(named, str) else fallback
    return {field if field in known else fallback: sentence(gettext(error.message, locale))}


def status_of(error: DomainError) -> int:
    return 422 if isinstance(error, InvalidInput) else 409
