"""What each lifecycle state is called on the pages (message ids for the catalogs)."""

from buurtbudget.i18n import N_
from buurtbudget.initiatives.lifecycle import State

STATE_LABELS: dict[str, str] = {
    State.DRAFT.value: N_("Draft"),
    State.SUBMITTED.value: N_("Sent in"),
    State.IN_REVIEW.value: N_("Being checked"),
    State.READY_FOR_JURY.value: N_("Ready for the jury"),
    State.GRANTED.value: N_("Granted"),
    State.PARTLY_GRANTED.value: N_("Partly granted"),
    State.DECLINED.value: N_("Not granted"),
    State.RUNNING.value: N_("Running"),
    State.REPORTED.value: N_("Reported"),
    State.CLOSED.value: N_("Closed"),
    State.WITHDRAWN.value: N_("Withdrawn"),
}
