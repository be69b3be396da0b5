"""Errors of the initiatives context."""

from buurtbudget.errors import Conflict, InvalidInput, NotAllowed


class IllegalTransition(Conflict):
    """This step is not possible from the initiative's current state."""

    code = "illegal_transition"


class NotAnOwner(NotAllowed):
    """Only the initiative's own residents may do this."""

    code = "not_an_owner"


class BrokerCannotOwn(InvalidInput):
    """A broker supports, and never owns, an initiative in their own neighbourhood."""

    code = "broker_cannot_own"


class IncompleteInitiative(Conflict):
    """Submitting needs a title, a story and at least one cost line."""

    code = "incomplete"
