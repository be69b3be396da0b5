"""Errors of the pots context."""

from buurtbudget.errors import Conflict, InvalidInput


class InsufficientFunds(Conflict):
    """The pot (or its theme budget) holds less than this promise needs."""

    code = "insufficient_funds"


class NothingToRelease(Conflict):
    """Less is reserved for the initiative than asked to release."""

    code = "nothing_to_release"


class ReservedElsewhere(Conflict):
    """Money for this initiative is already reserved from another budget of the pot."""

    code = "reserved_elsewhere"


class AboveMaximum(InvalidInput):
    """An initiative asks more than the most its neighbourhood's pot gives one initiative."""

    code = "above_pot_maximum"
