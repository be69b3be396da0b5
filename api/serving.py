"""How `buurtbudget serve` runs uvicorn: the proxies it believes, and logs without sign-in tokens."""

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from buurtbudget.settings import Settings

# A sign-in link carries its token in the query string (/inloggen/bevestigen?token=...).
_SECRET_QUERY = re.compile(r"((?:^|[?&;\s])token=)[^&;\s\"]*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` with the value of every token= query parameter replaced."""
    return _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)


class RedactTokens(logging.Filter):
    """Removes sign-in tokens from a log record's message and arguments (uvicorn's access log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def logging_config() -> dict[str, Any]:
    """uvicorn's logging, with tokens redacted from the access and error logs before any handler sees them."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": f"{__name__}.RedactTokens"}}
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        config["loggers"].setdefault(name, {})["filters"] = ["redact_tokens"]
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    return config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Options for uvicorn.run/Config: X-Forwarded-For and -Proto only from BUURTBUDGET_TRUSTED_PROXIES.

    Behind a trusted proxy the client's real address is used (per-IP rate limits); from anybody else
    the headers are ignored, so nobody can pick the address their requests are counted under.
    """
    trusted = settings.trusted_proxies.strip()
    return {
        "log_config": logging_config(),
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
        "server_header": False,
    }
