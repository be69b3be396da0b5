"""Settings read from environment variables prefixed with BUURTBUDGET_."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    secret_key: SecretStr = SecretStr("change-me-in-production-this-is-only-for-the-demo")
    debug: bool = False
    # Browsers accept Secure cookies on http://127.0.0.1 and localhost; production runs on https.
    cookie_secure: bool = True
    session_max_age_seconds: int = 60 * 60 * 24 * 14

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "Buurtbudget <noreply@buurtbudget.example>"
    outbox_dir: Path = PROJECT_ROOT / "var" / "outbox"
    show_outbox: bool = Field(default=False, description="Show the outbox page (demo only)")

    sign_in_token_minutes: int = 15
    sign_in_per_address_per_hour: int = 5
    sign_in_per_ip_per_minute: int = 20

    pabulib_dir: Path = PROJECT_ROOT.parent / "shared" / "data" / "pabulib"
