"""Mails about a booking to the space's owner and the booker, each in their language."""

from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import subscribe
from buurtbudget.i18n import gettext
from buurtbudget.notifications.outgoing import SITE, languages_of, queue_mail
from buurtbudget.spaces.events import BookingChanged
from buurtbudget.spaces.models import Booking, Space

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _when(booking: Booking, locale: str) -> str:
    start = format_datetime(booking.starts_at.astimezone(AMSTERDAM), "EEEE d MMMM y HH:mm", locale=locale)
    end = format_datetime(booking.ends_at.astimezone(AMSTERDAM), "HH:mm", locale=locale)
    return f"{start} - {end}"


@subscribe(BookingChanged)
async def tell_owner_and_booker(session: AsyncSession, event: BookingChanged) -> None:
    booking = await session.get(Booking, event.booking_id)
    space = await session.get(Space, booking.space_id) if booking is not None else None
    if booking is None or space is None:
        return
    people = await languages_of(session, [space.owner_id, booking.booked_by_id])
    for person_id, (email, locale) in people.items():
        if event.cancelled:
            subject = gettext("Booking cancelled: {space}", locale)
            text = gettext(
                "The booking '{title}' of {space} on {when} is cancelled. The agenda: {link}", locale
            )
        elif person_id == booking.booked_by_id:
            subject = gettext("You booked {space}", locale)
            text = gettext("You booked {space} for '{title}' on {when}. The agenda: {link}", locale)
        else:
            subject = gettext("{space} was booked", locale)
            text = gettext(
                "Your space {space} was booked for '{title}' on {when}. The agenda: {link}", locale
            )
        body = text.format(
            title=booking.title,
            space=space.name,
            when=_when(booking, locale),
            link=f"{SITE}/ruimtes/{space.id}",
        )
        await queue_mail(session, to=email, subject=subject.format(space=space.name), body=body)
