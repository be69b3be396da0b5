"""The in-memory index of one process, kept in step with the database before every query.

Several workers share one database, so no worker can tell the others what changed. Each one follows
the index change log (`buurtbudget.db.change_feed`): it reads what changed since the version it applied
outside the lock, and under the lock re-reads only the initiatives the log names. A neighbourhood change
(a rename) re-reads that neighbourhood's initiatives, whose cards show its name.
"""

import asyncio
import weakref
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db import change_feed, heartbeats
from buurtbudget.db.change_feed import Batch, Position
from buurtbudget.db.changes import INITIATIVE, MUNICIPALITY, NEIGHBOURHOOD
from buurtbudget.initiatives.models import Initiative
from buurtbudget.similar import documents
from buurtbudget.similar.documents import Card
from matching import InitiativeDoc, InitiativeIndex


@dataclass
class IndexHolder:
    """An index, the cards of what it holds, and the position in the change log it reflects."""

    index: InitiativeIndex | None = None
    cards: dict[int, Card] = field(default_factory=dict)
    position: Position | None = None
    builds: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ready(self, session: AsyncSession) -> InitiativeIndex:
        """The index, brought up to date with the database first (and the process's heartbeat told)."""
        index = await self._refreshed(session)
        await heartbeats.report(session, "similar", self.position)
        return index

    async def _refreshed(self, session: AsyncSession) -> InitiativeIndex:
        read = await change_feed.read_since(session, self.position)
        if self.index is not None and read.empty and read.after == self.position:
            return self.index
        async with self.lock:
            batch = read.seen_from(self.position) or await change_feed.read_since(session, self.position)
            if self.index is None or batch.rebuild or batch.touches(MUNICIPALITY):
                return await self._build(session, batch.upto)
            await self._catch_up(session, batch, self.index)
            self.position = batch.upto
            return self.index

    def ids_in(self, neighbourhood_id: int) -> list[str]:
        """The engine ids of the indexed initiatives of one neighbourhood."""
        return [str(card.id) for card in self.cards.values() if card.neighbourhood_id == neighbourhood_id]

    async def _build(self, session: AsyncSession, position: Position) -> InitiativeIndex:
        loaded = await documents.load(session)
        index = InitiativeIndex()
        index.add_many(doc for doc, _card in loaded)
        self.index, self.cards, self.position = index, {card.id: card for _doc, card in loaded}, position
        self.builds += 1
        return index

    async def _catch_up(self, session: AsyncSession, batch: Batch, index: InitiativeIndex) -> None:
        changed = batch.ids(INITIATIVE)
        renamed = batch.ids(NEIGHBOURHOOD)
        if renamed:
            query = select(Initiative.id).where(Initiative.neighbourhood_id.in_(renamed))
            changed |= set((await session.execute(query)).scalars())
        if changed:
            self._apply(index, changed, await documents.load(session, changed))

    def _apply(
        self, index: InitiativeIndex, changed: set[int], loaded: list[tuple[InitiativeDoc, Card]]
    ) -> None:
        fresh = {card.id: (doc, card) for doc, card in loaded}
        for iid in changed:
            if iid in fresh:
                doc, card = fresh[iid]
                index.upsert(doc)
                self.cards[iid] = card
            elif str(iid) in index:
                index.remove(str(iid))
                self.cards.pop(iid, None)


_HOLDERS: "weakref.WeakKeyDictionary[Engine, IndexHolder]" = weakref.WeakKeyDictionary()


def holder_for(session: AsyncSession) -> IndexHolder:
    """The index of this process for the session's database (one per engine)."""
    bind = session.bind
    engine = bind.sync_engine if bind is not None else None
    if not isinstance(engine, Engine):
        raise TypeError("the session is not bound to an engine")
    holder = _HOLDERS.get(engine)
    if holder is None:
        holder = _HOLDERS[engine] = IndexHolder()
    return holder
