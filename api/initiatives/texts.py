"""What each timeline event and next step says to people (message ids for the catalogs)."""

from buurtbudget.i18n import N_, gettext

WHAT_HAPPENED = {
    "created": N_("The initiative was started as a draft."),
    "submit": N_("The initiative was sent in."),
    "start_review": N_("The broker started looking at the initiative."),
    "return_to_draft": N_("The broker sent the initiative back with questions."),
    "mark_ready": N_("The initiative is ready for the jury."),
    "grant": N_("The jury granted the money."),
    "grant_partly": N_("The jury granted part of the money."),
    "decline": N_("The jury did not grant money this time."),
    "accept_grant": N_("The initiators accepted the smaller amount."),
    "decline_grant": N_("The initiators declined the smaller amount; the money went back to the pot."),
    "start": N_("The initiative has started."),
    "report": N_("The initiators told how the money was spent."),
    "close": N_("The initiative is closed."),
    "withdraw": N_("The initiators withdrew the initiative."),
}

WHAT_COMES_NEXT = {
    "complete_and_submit": N_("Fill in your plan and send it in when you are ready."),
    "intake": N_("The broker contacts you for a first talk."),
    "review": N_("The broker checks the plan with you and helps where needed."),
    "improve_and_resubmit": N_("Change your plan and send it in again."),
    "jury_decides": N_("The jury of residents decides in the next round."),
    "start_the_work": N_("You can start. Keep your receipts."),
    "accept_partial_grant": N_("Tell us if you accept the smaller amount."),
    "talk_to_broker": N_("The broker talks with you about what else is possible."),
    "report_back": N_("When you are done, tell us how it went and what it cost."),
    "report_check": N_("The broker checks your report."),
    "nothing": N_("Nothing more is needed."),
}


def what_happened(event: str, locale: str) -> str:
    return gettext(WHAT_HAPPENED.get(event, event), locale)


def what_comes_next(step: str, locale: str) -> str:
    return gettext(WHAT_COMES_NEXT.get(step, step), locale)
