"""The periodic reminder before a verification expires: mailed once, through the outbox."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.transaction import transaction
from buurtbudget.formatting import day
from buurtbudget.i18n import gettext
from buurtbudget.notifications.outgoing import SITE, languages_of, queue_mail
from buurtbudget.people.verification_models import Verification
from buurtbudget.places.models import Neighbourhood

REMIND_BEFORE = timedelta(days=30)
BATCH = 200


async def remind_expiring(session: AsyncSession, now: datetime) -> int:
    """Mail every resident whose verification ends within `REMIND_BEFORE` and who was not reminded yet.

    Marked as reminded in the same transaction as the queued mail, so each is reminded once."""
    async with transaction(session):
        rows = (
            await session.execute(
                select(Verification, Neighbourhood)
                .join(Neighbourhood, Neighbourhood.id == Verification.neighbourhood_id)
                .where(
                    Verification.ended_at.is_(None),
                    Verification.reminded_at.is_(None),
                    Verification.expires_at > now,
                    Verification.expires_at <= now + REMIND_BEFORE,
                )
                .order_by(Verification.expires_at)
                .limit(BATCH)
                .with_for_update(skip_locked=True, of=Verification)
            )
        ).tuples()
        due = list(rows)
        languages = await languages_of(session, [v.person_id for v, _n in due])
        for verification, neighbourhood in due:
            verification.reminded_at = now
            if verification.person_id not in languages:
                continue
            email, locale = languages[verification.person_id]
            until = day(verification.expires_at, locale)
            subject = gettext("Your verification for {neighbourhood} ends soon", locale).format(
                neighbourhood=neighbourhood.name
            )
            body = gettext(
                "Hello,\n\nYou are a verified resident of {neighbourhood} until {until}. After that you "
                "cannot vote, sit in the jury pool or send in a plan there until you verify again.\n\n"
                "Do you still live in {neighbourhood}? Verify again on this page:\n{link}\n\n"
                "Have you moved? Then you need to do nothing.",
                locale,
            ).format(
                neighbourhood=neighbourhood.name,
                until=until,
                link=f"{SITE}/buurten/{neighbourhood.slug}/verifieren",
            )
            await queue_mail(session, to=email, subject=subject, body=body, topic="verification")
    return len(due)
