"""Importing neighbourhoods and postcodes from CSV: the whole file is checked first, then written in one
transaction with one audit entry; a file with any bad line writes nothing.

`plan_*` checks a file and says what it would do (the page's preview); `import_*` does it, checking
again inside its transaction, so what was previewed and what is written cannot drift apart.
"""

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.people.roles import Actor
from buurtbudget.places import codes
from buurtbudget.places.admin import PlacesAdmin
from buurtbudget.places.csv_import import (
    NOT_A_BUURTCODE,
    ImportRefused,
    LineProblem,
    NeighbourhoodRow,
    PostcodeRow,
    read_neighbourhoods,
    read_postcodes,
)
from buurtbudget.places.models import Municipality, Neighbourhood, Postcode


@dataclass(frozen=True, slots=True)
class Change:
    """One line of a neighbourhood file and what it does: new, renamed or moved, or nothing."""

    row: NeighbourhoodRow
    previous_name: str | None = None
    previous_district: str | None = None


@dataclass(slots=True)
class NeighbourhoodPlan:
    municipality: Municipality
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0


@dataclass(slots=True)
class PostcodePlan:
    municipality: Municipality | None
    rows: list[PostcodeRow] = field(default_factory=list)
    postcodes: int = 0  # distinct postcodes (or areas) in the file
    replaced: int = 0  # of which the table held some already (their neighbourhoods are replaced)
    neighbourhoods: dict[str, Neighbourhood] = field(default_factory=dict)


