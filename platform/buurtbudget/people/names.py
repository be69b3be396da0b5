"""Display names: chosen by the person, never made from an e-mail address; a neutral label until then."""

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import DEFAULT_LOCALE, N_, gettext

MAX_LENGTH = 60
# What others see of somebody who has not chosen a name (yet).
NEUTRAL_NAME = N_("Resident")
# What residents see of a broker who has not chosen a name: their role.
SOCIAL_BROKER = N_("Social broker")


def clean_display_name(name: str, *, required: bool = False) -> str:
    """The name with its spaces tidied; refuses e-mail addresses, control characters and overlong names."""
    cleaned = " ".join(name.split())
    if not cleaned:
        if required:
            raise InvalidInput("fill in the name others may see", field="display_name")
        return ""
    if len(cleaned) > MAX_LENGTH:
        raise InvalidInput("a name has at most 60 characters", field="display_name")
    if "@" in cleaned:
        raise InvalidInput("a name, not an e-mail address: others see it", field="display_name")
    if any(not character.isprintable() for character in cleaned):
        raise InvalidInput("a name has only letters, digits and punctuation", field="display_name")
    return cleaned


def shown_name(display_name: str | None, locale: str = DEFAULT_LOCALE) -> str:
    """The name to show others: the chosen one, else the neutral label ("Bewoner")."""
    return display_name or gettext(NEUTRAL_NAME, locale)
