"""Booking pages: book a space, see and download a booking, cancel it, and 'my bookings'."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import AppSettings, CurrentActor, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import NumberText, filter_number, translated
from api.providers import Bookings, Spaces
from api.rendering import page
from api.schemas import ID_MAX, PathId
from api.spaces import calendars, form_input
from api.spaces.texts import WEEKDAYS
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.spaces.bookings import BookingService
from buurtbudget.spaces.models import Space
from buurtbudget.workdays import AMSTERDAM

Prefill = Annotated[str | None, QueryParameter(max_length=10)]
Flag = Annotated[str | None, QueryParameter(name="geboekt", max_length=5)]


class BookingPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _form(
        self,
        request: Request[Any, Any, Any],
        bookings: BookingService,
        locale: str,
        space: Space,
        values: dict[str, str],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "spaces/book.html",
            status_code=status_code,
            space=space,
            values=values,
            errors=translated(errors or {}, locale),
            agenda=await bookings.for_space(space),
            weekdays=WEEKDAYS,
        )

    @get("/ruimtes/{space_id:int}/boeken", operation_id="bookSpacePage")
    async def book_form(
        self,
        request: Request[Any, Any, Any],
        bookings: Bookings,
        spaces: Spaces,
        locale: Locale,
        space_id: PathId,
        initiatief: NumberText = None,
        datum: Prefill = None,
        van: Prefill = None,
        tot: Prefill = None,
        mensen: Prefill = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        space = await spaces.get(space_id)
        values = {
            "initiative_id": str(
                filter_number("initiatief", initiatief, {}, minimum=1, maximum=ID_MAX) or ""
            ),
            "date": datum or "",
            "start": van or "",
            "end": tot or "",
            "people": mensen or "",
        }
        return await self._form(request, bookings, locale, space, values)

    @post("/ruimtes/{space_id:int}/boeken", operation_id="bookSpacePost")
    async def book(
        self,
        request: Request[Any, Any, Any],
        bookings: Bookings,
        spaces: Spaces,
        actor: CurrentActor,
        locale: Locale,
        space_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        values = {key: str(value) for key, value in form.items()}
        wanted, errors = form_input.read_booking(lambda name: values.get(name, ""))
        status = HTTP_422_UNPROCESSABLE_ENTITY
        if wanted is not None:
            try:
                booking = await bookings.book(actor, space_id, wanted)
            except InvalidInput as error:
                errors = {form_input.BOOKING_FIELDS.get(error.field, error.field): error.message}
            except Conflict as error:  # already booked, or closed for bookings
                errors, status = {"start": error.message}, HTTP_409_CONFLICT
            else:
                return see_other(f"/boekingen/{booking.id}", geboekt="1")
        space = await spaces.get(space_id)
        return await self._form(request, bookings, locale, space, values, errors, status)

    @get("/boekingen/{booking_id:int}", operation_id="bookingPage")
    async def booking(
        self,
        request: Request[Any, Any, Any],
        bookings: Bookings,
        actor: CurrentActor,
        booking_id: PathId,
        geboekt: Flag = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        booking = await bookings.get(actor, booking_id)
        return page(request, "spaces/booking.html", booking=booking, booked=bool(geboekt), zone=AMSTERDAM)

    @get("/boekingen/{booking_id:int}/agenda.ics", operation_id="bookingCalendarPage")
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        bookings: Bookings,
        actor: CurrentActor,
        settings: AppSettings,
        booking_id: PathId,
    ) -> Response[bytes] | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await calendars.booking_file(bookings, actor, settings, booking_id)

    @get("/boekingen/{booking_id:int}/annuleren", operation_id="cancelBookingPage")
    async def cancel_form(
        self, request: Request[Any, Any, Any], bookings: Bookings, actor: CurrentActor, booking_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        booking = await bookings.get(actor, booking_id)
        return page(request, "spaces/cancel.html", booking=booking)

    @post("/boekingen/{booking_id:int}/annuleren", operation_id="cancelBookingPost")
    async def cancel(
        self, request: Request[Any, Any, Any], bookings: Bookings, actor: CurrentActor, booking_id: PathId
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await bookings.cancel(actor, booking_id)
        return see_other(f"/boekingen/{booking_id}")

    @get("/mijn-boekingen", operation_id="myBookingsPage")
    async def mine(
        self, request: Request[Any, Any, Any], bookings: Bookings, spaces: Spaces, actor: CurrentActor
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return page(
            request,
            "spaces/mine.html",
            bookings=await bookings.mine(actor),
            spaces=await spaces.managed_by(actor),
        )
