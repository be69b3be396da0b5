"""A pot's money per round, from its transactions (pure): every cent of a round is accounted for."""

from hypothesis import given
from hypothesis import strategies as st

from buurtbudget.pots.ledger import Posting, transfer
from buurtbudget.pots.report import Move, RoundMoney, moves, round_money

AVAILABLE = "available"
GREEN = "available:theme:groen"


def money(row: RoundMoney) -> tuple[int | None, int, int, int, int]:
    return row.round_id, row.reserved_cents, row.granted_cents, row.released_cents, row.held_cents


def test_moves_pair_each_credit_with_the_debits_it_funds() -> None:
    settle = [
        Posting("reserved:round:1", -1000),
        Posting("granted:initiative:7", 600),
        Posting("reserved:initiative:8", 300),
        Posting(AVAILABLE, 100),
    ]
    assert moves(settle) == [
        Move("reserved:round:1", "granted:initiative:7", 600),
        Move("reserved:round:1", "reserved:initiative:8", 300),
        Move("reserved:round:1", AVAILABLE, 100),
    ]
    grant = [
        *transfer("reserved:initiative:7", "granted:initiative:7", 30),
        *transfer(AVAILABLE, "granted:initiative:7", 20),
    ]
    assert moves(grant) == [
        Move("reserved:initiative:7", "granted:initiative:7", 30),
        Move(AVAILABLE, "granted:initiative:7", 20),
    ]


def test_a_rounds_offer_stays_the_rounds_until_it_is_answered() -> None:
    transactions = [
        list(transfer("source", AVAILABLE, 5000)),
        list(transfer(AVAILABLE, GREEN, 1000)),
        list(transfer(GREEN, "reserved:round:1", 1000)),
        [
            Posting("reserved:round:1", -1000),
            Posting("granted:initiative:7", 600),
            Posting("reserved:initiative:8", 300),
            Posting(GREEN, 100),
        ],
        list(transfer(AVAILABLE, "reserved:round:2", 2000)),
    ]
    assert [money(row) for row in round_money(transactions)] == [
        (1, 1000, 600, 100, 300),
        (2, 2000, 0, 0, 2000),
    ]
    declined = [*transactions, list(transfer("reserved:initiative:8", GREEN, 300))]
    assert money(round_money(declined)[0]) == (1, 1000, 600, 400, 0)
    accepted = [*transactions, list(transfer("reserved:initiative:8", "granted:initiative:8", 300))]
    assert money(round_money(accepted)[0]) == (1, 1000, 900, 100, 0)


def test_money_outside_rounds_is_a_row_of_its_own() -> None:
    transactions = [
        list(transfer("source", AVAILABLE, 5000)),
        list(transfer(AVAILABLE, "reserved:initiative:3", 400)),
        [
            *transfer("reserved:initiative:3", "granted:initiative:3", 400),
            *transfer(AVAILABLE, "granted:initiative:3", 100),
        ],
    ]
    assert [money(row) for row in round_money(transactions)] == [(None, 500, 500, 0, 0)]


@st.composite
def histories(draw: st.DrawFn) -> list[list[Posting]]:
    """Random rounds: each reserves, grants some, offers some, returns the rest; offers are answered."""
    transactions: list[list[Posting]] = [list(transfer("source", AVAILABLE, 10**9))]
    waiting: list[tuple[str, int]] = []
    for round_id in range(1, draw(st.integers(1, 5)) + 1):
        amount = draw(st.integers(1, 10_000))
        account = f"reserved:round:{round_id}"
        transactions.append(list(transfer(AVAILABLE, account, amount)))
        if draw(st.booleans()):  # closed: granted, offered, the rest back (else still open)
            granted = draw(st.integers(0, amount))
            offered = draw(st.integers(0, amount - granted))
            settle: list[Posting] = []
            if granted:
                settle += transfer(account, f"granted:initiative:{round_id}", granted)
            if offered:
                offer = f"reserved:initiative:{draw(st.integers(1, 3))}"
                settle += transfer(account, offer, offered)
                waiting.append((offer, offered))
            if amount - granted - offered:
                settle += transfer(account, AVAILABLE, amount - granted - offered)
            transactions.append(settle)
        for offer, cents in list(waiting):
            if draw(st.booleans()):
                target = draw(st.sampled_from(["granted:initiative:9", AVAILABLE]))
                transactions.append(list(transfer(offer, target, cents)))
                waiting.remove((offer, cents))
    return transactions


@given(histories())
def test_every_cent_of_every_round_is_accounted_for(transactions: list[list[Posting]]) -> None:
    rows = round_money(transactions)
    balances: dict[str, int] = {}
    for postings in transactions:
        for posting in postings:
            balances[posting.account] = balances.get(posting.account, 0) + posting.amount_cents
    reserved = sum(cents for account, cents in balances.items() if account.startswith("reserved:"))
    granted = sum(cents for account, cents in balances.items() if account.startswith("granted:"))
    assert sum(row.held_cents for row in rows) == reserved
    assert sum(row.granted_cents for row in rows) == granted
    for row in rows:
        assert row.held_cents >= 0
        assert row.reserved_cents == row.granted_cents + row.released_cents + row.held_cents
