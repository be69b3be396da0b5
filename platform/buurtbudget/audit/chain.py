"""The hash chain as pure functions: each entry's hash covers its content and its predecessor."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainLink:
    """The hashed content of one audit entry."""

    entry_id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: int | None
    data: dict[str, object]
    prev_hash: str
    entry_hash: str


def entry_hash(
    prev_hash: str,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    data: dict[str, object],
) -> str:
    """SHA-256 over a canonical JSON rendering of the entry and the previous hash."""
    canonical = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor_id, action, subject_type, subject_id, data],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of a verification: how many entries were checked and the first broken one."""

    checked: int
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_entry_id is None and not self.reason


def verify(links: Iterable[ChainLink], head_hash: str) -> Verdict:
    """Walk the chain in id order; every hash must recompute and link, and the tip must match the head."""
    previous = GENESIS_HASH
    checked = 0
    for link in links:
        if link.prev_hash != previous:
            return Verdict(checked, link.entry_id, "does not link to the entry before it")
        recomputed = entry_hash(
            link.prev_hash,
            at=link.at,
            actor_id=link.actor_id,
            action=link.action,
            subject_type=link.subject_type,
            subject_id=link.subject_id,
            data=link.data,
        )
        if recomputed != link.entry_hash:
            return Verdict(checked, link.entry_id, "content does not match its hash")
        previous = link.entry_hash
        checked += 1
    if previous != head_hash:
        return Verdict(checked, None, "the last entry is not the recorded head of the chain")
    return Verdict(checked)
