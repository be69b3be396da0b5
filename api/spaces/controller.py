"""JSON endpoints for spaces and bookings under /api/v1: register, find, book, cancel, calendars, matches."""

from typing import Annotated

from litestar import Controller, Response, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.dependencies import AppSettings, CurrentActor, Locale
from api.guards import PUBLIC, requires_signed_in
from api.providers import Bookings, SpaceMatches, Spaces
from api.schemas import PathId, QueryId
from api.spaces import calendars, presenters
from api.spaces.schemas import (
    AgendaItem,
    BookingIn,
    BookingOut,
    FacilityOut,
    InitiativeSpaceMatches,
    NeedMatchesOut,
    SpaceCreate,
    SpaceNeedOut,
    SpaceOut,
    SpacePage,
    SpaceUpdate,
)
from api.spaces.texts import facility_label
from buurtbudget.spaces.bookings import BookingInput
from buurtbudget.spaces.matches import MatchOptions
from buurtbudget.spaces.service import SpaceFilter
from matching import default_catalogues

FacilityQuery = Annotated[
    list[Annotated[str, QueryParameter(max_length=80)]] | None,
    QueryParameter(max_items=20, description="Facility names; every one is required"),
]
Flag = FromQuery[bool]
MaxPrice = Annotated[int | None, QueryParameter(ge=0, le=10_000_00, description="Euro cents per hour")]


