"""Errors of deliberation: who may read and write the discussion, the advice and the minutes."""

from buurtbudget.errors import Conflict, NotAllowed


class NotInDeliberation(NotAllowed):
    """Only the round's jurors (and reserves) and its advisors see and join the deliberation."""

    code = "not_in_deliberation"


class NotAnAdvisor(NotAllowed):
    """Advice is written by professionals: the neighbourhood's advisors, brokers and the municipality."""

    code = "not_an_advisor"


class NotAMinuteTaker(NotAllowed):
    """Minutes are written by the municipality or a broker of the neighbourhood."""

    code = "not_a_minute_taker"


class RecusedFromDiscussion(NotAllowed):
    """A juror with a conflict of interest does not take part in the discussion of that initiative."""

    code = "recused_from_discussion"


class DeliberationClosed(Conflict):
    """Once the round is closed, its discussion and advice are frozen."""

    code = "deliberation_closed"
