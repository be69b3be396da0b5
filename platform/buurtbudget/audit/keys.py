"""The audit key: an HMAC key kept outside the database, so a rewritten audit chain cannot be resealed."""

import hashlib
import hmac
from dataclasses import dataclass, field

from buurtbudget.settings import Settings

_BLOCK = 64  # SHA-256's block size: HMAC pads the key to it


@dataclass(frozen=True, slots=True)
class AuditKey:
    """HMAC-SHA256 with one key; also its padded inner and outer keys, so PostgreSQL can compute the same
    HMAC with its built-in sha256() in the statement that appends an entry (no extension needed)."""

    key: bytes = field(repr=False)  # never printed into a log
    inner: bytes = field(init=False, repr=False)
    outer: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        block = (hashlib.sha256(self.key).digest() if len(self.key) > _BLOCK else self.key).ljust(
            _BLOCK, b"\0"
        )
        object.__setattr__(self, "inner", bytes(b ^ 0x36 for b in block))
        object.__setattr__(self, "outer", bytes(b ^ 0x5C for b in block))

    def seal(self, text: str) -> str:
        """The hex HMAC-SHA256 of `text` (an entry's hash, or a checkpoint's canonical text)."""
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def verifies(self, text: str, mac: str | None) -> bool:
        return mac is not None and hmac.compare_digest(self.seal(text), mac)


def key_of(settings: Settings) -> AuditKey:
    """BUURTBUDGET_AUDIT_KEY, or when unset a key derived from BUURTBUDGET_SECRET_KEY (never stored)."""
    if settings.audit_key is not None:
        return AuditKey(settings.audit_key.get_secret_value().encode())
    secret = settings.secret_key.get_secret_value().encode()
    return AuditKey(hmac.new(secret, b"buurtbudget audit key v1", hashlib.sha256).digest())


_current: AuditKey | None = None


def use(key: AuditKey) -> None:
    """Seal this process's audit entries with `key` (the app and the command line set it at start)."""
    global _current  # noqa: PLW0603  (process configuration, like logging: set once at start)
    _current = key


def current() -> AuditKey:
    """The key set by `use`, or else the one the environment's settings give."""
    global _current  # noqa: PLW0603
    if _current is None:
        _current = key_of(Settings())
    return _current
