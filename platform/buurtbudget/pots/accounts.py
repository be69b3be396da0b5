"""PotLedger: the locked pot, its accounts and balances, and writing one transaction with its audit entry."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from buurtbudget.audit.service import record
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.models import Initiative
from buurtbudget.people.roles import Actor
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.errors import ReservedElsewhere
from buurtbudget.pots.ledger import (
    AccountKind,
    Posting,
    account_code,
    check_balanced,
    parse_account_code,
    postings_data,
)
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction, Pot
from buurtbudget.pots.writing import write_transaction

SOURCE = account_code(AccountKind.SOURCE)
AVAILABLE = account_code(AccountKind.AVAILABLE)


class PotLedger:
    """What every money use case of a pot builds on; the use cases are in `PotService`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        neighbourhood = await self.session.get(Neighbourhood, neighbourhood_id)
        if neighbourhood is None:
            raise InvalidInput("unknown neighbourhood", field="neighbourhood_id")
        return neighbourhood

    async def lock(self, pot_id: int) -> None:
        """Lock the pot's row (when it exists) in the caller's transaction, before anything else.

        The lock order is: a round or grant row, then the pot, then the audit chain's head. A use case that
        moves money takes the pot first; otherwise a row that references the pot (a new round holds a key
        share lock on it) or an audit entry written earlier would make it wait for the pot while holding
        what another transaction that holds the pot waits for: a deadlock.
        """
        await self.session.execute(select(Pot.id).where(Pot.id == pot_id).with_for_update())

    async def _locked_pot(self, pot_id: int) -> Pot:
        """The pot, locked until commit: promises on one pot are taken one at a time."""
        pot = (
            await self.session.execute(select(Pot).where(Pot.id == pot_id).with_for_update())
        ).scalar_one_or_none()
        if pot is None:
            raise NotFound("no such pot", pot_id=pot_id)
        return pot

    async def _require_admin(self, actor: Actor, pot: Pot) -> None:
        neighbourhood = await self._neighbourhood(pot.neighbourhood_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed("only the municipality manages its pots' money")

    async def _administered_pot(self, actor: Actor, pot_id: int, initiative_id: int | None = None) -> Pot:
        """The pot, locked, after checking the actor manages it (and the initiative belongs to it)."""
        pot = await self._locked_pot(pot_id)
        await self._require_admin(actor, pot)
        if initiative_id is not None:
            initiative = await self.session.get(Initiative, initiative_id)
            if initiative is None or initiative.neighbourhood_id != pot.neighbourhood_id:
                raise InvalidInput("no such initiative in this pot's neighbourhood", field="initiative_id")
        return pot

    async def _account(self, pot: Pot, code: str, *, source: str | None = None) -> Account:
        """The pot's account with this code, opened on first use.

        `source` names the budget a reserved account is funded from; it is recorded when the account is
        opened (accounts are never changed), and a reservation from another budget is refused.
        """
        account = (
            await self.session.execute(select(Account).where(Account.pot_id == pot.id, Account.code == code))
        ).scalar_one_or_none()
        source_id = None if source is None else (await self._account(pot, source)).id
        if account is None:
            scope = parse_account_code(code)
            account = Account(
                pot_id=pot.id,
                code=code,
                kind=scope.kind.value,
                theme=scope.theme,
                initiative_id=scope.initiative_id,
                round_id=scope.round_id,
                source_account_id=source_id,
            )
            self.session.add(account)
            await self.session.flush()
        elif (
            source_id is not None and (account.source_account_id or await self._general_id(pot)) != source_id
        ):
            raise ReservedElsewhere(
                "money for this is already reserved from another budget of the pot", field="theme"
            )
        return account

    async def _general_id(self, pot: Pot) -> int:
        return (await self._account(pot, AVAILABLE)).id

    async def source_of(self, pot_id: int, reserved_code: str) -> str:
        """The code of the budget a reserved account was funded from (the general budget when unrecorded)."""
        source = aliased(Account)
        code = await self.session.scalar(
            select(source.code)
            .join(Account, Account.source_account_id == source.id)
            .where(Account.pot_id == pot_id, Account.code == reserved_code)
        )
        return code or AVAILABLE

    async def _balance(self, pot_id: int, code: str) -> int:
        total = await self.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0))
            .join(Account, LedgerEntry.account_id == Account.id)
            .where(Account.pot_id == pot_id, Account.code == code)
        )
        return int(total or 0)

    async def _post(
        self,
        pot: Pot,
        *,
        kind: str,
        postings: Sequence[Posting],
        memo: str,
        actor: Actor,
    ) -> LedgerTransaction:
        """Write one balanced transaction (opening accounts as needed) and its audit entry."""
        check_balanced(postings)
        entries = [((await self._account(pot, p.account)).id, p.amount_cents) for p in postings]
        transaction_id = await write_transaction(
            self.session, pot_id=pot.id, kind=kind, memo=memo, actor_id=actor.person_id, entries=entries
        )
        transaction = await self.session.get_one(LedgerTransaction, transaction_id)
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"ledger.{kind}",
            subject_type="pot",
            subject_id=pot.id,
            data={"transaction_id": transaction.id, "postings": postings_data(postings)},
        )
        return transaction
