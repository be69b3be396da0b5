"""ICS responses for the API and the pages: a booking's file and a space's feed."""

from litestar import Response

from buurtbudget.db.base import utcnow
from buurtbudget.i18n import N_, gettext
from buurtbudget.people.roles import Actor
from buurtbudget.settings import Settings
from buurtbudget.spaces import ics
from buurtbudget.spaces.bookings import BookingService
from buurtbudget.spaces.service import SpaceService

CALENDAR = "text/calendar; charset=utf-8"
BOOKED = N_("Booked")


def _response(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=CALENDAR,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


async def booking_file(
    bookings: BookingService, actor: Actor, settings: Settings, booking_id: int
) -> Response[bytes]:
    booking = await bookings.get(actor, booking_id)
    return _response(
        ics.booking_calendar(booking, base_url=settings.base_url, now=utcnow()), f"boeking-{booking.id}.ics"
    )


async def space_feed(
    spaces: SpaceService, bookings: BookingService, settings: Settings, locale: str, space_id: int
) -> Response[bytes]:
    space = await spaces.get(space_id)
    agenda = await bookings.for_space(space, include_cancelled=True)
    content = ics.space_feed(
        space,
        agenda,
        summary=f"{gettext(BOOKED, locale)}: {space.name}",
        base_url=settings.base_url,
        now=utcnow(),
    )
    return _response(content, f"ruimte-{space.id}.ics")
