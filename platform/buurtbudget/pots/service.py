"""PotService: creating and funding pots, and promising money without ever promising more than is held."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.people.roles import Actor
from buurtbudget.pots.accounts import AVAILABLE, SOURCE, PotLedger
from buurtbudget.pots.errors import InsufficientFunds, NothingToRelease
from buurtbudget.pots.ledger import (
    AccountKind,
    Posting,
    PotSummary,
    account_code,
    summarise,
    transfer,
)
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction, Pot


def _positive(amount_cents: int) -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise InvalidInput("amount must be a positive number of euro cents", field="amount_cents")
    return amount_cents


class PotService(PotLedger):
    """Every change of money is one balanced ledger transaction plus an audit entry, in one DB transaction."""

    async def create_pot(
        self, actor: Actor, *, neighbourhood_id: int, name: str, period_start: date, period_end: date
    ) -> Pot:
        if period_end < period_start:
            raise InvalidInput("the period ends before it starts", field="period_end")
        if not name.strip():
            raise InvalidInput("a pot needs a name", field="name")
        async with transaction(self.session):
            neighbourhood = await self._neighbourhood(neighbourhood_id)
            if not actor.administers(neighbourhood.municipality_id):
                raise NotAllowed("only the municipality creates pots")
            pot = Pot(
                neighbourhood_id=neighbourhood_id,
                name=name.strip(),
                period_start=period_start,
                period_end=period_end,
            )
            self.session.add(pot)
            try:
                await self.session.flush()
            except IntegrityError:
                raise Conflict("this neighbourhood already has a pot with that name", field="name") from None
            await record(
                self.session,
                actor_id=actor.person_id,
                action="pot.created",
                subject_type="pot",
                subject_id=pot.id,
                data={"name": pot.name, "neighbourhood_id": neighbourhood_id},
            )
        return pot

    async def fund(self, actor: Actor, pot_id: int, amount_cents: int, memo: str = "") -> LedgerTransaction:
        """Money comes in from the municipality (or another funder) and becomes available."""
        _positive(amount_cents)
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id)
            return await self._post(
                pot,
                kind="fund",
                postings=transfer(SOURCE, AVAILABLE, amount_cents),
                memo=memo,
                actor=actor,
            )

    async def earmark(self, actor: Actor, pot_id: int, theme: str, amount_cents: int) -> LedgerTransaction:
        """Set part of the general budget aside as a theme budget."""
        _positive(amount_cents)
        theme = theme.strip().lower()
        if not theme:
            raise InvalidInput("a theme budget needs a theme", field="theme")
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id)
            theme_code = account_code(AccountKind.AVAILABLE, theme=theme)
            if await self._balance(pot.id, AVAILABLE) < amount_cents:
                raise InsufficientFunds("the pot's general budget holds less than this", field="amount_cents")
            return await self._post(
                pot,
                kind="earmark",
                postings=transfer(AVAILABLE, theme_code, amount_cents),
                memo=theme,
                actor=actor,
            )

    async def reserve(
        self, actor: Actor, pot_id: int, initiative_id: int, amount_cents: int, *, theme: str | None = None
    ) -> LedgerTransaction:
        """Promise money to an initiative; refused when the (theme) budget holds less."""
        _positive(amount_cents)
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id, initiative_id)
            funding_code = AVAILABLE
            if theme is not None:
                theme_code = account_code(AccountKind.AVAILABLE, theme=theme.strip().lower())
                has_theme_budget = await self.session.scalar(
                    select(Account.id).where(Account.pot_id == pot.id, Account.code == theme_code)
                )
                if has_theme_budget is not None:
                    funding_code = theme_code
            if await self._balance(pot.id, funding_code) < amount_cents:
                raise InsufficientFunds(
                    "the pot holds less than this promise needs", field="amount_cents", account=funding_code
                )
            reserved = account_code(AccountKind.RESERVED, initiative_id=initiative_id)
            await self._account(pot, reserved, source=funding_code)
            return await self._post(
                pot,
                kind="reserve",
                postings=transfer(funding_code, reserved, amount_cents),
                memo=f"initiative {initiative_id}",
                actor=actor,
            )

    async def release(
        self, actor: Actor, pot_id: int, initiative_id: int, amount_cents: int
    ) -> LedgerTransaction:
        """Return reserved money to the budget it was reserved from (a theme budget or the general one)."""
        _positive(amount_cents)
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id, initiative_id)
            reserved = account_code(AccountKind.RESERVED, initiative_id=initiative_id)
            if await self._balance(pot.id, reserved) < amount_cents:
                raise NothingToRelease("less is reserved than asked to release", field="amount_cents")
            return await self._post(
                pot,
                kind="release",
                postings=transfer(reserved, await self.source_of(pot.id, reserved), amount_cents),
                memo=f"initiative {initiative_id}",
                actor=actor,
            )

    async def grant(
        self, actor: Actor, pot_id: int, initiative_id: int, amount_cents: int
    ) -> LedgerTransaction:
        """Award money: first from what is reserved for the initiative, the rest from the general budget."""
        _positive(amount_cents)
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id, initiative_id)
            reserved = account_code(AccountKind.RESERVED, initiative_id=initiative_id)
            granted = account_code(AccountKind.GRANTED, initiative_id=initiative_id)
            from_reserved = min(amount_cents, await self._balance(pot.id, reserved))
            from_available = amount_cents - from_reserved
            if from_available and await self._balance(pot.id, AVAILABLE) < from_available:
                raise InsufficientFunds("the pot holds less than this grant needs", field="amount_cents")
            postings: list[Posting] = []
            if from_reserved:
                postings += transfer(reserved, granted, from_reserved)
            if from_available:
                postings += transfer(AVAILABLE, granted, from_available)
            return await self._post(
                pot,
                kind="grant",
                postings=postings,
                memo=f"initiative {initiative_id}",
                actor=actor,
            )

    async def reserve_for_round(self, actor: Actor, pot_id: int, round_id: int, amount_cents: int) -> None:
        """Set a round's amount aside, in the caller's transaction; refused when the pot holds less."""
        _positive(amount_cents)
        pot = await self._administered_pot(actor, pot_id)
        if await self._balance(pot.id, AVAILABLE) < amount_cents:
            raise InsufficientFunds("the pot holds less than this round offers", field="amount_cents")
        reserved = account_code(AccountKind.RESERVED, round_id=round_id)
        await self._account(pot, reserved, source=AVAILABLE)
        await self._post(
            pot,
            kind="reserve",
            postings=transfer(AVAILABLE, reserved, amount_cents),
            memo=f"round {round_id}",
            actor=actor,
        )

    async def settle_round(
        self,
        actor: Actor,
        pot_id: int,
        round_id: int,
        grants: dict[int, int],
        offers: dict[int, int] | None = None,
    ) -> None:
        """Pay out a round from its reservation (in the caller's transaction): grants to the initiatives,
        partial offers kept reserved for them until they answer, and the rest back to the pot."""
        offers = offers or {}
        pot = await self._locked_pot(pot_id)
        reserved = account_code(AccountKind.RESERVED, round_id=round_id)
        held = await self._balance(pot.id, reserved)
        spent = sum(grants.values()) + sum(offers.values())
        if spent > held:
            raise InsufficientFunds("the round grants more than it reserved", field="amount_cents")
        source = await self.source_of(pot.id, reserved)
        postings: list[Posting] = []
        for initiative_id, cents in sorted(grants.items()):
            postings += transfer(
                reserved, account_code(AccountKind.GRANTED, initiative_id=initiative_id), cents
            )
        for initiative_id, cents in sorted(offers.items()):
            offered = account_code(AccountKind.RESERVED, initiative_id=initiative_id)
            await self._account(
                pot, offered, source=source
            )  # a declined offer returns where the round's came from
            postings += transfer(reserved, offered, cents)
        if held - spent:
            postings += transfer(reserved, source, held - spent)
        if postings:
            await self._post(pot, kind="settle", postings=postings, memo=f"round {round_id}", actor=actor)

    async def settle_offer(self, actor: Actor, pot_id: int, initiative_id: int, *, accepted: bool) -> int:
        """An answered partial grant (in the caller's transaction): its reserved money is granted when
        accepted, or returns to the pot when declined. Returns the amount moved."""
        pot = await self._locked_pot(pot_id)
        reserved = account_code(AccountKind.RESERVED, initiative_id=initiative_id)
        held = await self._balance(pot.id, reserved)
        if held <= 0:
            raise NothingToRelease("nothing is held for this initiative", field="initiative_id")
        target = (
            account_code(AccountKind.GRANTED, initiative_id=initiative_id)
            if accepted
            else await self.source_of(pot.id, reserved)
        )
        await self._post(
            pot,
            kind="grant" if accepted else "release",
            postings=transfer(reserved, target, held),
            memo=f"initiative {initiative_id}",
            actor=actor,
        )
        return held

    async def set_fast_track(self, actor: Actor, pot_id: int, threshold_cents: int | None, seats: int) -> Pot:
        """Requests up to `threshold_cents` may go to a fast-track round of `seats` jurors (None: none)."""
        if threshold_cents is not None and threshold_cents <= 0:
            raise InvalidInput("the fast-track threshold must be a positive amount", field="threshold_cents")
        if seats < 1:
            raise InvalidInput("a panel needs at least one seat", field="seats")
        async with transaction(self.session):
            pot = await self._administered_pot(actor, pot_id)
            pot.fast_track_threshold_cents = threshold_cents
            pot.fast_track_seats = seats
            await record(
                self.session,
                actor_id=actor.person_id,
                action="pot.fast_track_set",
                subject_type="pot",
                subject_id=pot.id,
                data={"threshold_cents": threshold_cents, "seats": seats},
            )
        return pot

    async def get(self, pot_id: int) -> Pot:
        pot = await self.session.get(Pot, pot_id)
        if pot is None:
            raise NotFound("no such pot", pot_id=pot_id)
        return pot

    async def list_pots(self, neighbourhood_id: int | None = None) -> list[Pot]:
        query = select(Pot).order_by(Pot.period_start.desc(), Pot.id)
        if neighbourhood_id is not None:
            query = query.where(Pot.neighbourhood_id == neighbourhood_id)
        return list((await self.session.execute(query)).scalars())

    async def summaries(self, pot_ids: Sequence[int]) -> dict[int, PotSummary]:
        """The money line of each pot, derived from the ledger in one query."""
        rows = await self.session.execute(
            select(Account.pot_id, Account.kind, func.sum(LedgerEntry.amount_cents))
            .join(LedgerEntry, LedgerEntry.account_id == Account.id)
            .where(Account.pot_id.in_(pot_ids))
            .group_by(Account.pot_id, Account.kind)
        )
        by_pot: dict[int, dict[AccountKind, int]] = {pot_id: {} for pot_id in pot_ids}
        for pot_id, kind, total in rows:
            by_pot[pot_id][AccountKind(kind)] = int(total)
        return {pot_id: summarise(kinds) for pot_id, kinds in by_pot.items()}

    async def theme_balances(self, pot_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """What is left in each theme budget of these pots, in one query."""
        rows = await self.session.execute(
            select(Account.pot_id, Account.theme, func.coalesce(func.sum(LedgerEntry.amount_cents), 0))
            .outerjoin(LedgerEntry, LedgerEntry.account_id == Account.id)
            .where(Account.pot_id.in_(pot_ids), Account.theme.is_not(None))
            .group_by(Account.pot_id, Account.theme)
            .order_by(Account.pot_id, Account.theme)
        )
        by_pot: dict[int, dict[str, int]] = {pot_id: {} for pot_id in pot_ids}
        for pot_id, theme, total in rows:
            by_pot[pot_id][str(theme)] = int(total)
        return by_pot
