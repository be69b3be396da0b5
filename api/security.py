"""Security headers on every response (errors too): a strict Content-Security-Policy and its companions."""

from collections.abc import Awaitable, Callable

from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# The API documentation (Swagger UI, served from /static) sets style attributes from its scripts.
SCHEMA_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"

BeforeSend = Callable[[Message, Scope], Awaitable[None]]


def _signed_in(scope: Scope, session_cookie: str) -> bool:
    """A request that carries a session (or gets one): its answer is about one person."""
    session = scope.get("session")
    if isinstance(session, dict) and session:
        return True
    cookies = Headers.from_scope(scope).get("cookie", "")
    return any(part.strip().startswith(f"{session_cookie}=") for part in cookies.split(";"))


def security_headers(*, https: bool, session_cookie: str) -> BeforeSend:
    """A before_send hook: it sees every response, also those made from exceptions and for unknown paths."""

    async def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
            return
        headers = MutableScopeHeaders.from_message(message)
        path = scope["path"]
        for name, value in HEADERS.items():
            if name not in headers:
                headers[name] = value
        if path.startswith("/schema"):
            headers["Content-Security-Policy"] = SCHEMA_CONTENT_SECURITY_POLICY
        if https and "Strict-Transport-Security" not in headers:
            headers["Strict-Transport-Security"] = HSTS
        if not path.startswith("/static/") and (
            _signed_in(scope, session_cookie)
            or any(cookie.startswith(f"{session_cookie}=") for cookie in headers.getall("set-cookie", []))
        ):
            headers["Cache-Control"] = NO_STORE

    return add
