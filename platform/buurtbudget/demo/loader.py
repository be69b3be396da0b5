"""Loads the demo through the real services (with timelines and audit); loading twice changes nothing."""

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.transaction import transaction
from buurtbudget.demo.front_door import load_front_door
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.rules import CostLineInput, DraftContent, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.allocation.pabulib import read_pabulib
from buurtbudget.jury.models import Round
from buurtbudget.jury.pabulib_import import PabulibImport
from buurtbudget.people import service as people
from buurtbudget.people.roles import Actor, Grant, Role
from buurtbudget.people.verification import ensure_verified
from buurtbudget.places import service as places
from buurtbudget.places.imports import PlacesImport
from buurtbudget.places.models import Municipality, Neighbourhood, Postcode
from buurtbudget.pots.guide import GuideInput, PotGuideService
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService
from buurtbudget.workdays import AMSTERDAM

DATA_FILE = Path(__file__).with_name("neighbourhoods.toml")
POSTCODE_FILE = Path(__file__).with_name("postcodes.csv")  # postcode;buurtcode, as a municipality imports
POT_NAME = "Buurtbudget 2026"
DECIDED_FILE = "Netherlands_Amsterdam_588.pb"  # 212 voters, 15 projects: the demo's decided round
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))

Progress = Callable[[str], None]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class DemoCounts:
    neighbourhoods: int = 0
    initiatives: int = 0


