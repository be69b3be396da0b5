"""The hash chain as pure functions: each entry's hash covers its content and its predecessor."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

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
    entry_mac: str | None = None


class Sealer(Protocol):
    """What checks an entry's seal (an HMAC with a key kept outside the database, see `audit.keys`)."""

    def verifies(self, text: str, mac: str | None) -> bool: ...


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
    """SHA-256 over a canonical JSON rendering of the previous hash and the entry (see `canonical_tail`)."""
    tail = canonical_tail(
        at=at, actor_id=actor_id, action=action, subject_type=subject_type, subject_id=subject_id, data=data
    )
    return hashlib.sha256(f"[{json.dumps(prev_hash)},{tail}".encode()).hexdigest()


def canonical_tail(
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    data: dict[str, object],
) -> str:
    """The canonical JSON array ``[prev_hash, at, actor_id, action, subject_type, subject_id, data]``
    after its first element: the hashed text is ``'["' + prev_hash + '",' + tail`` (hashes are hex, so
    they need no escaping), which lets PostgreSQL hash an entry in the statement that links it."""
    canonical = json.dumps(
        [at.isoformat(timespec="microseconds"), actor_id, action, subject_type, subject_id, data],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return canonical[1:]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of a verification: how many entries were checked and the first broken one."""

    checked: int
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_entry_id is None and not self.reason


def verify(links: Iterable[ChainLink], head_hash: str, key: Sealer | None = None) -> Verdict:
    """Walk the chain in id order; every hash must recompute and link, and the tip must match the head.

    With `key`, every entry must also carry its seal: the hashes alone can be recomputed by anyone who
    can write to the database, the seal only with the key. Entries written before sealing began (a
    prefix without seals) are covered by the first sealed entry, whose hash covers the chain before it.
    """
    previous = GENESIS_HASH
    checked = 0
    sealed = False
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
        if key is not None and (sealed or link.entry_mac is not None):
            if not key.verifies(link.entry_hash, link.entry_mac):
                return Verdict(checked, link.entry_id, "its seal does not match: rewritten, or another key")
            sealed = True
        previous = link.entry_hash
        checked += 1
    if previous != head_hash:
        return Verdict(checked, None, "the last entry is not the recorded head of the chain")
    if key is not None and checked and not sealed:
        return Verdict(checked, None, "no entry is sealed: the chain cannot be told apart from a rewrite")
    return Verdict(checked)
