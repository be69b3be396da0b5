"""The in-memory index of one process, kept in step with the database before every query.

Several workers share one database, so no worker can tell the others what changed. Each one
reads a cheap marker (how many initiatives, the newest `updated_at`, the newest ledger
transaction) and, when it moved, re-reads only the initiatives whose `updated_at` differs
from what it indexed. A transaction that commits late carries an older `updated_at` than rows
already seen, so the recent past (GRACE) is compared again for a while after every change.
"""

import asyncio
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.similar import documents
from buurtbudget.similar.documents import Card, Marker
from matching import InitiativeDoc, InitiativeIndex

GRACE = timedelta(seconds=30)


@dataclass
class IndexHolder:
    """An index, the cards of what it holds, and the last change seen of every initiative."""

    index: InitiativeIndex | None = None
    cards: dict[int, Card] = field(default_factory=dict)
    seen: dict[int, datetime] = field(default_factory=dict)
    marker: Marker | None = None
    builds: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ready(self, session: AsyncSession) -> InitiativeIndex:
        """The index, brought up to date with the database first."""
        async with self.lock:
            marker = await documents.read_marker(session)
            if self.index is None or self.marker is None:
                return await self._build(session, marker)
            if marker == self.marker and not self._recent(marker):
                return self.index
            return await self._catch_up(session, marker, self.index, self.marker)

    def ids_in(self, neighbourhood_id: int) -> list[str]:
        """The engine ids of the indexed initiatives of one neighbourhood."""
        return [str(card.id) for card in self.cards.values() if card.neighbourhood_id == neighbourhood_id]

    @staticmethod
    def _recent(marker: Marker) -> bool:
        return marker.last_update is not None and utcnow() - marker.last_update < GRACE

    async def _build(self, session: AsyncSession, marker: Marker) -> InitiativeIndex:
        self.seen = await documents.stamps(session, None)
        loaded = await documents.load(session)
        index = InitiativeIndex()
        index.add_many(doc for doc, _card in loaded)
        self.index, self.cards, self.marker = index, {card.id: card for _doc, card in loaded}, marker
        self.builds += 1
        return index

    async def _catch_up(
        self, session: AsyncSession, marker: Marker, index: InitiativeIndex, previous: Marker
    ) -> InitiativeIndex:
        known = [m.last_update for m in (previous, marker) if m.last_update is not None]
        since = min(known) - GRACE if known else None
        recent = await documents.stamps(session, since)
        changed = {iid for iid, at in recent.items() if self.seen.get(iid) != at}
        if marker.last_ledger_id != previous.last_ledger_id:
            granted = await documents.granted_totals(session)
            changed |= {iid for iid, card in self.cards.items() if granted.get(iid) != card.granted_cents}
        if changed:
            self._apply(index, changed, await documents.load(session, changed))
        self.seen.update(recent)
        if len(self.seen) != marker.count:  # rows were deleted (or the database was replaced)
            return await self._build(session, marker)
        self.marker = marker
        return index

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
