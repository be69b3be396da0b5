"""Plain approval ballots of a large election kept as the file's vote texts until someone needs them.

Reading a city's vote (tens of thousands of ballots) into one frozenset per ballot costs more than
running MES on it. The reader keeps each ballot's vote text instead; the rules count approvals and
find each project's supporters from those texts in a few array passes (numpy), and the ``Ballot``
values are made, all at once, only when someone iterates over the ballots.
"""

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING, overload

from buurtbudget.jury.allocation.model import Ballot

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class ApprovalIndex:
    """Supporters per project: ``voters[bounds[p]:bounds[p + 1]]`` are the ascending ballot indices of
    the voters approving the project at position ``p`` (positions follow the election's projects)."""

    counts: list[int]
    bounds: "IndexArray"
    voters: "IndexArray"

    def supporters(self, position: int) -> "IndexArray":
        """The ascending indices of the ballots approving the project at ``position``."""
        return self.voters[self.bounds[position] : self.bounds[position + 1]]


class ApprovalBallots(Sequence[Ballot]):
    """Approval ballots as their vote texts (known project ids joined by commas, or empty) and the voter
    cells as the file has them (trimmed, and "none" read as no id, when the ballots are made).

    Every text was checked by the reader: each comma-separated part is a known project id.
    """

    def __init__(
        self, texts: list[str], voter_cells: list[str], project_ids: tuple[str, ...], positions: "array[int]"
    ) -> None:
        """``positions``: for every project id the texts name, in order, its position in ``project_ids``."""
        if len(texts) != len(voter_cells):
            raise ValueError("one voter cell per ballot")
        self.texts = texts
        self.voter_cells = voter_cells
        self.project_ids = project_ids
        self.positions = positions

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def ballots(self) -> tuple[Ballot, ...]:
        """The ballots as values (made on first use)."""
        empty: frozenset[str] = frozenset()
        return tuple(
            Ballot(frozenset(text.split(",")) if text else empty, None, _voter(cell))
            for text, cell in zip(self.texts, self.voter_cells, strict=True)
        )

    @overload
    def __getitem__(self, index: int) -> Ballot: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Ballot]: ...

    def __getitem__(self, index: int | slice) -> Ballot | Sequence[Ballot]:
        return self.ballots[index]

    def __iter__(self) -> Iterator[Ballot]:
        return iter(self.ballots)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # a sequence compared by value, like a list

    def approval_index(self, project_ids: Sequence[str]) -> ApprovalIndex | None:
        """Supporters and approval counts per project of ``project_ids``, or ``None`` when these are not
        the projects the texts were read against or a ballot names a project twice (then count from
        the ballots themselves)."""
        if tuple(project_ids) != self.project_ids:
            return None
        return self._index

    @cached_property
    def _index(self) -> ApprovalIndex | None:
        return _build_index(self.texts, self.positions, len(self.project_ids))


def _voter(cell: str) -> str:
    voter = cell.strip()
    return "" if voter.lower() == "none" else voter


def _build_index(texts: list[str], positions: "array[int]", projects: int) -> ApprovalIndex | None:
    import numpy as np  # noqa: PLC0415  (only the rules over large elections need it)

    flat = np.frombuffer(positions, dtype=np.intc)
    if projects < np.iinfo(np.int16).max:
        flat = flat.astype(np.int16)  # small integers: numpy's stable sort is then a radix sort
    # a text names one project more than it has commas, an empty text none
    lengths = np.fromiter(map(str.count, texts, repeat(",")), dtype=np.intp, count=len(texts))
    lengths += np.fromiter(map(bool, texts), dtype=np.bool_, count=len(texts))
    voters = np.repeat(np.arange(len(texts), dtype=np.intp), lengths)
    order = np.argsort(flat, kind="stable")  # a radix sort on small integers; keeps voters ascending
    grouped, named = voters[order], flat[order]
    if bool(np.any((grouped[1:] == grouped[:-1]) & (named[1:] == named[:-1]))):
        return None  # a ballot names a project twice: it approves it once
    counts = np.bincount(flat, minlength=projects)
    bounds = np.zeros(projects + 1, dtype=np.intp)
    np.cumsum(counts, out=bounds[1:])
    return ApprovalIndex([int(c) for c in counts], bounds, grouped)
