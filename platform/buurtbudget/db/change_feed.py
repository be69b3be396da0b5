"""Reading the index change log since a worker's position (pruning it is `buurtbudget.db.heartbeats`)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.change_log import IndexChange, IndexChangeMarker
from buurtbudget.db.changes import EVERYTHING


@dataclass(frozen=True, slots=True)
class Position:
    """How far a worker's index has applied the log: a generation of the marker and a version in it."""

    generation: str
    version: int

    def continues(self, other: "Position") -> bool:
        """Whether `other` is this position or a later one of its log (the empty log leads to any)."""
        same = self.generation == other.generation or (self.generation == "" and self.version == 0)
        return same and other.version >= self.version


@dataclass(frozen=True, slots=True)
class Batch:
    """The changes from `after` (None: nothing applied yet) up to `upto`.

    `rebuild` when they cannot be applied one by one: a first read, a new generation, a log pruned past
    `after`, or too many changes in one transaction.
    """

    after: Position | None
    upto: Position
    rows: tuple[tuple[int, str, int], ...]  # (version, kind, row id), by version
    rebuild: bool

    @property
    def empty(self) -> bool:
        return not self.rebuild and not self.rows

    def ids(self, kind: str) -> set[int]:
        """The ids of the rows of one kind that changed."""
        return {ref_id for _version, row_kind, ref_id in self.rows if row_kind == kind}

    def touches(self, *kinds: str) -> bool:
        """Whether rows of any of these kinds changed."""
        return any(kind in kinds for _version, kind, _ref_id in self.rows)

    def seen_from(self, position: Position | None) -> "Batch | None":
        """This batch for an index now at `position` (another request may have applied part of it
        meanwhile); None when it does not reach back to there, so the log must be read again."""
        if position == self.after:
            return self
        if self.rebuild or position is None or self.after is None or not self.after.continues(position):
            return None
        if not position.continues(self.upto):
            return Batch(position, position, (), rebuild=False)
        return Batch(position, self.upto, tuple(r for r in self.rows if r[0] > position.version), False)


async def read_position(session: AsyncSession) -> Position:
    """The newest committed position (the empty log when nothing was ever changed)."""
    query = select(IndexChangeMarker.generation, IndexChangeMarker.version).where(IndexChangeMarker.id == 1)
    row = (await session.execute(query)).one_or_none()
    return Position(row.generation, int(row.version)) if row else Position("", 0)


async def read_since(session: AsyncSession, after: Position | None) -> Batch:
    """What changed after `after`. The marker is read first: every version up to it has committed."""
    upto = await read_position(session)
    if after is None or not after.continues(upto):
        return Batch(after, upto, (), rebuild=True)
    if upto.version == after.version:
        return Batch(after, upto, (), rebuild=False)
    query = (
        select(IndexChange.version, IndexChange.kind, IndexChange.ref_id)
        .where(IndexChange.version > after.version, IndexChange.version <= upto.version)
        .order_by(IndexChange.version)
    )
    rows = tuple((int(v), str(k), int(r)) for v, k, r in (await session.execute(query)).tuples())
    pruned = not rows or rows[0][0] != after.version + 1
    rebuild = pruned or any(kind == EVERYTHING for _v, kind, _r in rows)
    return Batch(after, upto, rows, rebuild)
