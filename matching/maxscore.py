"""MaxScore pruning: which query terms must produce candidates, given a score the top k already reach."""

from dataclasses import dataclass

from matching.textfield import DOC_COVERAGE, QUERY_COVERAGE


@dataclass(frozen=True, slots=True)
class Unit:
    """One query term in one field: it satisfies group `group` with `weight`; `df` documents have it."""

    field: int
    group: int
    tid: int
    weight: float
    df: int


@dataclass(frozen=True, slots=True)
class Shape:
    """How a field adds to the score: its weight, the idf of each query group and their sum (norm).

    A counting field (themes) adds weight * matched groups / norm instead of the lexical formula.
    """

    weight: float
    idf: tuple[float, ...]
    norm: float
    counting: bool = False


class _Bound:
    """The most a document can score when it matches only the units added so far (kept incrementally)."""

    def __init__(self, shapes: list[Shape]) -> None:
        self._shapes = shapes
        self._best: dict[tuple[int, int], float] = {}
        self._sum_idf = [0.0] * len(shapes)
        self._sum_w = [0.0] * len(shapes)

    def _field(self, field: int) -> float:
        shape = self._shapes[field]
        if shape.norm == 0.0:
            return 0.0
        if shape.counting:
            return shape.weight * self._sum_w[field] / shape.norm
        lexical = QUERY_COVERAGE * self._sum_idf[field] / shape.norm + DOC_COVERAGE * min(
            1.0, self._sum_w[field]
        )
        return shape.weight * lexical

    def value(self) -> float:
        """The bound for the units added so far."""
        return sum(self._field(f) for f in range(len(self._shapes)))

    def with_unit(self, unit: Unit) -> float:
        """The bound if this unit were added too."""
        old = self._best.get((unit.field, unit.group), 0.0)
        if unit.weight <= old:
            return self.value()
        self.add(unit)
        value = self.value()
        self._set(unit.field, unit.group, old)
        return value

    def add(self, unit: Unit) -> None:
        """Add a unit."""
        old = self._best.get((unit.field, unit.group), 0.0)
        if unit.weight > old:
            self._set(unit.field, unit.group, unit.weight)

    def _set(self, field: int, group: int, weight: float) -> None:
        old = self._best.get((field, group), 0.0)
        self._best[(field, group)] = weight
        self._sum_w[field] += weight - old
        self._sum_idf[field] += self._shapes[field].idf[group] * (weight - old)


def split(units: list[Unit], shapes: list[Shape], floor: float) -> tuple[list[Unit], list[Unit], float]:
    """(skippable, essential, bound): the most frequent units whose joint bound stays below `floor`.

    A document that has none of the essential units scores at most `bound` < floor, so only the
    essential units' postings need to be read; the skippable ones are scored from stored terms.
    """
    order = sorted(units, key=lambda u: (-u.df, u.field, u.group, u.tid))
    bound = _Bound(shapes)
    taken = 0
    for unit in order:
        if bound.with_unit(unit) >= floor:
            break
        bound.add(unit)
        taken += 1
    return order[:taken], order[taken:], bound.value()


def upper_bound(units: list[Unit], shapes: list[Shape]) -> float:
    """The most a document can score when it matches only these units."""
    bound = _Bound(shapes)
    for unit in units:
        bound.add(unit)
    return bound.value()
