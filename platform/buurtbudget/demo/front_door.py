"""The demo's front door: each municipality's look, spaces, volunteers and a consenting initiator.

Loading twice changes nothing: what exists is left alone (a look an administrator changed stays).
"""

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.models import Initiative
from buurtbudget.people import service as people
from buurtbudget.people.models import RoleAssignment
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places import looks
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.places.themes import DEFAULT_THEME
from buurtbudget.similar.service import SimilarService
from buurtbudget.spaces.models import Space
from buurtbudget.spaces.periods import Window
from buurtbudget.spaces.rules import SpaceInput
from buurtbudget.spaces.service import SpaceService
from buurtbudget.volunteers.models import VolunteerProfile
from buurtbudget.volunteers.rules import ProfileInput, WeeklyInput
from buurtbudget.volunteers.service import VolunteerService

DATA_FILE = Path(__file__).with_name("front_door.toml")


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


async def _actor(session: AsyncSession, email: str, name: str | None = None) -> Actor:
    async with transaction(session):
        person = await people.get_or_create(session, email, actor_id=None, display_name=name)
    return people.actor_for(await people.get_person(session, person.id))


async def _broker_of(session: AsyncSession, neighbourhood: Neighbourhood) -> Actor:
    person_id = await session.scalar(
        select(RoleAssignment.person_id)
        .where(RoleAssignment.role == Role.BROKER.value, RoleAssignment.neighbourhood_id == neighbourhood.id)
        .order_by(RoleAssignment.person_id)
        .limit(1)
    )
    if person_id is None:
        raise LookupError(f"the demo has no broker in {neighbourhood.slug}")
    return await people.actor_of(session, person_id)


async def load_front_door(session: AsyncSession) -> None:
    data: dict[str, Any] = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    by_slug = {n.slug: n for n in (await session.execute(select(Neighbourhood))).scalars()}
    for cbs_code, theme in data["looks"].items():
        current = await session.scalar(select(Municipality.theme).where(Municipality.cbs_code == cbs_code))
        if current == DEFAULT_THEME:
            await looks.set_look(session, cbs_code, theme, actor_id=None)
    for entry in data["spaces"]:
        neighbourhood = by_slug[entry["neighbourhood"]]
        exists = await session.scalar(
            select(Space.id).where(Space.neighbourhood_id == neighbourhood.id, Space.name == entry["name"])
        )
        if exists is not None:
            continue
        await SpaceService(session).register(
            await _broker_of(session, neighbourhood),
            SpaceInput(
                name=entry["name"],
                neighbourhood_id=neighbourhood.id,
                capacity=entry["capacity"],
                description=entry["description"],
                address=entry["address"],
                price_per_hour_cents=0,
                wheelchair_accessible=entry["wheelchair_accessible"],
                accessible_toilet=entry["accessible_toilet"],
                facilities=list(entry["facilities"]),
                opening_hours=[Window(day, _minute(a), _minute(b)) for day, a, b in entry["opening_hours"]],
            ),
        )
    for entry in data["volunteers"]:
        actor = await _actor(session, entry["email"], entry["name"])
        has_profile = await session.scalar(
            select(VolunteerProfile.id).where(VolunteerProfile.person_id == actor.person_id)
        )
        if has_profile is not None:
            continue
        await VolunteerService(session).save_profile(
            actor,
            ProfileInput(
                neighbourhood_id=by_slug[entry["neighbourhood"]].id,
                skills=list(entry["skills"]),
                themes=list(entry["themes"]),
                weekly=[WeeklyInput(day, start, end) for day, start, end in entry["weekly"]],
                consent=True,
            ),
        )
    for entry in data["contact_consent"]:
        actor = await _actor(session, entry["email"])
        initiative_id = await session.scalar(
            select(Initiative.id).where(Initiative.title == entry["initiative"])
        )
        if initiative_id is not None:
            await SimilarService(session).set_consent(actor, initiative_id, True)