class SpaceController(Controller):
    path = "/api/v1/spaces"
    tags = ["spaces"]
    guards = [requires_signed_in]

    @get("/", operation_id="listSpaces", summary="Spaces, filtered and paginated", opt=PUBLIC)
    async def list_spaces(
        self,
        spaces: Spaces,
        actor: CurrentActor,
        neighbourhood_id: QueryId = None,
        q: Annotated[
            str | None, QueryParameter(max_length=100, description="Words in name or address")
        ] = None,
        people: Annotated[int | None, QueryParameter(ge=1, le=100_000)] = None,
        wheelchair_accessible: Flag = False,
        accessible_toilet: Flag = False,
        facility: FacilityQuery = None,
        max_price_per_hour_cents: MaxPrice = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> SpacePage:
        result = await spaces.search(
            SpaceFilter(
                neighbourhood_id=neighbourhood_id,
                text=q,
                people=people,
                wheelchair_accessible=wheelchair_accessible,
                accessible_toilet=accessible_toilet,
                facilities=tuple(facility or ()),
                max_price_per_hour_cents=max_price_per_hour_cents,
                page=page,
                per_page=per_page,
            )
        )
        return SpacePage(
            items=[presenters.space(s, can_manage=await spaces.can_manage(actor, s)) for s in result.items],
            total=result.total,
            page=page,
            per_page=per_page,
        )

    @post(
        "/",
        operation_id="registerSpace",
        summary="Register a space (a broker may register one for its owner)",
        status_code=HTTP_201_CREATED,
    )
    async def register_space(
        self, spaces: Spaces, actor: CurrentActor, data: JSONBody[SpaceCreate]
    ) -> SpaceOut:
        space = await spaces.register(actor, presenters.space_input(data), owner_email=data.owner_email)
        return presenters.space(space, can_manage=True)

    @get("/{space_id:int}", operation_id="getSpace", summary="One space", opt=PUBLIC)
    async def get_space(self, spaces: Spaces, actor: CurrentActor, space_id: PathId) -> SpaceOut:
        space = await spaces.get(space_id)
        return presenters.space(space, can_manage=await spaces.can_manage(actor, space))

    @patch(
        "/{space_id:int}",
        operation_id="updateSpace",
        summary="Change a space: its owner, or a broker of its neighbourhood",
    )
    async def update_space(
        self, spaces: Spaces, actor: CurrentActor, space_id: PathId, data: JSONBody[SpaceUpdate]
    ) -> SpaceOut:
        space = await spaces.change(actor, space_id, presenters.changes(data))
        return presenters.space(space, can_manage=True)

    @get(
        "/{space_id:int}/agenda",
        operation_id="getSpaceAgenda",
        summary="The space's coming bookings (details only for the booker and who manages the space)",
        opt=PUBLIC,
    )
    async def agenda(
        self, bookings: Bookings, spaces: Spaces, actor: CurrentActor, space_id: PathId
    ) -> list[AgendaItem]:
        space = await spaces.get(space_id)
        coming = await bookings.for_space(space)
        visible = await bookings.visible_details(actor, coming)
        return [presenters.agenda_item(b, details=b.id in visible) for b in coming]

    @get(
        "/{space_id:int}/calendar.ics",
        operation_id="getSpaceCalendar",
        summary="ICS feed of the space's coming bookings, for a calendar app",
        media_type="text/calendar",
        opt=PUBLIC,
    )
    async def calendar(
        self, spaces: Spaces, bookings: Bookings, settings: AppSettings, locale: Locale, space_id: PathId
    ) -> Response[bytes]:
        return await calendars.space_feed(spaces, bookings, settings, locale, space_id)

    @post(
        "/{space_id:int}/bookings",
        operation_id="bookSpace",
        summary="Book the space; an overlap with another booking is refused (409 booking_conflict)",
        status_code=HTTP_201_CREATED,
    )
    async def book(
        self, bookings: Bookings, actor: CurrentActor, space_id: PathId, data: JSONBody[BookingIn]
    ) -> BookingOut:
        booking = await bookings.book(
            actor,
            space_id,
            BookingInput(data.starts_at, data.ends_at, data.people, data.title, data.initiative_id),
        )
        return presenters.booking(booking)


class BookingController(Controller):
    path = "/api/v1/bookings"
    tags = ["spaces"]
    guards = [requires_signed_in]

    @get("/", operation_id="listMyBookings", summary="Your bookings")
    async def mine(self, bookings: Bookings, actor: CurrentActor) -> list[BookingOut]:
        return [presenters.booking(b) for b in await bookings.mine(actor)]

    @get("/{booking_id:int}", operation_id="getBooking", summary="One booking")
    async def get_booking(self, bookings: Bookings, actor: CurrentActor, booking_id: PathId) -> BookingOut:
        return presenters.booking(await bookings.get(actor, booking_id))

    @get(
        "/{booking_id:int}/calendar.ics",
        operation_id="getBookingCalendar",
        summary="The booking as an ICS file",
        media_type="text/calendar",
    )
    async def calendar(
        self, bookings: Bookings, actor: CurrentActor, settings: AppSettings, booking_id: PathId
    ) -> Response[bytes]:
        return await calendars.booking_file(bookings, actor, settings, booking_id)

    @post(
        "/{booking_id:int}/cancellation",
        operation_id="cancelBooking",
        summary="Cancel a coming booking: the booker, the space's owner or a broker of its neighbourhood",
        status_code=HTTP_200_OK,
    )
    async def cancel(self, bookings: Bookings, actor: CurrentActor, booking_id: PathId) -> BookingOut:
        return presenters.booking(await bookings.cancel(actor, booking_id))


class SpaceMatchController(Controller):
    path = "/api/v1"
    tags = ["spaces"]

    @get(
        "/space-facilities",
        operation_id="listSpaceFacilities",
        summary="The facilities a space can have",
    )
    async def facilities(self, locale: Locale) -> list[FacilityOut]:
        codes = sorted(default_catalogues().facilities.entries)
        return [FacilityOut(code=code, label=facility_label(code, locale)) for code in codes]

    @get(
        "/initiatives/{initiative_id:int}/space-matches",
        operation_id="matchSpacesForInitiative",
        summary="Suitable spaces for each space need of an initiative, ranked, with the reasons",
    )
    async def matches(
        self,
        space_matcher: SpaceMatches,
        spaces: Spaces,
        actor: CurrentActor,
        initiative_id: PathId,
        wheelchair_accessible: Flag = False,
        accessible_toilet: Flag = False,
        facility: FacilityQuery = None,
        wanted: FacilityQuery = None,
        max_price_per_hour_cents: MaxPrice = None,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 10,
    ) -> InitiativeSpaceMatches:
        options = MatchOptions(
            wheelchair_accessible=wheelchair_accessible,
            accessible_toilet=accessible_toilet,
            required_facilities=tuple(facility or ()),
            wanted_facilities=tuple(wanted or ()),
            max_price_per_hour_cents=max_price_per_hour_cents,
            limit=limit,
        )
        initiative, results = await space_matcher.for_initiative(actor, initiative_id, options)
        return InitiativeSpaceMatches(
            initiative_id=initiative.id,
            needs=[
                NeedMatchesOut(
                    need=SpaceNeedOut(
                        description=r.need.description,
                        capacity=r.need.capacity,
                        starts_at=r.need.starts_at,
                        ends_at=r.need.ends_at,
                    ),
                    matches=[
                        presenters.match(m, can_manage=await spaces.can_manage(actor, m.space))
                        for m in r.matches
                    ],
                )
                for r in results
            ],
        )
