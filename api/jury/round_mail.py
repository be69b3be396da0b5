"""E-mail when a round is cancelled (its jurors and initiators) and when a juror is recused (that juror)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.i18n import DEFAULT_LOCALE, N_, gettext
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.jury.models import Juror, Round, RoundInitiative
from buurtbudget.jury.recusal import Recused
from buurtbudget.notifications.mailer import Mailer, compose, send_or_warn
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings

RECUSAL_REASONS = {
    "initiator": N_("you are one of its initiators"),
    "volunteer": N_("you volunteer for it"),
    "declared": N_("you declared a conflict of interest"),
}


async def tell_cancelled(session: AsyncSession, mailer: Mailer, settings: Settings, round_id: int) -> None:
    """Mail the cancelled round's jurors, reserves and the initiators on its ballot (in Dutch, as other
    mails); a failed mail changes nothing of the cancellation."""
    round_ = await session.get(Round, round_id)
    if round_ is None or round_.state != "cancelled":
        return
    seated = select(Juror.person_id).where(Juror.round_id == round_id)
    on_ballot = select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == round_id)
    owners = select(Initiator.person_id).where(
        Initiator.initiative_id.in_(on_ballot), Initiator.status == "active"
    )
    emails = (
        await session.execute(
            select(Person.email).where(Person.id.in_(seated) | Person.id.in_(owners)).order_by(Person.email)
        )
    ).scalars()
    locale = DEFAULT_LOCALE
    subject = gettext("The round '{round}' is cancelled", locale).format(round=round_.name)
    body = gettext(
        "The municipality cancelled the round '{round}'. The reason: {reason}. Nothing was decided; "
        "the initiatives on its ballot stay ready for a next round. See: {link}",
        locale,
    ).format(
        round=round_.name,
        reason=round_.cancel_reason or "",
        link=f"{settings.base_url.rstrip('/')}/rondes/{round_id}",
    )
    for email in emails:
        mail = compose(sender=settings.smtp_sender, to=email, subject=subject, body=body)
        await send_or_warn(mailer, mail, f"the cancellation of round {round_id}")


async def tell_recused(
    session: AsyncSession, mailer: Mailer, settings: Settings, recusals: Sequence[Recused]
) -> None:
    """Mail each recused juror: from which initiative, why, and whether a mark of theirs was removed."""
    locale = DEFAULT_LOCALE
    for recused in recusals:
        found = (
            await session.execute(
                select(Person.email, Initiative.title, Round.name)
                .select_from(Person)
                .join(Initiative, Initiative.id == recused.initiative_id)
                .join(Round, Round.id == recused.round_id)
                .where(Person.id == recused.person_id)
            )
        ).first()
        if found is None:
            continue
        email, title, round_name = found
        body = gettext(
            "In the round '{round}' you no longer vote on '{title}', because {reason}.", locale
        ).format(round=round_name, title=title, reason=gettext(RECUSAL_REASONS[recused.reason], locale))
        if recused.marks_removed:
            body += " " + gettext("The vote you gave it has been removed from your ballot.", locale)
        body += " " + f"{settings.base_url.rstrip('/')}/rondes/{recused.round_id}/jury"
        subject = gettext("You no longer vote on '{title}'", locale).format(title=title)
        mail = compose(sender=settings.smtp_sender, to=email, subject=subject, body=body)
        await send_or_warn(mailer, mail, f"a recusal in round {recused.round_id}")
