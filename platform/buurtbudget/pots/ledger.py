"""Ledger arithmetic as pure functions: account codes, balanced transactions, derived balances."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class AccountKind(StrEnum):
    """Where money sits. Debit positive: `source` goes negative as money comes in."""

    SOURCE = "source"  # the funder's side of every funding
    AVAILABLE = "available"  # held and not yet promised (one general, one per theme budget)
    RESERVED = "reserved"  # promised to an initiative or round, not yet decided
    GRANTED = "granted"  # awarded to an initiative


class UnbalancedTransaction(ValueError):  # noqa: N818
    """A transaction's entries do not sum to zero (a programming error, never user input)."""


@dataclass(frozen=True, slots=True)
class Posting:
    """An amount in euro cents on an account code; the entries of one transaction sum to zero."""

    account: str
    amount_cents: int


def account_code(
    kind: AccountKind,
    *,
    theme: str | None = None,
    initiative_id: int | None = None,
    round_id: int | None = None,
) -> str:
    """The unique code of an account within its pot."""
    if theme is not None:
        return f"{kind.value}:theme:{theme}"
    if initiative_id is not None:
        return f"{kind.value}:initiative:{initiative_id}"
    if round_id is not None:
        return f"{kind.value}:round:{round_id}"
    return kind.value


@dataclass(frozen=True, slots=True)
class AccountScope:
    """What an account code says: its kind, and the theme or initiative it belongs to."""

    kind: AccountKind
    theme: str | None = None
    initiative_id: int | None = None
    round_id: int | None = None


def parse_account_code(code: str) -> AccountScope:
    """The inverse of `account_code`."""
    kind, _, rest = code.partition(":")
    scope, _, value = rest.partition(":")
    if scope == "theme":
        return AccountScope(AccountKind(kind), theme=value)
    if scope == "initiative":
        return AccountScope(AccountKind(kind), initiative_id=int(value))
    if scope == "round":
        return AccountScope(AccountKind(kind), round_id=int(value))
    return AccountScope(AccountKind(kind))


def transfer(from_account: str, to_account: str, amount_cents: int) -> tuple[Posting, Posting]:
    """Move a positive amount: credit one account, debit the other."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ValueError("amounts are positive whole euro cents")
    return Posting(from_account, -amount_cents), Posting(to_account, amount_cents)


def check_balanced(postings: Iterable[Posting]) -> None:
    """Raise UnbalancedTransaction unless there are postings and they sum to zero."""
    amounts = [posting.amount_cents for posting in postings]
    if not amounts or sum(amounts) != 0 or any(amount == 0 for amount in amounts):
        raise UnbalancedTransaction(f"entries {amounts} do not balance")


def balances(postings: Iterable[Posting]) -> dict[str, int]:
    """The balance of every account touched by `postings`."""
    totals: dict[str, int] = defaultdict(int)
    for posting in postings:
        totals[posting.account] += posting.amount_cents
    return dict(totals)


@dataclass(frozen=True, slots=True)
class PotSummary:
    """What a pot holds and how much of it is still free, derived from account balances."""

    received_cents: int
    available_cents: int
    reserved_cents: int
    granted_cents: int


def summarise(balance_by_kind: dict[AccountKind, int]) -> PotSummary:
    """Totals per account kind, read as a pot's money line."""
    return PotSummary(
        received_cents=-balance_by_kind.get(AccountKind.SOURCE, 0),
        available_cents=balance_by_kind.get(AccountKind.AVAILABLE, 0),
        reserved_cents=balance_by_kind.get(AccountKind.RESERVED, 0),
        granted_cents=balance_by_kind.get(AccountKind.GRANTED, 0),
    )


def postings_data(postings: Iterable[Posting]) -> list[list[object]]:
    """Every posting as ``[account, amount_cents]`` in its order, for the audit entry of its transaction.

    A list, not a mapping by account: two postings to one account must both be recorded.
    """
    return [[posting.account, posting.amount_cents] for posting in postings]


def same_postings(left: Iterable[Posting], right: Iterable[Posting]) -> bool:
    """Whether two sets of postings are the same multiset (order does not matter, repeats do)."""

    def key(posting: Posting) -> tuple[str, int]:
        return posting.account, posting.amount_cents

    return sorted(map(key, left)) == sorted(map(key, right))
