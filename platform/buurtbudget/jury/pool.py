"""JuryPoolService: verified residents volunteer for their neighbourhood's jury pool, or withdraw;
the municipality configures the attributes the pool is stratified by (see `jury.attributes`)."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.jury.attributes import JuryAttribute, check_volunteer, parse_attributes, stored_form
from buurtbudget.jury.models import JuryVolunteer, Round
from buurtbudget.people.roles import Actor, Role
from buurtbudget.people.verification_errors import NotVerified
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.pots.models import Pot

NOT_VERIFIED = N_("verify first that you live in {neighbourhood}")


async def attributes_of(session: AsyncSession, municipality_id: int) -> tuple[JuryAttribute, ...]:
    """The municipality's jury attributes (its own, or the defaults)."""
    stored = await session.scalar(
        select(Municipality.jury_attributes).where(Municipality.id == municipality_id)
    )
    return parse_attributes(stored)


def require_resident(actor: Actor, neighbourhood: Neighbourhood) -> None:
    """Refused, with a link to verifying on pages, unless the actor is a verified resident there."""
    if not actor.has(Role.RESIDENT, neighbourhood_id=neighbourhood.id):
        raise NotVerified(
            NOT_VERIFIED, neighbourhood_name=neighbourhood.name, neighbourhood_slug=neighbourhood.slug
        )


class JuryPoolService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        neighbourhood = await self.session.get(Neighbourhood, neighbourhood_id)
        if neighbourhood is None:
            raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
        return neighbourhood

    async def municipality_attributes(self, cbs_code: str) -> tuple[Municipality, tuple[JuryAttribute, ...]]:
        """A municipality found by its CBS code (e.g. GM0344), with its jury attributes."""
        municipality = (
            await self.session.execute(select(Municipality).where(Municipality.cbs_code == cbs_code.upper()))
        ).scalar_one_or_none()
        if municipality is None:
            raise NotFound("no such municipality", cbs_code=cbs_code)
        return municipality, parse_attributes(municipality.jury_attributes)

    async def attributes(self, neighbourhood_id: int) -> tuple[JuryAttribute, ...]:
        neighbourhood = await self._neighbourhood(neighbourhood_id)
        return await attributes_of(self.session, neighbourhood.municipality_id)

    async def membership(self, person_id: int | None, neighbourhood_id: int) -> JuryVolunteer | None:
        if person_id is None:
            return None
        return (
            await self.session.execute(
                select(JuryVolunteer).where(
                    JuryVolunteer.person_id == person_id, JuryVolunteer.neighbourhood_id == neighbourhood_id
                )
            )
        ).scalar_one_or_none()

    async def jury_rounds(self, neighbourhood_id: int, limit: int = 5) -> list[Round]:
        """The neighbourhood's latest jury rounds: their draws can be checked by anyone."""
        rows = await self.session.execute(
            select(Round)
            .join(Pot, Pot.id == Round.pot_id)
            .where(Pot.neighbourhood_id == neighbourhood_id, Round.mode == "jury")
            .order_by(Round.voting_opens_at.desc(), Round.id.desc())
            .limit(limit)
        )
        return list(rows.scalars())

    async def volunteer(
        self, actor: Actor, neighbourhood_id: int, answers: Mapping[str, str]
    ) -> JuryVolunteer:
        """A verified resident joins the pool (or changes their answers); only configured values."""
        async with transaction(self.session):
            neighbourhood = await self._neighbourhood(neighbourhood_id)
            require_resident(actor, neighbourhood)
            checked = check_volunteer(
                await attributes_of(self.session, neighbourhood.municipality_id), answers
            )
            existing = await self.membership(actor.person_id, neighbourhood_id)
            if existing is not None:
                existing.attributes = checked
                action, volunteer = "jury.pool_answers_changed", existing
            else:
                volunteer = JuryVolunteer(
                    person_id=actor.person_id, neighbourhood_id=neighbourhood_id, attributes=checked
                )
                self.session.add(volunteer)
                action = "jury.pool_joined"
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action=action,
                subject_type="neighbourhood",
                subject_id=neighbourhood_id,
            )
        return volunteer

    async def withdraw(self, actor: Actor, neighbourhood_id: int) -> bool:
        """Leave the pool (rounds already frozen keep their snapshot); False when not in it."""
        async with transaction(self.session):
            existing = await self.membership(actor.person_id, neighbourhood_id)
            if existing is None:
                return False
            await self.session.delete(existing)
            await record(
                self.session,
                actor_id=actor.person_id,
                action="jury.pool_left",
                subject_type="neighbourhood",
                subject_id=neighbourhood_id,
            )
        return True

    async def set_attributes(
        self, actor: Actor, municipality_id: int, attributes: Sequence[Mapping[str, Any]] | None
    ) -> tuple[JuryAttribute, ...]:
        """The municipality's administrator sets the attributes (None or empty: back to the defaults)."""
        parsed = parse_attributes(attributes)
        async with transaction(self.session):
            municipality = await self.session.get(Municipality, municipality_id)
            if municipality is None:
                raise NotFound("no such municipality", municipality_id=municipality_id)
            if not actor.administers(municipality_id):
                raise NotAllowed("only the municipality's administrator sets the jury attributes")
            municipality.jury_attributes = stored_form(parsed) if attributes else None
            await record(
                self.session,
                actor_id=actor.person_id,
                action="jury.attributes_set",
                subject_type="municipality",
                subject_id=municipality_id,
                data={"attributes": stored_form(parsed)},
            )
        return parsed
