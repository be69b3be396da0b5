"""A pot's money per round, read from its ledger transactions (pure: no I/O).

Money set aside for a round sits on the round's reserved account. Closing the round grants it, keeps a
partial offer reserved for an initiative until its residents answer, and returns the rest. An offer's
money stays the round's until it is granted or returned, so every cent of a round is accounted for:
reserved = granted + released + still held. Reservations and grants made outside any round are one row
of their own (round None).
"""

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from buurtbudget.pots.ledger import AccountKind, Posting, parse_account_code


@dataclass(frozen=True, slots=True)
class Move:
    """Money going from one account to another within one transaction."""

    source: str
    target: str
    cents: int


@dataclass(slots=True)
class RoundMoney:
    """What one round (or, with round None, everything outside rounds) set aside, granted and released."""

    round_id: int | None
    reserved_cents: int = 0
    granted_cents: int = 0
    released_cents: int = 0

    @property
    def held_cents(self) -> int:
        """Still reserved: the round is open, or an offer waits for an answer."""
        return self.reserved_cents - self.granted_cents - self.released_cents


@dataclass(slots=True)
class _Lot:
    """Part of what an account holds, and the round it came from (None: outside rounds)."""

    round_id: int | None
    cents: int


RowOf = Callable[[int | None], RoundMoney]


def moves(postings: Sequence[Posting]) -> list[Move]:
    """A balanced transaction's postings as moves: each credit, in order, funds the debits that follow."""
    owed = deque((p.account, _Lot(None, -p.amount_cents)) for p in postings if p.amount_cents < 0)
    found: list[Move] = []
    for posting in postings:
        needed = posting.amount_cents
        while needed > 0 and owed:
            account, left = owed[0]
            taken = min(needed, left.cents)
            found.append(Move(account, posting.account, taken))
            needed -= taken
            left.cents -= taken
            if left.cents == 0:
                owed.popleft()
    return found


def round_money(transactions: Iterable[Sequence[Posting]]) -> list[RoundMoney]:
    """Every round's money, in the order the rounds first set money aside; outside rounds last."""
    rows: dict[int | None, RoundMoney] = {}
    # What each initiative's reserved account holds, oldest first, with the round it came from.
    lots: dict[str, deque[_Lot]] = defaultdict(deque)

    def row(round_id: int | None) -> RoundMoney:
        return rows.setdefault(round_id, RoundMoney(round_id))

    for postings in transactions:
        for move in moves(postings):
            _apply(move, row, lots)
    inside = [money for key, money in rows.items() if key is not None]
    return inside + ([rows[None]] if None in rows else [])


def _apply(move: Move, row: RowOf, lots: dict[str, deque[_Lot]]) -> None:
    source, target = parse_account_code(move.source), parse_account_code(move.target)
    if source.kind in {AccountKind.AVAILABLE, AccountKind.SOURCE}:
        if target.kind is AccountKind.RESERVED and target.round_id is not None:
            row(target.round_id).reserved_cents += move.cents
        elif target.kind is AccountKind.RESERVED:
            row(None).reserved_cents += move.cents
            lots[move.target].append(_Lot(None, move.cents))
        elif target.kind is AccountKind.GRANTED:  # a grant straight from the budget
            row(None).reserved_cents += move.cents
            row(None).granted_cents += move.cents
        return  # funding and theme budgets move money between budgets only
    if source.kind is not AccountKind.RESERVED:
        return
    if source.round_id is not None:
        parts = [_Lot(source.round_id, move.cents)]
    else:
        parts = _take(lots[move.source], move.cents, row)
    for part in parts:
        if target.kind is AccountKind.GRANTED:
            row(part.round_id).granted_cents += part.cents
        elif target.kind is AccountKind.RESERVED:  # a round's offer, held for the initiative
            lots[move.target].append(_Lot(part.round_id, part.cents))
        else:
            row(part.round_id).released_cents += part.cents


def _take(held: deque[_Lot], cents: int, row: RowOf) -> list[_Lot]:
    """`cents` from an initiative's lots, oldest first (what no lot covers counts outside rounds)."""
    parts: list[_Lot] = []
    while cents > 0 and held:
        oldest = held[0]
        taken = min(cents, oldest.cents)
        parts.append(_Lot(oldest.round_id, taken))
        cents -= taken
        oldest.cents -= taken
        if oldest.cents == 0:
            held.popleft()
    if cents > 0:
        row(None).reserved_cents += cents
        parts.append(_Lot(None, cents))
    return parts
