"""Settings read from environment variables prefixed with BUURTBUDGET_."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_SECRET_KEY = "change-me-in-production-this-is-only-for-the-demo"  # noqa: S105  (refused outside the demo)


class UnsafeSettingsError(RuntimeError):
    """The settings are not fit to serve real people (e.g. the demo secret outside demo mode)."""


class IdentityProviderSettings(BaseModel):
    """A municipality's OpenID Connect provider (the route to DigiD through a municipal broker)."""

    # Discovery reads {issuer}/.well-known/openid-configuration; the ID token's "iss" must equal it.
    issuer: str
    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    scopes: list[str] = ["openid", "email"]
    # The name on the button ("Inloggen met DigiD via de gemeente" when not given).
    label: str | None = None

    @field_validator("issuer")
    @classmethod
    def _web_address(cls, issuer: str) -> str:
        issuer = issuer.strip().rstrip("/")
        parts = urlsplit(issuer)
        loopback = parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if not (parts.scheme == "https" and parts.hostname) and not loopback:
            raise ValueError("the issuer must be an https:// address (http only on this machine, for tests)")
        return issuer

    @field_validator("scopes")
    @classmethod
    def _openid_first(cls, scopes: list[str]) -> list[str]:
        return ["openid", *(scope for scope in scopes if scope != "openid")]


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and a municipality's production."""

    model_config = SettingsConfigDict(env_prefix="BUURTBUDGET_", extra="ignore")

    database_url: str = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'buurtbudget.db'}"
    # PostgreSQL connections per worker process. A request that waits longer than the timeout for one
    # gets "busy, try again" (503) instead of waiting without end; workers x (size + overflow) must stay
    # below the server's max_connections. Overflow connections are closed when returned, so under
    # sustained load they are opened and closed again and again: a pool without overflow keeps them.
    database_pool_size: int = Field(default=20, ge=1)
    database_max_overflow: int = Field(default=0, ge=0)
    database_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr = SecretStr(DEMO_SECRET_KEY)
    # Demo conveniences (the outbox page, the fixed demo secret) exist only in demo mode (`make run`).
    demo: bool = False
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (comma-separated IPs or
    # networks, "*" for any); empty: none, so per-IP limits use the connecting address.
    trusted_proxies: str = ""
    debug: bool = False
    # Browsers accept Secure cookies on http://127.0.0.1 and localhost; production runs on https.
    cookie_secure: bool = True
    session_max_age_seconds: int = 60 * 60 * 24 * 14

    smtp_host: str | None = None
    smtp_port: int = 25
    # "starttls" (port 587), "tls" (implicit, port 465) or "none" (a relay on the same host).
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "Buurtbudget <noreply@buurtbudget.example>"
    outbox_dir: Path = PROJECT_ROOT / "var" / "outbox"

    # The outbox worker. `make run` runs it inside the web process; production runs `buurtbudget worker`.
    worker_in_process: bool = False
    # Deliver what a request queued right after its commit (a sign-in mail should not wait for a poll);
    # what fails stays in the outbox for the worker's retries.
    outbox_deliver_at_once: bool = True
    outbox_max_attempts: int = Field(default=10, ge=1)
    outbox_first_retry_seconds: float = Field(default=30.0, gt=0)
    outbox_longest_retry_seconds: float = Field(default=3600.0, gt=0)
    worker_poll_seconds: float = Field(default=1.0, gt=0)

    sign_in_token_minutes: int = 15
    sign_in_per_address_per_hour: int = 5
    sign_in_per_ip_per_minute: int = 20

    # Per municipality (its CBS code, e.g. "GM0344"), the OpenID Connect provider residents can verify
    # through: BUURTBUDGET_OIDC_PROVIDERS='{"GM0344": {"issuer": "https://...", "client_id": "...",
    # "client_secret": "...", "scopes": ["openid", "email"], "label": "..."}}'. Secrets stay here.
    oidc_providers: dict[str, IdentityProviderSettings] = {}
    # How long one call to a provider (discovery, keys, token) may take before we give up.
    oidc_timeout_seconds: float = Field(default=5.0, gt=0)

    # The key that seals audit entries (HMAC), never stored in the database; unset: derived from the
    # secret key. Changing either makes older entries fail `audit verify`.
    audit_key: SecretStr | None = None
    # Signed checkpoints of the audit chain's head (`buurtbudget audit checkpoint`), outside the database.
    audit_checkpoints: Path = PROJECT_ROOT / "var" / "audit-checkpoints.jsonl"

    pabulib_dir: Path = PROJECT_ROOT.parent / "shared" / "data" / "pabulib"

    @property
    def shows_outbox(self) -> bool:
        """The outbox page exists only in demo mode, and only when mails are not really sent."""
        return self.demo and not self.smtp_host

    def ensure_safe_to_serve(self) -> None:
        """Refuse to serve real people with the demo secret: anyone could forge sessions and CSRF tokens."""
        if not self.demo and self.secret_key.get_secret_value() == DEMO_SECRET_KEY:
            raise UnsafeSettingsError(
                "BUURTBUDGET_SECRET_KEY is not set: the default secret key is only for the demo. "
                "Set BUURTBUDGET_SECRET_KEY to a long random value, or BUURTBUDGET_DEMO=true for a demo."
            )
