"""Drawing the jury: reproducible from the seed, within every quota, with reserves that keep the quotas."""

import hashlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtbudget.jury.sortition import (
    Candidate,
    DrawImpossible,
    Quota,
    draw,
    eligible,
    lottery_number,
    replacement,
)

GENDERS = ("vrouw", "man", "anders")
AGES = ("18-34", "35-64", "65+")


def person(number: int, gender: str, age: str) -> Candidate:
    return Candidate(f"bewoner-{number}", {"gender": gender, "age": age})


def pool_of(size: int) -> list[Candidate]:
    return [person(n, GENDERS[n % 3], AGES[(n // 3) % 3]) for n in range(size)]


QUOTAS = [
    Quota("gender", "vrouw", 3, 5),
    Quota("gender", "man", 3, 5),
    Quota("age", "65+", 2, 4),
    Quota("age", "18-34", 2, 4),
]


def test_the_same_pool_and_seed_give_the_same_draw_in_any_order() -> None:
    pool = pool_of(40)
    first = draw(pool, 9, "2026-ronde-1", QUOTAS, reserves=4)
    again = draw(list(reversed(pool)), 9, "2026-ronde-1", QUOTAS, reserves=4)
    assert first == again
    assert draw(pool, 9, "2026-ronde-2", QUOTAS).jurors != first.jurors


def test_the_lottery_number_is_a_plain_sha256_anyone_can_recompute() -> None:
    assert lottery_number("zaad", "bewoner-1") == hashlib.sha256(b"zaad:bewoner-1").hexdigest()


def test_quotas_hold_and_reserves_come_next_in_lottery_order() -> None:
    pool = pool_of(40)
    result = draw(pool, 9, "seed", QUOTAS, reserves=4)
    assert len(result.jurors) == 9
    assert len(result.reserves) == 4
    assert not set(result.jurors) & set(result.reserves)
    for quota in QUOTAS:
        count = result.counts.get((quota.category, quota.value), 0)
        assert quota.minimum <= count <= (quota.maximum or 9)
    reserve_positions = [result.order.index(r) for r in result.reserves]
    assert reserve_positions == sorted(reserve_positions)


@pytest.mark.parametrize(
    ("size", "seats", "quotas"),
    [
        (5, 9, []),  # too few people
        (40, 9, [Quota("gender", "vrouw", 6), Quota("gender", "man", 6)]),  # minimums exceed seats
        (40, 9, [Quota("gender", "onbekend", 1)]),  # nobody has that value
        (40, 9, [Quota("gender", "vrouw", 5, 4)]),  # maximum below minimum
        (40, 9, [Quota("gender", v, 0, 2) for v in GENDERS]),  # maximums leave seats empty
        (40, 0, []),
    ],
)
def test_impossible_draws_say_so(size: int, seats: int, quotas: list[Quota]) -> None:
    with pytest.raises(DrawImpossible):
        draw(pool_of(size), seats, "seed", quotas)


def test_a_reserve_replaces_a_juror_without_breaking_the_quotas() -> None:
    pool = pool_of(40)
    result = draw(pool, 9, "seed", QUOTAS, reserves=8)
    by_id = {c.id: c for c in pool}
    for dropped in result.jurors:
        successor = replacement(pool, result, dropped, QUOTAS)
        assert successor in result.reserves
        panel = [by_id[j] for j in result.jurors if j != dropped] + [by_id[successor]]
        for quota in QUOTAS:
            count = sum(1 for c in panel if c.attributes[quota.category] == quota.value)
            assert quota.minimum <= count <= (quota.maximum or 9)


def test_people_who_served_recently_are_not_in_the_pool() -> None:
    today = date(2026, 11, 24)
    pool = [
        Candidate("a", {}, last_served=None),
        Candidate("b", {}, last_served=today - timedelta(days=400)),
        Candidate("c", {}, last_served=today - timedelta(days=100)),
    ]
    assert [c.id for c in eligible(pool, today, timedelta(days=365))] == ["a", "b"]


@given(
    st.lists(st.tuples(st.sampled_from(GENDERS), st.sampled_from(AGES)), min_size=30, max_size=60),
    st.text(min_size=1, max_size=12),
)
def test_any_feasible_draw_respects_every_quota(people: list[tuple[str, str]], seed: str) -> None:
    pool = [person(n, gender, age) for n, (gender, age) in enumerate(people)]
    quotas = [
        Quota("gender", g, 1, 5) for g in GENDERS if sum(1 for c in pool if c.attributes["gender"] == g) >= 1
    ]
    try:
        result = draw(pool, 9, seed, quotas, reserves=3)
    except DrawImpossible:
        return
    assert len(set(result.jurors)) == 9
    for quota in quotas:
        assert quota.minimum <= result.counts.get((quota.category, quota.value), 0) <= (quota.maximum or 9)
