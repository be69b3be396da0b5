"""What every round use case reads: the round (locked or not), its pot and neighbourhood, its ballots."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.errors import InvalidInput, NotFound
from buurtbudget.jury.models import CastBallot, Recusal, Round
from buurtbudget.people.roles import Actor
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot


class RoundBase:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _pot(self, pot_id: int) -> Pot:
        pot = await self.session.get(Pot, pot_id)
        if pot is None:
            raise InvalidInput("no such pot", field="pot_id")
        return pot

    async def _neighbourhood_of(self, pot_id: int) -> Neighbourhood:
        pot = await self._pot(pot_id)
        neighbourhood = await self.session.get(Neighbourhood, pot.neighbourhood_id)
        if neighbourhood is None:
            raise NotFound("no such neighbourhood")
        return neighbourhood

    async def _round(self, round_id: int, *, lock: str | None = None) -> Round:
        query = select(Round).where(Round.id == round_id).execution_options(populate_existing=True)
        if lock == "share":
            query = query.with_for_update(read=True)
        elif lock == "update":
            query = query.with_for_update()
        found = (await self.session.execute(query)).scalar_one_or_none()
        if found is None:
            raise NotFound("no such round", round_id=round_id)
        return found

    async def _audit(self, actor: Actor | None, action: str, round_: Round, **data: object) -> None:
        await record(
            self.session,
            actor_id=None if actor is None else actor.person_id,
            action=f"round.{action}",
            subject_type="round",
            subject_id=round_.id,
            data=dict(data),
        )

    async def ballots(self, round_id: int) -> list[dict[int, int]]:
        """The round's ballots as counted, anonymous: no voter ids, no recused marks, ordered by content.

        A mark for an initiative its voter is recused from never counts, however late the recusal was
        recorded. The order (by sorted marks) says nothing about who cast a ballot, and it is the same
        for the tally and the published export, so anyone redoes the tally on exactly the sequence it saw.
        """
        rows = await self.session.execute(
            select(CastBallot.voter_id, CastBallot.marks).where(CastBallot.round_id == round_id)
        )
        recused = set(
            (
                await self.session.execute(
                    select(Recusal.person_id, Recusal.initiative_id).where(Recusal.round_id == round_id)
                )
            ).tuples()
        )
        ballots = [
            {int(k): int(v) for k, v in marks.items() if v and (voter, int(k)) not in recused}
            for voter, marks in rows.tuples()
        ]
        return sorted(ballots, key=lambda ballot: sorted(ballot.items()))
