"""Words of the volunteer pages: statuses, answers and weekdays in the visitor's language."""

from buurtbudget.i18n import N_
from buurtbudget.volunteers.explain import WEEKDAYS

STATUS = {
    "pending": N_("waiting for an answer"),
    "agreed": N_("you agreed to work together"),
    "declined": N_("declined"),
}
ORIGINS = {"offer": N_("offer of help"), "invitation": N_("invitation")}
SAVED = N_("Your volunteer profile is saved.")
DELETED = N_("Your volunteer profile is deleted.")
OFFERED = N_("Your offer is sent. The initiators answer you here.")
INVITED = N_("The invitation is sent.")
ANSWERED = N_("Your answer is saved.")
NOTICES = {
    "opgeslagen": SAVED,
    "verwijderd": DELETED,
    "aangeboden": OFFERED,
    "uitgenodigd": INVITED,
    "beantwoord": ANSWERED,
}
DAYS = WEEKDAYS