class PlacesImport:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.admin = PlacesAdmin(session)

    async def _municipality_by_code(self, cbs_code: str) -> Municipality | None:
        found: Municipality | None = await self.session.scalar(
            select(Municipality).where(Municipality.cbs_code == cbs_code.strip().upper())
        )
        return found

    async def municipality_id_of(self, cbs_code: str) -> int:
        found = await self._municipality_by_code(cbs_code)
        if found is None:
            raise NotFound("no municipality has this CBS code", cbs_code=cbs_code)
        return found.id

    # --- neighbourhoods -----------------------------------------------------------------------

    async def plan_neighbourhoods(
        self, actor: Actor, municipality_id: int, content: bytes
    ) -> NeighbourhoodPlan:
        """What the file would do; ImportRefused with every problem when any line is bad."""
        municipality = await self.admin.administered(actor, municipality_id)
        if not codes.is_municipality_code(municipality.cbs_code):
            raise InvalidInput(
                "this municipality has no CBS code (GM and 4 digits) to check the file by", field="file"
            )
        rows = read_neighbourhoods(content, municipality.cbs_code)
        existing = {
            n.cbs_code: n
            for n in (
                await self.session.scalars(
                    select(Neighbourhood)
                    .options(selectinload(Neighbourhood.municipality))
                    .where(Neighbourhood.cbs_code.in_([row.cbs_code for row in rows]))
                )
            ).all()
        }
        plan = NeighbourhoodPlan(municipality)
        problems: list[LineProblem] = []
        for row in rows:
            current = existing.get(row.cbs_code)
            if current is None:
                plan.new.append(Change(row))
            elif current.municipality_id != municipality.id:
                problems.append(
                    LineProblem(
                        row.line,
                        N_("{code} is a neighbourhood of another municipality already"),
                        {"code": row.cbs_code},
                    )
                )
            elif (current.name, current.district) != (row.name, row.district):
                plan.changed.append(Change(row, current.name, current.district))
            else:
                plan.unchanged += 1
        if problems:
            raise ImportRefused(problems)
        return plan

    async def import_neighbourhoods(
        self, actor: Actor, municipality_id: int, content: bytes
    ) -> NeighbourhoodPlan:
        """Insert the new neighbourhoods and update the others by CBS code; all or nothing."""
        async with transaction(self.session):
            plan = await self.plan_neighbourhoods(actor, municipality_id, content)
            await self._write_neighbourhoods(actor, plan)
        return plan

    async def import_neighbourhoods_as_operator(
        self, actor: Actor, municipality_code: str, content: bytes
    ) -> NeighbourhoodPlan:
        """The command line: the municipality is registered first when the file names it (gemeentenaam)."""
        code = municipality_code.strip().upper()
        if not codes.is_municipality_code(code):
            raise InvalidInput(
                "a CBS code of a municipality is GM and 4 digits, like GM0344", field="municipality"
            )
        async with transaction(self.session):
            municipality = await self._municipality_by_code(code)
            if municipality is None:
                if not actor.is_platform_admin:
                    raise NotAllowed("only the platform administrator adds municipalities")
                rows = read_neighbourhoods(content, code)
                name = next((row.municipality_name for row in rows if row.municipality_name), None)
                if name is None:
                    raise NotFound("no municipality has this CBS code", cbs_code=code)
                municipality = Municipality(
                    name=name, cbs_code=code, slug=codes.slugify(name) or code.lower()
                )
                self.session.add(municipality)
                await self.session.flush()
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="municipality.created",
                    subject_type="municipality",
                    subject_id=municipality.id,
                    data={"name": name, "cbs_code": code},
                )
            plan = await self.plan_neighbourhoods(actor, municipality.id, content)
            await self._write_neighbourhoods(actor, plan)
        return plan

    async def _write_neighbourhoods(self, actor: Actor, plan: NeighbourhoodPlan) -> None:
        municipality = plan.municipality
        for change in plan.new:
            row = change.row
            self.session.add(
                Neighbourhood(
                    municipality_id=municipality.id,
                    name=row.name,
                    slug=await self.admin.free_slug(row.name, municipality),
                    cbs_code=row.cbs_code,
                    district=row.district,
                )
            )
            await self.session.flush()  # the next slug sees this one
        if plan.changed:
            by_code = {
                n.cbs_code: n
                for n in (
                    await self.session.scalars(
                        select(Neighbourhood).where(
                            Neighbourhood.cbs_code.in_([c.row.cbs_code for c in plan.changed])
                        )
                    )
                ).all()
            }
            for change in plan.changed:
                neighbourhood = by_code[change.row.cbs_code]
                neighbourhood.name, neighbourhood.district = change.row.name, change.row.district
            await self.session.flush()
        await record(
            self.session,
            actor_id=actor.person_id,
            action="neighbourhoods.imported",
            subject_type="municipality",
            subject_id=municipality.id,
            data={
                "created": [c.row.cbs_code for c in plan.new],
                "updated": [c.row.cbs_code for c in plan.changed],
                "unchanged": plan.unchanged,
            },
        )

    # --- postcodes ----------------------------------------------------------------------------

    async def plan_postcodes(self, actor: Actor, municipality_id: int | None, content: bytes) -> PostcodePlan:
        """Every code must name a known neighbourhood (of `municipality_id` when given) the actor
        administers; ImportRefused with every problem otherwise."""
        municipality = (
            None if municipality_id is None else await self.admin.administered(actor, municipality_id)
        )
        rows = read_postcodes(content)
        wanted = sorted({row.cbs_code for row in rows})
        known = {
            n.cbs_code: n
            for n in (
                await self.session.scalars(select(Neighbourhood).where(Neighbourhood.cbs_code.in_(wanted)))
            ).all()
        }
        problems: list[LineProblem] = []
        for row in rows:
            neighbourhood = known.get(row.cbs_code)
            if neighbourhood is None and not codes.is_neighbourhood_code(row.cbs_code):
                problems.append(LineProblem(row.line, NOT_A_BUURTCODE, {"code": row.cbs_code}))
            elif neighbourhood is None:
                problems.append(
                    LineProblem(
                        row.line,
                        N_("no neighbourhood has the CBS code {code}: import the neighbourhoods first"),
                        {"code": row.cbs_code},
                    )
                )
            elif (
                municipality is not None and neighbourhood.municipality_id != municipality.id
            ) or not actor.administers(neighbourhood.municipality_id):
                problems.append(
                    LineProblem(
                        row.line,
                        N_("{code} is a neighbourhood of another municipality"),
                        {"code": row.cbs_code},
                    )
                )
        if problems:
            raise ImportRefused(problems)
        postcodes = {row.postcode for row in rows}
        stored = set(
            (
                await self.session.scalars(
                    select(Postcode.postcode).where(
                        Postcode.postcode.in_(postcodes),
                        Postcode.municipality_id.in_({n.municipality_id for n in known.values()}),
                    )
                )
            ).all()
        )
        return PostcodePlan(municipality, rows, len(postcodes), len(stored & postcodes), known)

    async def import_postcodes(
        self, actor: Actor, municipality_id: int | None, content: bytes
    ) -> PostcodePlan:
        """Each postcode in the file gets the neighbourhoods the file names for it (those it had in the
        same municipality are replaced); all or nothing."""
        async with transaction(self.session):
            plan = await self.plan_postcodes(actor, municipality_id, content)
            municipalities = {n.municipality_id for n in plan.neighbourhoods.values()}
            postcodes = sorted({row.postcode for row in plan.rows})
            for start in range(0, len(postcodes), 500):
                await self.session.execute(
                    delete(Postcode).where(
                        Postcode.postcode.in_(postcodes[start : start + 500]),
                        Postcode.municipality_id.in_(municipalities),
                    )
                )
            values = [
                {
                    "postcode": row.postcode,
                    "area": row.postcode[:4],
                    "municipality_id": plan.neighbourhoods[row.cbs_code].municipality_id,
                    "neighbourhood_id": plan.neighbourhoods[row.cbs_code].id,
                }
                for row in plan.rows
            ]
            for start in range(0, len(values), 1000):
                await self.session.execute(insert(Postcode), values[start : start + 1000])
            for municipality_id_ in sorted(municipalities):
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="postcodes.imported",
                    subject_type="municipality",
                    subject_id=municipality_id_,
                    data={
                        "lines": sum(
                            1
                            for row in plan.rows
                            if plan.neighbourhoods[row.cbs_code].municipality_id == municipality_id_
                        ),
                        "postcodes": plan.postcodes,
                        "replaced": plan.replaced,
                    },
                )
        return plan
