"""Plain approval ballots of a large election, read in a few array passes and kept as the file's bytes.

Reading a city's vote (tens of thousands of ballots) into one frozenset per ballot costs more than
running MES on it. For a plain approval vote the reader finds every ballot's cells and project ids
with numpy over the bytes of the VOTES section instead; the rules count approvals and find each
project's supporters from those arrays, and the ``Ballot`` values are made, all at once, only when
someone iterates over the ballots.
"""

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from buurtbudget.jury.allocation.model import Ballot

if TYPE_CHECKING:
    import numpy.typing as npt

MAX_ID_BYTES = 8  # ids up to this long are compared as one 64-bit number
MAX_TABLE_BITS = 24  # at most 16 M slots in the table of project ids (elections of up to 2047 projects)
_GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / golden ratio, odd: the classic multiplicative hash
_NEWLINE, _SEMICOLON, _COMMA = ord("\n"), ord(";"), ord(",")
# first bytes of a line that may be a section's name after white space (the regex decides)
_MAY_START_SECTION = np.zeros(256, dtype=np.bool_)
_MAY_START_SECTION[: ord(" ") + 1] = True
_MAY_START_SECTION[0x7F:] = True
_MAY_START_SECTION[list(b"mMpPvV")] = True
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(MAX_ID_BYTES + 1)], dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class ApprovalIndex:
    """Supporters per project: ``voters[bounds[p]:bounds[p + 1]]`` are the ascending ballot indices of
    the voters approving the project at position ``p`` (positions follow the election's projects)."""

    counts: list[int]
    bounds: "npt.NDArray[np.intp]"
    voters: "npt.NDArray[np.intp]"

    def supporters(self, position: int) -> "npt.NDArray[np.intp]":
        """The ascending indices of the ballots approving the project at ``position``."""
        return self.voters[self.bounds[position] : self.bounds[position + 1]]


@dataclass(frozen=True, slots=True)
class _Cells:
    """Where one column's cell of every ballot starts and ends in the bytes (empty: start == end)."""

    starts: "npt.NDArray[np.intp]"
    ends: "npt.NDArray[np.intp]"

    def texts(self, data: memoryview) -> list[str]:
        return [
            str(data[s:e], "utf-8") for s, e in zip(self.starts.tolist(), self.ends.tolist(), strict=True)
        ]


