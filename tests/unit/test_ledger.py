"""Ledger arithmetic: transfers balance, unbalanced transactions are refused, balances are derived."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtbudget.pots.ledger import (
    AccountKind,
    Posting,
    UnbalancedTransaction,
    account_code,
    balances,
    check_balanced,
    summarise,
    transfer,
)


def test_account_codes_are_unique_per_scope() -> None:
    assert account_code(AccountKind.AVAILABLE) == "available"
    assert account_code(AccountKind.AVAILABLE, theme="groen") == "available:theme:groen"
    assert account_code(AccountKind.RESERVED, initiative_id=7) == "reserved:initiative:7"


def test_transfer_credits_one_account_and_debits_the_other() -> None:
    assert transfer("a", "b", 500) == (Posting("a", -500), Posting("b", 500))


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "10"])
def test_transfer_refuses_anything_but_positive_whole_cents(amount: object) -> None:
    with pytest.raises(ValueError, match="positive whole euro cents"):
        transfer("a", "b", amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "postings",
    [[], [Posting("a", 1)], [Posting("a", 5), Posting("b", -4)], [Posting("a", 0), Posting("b", 0)]],
)
def test_unbalanced_or_empty_transactions_are_refused(postings: list[Posting]) -> None:
    with pytest.raises(UnbalancedTransaction):
        check_balanced(postings)


@given(
    st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd"), st.integers(1, 10**12)), max_size=50)
)
def test_any_sequence_of_transfers_sums_to_zero(moves: list[tuple[str, str, int]]) -> None:
    postings = [p for source, target, amount in moves for p in transfer(source, target, amount)]
    assert sum(balances(postings).values()) == 0
    for source, target, amount in moves:
        check_balanced(transfer(source, target, amount))


def test_summary_reads_the_money_line() -> None:
    summary = summarise(
        {
            AccountKind.SOURCE: -1000,
            AccountKind.AVAILABLE: 600,
            AccountKind.RESERVED: 300,
            AccountKind.GRANTED: 100,
        }
    )
    assert (
        summary.received_cents,
        summary.available_cents,
        summary.reserved_cents,
        summary.granted_cents,
    ) == (
        1000,
        600,
        300,
        100,
    )
