"""Errors of the volunteers context; messages with {placeholders} are filled in after translation."""

from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound


class UnknownSkill(InvalidInput):
    """A skill the catalogue does not know; `skill` names it, `suggestions` are close ones."""

    code = "unknown_skill"


class UnknownTheme(InvalidInput):
    """A theme the catalogue does not know."""

    code = "unknown_theme"


class InvalidAvailability(InvalidInput):
    """A time that cannot be: end before start, an hour outside 0-24, a date in the past."""

    code = "invalid_availability"


class InvalidQuery(InvalidInput):
    """An empty or absurd search (no skill, too many skills, too many results asked)."""

    code = "invalid_query"


class NoProfile(NotFound):
    """The person has no volunteer profile (yet)."""

    code = "no_volunteer_profile"


class NoConsent(Conflict):
    """The volunteer has not (or no longer) agreed to be matched."""

    code = "no_consent"


class FullyBooked(Conflict):
    """The volunteer already has as many commitments as they said they can take."""

    code = "fully_booked"


class NotOpenForHelp(Conflict):
    """The initiative is not open (a draft, or finished) or asks for no help."""

    code = "not_open_for_help"


class AlreadyMatched(Conflict):
    """The volunteer and the initiative already have an offer or invitation between them."""

    code = "already_matched"


class OwnInitiative(Conflict):
    """Nobody offers help on (or is invited to) their own initiative."""

    code = "own_initiative"


class NotYourMatch(NotAllowed):
    """Only the volunteer and the initiative's residents answer an offer or invitation."""

    code = "not_your_match"


class AlreadyAnswered(Conflict):
    """This side has already answered, or the match was declined."""

    code = "already_answered"
