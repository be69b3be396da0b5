"""Drawing a jury by lot: stratified by quotas, reproducible by anyone from the pool and a published seed.

Every candidate gets a lottery number: the SHA-256 of "<seed>:<candidate id>" (no Python-specific
random generator, so the draw can be re-done in any language). Seats are then filled in two
phases: while some category value still needs people to reach its minimum, the most urgent one
(fewest candidates left per seat still needed) takes its lowest-numbered candidate who fits every
maximum; afterwards the remaining seats go in lottery order to whoever fits every maximum.
Reserves continue the same order and replace a juror who drops out by the first reserve who keeps
the quotas.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from buurtbudget.errors import InvalidInput


class DrawImpossible(InvalidInput):
    """The pool cannot fill the seats within the quotas."""

    code = "draw_impossible"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A resident who volunteered for the jury, with the attributes the quotas look at."""

    id: str
    attributes: Mapping[str, str]
    last_served: date | None = None


@dataclass(frozen=True, slots=True)
class Quota:
    """How many seats may go to people with `value` for `category` (e.g. gender = vrouw: 4 to 6)."""

    category: str
    value: str
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True, slots=True)
class Draw:
    """The outcome, with everything needed to check it: seed, order, jurors and reserves."""

    seed: str
    order: tuple[str, ...]
    jurors: tuple[str, ...]
    reserves: tuple[str, ...]
    counts: Mapping[tuple[str, str], int] = field(default_factory=dict)


def lottery_number(seed: str, candidate_id: str) -> str:
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


def eligible(pool: Iterable[Candidate], today: date, cooldown: timedelta) -> list[Candidate]:
    """Who may be drawn: nobody who served within the cooldown period."""
    return [c for c in pool if c.last_served is None or today - c.last_served >= cooldown]


def _key(candidate: Candidate, quota: Quota) -> bool:
    return candidate.attributes.get(quota.category) == quota.value


def _fits(candidate: Candidate, chosen: Counter[tuple[str, str]], quotas: Sequence[Quota]) -> bool:
    return all(
        q.maximum is None or chosen[q.category, q.value] < q.maximum for q in quotas if _key(candidate, q)
    )


def _take(candidate: Candidate, chosen: Counter[tuple[str, str]], quotas: Sequence[Quota]) -> None:
    for q in quotas:
        if _key(candidate, q):
            chosen[q.category, q.value] += 1


def _check(pool: Sequence[Candidate], seats: int, reserves: int, quotas: Sequence[Quota]) -> None:
    if seats <= 0 or reserves < 0:
        raise DrawImpossible(
            "a jury needs at least one seat and no negative number of reserves", field="seats"
        )
    if len({c.id for c in pool}) != len(pool):
        raise DrawImpossible("a candidate is in the pool twice", field="pool")
    minimums: Counter[str] = Counter()
    for q in quotas:
        minimums[q.category] += q.minimum
    if any(total > seats for total in minimums.values()):
        raise DrawImpossible("the minimums of one category ask for more seats than there are", field="quotas")
    for q in quotas:
        if q.maximum is not None and q.maximum < q.minimum:
            raise DrawImpossible(
                "a quota's maximum is below its minimum", field="quotas", quota=f"{q.category}={q.value}"
            )


def draw(
    pool: Sequence[Candidate], seats: int, seed: str, quotas: Sequence[Quota] = (), reserves: int = 0
) -> Draw:
    """Draw `seats` jurors and up to `reserves` reserves from `pool`."""
    _check(pool, seats, reserves, quotas)
    ordered = sorted(pool, key=lambda c: (lottery_number(seed, c.id), c.id))
    chosen: Counter[tuple[str, str]] = Counter()
    jurors: list[Candidate] = []
    left = list(ordered)

    def needing() -> list[Quota]:
        return [q for q in quotas if chosen[q.category, q.value] < q.minimum]

    while len(jurors) < seats and (urgent := needing()):

        def urgency(q: Quota) -> tuple[float, str, str]:
            available = sum(1 for c in left if _key(c, q) and _fits(c, chosen, quotas))
            still = q.minimum - chosen[q.category, q.value]
            return (available / still, q.category, q.value)

        quota = min(urgent, key=urgency)
        pick = next((c for c in left if _key(c, quota) and _fits(c, chosen, quotas)), None)
        if pick is None:
            raise DrawImpossible(
                "too few candidates to meet a quota", field="quotas", quota=f"{quota.category}={quota.value}"
            )
        jurors.append(pick)
        left.remove(pick)
        _take(pick, chosen, quotas)
    for candidate in list(left):
        if len(jurors) == seats:
            break
        if _fits(candidate, chosen, quotas):
            jurors.append(candidate)
            left.remove(candidate)
            _take(candidate, chosen, quotas)
    if len(jurors) < seats:
        raise DrawImpossible("the pool cannot fill every seat within the quotas", field="seats")
    if needing():
        raise DrawImpossible("the minimums cannot all be met with these seats", field="quotas")
    reserve_list = [c.id for c in left][:reserves]
    return Draw(
        seed=seed,
        order=tuple(c.id for c in ordered),
        jurors=tuple(c.id for c in jurors),
        reserves=tuple(reserve_list),
        counts=dict(chosen),
    )


def replacement(
    pool: Sequence[Candidate], result: Draw, dropped: str, quotas: Sequence[Quota] = ()
) -> str | None:
    """The first reserve who can take the seat of `dropped` without breaking a quota."""
    by_id = {c.id: c for c in pool}
    staying = [by_id[j] for j in result.jurors if j != dropped]
    chosen: Counter[tuple[str, str]] = Counter()
    for juror in staying:
        _take(juror, chosen, quotas)
    for reserve in result.reserves:
        candidate = by_id[reserve]
        if not _fits(candidate, chosen, quotas):
            continue
        trial = chosen.copy()
        _take(candidate, trial, quotas)
        if all(trial[q.category, q.value] >= q.minimum for q in quotas):
            return reserve
    return None
