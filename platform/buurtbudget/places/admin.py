"""PlacesAdmin: setting up municipalities and neighbourhoods, their borders and boundaries, audited.

The platform administrator creates and renames municipalities; a municipality's administrator sets up
its neighbourhoods and their borders (a border with another municipality needs both administrators,
or the platform administrator). Every change is one transaction with its audit entry.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.people.roles import Actor
from buurtbudget.places import codes, looks
from buurtbudget.places.geometry import checked_boundary
from buurtbudget.places.models import Adjacency, Municipality, Neighbourhood, Postcode

NAME_MAX = 120
ONLY_PLATFORM_LOOKS = N_("only the platform administrator chooses a municipality's look")
CONTACT_LIMITS = {"contact_email": 254, "contact_phone": 40, "contact_url": 300}


@dataclass(frozen=True, slots=True)
class NeighbourhoodChanges:
    """What to change of a neighbourhood; None leaves a field as it is (boundary: see `clear_boundary`)."""

    name: str | None = None
    district: str | None = None
    cbs_code: str | None = None
    boundary: str | None = None
    clear_boundary: bool = False


@dataclass(frozen=True, slots=True)
class MunicipalityChanges:
    """What to change of a municipality; None leaves a field as it is, "" empties a contact field."""

    name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_url: str | None = None


def one_line_or_error(text: str, field: str) -> None:
    """Names end up in titles and mail subjects: no line breaks or other control characters."""
    if any(unicodedata.category(char) == "Cc" or char in "\u2028\u2029" for char in text):
        raise InvalidInput("write this on one line, without line breaks or tabs", field=field)


def _name(text: str, field: str = "name") -> str:
    one_line_or_error(text, field)
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("fill in a name", field=field)
    if len(name) > NAME_MAX:
        raise InvalidInput("a name has at most 120 characters", field=field)
    return name


def _district(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return _name(text, "district")


def _neighbourhood_code(code: str, municipality: Municipality) -> str:
    code = code.strip().upper()
    if not codes.is_neighbourhood_code(code):
        raise InvalidInput(
            "a CBS code of a neighbourhood is BU and 8 digits (a buurt) or WK and 6 digits (a wijk)",
            field="cbs_code",
        )
    town_code = municipality.cbs_code
    if codes.is_municipality_code(town_code) and not codes.belongs_to(code, town_code):
        raise InvalidInput("this CBS code belongs to another municipality", field="cbs_code")
    return code


def _contact(field: str, text: str) -> str | None:
    value = text.strip()
    if not value:
        return None
    if len(value) > CONTACT_LIMITS[field]:
        raise InvalidInput("this is too long", field=field)
    one_line_or_error(value, field)
    if field == "contact_email" and ("@" not in value or " " in value):
        raise InvalidInput("fill in an e-mail address, like wijken@gemeente.nl", field=field)
    if field == "contact_url" and not value.startswith(("https://", "http://")):
        raise InvalidInput("fill in a web address that starts with https://", field=field)
    if field == "contact_phone" and not all(c.isdigit() or c in " +-()" for c in value):
        raise InvalidInput("fill in a phone number with digits only, like 14 030", field=field)
    return value


class PlacesAdmin:
    """Use cases of setting up places; each opens its own transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- reading ------------------------------------------------------------------------------

    async def municipality(self, municipality_id: int) -> Municipality:
        municipality = await self.session.get(Municipality, municipality_id)
        if municipality is None:
            raise NotFound("no such municipality", municipality_id=municipality_id)
        return municipality

    async def administered(self, actor: Actor, municipality_id: int) -> Municipality:
        """The municipality, if the actor administers it (else NotAllowed: its data stays its own)."""
        municipality = await self.municipality(municipality_id)
        if not actor.administers(municipality.id):
            raise NotAllowed("only the municipality's administrators set up its neighbourhoods")
        return municipality

    async def municipalities(self) -> list[Municipality]:
        return list((await self.session.scalars(select(Municipality).order_by(Municipality.name))).all())

    async def by_slug(self, slug: str) -> Municipality:
        found = await self.session.scalar(select(Municipality).where(Municipality.slug == slug))
        if found is None:
            raise NotFound("no such municipality", slug=slug)
        return found

    async def neighbourhoods_of(self, municipality_id: int) -> list[Neighbourhood]:
        rows = await self.session.scalars(
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .where(Neighbourhood.municipality_id == municipality_id)
            .order_by(Neighbourhood.district, Neighbourhood.name)
        )
        return list(rows.all())

    async def neighbourhood_counts(self) -> dict[int, int]:
        """How many neighbourhoods each municipality has."""
        rows = await self.session.execute(
            select(Neighbourhood.municipality_id, func.count()).group_by(Neighbourhood.municipality_id)
        )
        return dict(rows.tuples().all())

    async def postcode_counts(self, municipality_id: int) -> dict[int, int]:
        rows = await self.session.execute(
            select(Postcode.neighbourhood_id, func.count())
            .where(Postcode.municipality_id == municipality_id)
            .group_by(Postcode.neighbourhood_id)
        )
        return dict(rows.tuples().all())

    async def neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        found = await self.session.scalar(
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .where(Neighbourhood.id == neighbourhood_id)
        )
        if found is None:
            raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
        return found

    async def administered_neighbourhood(
        self, actor: Actor, neighbourhood_id: int, municipality_id: int | None = None
    ) -> Neighbourhood:
        """The neighbourhood, if the actor administers its municipality (and it lies in `municipality_id`)."""
        neighbourhood = await self.neighbourhood(neighbourhood_id)
        if municipality_id is not None and neighbourhood.municipality_id != municipality_id:
            raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed("only the municipality's administrators set up its neighbourhoods")
        return neighbourhood

    async def adjacent_to(self, neighbourhood_id: int) -> list[Neighbourhood]:
        rows = await self.session.scalars(
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .join(Adjacency, Adjacency.adjacent_id == Neighbourhood.id)
            .where(Adjacency.neighbourhood_id == neighbourhood_id)
            .order_by(Neighbourhood.name)
        )
        return list(rows.all())

    async def border_candidates(self, actor: Actor, neighbourhood: Neighbourhood) -> list[Neighbourhood]:
        """Neighbourhoods the actor may link to this one: of the municipalities they administer."""
        query = (
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .join(Municipality)
            .where(Neighbourhood.id != neighbourhood.id)
            .order_by(Municipality.name, Neighbourhood.name)
        )
        rows = (await self.session.scalars(query)).all()
        return [n for n in rows if actor.administers(n.municipality_id)]

    # --- municipalities -----------------------------------------------------------------------

    async def create_municipality(
        self, actor: Actor, *, name: str, cbs_code: str, slug: str | None = None
    ) -> Municipality:
        if not actor.is_platform_admin:
            raise NotAllowed("only the platform administrator adds municipalities")
        clean_name = _name(name)
        code = cbs_code.strip().upper()
        if not codes.is_municipality_code(code):
            raise InvalidInput(
                "a CBS code of a municipality is GM and 4 digits, like GM0344", field="cbs_code"
            )
        clean_slug = codes.slugify(slug or clean_name)
        if not clean_slug:
            raise InvalidInput("the short name uses letters or digits", field="slug")
        async with transaction(self.session):
            await self._unique_municipality(clean_name, code, clean_slug, None)
            municipality = Municipality(name=clean_name, cbs_code=code, slug=clean_slug)
            self.session.add(municipality)
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="municipality.created",
                subject_type="municipality",
                subject_id=municipality.id,
                data={"name": clean_name, "cbs_code": code},
            )
        return municipality

    async def _unique_municipality(self, name: str, code: str, slug: str, own_id: int | None) -> None:
        for column, value, field, message in (
            (Municipality.name, name, "name", N_("a municipality with this name exists already")),
            (Municipality.cbs_code, code, "cbs_code", N_("a municipality with this CBS code exists already")),
            (Municipality.slug, slug, "slug", N_("a municipality with this short name exists already")),
        ):
            found = await self.session.scalar(select(Municipality.id).where(column == value))
            if found is not None and found != own_id:
                raise Conflict(message, field=field)

    async def update_municipality(
        self, actor: Actor, municipality_id: int, changes: MunicipalityChanges
    ) -> Municipality:
        """The platform administrator renames; the municipality's administrators keep its contact."""
        async with transaction(self.session):
            municipality = await self.administered(actor, municipality_id)
            changed: dict[str, str | None] = {}
            if changes.name is not None and _name(changes.name) != municipality.name:
                if not actor.is_platform_admin:
                    raise NotAllowed("only the platform administrator renames municipalities")
                new_name = _name(changes.name)
                await self._unique_municipality(
                    new_name, municipality.cbs_code, municipality.slug, municipality.id
                )
                changed["name"] = new_name
                municipality.name = new_name
            for field in CONTACT_LIMITS:
                text = getattr(changes, field)
                if text is not None and _contact(field, text) != getattr(municipality, field):
                    changed[field] = _contact(field, text)
                    setattr(municipality, field, changed[field])
            if changed:
                await self.session.flush()
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="municipality.updated",
                    subject_type="municipality",
                    subject_id=municipality.id,
                    data=changed,
                )
        return municipality

    async def set_look(self, actor: Actor, municipality_id: int, theme: str, logo_url: str) -> Municipality:
        """The platform administrator gives a municipality one of the shipped looks and a logo (or none),
        as `buurtbudget places set-theme` does; audited when something changed."""
        if not actor.is_platform_admin:
            raise NotAllowed(ONLY_PLATFORM_LOOKS)
        municipality = await self.municipality(municipality_id)
        return await looks.set_look(
            self.session, municipality.cbs_code, theme, logo_url=logo_url, actor_id=actor.person_id
        )

    # --- neighbourhoods -----------------------------------------------------------------------

    async def free_slug(self, name: str, municipality: Municipality, own_id: int | None = None) -> str:
        """A slug for the name, made unique with the municipality's slug and a number if needed."""
        base = codes.slugify(name) or "buurt"
        for candidate in (base, f"{base}-{municipality.slug}"):
            found = await self.session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == candidate))
            if found is None or found == own_id:
                return candidate
        number = 2
        while True:
            candidate = f"{base}-{municipality.slug}-{number}"
            found = await self.session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == candidate))
            if found is None or found == own_id:
                return candidate
            number += 1

    async def _code_is_free(self, code: str, own_id: int | None) -> None:
        found = await self.session.scalar(select(Neighbourhood.id).where(Neighbourhood.cbs_code == code))
        if found is not None and found != own_id:
            raise Conflict("a neighbourhood with this CBS code exists already", field="cbs_code")

    async def create_neighbourhood(
        self,
        actor: Actor,
        municipality_id: int,
        *,
        name: str,
        cbs_code: str,
        district: str | None = None,
        boundary: str | None = None,
    ) -> Neighbourhood:
        clean_name = _name(name)
        clean_district = _district(district)
        clean_boundary = checked_boundary(boundary) if boundary and boundary.strip() else None
        async with transaction(self.session):
            municipality = await self.administered(actor, municipality_id)
            code = _neighbourhood_code(cbs_code, municipality)
            await self._code_is_free(code, None)
            neighbourhood = Neighbourhood(
                municipality_id=municipality.id,
                name=clean_name,
                slug=await self.free_slug(clean_name, municipality),
                cbs_code=code,
                district=clean_district,
                boundary=clean_boundary,
            )
            self.session.add(neighbourhood)
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="neighbourhood.created",
                subject_type="neighbourhood",
                subject_id=neighbourhood.id,
                data={"name": clean_name, "cbs_code": code, "district": clean_district},
            )
        return await self.neighbourhood(neighbourhood.id)

    async def update_neighbourhood(
        self,
        actor: Actor,
        neighbourhood_id: int,
        changes: NeighbourhoodChanges,
        *,
        municipality_id: int | None = None,
    ) -> Neighbourhood:
        """Rename, move to a district, correct the CBS code, set or clear the boundary."""
        async with transaction(self.session):
            neighbourhood = await self.administered_neighbourhood(actor, neighbourhood_id, municipality_id)
            changed: dict[str, str | bool | None] = {}
            if changes.name is not None and _name(changes.name) != neighbourhood.name:
                changed["name"] = neighbourhood.name = _name(changes.name)
            if changes.district is not None and _district(changes.district) != neighbourhood.district:
                changed["district"] = neighbourhood.district = _district(changes.district)
            if changes.cbs_code is not None and changes.cbs_code.strip().upper() != neighbourhood.cbs_code:
                code = _neighbourhood_code(changes.cbs_code, neighbourhood.municipality)
                await self._code_is_free(code, neighbourhood.id)
                changed["cbs_code"] = neighbourhood.cbs_code = code
            if changes.clear_boundary and neighbourhood.boundary is not None:
                neighbourhood.boundary = None
                changed["boundary"] = False
            elif changes.boundary is not None and changes.boundary.strip():
                boundary = checked_boundary(changes.boundary)
                if boundary != neighbourhood.boundary:
                    neighbourhood.boundary = boundary
                    changed["boundary"] = True
            if changed:
                await self.session.flush()
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="neighbourhood.updated",
                    subject_type="neighbourhood",
                    subject_id=neighbourhood.id,
                    data=changed,
                )
        return neighbourhood

    async def set_border(
        self,
        actor: Actor,
        neighbourhood_id: int,
        other_id: int,
        *,
        adjacent: bool,
        municipality_id: int | None = None,
    ) -> None:
        """Two neighbourhoods border on each other (both directions), or no longer do."""
        if neighbourhood_id == other_id:
            raise InvalidInput("a neighbourhood does not border on itself", field="adjacent_id")
        async with transaction(self.session):
            first = await self.administered_neighbourhood(actor, neighbourhood_id, municipality_id)
            second = await self.neighbourhood(other_id)
            if not actor.administers(second.municipality_id):
                raise NotAllowed(
                    "a border with another municipality's neighbourhood is set by both municipalities' "
                    "administrators or the platform administrator"
                )
            pairs: Sequence[tuple[int, int]] = ((first.id, second.id), (second.id, first.id))
            changed = False
            for a, b in pairs:
                link = await self.session.get(Adjacency, (a, b))
                if adjacent and link is None:
                    self.session.add(Adjacency(neighbourhood_id=a, adjacent_id=b))
                    changed = True
                elif not adjacent and link is not None:
                    await self.session.delete(link)
                    changed = True
            if changed:
                await self.session.flush()
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="neighbourhood.border_set" if adjacent else "neighbourhood.border_removed",
                    subject_type="neighbourhood",
                    subject_id=first.id,
                    data={"adjacent_id": second.id},
                )