class DemoLoader:
    """Creates what is missing and leaves what exists alone."""

    def __init__(self, session: AsyncSession, pabulib_dir: Path, progress: Progress | None = None) -> None:
        self.session = session
        self.pabulib_dir = pabulib_dir
        self.progress = progress or (lambda _label: None)
        self.pots = PotService(session)
        self.initiatives = InitiativeService(session)
        self._actors: dict[tuple[str, frozenset[Grant]], Actor] = {}

    async def _person(self, entry: dict[str, str], *grants: Grant) -> Actor:
        key = (entry["email"], frozenset(grants))
        if key in self._actors:
            return self._actors[key]
        async with transaction(self.session):
            person = await people.get_or_create(
                self.session, entry["email"], actor_id=None, display_name=entry["name"]
            )
            for grant in grants:
                if grant.role == Role.RESIDENT and grant.neighbourhood_id is not None:
                    # Residents are verified, not assigned (the demo's are approved once).
                    await ensure_verified(self.session, person, grant.neighbourhood_id)
                else:
                    await people.assign_role(self.session, person, grant, actor_id=None)
        self._actors[key] = people.actor_for(await people.get_person(self.session, person.id))
        return self._actors[key]

    async def _place(
        self, municipality: dict[str, str], name: str, slug: str, cbs_code: str, district: str | None = None
    ) -> tuple[Municipality, Neighbourhood]:
        async with transaction(self.session):
            town = await places.ensure_municipality(
                self.session, name=municipality["name"], cbs_code=municipality["cbs_code"], actor_id=None
            )
            neighbourhood = await places.ensure_neighbourhood(
                self.session, town, name=name, slug=slug, cbs_code=cbs_code, actor_id=None, district=district
            )
        return town, neighbourhood

    async def _pot(
        self,
        admin: Actor,
        neighbourhood: Neighbourhood,
        cents: int,
        themes: dict[str, int],
        guide: GuideInput | None = None,
    ) -> None:
        existing = (
            await self.session.execute(
                select(Pot).where(Pot.neighbourhood_id == neighbourhood.id, Pot.name == POT_NAME)
            )
        ).scalar_one_or_none()
        if existing is not None:
            return
        pot = await self.pots.create_pot(
            admin,
            neighbourhood_id=neighbourhood.id,
            name=POT_NAME,
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        )
        await self.pots.fund(admin, pot.id, cents, "Gemeentelijke bijdrage 2026")
        for theme, theme_cents in themes.items():
            await self.pots.earmark(admin, pot.id, theme, theme_cents)
        if guide is not None:
            await PotGuideService(self.session).set_guide(admin, pot.id, guide)

    async def _initiative(
        self,
        neighbourhood: Neighbourhood,
        owner: Actor,
        broker: Actor,
        content: DraftContent,
        steps: Iterable[str],
    ) -> bool:
        exists = (
            await self.session.execute(
                select(Initiative.id).where(
                    Initiative.neighbourhood_id == neighbourhood.id, Initiative.title == content.title
                )
            )
        ).first()
        if exists is not None:
            return False
        initiative = await self.initiatives.create_draft(owner, neighbourhood.id, content)
        for step in steps:
            action = Action(step)
            acting = (
                broker
                if action in {Action.START_REVIEW, Action.MARK_READY, Action.RETURN_TO_DRAFT}
                else owner
            )
            await self.initiatives.act(acting, initiative.id, action)
        return True

    async def _decided_round(self, admin: Actor, neighbourhood: Neighbourhood, path: Path) -> int:
        """The neighbourhood's real vote imported as a closed round (projects, ballots, published result)."""
        pot = (
            await self.session.execute(
                select(Pot).where(Pot.neighbourhood_id == neighbourhood.id, Pot.name == POT_NAME)
            )
        ).scalar_one()
        if (await self.session.execute(select(Round.id).where(Round.pot_id == pot.id))).first():
            return 0
        imported = await PabulibImport(self.session).import_file(admin, pot.id, path)
        return len(imported.initiative_ids)

    async def _postcodes(self) -> None:
        """The demo's small postcode table, imported as a municipality would (once)."""
        if await self.session.scalar(select(Postcode.id).limit(1)) is not None:
            return
        known = set((await self.session.scalars(select(Neighbourhood.cbs_code))).all())
        header, *lines = POSTCODE_FILE.read_text(encoding="utf-8").splitlines()
        # Amsterdam's neighbourhoods exist only when its Pabulib files were there to read.
        present = [line for line in lines if line.rsplit(";", 1)[-1] in known]
        operator = Actor(person_id=None, grants=frozenset({Grant(Role.PLATFORM_ADMIN)}))
        content = "\n".join([header, *present]).encode()
        await PlacesImport(self.session).import_postcodes(operator, None, content)

    def _amsterdam_files(self) -> list[Path]:
        return sorted((self.pabulib_dir / "nl").glob("Netherlands_Amsterdam_*.pb"))

    def total_steps(self) -> int:
        """How many times `progress` will be called: for a progress bar."""
        data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
        neighbourhoods = sum(len(m["neighbourhoods"]) for m in data["municipalities"])
        return neighbourhoods + len(data["initiatives"]) + len(self._amsterdam_files())

    async def load(self) -> DemoCounts:
        data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
        counts = DemoCounts()
        brokers: dict[str, Actor] = {}
        by_slug: dict[str, Neighbourhood] = {}
        for municipality in data["municipalities"]:
            neighbourhood_entries = municipality["neighbourhoods"]
            for entry in neighbourhood_entries:
                self.progress(entry["name"])
                town, neighbourhood = await self._place(
                    municipality, entry["name"], entry["slug"], entry["cbs_code"]
                )
                by_slug[entry["slug"]] = neighbourhood
                admin = await self._person(
                    municipality["admin"], Grant(Role.MUNICIPALITY_ADMIN, municipality_id=town.id)
                )
                brokers[entry["slug"]] = await self._person(
                    entry["broker"], Grant(Role.BROKER, neighbourhood.id)
                )
                cents = entry["budget_euros"] * 100
                await self._pot(admin, neighbourhood, cents, {}, _guide(data["pot_guide"]))
                counts.neighbourhoods += 1
            for entry in neighbourhood_entries:
                for other in entry.get("adjacent", []):
                    async with transaction(self.session):
                        await places.ensure_adjacent(self.session, by_slug[entry["slug"]], by_slug[other])
        for entry in data["initiatives"]:
            neighbourhood = by_slug[entry["neighbourhood"]]
            owner = await self._person(entry["initiator"], Grant(Role.RESIDENT, neighbourhood.id))
            self.progress(entry["title"])
            counts.initiatives += await self._initiative(
                neighbourhood, owner, brokers[entry["neighbourhood"]], _content(entry), entry["steps"]
            )
        await self._amsterdam(data["amsterdam"], counts)
        await load_front_door(self.session)  # looks, spaces, volunteers, a consenting initiator
        await self._postcodes()
        return counts

    async def _amsterdam(self, config: dict[str, Any], counts: DemoCounts) -> None:
        """Neighbourhood budgets of Amsterdam, read from the Pabulib files at load time."""
        elections = [(path, read_pabulib(path)) for path in self._amsterdam_files()]
        editions = Counter(_amsterdam_place(dict(e.meta), p) for p, e in elections)
        for path, election in elections:
            meta = dict(election.meta)
            name, district = _amsterdam_place(meta, path)
            instance = meta.get("instance", path.stem.rsplit("_", 1)[-1])
            self.progress(name)
            slug = f"{slugify(name)}-{instance}"
            if editions[name, district] > 1 and meta.get("date_begin"):
                # The same area's budget in several years (Centrum Begroot 2020, 2021, 2022): the year
                # tells them apart where the district cannot.
                name = f"{name} {meta['date_begin']}"
            town, neighbourhood = await self._place(config, name, slug, f"GM0363-{instance}", district)
            admin = await self._person(
                {"name": "Team Buurtbudget Amsterdam", "email": "buurtbudget@amsterdam.example.org"},
                Grant(Role.MUNICIPALITY_ADMIN, municipality_id=town.id),
            )
            broker = await self._person(config["broker"], Grant(Role.BROKER, neighbourhood.id))
            budget = _cents(election.budget)
            if path.name == DECIDED_FILE:  # its vote becomes a closed round, with its own initiatives
                await self._pot(admin, neighbourhood, budget, {})
                counts.initiatives += await self._decided_round(admin, neighbourhood, path)
                counts.neighbourhoods += 1
                continue
            await self._pot(admin, neighbourhood, budget, _fits(_theme_budgets(meta), budget))
            support = Counter(project for ballot in election.ballots for project in ballot.approved)
            chosen = sorted(election.projects, key=lambda p: (-support[p.id], p.id))
            ready = config["ready_for_jury_per_neighbourhood"]
            for index, project in enumerate(chosen[: config["projects_per_neighbourhood"]]):
                owner = await self._person(
                    {
                        "name": f"Bewoner {index + 1} {name}",
                        "email": f"bewoner{index + 1}.{slugify(name)}-{instance}@example.org",
                    },
                    Grant(Role.RESIDENT, neighbourhood.id),
                )
                content = DraftContent(
                    title=project.name[:150] if len(project.name) >= 3 else f"Project {project.id}",
                    summary=project.name,
                    themes=sorted(category[:80] for category in project.categories)[:8],
                    cost_lines=[CostLineInput(project.name[:200] or project.id, _cents(project.cost))],
                )
                steps = ["submit", "start_review", "mark_ready"] if index < ready else ["submit"]
                counts.initiatives += await self._initiative(neighbourhood, owner, broker, content, steps)
            counts.neighbourhoods += 1


