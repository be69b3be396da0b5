"""Errors of the jury context: each names the field and the reason a ballot or draw was refused."""

from buurtbudget.errors import InvalidInput


class NotOnBallot(InvalidInput):
    """A mark for an initiative that is not on this round's ballot."""

    code = "not_on_ballot"


class RecusedFromInitiative(InvalidInput):
    """A juror with a conflict of interest cannot score this initiative."""

    code = "recused"


class BallotOverLimit(InvalidInput):
    """The ballot asks for more than its type allows (approvals, total cost, points, score)."""

    code = "ballot_over_limit"
