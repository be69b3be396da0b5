"""GrantService: what rounds awarded an initiative, and the initiators' answer to a partial grant."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.models import Grant, Round
from buurtbudget.people.roles import Actor
from buurtbudget.pots.service import PotService


class GrantService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def grants_of(self, initiative_id: int) -> list[Grant]:
        """Every grant of the initiative, oldest first."""
        rows = await self.session.scalars(
            select(Grant).where(Grant.initiative_id == initiative_id).order_by(Grant.id)
        )
        return list(rows)

    async def waiting(self, initiative_id: int, *, lock: bool = False) -> Grant | None:
        """The partial grant of the initiative that waits for its initiators' answer, if any."""
        query = select(Grant).where(
            Grant.initiative_id == initiative_id, Grant.partial, Grant.answer.is_(None)
        )
        return (await self.session.execute(query.with_for_update() if lock else query)).scalar_one_or_none()

    async def answer(self, actor: Actor, initiative_id: int, *, accept: bool) -> Grant:
        """Accept or decline the waiting partial grant: its money is granted, or goes back to the pot."""
        async with transaction(self.session):
            initiatives = InitiativeService(self.session)
            await initiatives.get(actor, initiative_id)
            grant = await self.waiting(initiative_id, lock=True)
            if grant is None:
                raise Conflict("there is no partial grant waiting for an answer", field="initiative_id")
            pot_id = (
                await self.session.execute(select(Round.pot_id).where(Round.id == grant.round_id))
            ).scalar_one()
            await PotService(self.session).lock(pot_id)  # before the answer's audit entry (lock order)
            # The lifecycle step checks that the actor is one of the initiators before money moves.
            await initiatives.record_answer(
                actor, initiative_id, Action.ACCEPT_GRANT if accept else Action.DECLINE_GRANT
            )
            await PotService(self.session).settle_offer(actor, pot_id, initiative_id, accepted=accept)
            grant.answer = "accepted" if accept else "declined"
            grant.answered_at = utcnow()
            await record(
                self.session,
                actor_id=actor.person_id,
                action=f"grant.{grant.answer}",
                subject_type="initiative",
                subject_id=initiative_id,
                data={"round_id": grant.round_id, "granted_cents": grant.granted_cents},
            )
        return grant
