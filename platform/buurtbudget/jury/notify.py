"""Mails about a round, queued in the unit of work that changed it: a recused juror, a cancelled round."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import subscribe
from buurtbudget.i18n import N_, gettext
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.jury.events import JurorRecused, RoundCancelled
from buurtbudget.jury.models import Juror, Round, RoundInitiative
from buurtbudget.notifications.outgoing import SITE, languages_of, queue_mail

RECUSAL_REASONS = {
    "initiator": N_("you are one of its initiators"),
    "volunteer": N_("you volunteer for it"),
    "declared": N_("you declared a conflict of interest"),
}


@subscribe(JurorRecused)
async def tell_the_recused_juror(session: AsyncSession, event: JurorRecused) -> None:
    """The juror hears from which initiative, why, and whether a vote of theirs was taken off."""
    title = await session.scalar(select(Initiative.title).where(Initiative.id == event.initiative_id))
    round_name = await session.scalar(select(Round.name).where(Round.id == event.round_id))
    for email, locale in (await languages_of(session, [event.person_id])).values():
        body = gettext(
            "In the round '{round}' you no longer vote on '{title}', because {reason}.", locale
        ).format(round=round_name, title=title, reason=gettext(RECUSAL_REASONS[event.reason], locale))
        if event.marks_removed:
            body += " " + gettext("The vote you gave it has been removed from your ballot.", locale)
        body += f" {SITE}/rondes/{event.round_id}/jury"
        subject = gettext("You no longer vote on '{title}'", locale).format(title=title)
        await queue_mail(session, to=email, subject=subject, body=body)


@subscribe(RoundCancelled)
async def tell_jurors_and_initiators(session: AsyncSession, event: RoundCancelled) -> None:
    """Everyone seated in the round and every active initiator on its ballot hears why it was cancelled."""
    round_ = await session.get(Round, event.round_id)
    if round_ is None:
        raise LookupError(f"round {event.round_id} is gone")
    seated = select(Juror.person_id).where(Juror.round_id == event.round_id)
    on_ballot = select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == event.round_id)
    owners = select(Initiator.person_id).where(
        Initiator.initiative_id.in_(on_ballot), Initiator.status == "active"
    )
    people = set((await session.execute(seated)).scalars()) | set((await session.execute(owners)).scalars())
    for email, locale in sorted((await languages_of(session, sorted(people))).values()):
        subject = gettext("The round '{round}' is cancelled", locale).format(round=round_.name)
        body = gettext(
            "The municipality cancelled the round '{round}'. The reason: {reason}. Nothing was decided; "
            "the initiatives on its ballot stay ready for a next round. See: {link}",
            locale,
        ).format(round=round_.name, reason=round_.cancel_reason or "", link=f"{SITE}/rondes/{event.round_id}")
        await queue_mail(session, to=email, subject=subject, body=body)
