"""Forgery on the JSON API: writes take JSON bodies only and never come from another site."""

import json
from urllib.parse import urlsplit

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

from buurtbudget.i18n import N_, best_locale, gettext

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
# Paths that authenticate by other means than the session cookie and must accept other sites' posts.
EXEMPT_PATHS = frozenset({"/api/v1/payments/stripe/webhook"})
# Sec-Fetch-Site values of requests a browser made from this site itself (or typed by hand).
OWN_SITE = frozenset({"same-origin", "none"})

NOT_JSON = N_("Send the request body as JSON (Content-Type: application/json).")
CROSS_SITE = N_("Changes can only be made from Buurtbudget itself, not from another website.")
TITLE_NOT_JSON = N_("This type of content is not accepted here")
TITLE_CROSS_SITE = N_("You are not allowed to do this")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, without default ports."""
    parts = urlsplit(url.strip().lower())
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}"


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _has_body(headers: Headers) -> bool:
    if "transfer-encoding" in headers:
        return True
    length = headers.get("content-length", "0").strip()
    return length not in ("", "0")


def refusal(headers: Headers, own_origin: str) -> tuple[int, str, str, str] | None:
    """Why a write to the JSON API is refused (status, code, title, detail), or None when it may pass.

    Non-browser clients send neither Origin nor Sec-Fetch-Site and pass; browsers always send one of
    them on a cross-site POST, and a cross-site form can only send form or text/plain bodies.
    """
    origin = headers.get("origin")
    fetch_site = headers.get("sec-fetch-site")
    if origin is not None:
        cross = origin_of(origin) != own_origin
    else:
        cross = fetch_site is not None and fetch_site.lower() not in OWN_SITE
    if cross:
        return 403, "cross_site_request", TITLE_CROSS_SITE, CROSS_SITE
    if _has_body(headers) and not _is_json(headers.get("content-type", "")):
        return 415, "unsupported_media_type", TITLE_NOT_JSON, NOT_JSON
    return None


class JsonApiGuard:
    """Refuses cross-site and non-JSON writes to the JSON API (DefineMiddleware with own_origin)."""

    def __init__(self, app: ASGIApp, own_origin: str) -> None:
        self.app = app
        self.own_origin = own_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != ScopeType.HTTP
            or scope.get("method") not in WRITES
            or not scope["path"].startswith(API_PREFIX)
            or scope["path"] in EXEMPT_PATHS
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        refused = refusal(headers, self.own_origin)
        if refused is None:
            await self.app(scope, receive, send)
            return
        await _problem(scope, send, headers, *refused)


async def _problem(
    scope: Scope, send: Send, headers: Headers, status: int, code: str, title: str, detail: str
) -> None:
    locale = best_locale(headers.get("accept-language"))
    body = json.dumps(
        {
            "type": f"https://buurtbudget.example/problems/{code}",
            "title": gettext(title, locale),
            "status": status,
            "detail": gettext(detail, locale),
            "code": code,
            "instance": scope["path"],
        }
    ).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)
