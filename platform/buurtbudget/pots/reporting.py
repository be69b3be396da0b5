"""PotReportService: the municipality's view of its pots: balances, money per round, theme budgets."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, selectinload

from buurtbudget.errors import NotAllowed, NotFound
from buurtbudget.jury.models import Round
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places.models import Municipality, Neighbourhood
from buurtbudget.pots.ledger import Posting, PotSummary
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction, Pot
from buurtbudget.pots.report import RoundMoney, round_money
from buurtbudget.pots.service import PotService


@dataclass(frozen=True, slots=True)
class RoundLine:
    """One round's money, with what the page shows of the round."""

    money: RoundMoney
    name: str | None
    state: str | None


@dataclass(frozen=True, slots=True)
class PotReport:
    """A pot's money line: in = reserved + granted + paid + left; and the same per round.

    Paying out is not tracked yet (a later part adds disbursements): `paid_cents` is 0 until then.
    """

    pot: Pot
    neighbourhood: Neighbourhood
    summary: PotSummary
    themes: dict[str, int]
    rounds: list[RoundLine]
    paid_cents: int = 0
    payments_tracked: bool = False

    @property
    def received_cents(self) -> int:
        return self.summary.received_cents

    @property
    def reserved_cents(self) -> int:
        return self.summary.reserved_cents

    @property
    def granted_cents(self) -> int:
        return self.summary.granted_cents

    @property
    def left_cents(self) -> int:
        return self.summary.available_cents


@dataclass(frozen=True, slots=True)
class PotListing:
    """A pot in the municipality's list, with its neighbourhood, municipality and money line."""

    pot: Pot
    neighbourhood: Neighbourhood
    municipality: Municipality
    summary: PotSummary


def administered_municipalities(actor: Actor) -> set[int] | None:
    """The municipalities an actor administers (None: all, for platform administrators)."""
    if actor.is_platform_admin:
        return None
    return {
        grant.municipality_id
        for grant in actor.grants
        if grant.role is Role.MUNICIPALITY_ADMIN and grant.municipality_id is not None
    }


class PotReportService:
    """What a municipality reads about its pots; only its administrators (and platform administrators)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _scope(self, actor: Actor) -> set[int] | None:
        scope = administered_municipalities(actor)
        if scope is not None and not scope:
            raise NotAllowed("only the municipality manages its pots")
        return scope

    async def neighbourhoods(self, actor: Actor) -> list[Neighbourhood]:
        """The neighbourhoods an actor may make pots for, by municipality and name."""
        scope = self._scope(actor)
        query = (
            select(Neighbourhood)
            .join(Municipality)
            .options(contains_eager(Neighbourhood.municipality))
            .order_by(Municipality.name, Neighbourhood.name)
        )
        if scope is not None:
            query = query.where(Neighbourhood.municipality_id.in_(scope))
        return list((await self.session.execute(query)).scalars())

    async def pots(self, actor: Actor) -> list[PotListing]:
        """The pots of the municipalities the actor administers, newest period first."""
        scope = self._scope(actor)
        query = (
            select(Pot, Neighbourhood, Municipality)
            .join(Neighbourhood, Neighbourhood.id == Pot.neighbourhood_id)
            .join(Municipality, Municipality.id == Neighbourhood.municipality_id)
            .order_by(Municipality.name, Neighbourhood.name, Pot.period_start.desc(), Pot.id)
        )
        if scope is not None:
            query = query.where(Neighbourhood.municipality_id.in_(scope))
        rows = list((await self.session.execute(query)).tuples())
        summaries = await PotService(self.session).summaries([pot.id for pot, _n, _m in rows])
        return [PotListing(pot, hood, town, summaries[pot.id]) for pot, hood, town in rows]

    async def administered_pot(self, actor: Actor, pot_id: int) -> tuple[Pot, Neighbourhood]:
        """The pot and its neighbourhood, if the actor administers its municipality."""
        self._scope(actor)
        row = (
            await self.session.execute(
                select(Pot, Neighbourhood)
                .join(Neighbourhood, Neighbourhood.id == Pot.neighbourhood_id)
                .options(selectinload(Neighbourhood.municipality))  # the page wears its municipality's look
                .where(Pot.id == pot_id)
            )
        ).first()
        if row is None:
            raise NotFound("no such pot", pot_id=pot_id)
        pot, neighbourhood = row._tuple()
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed("only the municipality manages its pots")
        return pot, neighbourhood

    async def report(self, actor: Actor, pot_id: int) -> PotReport:
        """The pot's money line and its money per round, derived from the ledger."""
        pot, neighbourhood = await self.administered_pot(actor, pot_id)
        pots = PotService(self.session)
        rows = round_money(await self._transactions(pot.id))
        names = await self._rounds([row.round_id for row in rows if row.round_id is not None])
        return PotReport(
            pot=pot,
            neighbourhood=neighbourhood,
            summary=(await pots.summaries([pot.id]))[pot.id],
            themes=(await pots.theme_balances([pot.id]))[pot.id],
            rounds=[
                RoundLine(row, *names.get(row.round_id, (None, None)))
                if row.round_id is not None
                else RoundLine(row, None, None)
                for row in rows
            ],
        )

    async def _transactions(self, pot_id: int) -> list[list[Posting]]:
        """The pot's ledger transactions in the order they were written, each with its postings in order."""
        rows = await self.session.execute(
            select(LedgerEntry.transaction_id, Account.code, LedgerEntry.amount_cents)
            .join(Account, Account.id == LedgerEntry.account_id)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(LedgerTransaction.pot_id == pot_id)
            .order_by(LedgerEntry.transaction_id, LedgerEntry.id)
        )
        by_transaction: dict[int, list[Posting]] = {}
        for transaction_id, code, cents in rows:
            by_transaction.setdefault(transaction_id, []).append(Posting(code, int(cents)))
        return list(by_transaction.values())

    async def _rounds(self, round_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        if not round_ids:
            return {}
        rows = await self.session.execute(
            select(Round.id, Round.name, Round.state).where(Round.id.in_(round_ids))
        )
        return {round_id: (name, state) for round_id, name, state in rows}
