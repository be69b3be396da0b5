"""Signed checkpoints of the audit chain's head, kept outside the database and published."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from buurtbudget.audit.keys import AuditKey


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain's head at one moment: entry `entry_id` had hash `entry_hash`; `seal` is the audit key's
    HMAC over both and the time, so nobody without the key can make a checkpoint up."""

    entry_id: int
    entry_hash: str
    at: str
    seal: str

    @property
    def text(self) -> str:
        return canonical(self.entry_id, self.entry_hash, self.at)


def canonical(entry_id: int, entry_hash: str, at: str) -> str:
    return json.dumps(["buurtbudget-audit-checkpoint", entry_id, entry_hash, at], separators=(",", ":"))


def make(key: AuditKey, entry_id: int, entry_hash: str, at: str) -> Checkpoint:
    return Checkpoint(entry_id, entry_hash, at, key.seal(canonical(entry_id, entry_hash, at)))


def append(path: Path, checkpoint: Checkpoint) -> None:
    """Add one checkpoint as a JSON line (the file only grows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")


class UnreadableCheckpointsError(ValueError):
    """A checkpoint file line that is not a checkpoint."""


def read(path: Path) -> list[Checkpoint]:
    """The checkpoints in a file, oldest first; none when the file does not exist."""
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            found.append(
                Checkpoint(int(item["entry_id"]), str(item["entry_hash"]), str(item["at"]), str(item["seal"]))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise UnreadableCheckpointsError(f"line {number} of {path} is not a checkpoint") from error
    return found


def problems(checkpoints: Iterable[Checkpoint], key: AuditKey, hashes: Mapping[int, str]) -> list[str]:
    """What is wrong between the checkpoints and the chain (`hashes`: entry id to entry hash)."""
    found = []
    for checkpoint in checkpoints:
        if not key.verifies(checkpoint.text, checkpoint.seal):
            found.append(
                f"checkpoint of entry {checkpoint.entry_id} at {checkpoint.at} is not sealed by our key"
            )
        elif checkpoint.entry_id not in hashes:
            found.append(f"entry {checkpoint.entry_id} of the checkpoint at {checkpoint.at} is missing")
        elif hashes[checkpoint.entry_id] != checkpoint.entry_hash:
            found.append(f"entry {checkpoint.entry_id} differs from the checkpoint at {checkpoint.at}")
    return found