def _amsterdam_place(meta: dict[str, str], path: Path) -> tuple[str, str | None]:
    """A Pabulib file's neighbourhood name and its stadsdeel (the district that tells equal names apart)."""
    name = meta.get("description", path.stem).removeprefix("Buurtbudget ").strip()
    return name, meta.get("district") or None


def _guide(entry: dict[str, Any]) -> GuideInput:
    return GuideInput(
        max_per_initiative_cents=entry["max_per_initiative_euros"] * 100,
        criteria=entry["criteria"].strip(),
        next_round_on=entry["next_round_on"],
        payment_text=entry["payment_text"].strip(),
    )


def _cents(euros: Fraction) -> int:
    return int(euros * 100)


def _theme_budgets(meta: dict[str, str]) -> dict[str, int]:
    categories = [c.strip().lower() for c in meta.get("categories", "").split(",") if c.strip()]
    amounts = [a.strip() for a in meta.get("budget_per_category", "").split(",") if a.strip()]
    if len(categories) != len(amounts):
        return {}
    return {category: int(amount) * 100 for category, amount in zip(categories, amounts, strict=True)}


def _fits(themes: dict[str, int], total_cents: int) -> dict[str, int]:
    """Pabulib's category budgets are upper bounds that may exceed the pot: earmark them only if they fit."""
    return themes if sum(themes.values()) <= total_cents else {}


def _content(entry: dict[str, Any]) -> DraftContent:
    space = entry.get("space")
    start = date(2026, 3, 3)
    return DraftContent(
        title=entry["title"],
        summary=entry["summary"],
        themes=entry["themes"],
        cost_lines=[CostLineInput(d, amount, essential) for d, amount, essential in entry["cost_lines"]],
        volunteer_needs=[VolunteerNeedInput(skill, hours) for skill, hours in entry.get("volunteers", [])],
        space_needs=[]
        if space is None
        else [
            SpaceNeedInput(
                space[0],
                space[1],
                datetime.combine(start, time(18), AMSTERDAM),
                datetime.combine(start, time(21), AMSTERDAM),
            )
        ],
    )
