"""Property tests of the ledger arithmetic: postings recorded for the audit, account codes, money lines,
and the seal's HMAC that PostgreSQL rebuilds from the padded keys."""

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from buurtbudget.audit.keys import AuditKey
from buurtbudget.pots.ledger import (
    AccountKind,
    Posting,
    account_code,
    balances,
    check_balanced,
    parse_account_code,
    postings_data,
    same_postings,
    summarise,
    transfer,
)

ACCOUNTS = st.sampled_from(
    ["source", "available", "available:theme:groen", "reserved:initiative:1", "granted:initiative:1"]
)
MOVES = st.lists(st.tuples(ACCOUNTS, ACCOUNTS, st.integers(1, 10**12)), min_size=1, max_size=20)


def postings_of(moves: list[tuple[str, str, int]]) -> list[Posting]:
    return [p for source, target, amount in moves for p in transfer(source, target, amount)]


@given(MOVES)
def test_the_audited_postings_are_every_posting_in_order(moves: list[tuple[str, str, int]]) -> None:
    postings = postings_of(moves)
    recorded = postings_data(postings)
    assert [Posting(str(a), int(c)) for a, c in recorded] == postings  # type: ignore[call-overload]
    assert sum(int(c) for _, c in recorded) == 0  # type: ignore[call-overload]
    check_balanced(postings)


@given(MOVES, st.randoms())
def test_same_postings_ignores_order_but_not_a_changed_or_missing_posting(
    moves: list[tuple[str, str, int]], random: object
) -> None:
    postings = postings_of(moves)
    shuffled = list(postings)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert same_postings(postings, shuffled)
    changed = [Posting(postings[0].account, postings[0].amount_cents + 1), *postings[1:]]
    assert not same_postings(postings, changed)
    assert not same_postings(postings, postings[1:])


@given(
    st.sampled_from(list(AccountKind)),
    st.one_of(
        st.just({}),
        st.builds(lambda t: {"theme": t}, st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20)),
        st.builds(lambda i: {"initiative_id": i}, st.integers(1, 2**31)),
        st.builds(lambda r: {"round_id": r}, st.integers(1, 2**31)),
    ),
)
def test_account_codes_parse_back_to_their_scope(kind: AccountKind, scope: dict[str, object]) -> None:
    parsed = parse_account_code(account_code(kind, **scope))  # type: ignore[arg-type]
    assert parsed.kind == kind
    assert (parsed.theme, parsed.initiative_id, parsed.round_id) == (
        scope.get("theme"),
        scope.get("initiative_id"),
        scope.get("round_id"),
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(["fund", "earmark", "reserve", "release", "grant"]), st.integers(1, 10**6))
    )
)
def test_a_guarded_pot_never_promises_more_than_it_holds_and_themes_never_leak(
    operations: list[tuple[str, int]],
) -> None:
    """A pot driven only by guarded transfers, where a release goes back to the budget it came from."""
    theme, reserved, granted = "available:theme:groen", "reserved:initiative:1", "granted:initiative:1"
    postings: list[Posting] = []
    earmarked = from_theme = 0

    def balance(account: str) -> int:
        return balances(postings).get(account, 0)

    for operation, amount in operations:
        if operation == "fund":
            postings += transfer("source", "available", amount)
        elif operation == "earmark" and balance("available") >= amount:
            postings += transfer("available", theme, amount)
            earmarked += amount
        elif operation == "reserve" and balance(theme) >= amount:
            postings += transfer(theme, reserved, amount)
            from_theme += amount
        elif operation == "release" and balance(reserved) >= amount:
            postings += transfer(reserved, theme, amount)  # back to its own budget
            from_theme -= amount
        elif operation == "grant" and balance(reserved) >= amount:
            postings += transfer(reserved, granted, amount)
            from_theme -= amount
            earmarked -= amount
    totals = balances(postings)
    assert sum(totals.values()) == 0
    assert all(totals.get(a, 0) >= 0 for a in ("available", theme, reserved, granted))
    assert totals.get(theme, 0) + totals.get(reserved, 0) == earmarked  # what was set aside stays there
    by_kind: dict[AccountKind, int] = {}
    for account, cents in totals.items():
        kind = parse_account_code(account).kind
        by_kind[kind] = by_kind.get(kind, 0) + cents
    line = summarise(by_kind)
    assert line.received_cents == line.available_cents + line.reserved_cents + line.granted_cents


@given(st.binary(min_size=1, max_size=200), st.text(max_size=200))
def test_the_padded_keys_give_the_same_hmac_as_the_standard_library(key: bytes, text: str) -> None:
    """PostgreSQL seals with sha256(outer || sha256(inner || text)); that must be HMAC-SHA256 exactly."""
    sealed = AuditKey(key)
    inner = hashlib.sha256(sealed.inner + text.encode()).digest()
    assert hashlib.sha256(sealed.outer + inner).hexdigest() == sealed.seal(text)
    assert sealed.seal(text) == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    assert sealed.verifies(text, sealed.seal(text))
    assert not sealed.verifies(text + "x", sealed.seal(text))
    assert not sealed.verifies(text, None)