class ApprovalBallots(Sequence[Ballot]):
    """Plain approval ballots: the bytes of the VOTES lines, where each ballot's vote and voter cells
    are, and the position (in ``project_ids``) of every project each ballot names, ballot by ballot."""

    def __init__(
        self,
        data: memoryview,
        *,
        votes: _Cells,
        voters: _Cells | None,
        project_ids: tuple[str, ...],
        named: "npt.NDArray[np.intp]",
        positions: "npt.NDArray[np.integer[Any]]",
    ) -> None:
        self._data, self._votes, self._voters = data, votes, voters
        self.project_ids = project_ids
        self._named = named  # how many projects each ballot names
        self._positions = positions

    def __len__(self) -> int:
        return len(self._named)

    @cached_property
    def ballots(self) -> tuple[Ballot, ...]:
        """The ballots as values (made on first use)."""
        empty: frozenset[str] = frozenset()
        texts = self._votes.texts(self._data)
        voters = self._voters.texts(self._data) if self._voters is not None else [""] * len(texts)
        return tuple(
            Ballot(frozenset(text.split(",")) if text else empty, None, _voter(cell))
            for text, cell in zip(texts, voters, strict=True)
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
        the projects the ballots were read against or a ballot names a project twice (then count from
        the ballots themselves)."""
        if tuple(project_ids) != self.project_ids:
            return None
        return self._index

    @cached_property
    def _index(self) -> ApprovalIndex | None:
        projects = len(self.project_ids)
        voters = np.repeat(np.arange(len(self._named), dtype=np.intp), self._named)
        order = np.argsort(self._positions, kind="stable")  # radix sort on small integers; voters ascending
        grouped = voters[order]
        counts = np.bincount(self._positions, minlength=projects)
        bounds = np.zeros(projects + 1, dtype=np.intp)
        np.cumsum(counts, out=bounds[1:])
        # a ballot that names a project twice is the same voter twice in a row within that project's
        # run; neighbours across the start of a project's run (bounds) belong to different projects
        repeated = grouped[1:] == grouped[:-1]
        starts = bounds[1:-1]
        repeated[starts[(starts >= 1) & (starts < len(grouped))] - 1] = False
        if bool(repeated.any()):
            return None  # a ballot names a project twice: it approves it once
        return ApprovalIndex([int(c) for c in counts], bounds, grouped)


def _voter(cell: str) -> str:
    voter = cell.strip()
    return "" if voter.lower() == "none" else voter


def read_plain_votes(
    data: bytes,
    start: int,
    columns: tuple[int, int],
    project_ids: tuple[str, ...],
    *,
    crlf: bool = False,
    section_line: Callable[[], bool] = lambda: False,
) -> tuple[ApprovalBallots, int] | None:
    """The ballots in ``data`` from ``start`` on, the lines after the VOTES header in UTF-8, and how many
    lines there are; ``None`` when a line is not a plain approval ballot of known project ids (then the
    general reader reads them).

    ``columns``: the vote's and the voter id's column (-1: none). The caller has made sure that these
    lines have no quotes or NUL bytes, and carriage returns only before line feeds (``crlf``: there are
    some): each line is then its cells split at every semicolon, exactly as the csv reader splits it.
    ``section_line``: whether a line may start a section (META, PROJECTS or VOTES), asked only when a
    line starts with a byte that such a line can start with (space or another control, a byte of a
    non-ASCII character, or m, p or v); then the general reader reads the lines.
    """
    vote_at, voter_at = columns
    view = memoryview(data)[start:]
    if crlf:
        view = memoryview(bytes(view).replace(b"\r\n", b"\n"))
    if view and view[-1] != _NEWLINE:
        view = memoryview(bytes(view) + b"\n")
    raw = np.frombuffer(view, dtype=np.uint8)
    # one comparison per byte value is several times quicker than a table look-up of every byte
    line_ends = np.flatnonzero(raw == _NEWLINE)
    semicolons = np.flatnonzero(raw == _SEMICOLON)
    lines = len(line_ends)
    starts = np.empty(lines, dtype=np.intp)
    starts[:1] = 0
    starts[1:] = line_ends[:-1] + 1
    if lines and bool(_MAY_START_SECTION[raw[starts]].any()) and section_line():
        return None
    first = np.searchsorted(semicolons, starts)
    cells = np.searchsorted(semicolons, line_ends) - first  # semicolons per line
    sizes = line_ends - starts
    if lines and int(sizes.max()) > csv.field_size_limit():
        return None  # the csv reader may refuse a field this long
    empty_line = sizes == 0
    if bool(np.any((cells == 0) & ~empty_line)):
        return None  # a line of one cell: blank with spaces, or a ballot the general reader reads
    keep = ~empty_line
    ballot_lines = _Lines(semicolons, starts[keep], line_ends[keep], first[keep], cells[keep])
    votes = ballot_lines.column(vote_at)
    voters = ballot_lines.column(voter_at) if voter_at >= 0 else None
    found = _projects(raw, np.flatnonzero(raw == _COMMA), votes, project_ids)
    if found is None:
        return None
    named, positions = found
    ballots = ApprovalBallots(
        view, votes=votes, voters=voters, project_ids=project_ids, named=named, positions=positions
    )
    return ballots, lines


@dataclass(frozen=True, slots=True)
class _Lines:
    """The ballot lines: where each starts and ends, its first semicolon and how many it has."""

    semicolons: "npt.NDArray[np.intp]"
    starts: "npt.NDArray[np.intp]"
    ends: "npt.NDArray[np.intp]"
    first: "npt.NDArray[np.intp]"
    cells: "npt.NDArray[np.intp]"  # semicolons in the line (it has one cell more)

    def column(self, column: int) -> _Cells:
        """Cell ``column`` of every line (empty where the line has fewer cells)."""
        semicolons, last_semicolon = self.semicolons, max(len(self.semicolons) - 1, 0)
        has = self.cells >= column
        at = np.where(has, self.first + column, 0)
        starts = self.starts
        if column:
            starts = np.where(has, semicolons[np.maximum(at - 1, 0)] + 1, self.starts)
        ends = np.where(self.cells == column, self.ends, semicolons[np.minimum(at, last_semicolon)])
        return _Cells(starts, np.where(has, ends, starts))


def _projects(
    raw: "npt.NDArray[np.uint8]",
    commas: "npt.NDArray[np.intp]",
    votes: _Cells,
    project_ids: tuple[str, ...],
) -> "tuple[npt.NDArray[np.intp], npt.NDArray[np.integer[Any]]] | None":
    """How many projects each vote cell names and their positions in ``project_ids``, in order; ``None``
    when a part of a cell is not exactly a project id."""
    table = _id_table(project_ids)
    if table is None or len(raw) < MAX_ID_BYTES:
        return None
    # the commas inside each vote cell: those from the first at or after its start to the last before
    # its end (a look-up per cell, not per comma)
    first, after = np.searchsorted(commas, votes.starts), np.searchsorted(commas, votes.ends)
    inside = after - first
    if int(inside.sum()) != len(commas):  # commas in other columns too: keep those inside vote cells
        edges = np.bincount(first, minlength=len(commas) + 1) - np.bincount(after, minlength=len(commas) + 1)
        commas = commas[np.cumsum(edges[:-1]) > 0]
    filled = votes.ends > votes.starts
    named = inside + filled
    # the parts of all cells in order: a filled cell's start, then one after each of its commas
    total = int(named.sum())
    opening = np.zeros(total, dtype=np.bool_)
    offsets = np.cumsum(named) - named
    opening[offsets[filled]] = True
    begin = np.empty(total, dtype=np.intp)
    begin[opening] = votes.starts[filled]
    begin[~opening] = commas + 1
    closing = np.zeros(total, dtype=np.bool_)
    closing[(offsets + named - 1)[filled]] = True
    end = np.empty(total, dtype=np.intp)
    end[closing] = votes.ends[filled]
    end[~closing] = commas
    sizes = end - begin
    if total and (int(sizes.min()) == 0 or int(sizes.max()) > MAX_ID_BYTES):
        return None
    # each part's (up to) 8 bytes as one little-endian number, the bytes after its end masked off; a
    # window that would run past the data starts earlier and is shifted back
    at = np.minimum(begin, len(raw) - MAX_ID_BYTES)
    windows = np.lib.stride_tricks.sliding_window_view(raw, MAX_ID_BYTES)[at].view("<u8").ravel()
    keys = (windows >> ((begin - at) * 8).astype(np.uint64)) & _MASKS[sizes]
    found = table.positions(keys)
    if found is None:
        return None
    if len(project_ids) < np.iinfo(np.int16).max:
        return named, found.astype(np.int16)  # small integers: numpy's stable sort is a radix sort
    return named, found


@dataclass(frozen=True, slots=True)
class _IdTable:
    """Project positions by a multiplicative hash of the ids' bytes read as one little-endian number."""

    keys: "npt.NDArray[np.uint64]"  # per position
    slots: "npt.NDArray[np.intp]"  # per hash, the position or -1
    multiplier: np.uint64
    shift: np.uint64

    def positions(self, keys: "npt.NDArray[np.uint64]") -> "npt.NDArray[np.intp] | None":
        """The position of each key's id, or ``None`` when one is no project's id."""
        found: npt.NDArray[np.intp] = self.slots[(keys * self.multiplier) >> self.shift]
        if len(keys) and not bool(np.all((found >= 0) & (self.keys[np.maximum(found, 0)] == keys))):
            return None
        return found


def _id_table(project_ids: tuple[str, ...]) -> _IdTable | None:
    """The table of ``project_ids``, or ``None`` when an id is empty or too long to be one key, or no
    multiplier without collisions is found quickly (then the general reader reads the votes)."""
    encoded = [pid.encode() for pid in project_ids]
    if not encoded or any(len(pid) > MAX_ID_BYTES or not pid for pid in encoded):
        return None
    keys = np.array([int.from_bytes(pid, "little") for pid in encoded], dtype=np.uint64)
    bits = max(8, 2 * len(keys).bit_length() + 1)  # about 2n² slots: few collisions to step around
    if bits > MAX_TABLE_BITS:
        return None
    shift = np.uint64(64 - bits)
    for attempt in range(32):
        multiplier = np.uint64((_GOLDEN * (2 * attempt + 1)) % 2**64)
        hashed = (keys * multiplier) >> shift
        ordered = np.sort(hashed)
        if not bool(np.any(ordered[1:] == ordered[:-1])):
            slots = np.full(1 << bits, -1, dtype=np.intp)
            slots[hashed] = np.arange(len(keys))
            return _IdTable(keys, slots, multiplier, shift)
    return None
