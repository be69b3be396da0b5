"""Maps every error to an RFC 9457 problem (JSON API) or a friendly page (HTML), never a bare 500."""

import logging
import socket
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import ExceptionHandlersMap
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.dependencies import locale_of
from api.rendering import page
from buurtbudget.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import N_, gettext
from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.people.errors import TooManySignInRequests
from buurtbudget.people.letter_codes import AddressFileRefused
from buurtbudget.people.verification_errors import NotVerified, TooManyCodeAttempts

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

TITLES = {
    HTTP_400_BAD_REQUEST: N_("The request could not be read"),
    HTTP_401_UNAUTHORIZED: N_("Please sign in first"),
    HTTP_403_FORBIDDEN: N_("You are not allowed to do this"),
    HTTP_404_NOT_FOUND: N_("We could not find this"),
    405: N_("This method is not possible here"),
    HTTP_409_CONFLICT: N_("This is not possible right now"),
    HTTP_422_UNPROCESSABLE_ENTITY: N_("Some details are not right"),
    HTTP_429_TOO_MANY_REQUESTS: N_("Too many attempts: please wait a while"),
    HTTP_500_INTERNAL_SERVER_ERROR: N_("Something went wrong on our side"),
    HTTP_503_SERVICE_UNAVAILABLE: N_("This is not available right now: please try again later"),
}


VERIFY_LINK = N_("Show that you live in this neighbourhood")

# The most specific kinds first: a TooManySignInRequests is also a DomainError.
STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (TooManySignInRequests, HTTP_429_TOO_MANY_REQUESTS),
    (TooManyCodeAttempts, HTTP_429_TOO_MANY_REQUESTS),
    (MailUnavailable, HTTP_503_SERVICE_UNAVAILABLE),
    (NotFound, HTTP_404_NOT_FOUND),
    (NotAllowed, HTTP_403_FORBIDDEN),
    (InvalidInput, HTTP_422_UNPROCESSABLE_ENTITY),
    (Conflict, HTTP_409_CONFLICT),
)


def _status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), HTTP_400_BAD_REQUEST)


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.startswith("/schema")


def respond(
    request: Request[Any, Any, Any],
    status: int,
    *,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    link: dict[str, str] | None = None,
) -> Response[Any]:
    locale = locale_of(request)
    title = gettext(TITLES.get(status, TITLES[HTTP_400_BAD_REQUEST]), locale)
    if _wants_json(request):
        body: dict[str, Any] = {
            "type": f"https://buurtbudget.example/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "instance": request.url.path,
        }
        if errors:
            body["errors"] = errors
        return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    return page(
        request,
        "error.html",
        status_code=status,
        headers=headers,
        title=title,
        detail=detail,
        errors=errors or [],
        link=link,
    )


def _sentence(text: str) -> str:
    """Domain messages are short clauses; people read them as sentences."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    locale = locale_of(request)
    detail = _sentence(gettext(error.message, locale))
    errors = None
    if isinstance(error, NotVerified):  # names the neighbourhood; the page links to verifying
        named = gettext(error.message, locale).format(neighbourhood=error.neighbourhood_name)
        detail = _sentence(named)
        link = {
            "href": f"/buurten/{error.neighbourhood_slug}/verifieren",
            "text": gettext(VERIFY_LINK, locale),
        }
        return respond(request, _status_of(error), code=error.code, detail=detail, link=link)
    if isinstance(error, AddressFileRefused):  # every line with its reason
        errors = [
            {"field": error.field, "line": str(line), "reason": _sentence(gettext(problem, locale))}
            for line, problem in error.problems
        ]
    elif isinstance(error, InvalidInput):
        errors = [{"field": error.field, "reason": detail}]
    headers = None
    if isinstance(error, TooManySignInRequests):
        headers = {"Retry-After": str(error.params.get("retry_after_seconds", 3600))}
    return respond(request, _status_of(error), code=error.code, detail=detail, errors=errors, headers=headers)


def validation_error(request: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    """Litestar reports unparsable bodies and invalid fields alike; only the second is a 422."""
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [
        {"field": str(item.get("key") or item.get("source") or ""), "reason": str(item.get("message", ""))}
        for item in extra
        if isinstance(item, dict)
    ]
    locale = locale_of(request)
    if not errors:
        return respond(
            request,
            HTTP_400_BAD_REQUEST,
            code="bad_request",
            detail=gettext("The request body could not be read: send valid JSON.", locale),
        )
    return respond(
        request,
        HTTP_422_UNPROCESSABLE_ENTITY,
        code="validation_failed",
        detail=gettext("Check the fields listed in 'errors'.", locale),
        errors=errors,
    )


def http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    locale = locale_of(request)
    status = error.status_code
    if status >= HTTP_500_INTERNAL_SERVER_ERROR:
        logger.error("server error on %s %s: %s", request.method, request.url.path, error.detail)
        return respond(
            request,
            status,
            code="server_error",
            detail=gettext(TITLES[HTTP_500_INTERNAL_SERVER_ERROR], locale),
        )
    detail = gettext(TITLES.get(status, TITLES[HTTP_400_BAD_REQUEST]), locale)
    if status == HTTP_400_BAD_REQUEST:
        detail = gettext("The request body could not be read: send valid JSON.", locale)
    return respond(request, status, code=_http_code(status), detail=detail, headers=dict(error.headers or {}))


def _http_code(status: int) -> str:
    return {
        HTTP_400_BAD_REQUEST: "bad_request",
        HTTP_401_UNAUTHORIZED: "not_signed_in",
        HTTP_403_FORBIDDEN: "not_allowed",
        HTTP_404_NOT_FOUND: "not_found",
        405: "method_not_allowed",
        HTTP_429_TOO_MANY_REQUESTS: "too_many_requests",
    }.get(status, "http_error")


def integrity_error(request: Request[Any, Any, Any], error: IntegrityError) -> Response[Any]:
    """A database constraint caught what the service did not: report a conflict, change nothing."""
    logger.warning("integrity error on %s %s: %s", request.method, request.url.path, error.orig)
    locale = locale_of(request)
    return respond(
        request,
        HTTP_409_CONFLICT,
        code="conflict",
        detail=gettext("This conflicts with data that already exists.", locale),
    )


# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back whole and the
# same request may well succeed when sent again (the lock order in the services keeps these rare).
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def database_error(request: Request[Any, Any, Any], error: DBAPIError) -> Response[Any]:
    """A deadlock or serialization failure: nothing was written, so ask to try again (503, Retry-After)."""
    if getattr(error.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES:
        return unexpected_error(request, error)
    logger.warning("transaction rolled back on %s %s: %s", request.method, request.url.path, error.orig)
    return respond(
        request,
        HTTP_503_SERVICE_UNAVAILABLE,
        code="try_again",
        detail=gettext(
            "Someone else was changing the same thing at the same moment: please try again.",
            locale_of(request),
        ),
        headers={"Retry-After": "1"},
    )


def busy_error(request: Request[Any, Any, Any], error: PoolTimeout) -> Response[Any]:
    """Every database connection of this worker stayed in use: ask to try again, change nothing."""
    logger.warning("no database connection free on %s %s: %s", request.method, request.url.path, error)
    locale = locale_of(request)
    return respond(
        request,
        HTTP_503_SERVICE_UNAVAILABLE,
        code="busy",
        detail=gettext("It is very busy right now: please try again in a few seconds.", locale),
        headers={"Retry-After": "5"},
    )


def undecodable_error(request: Request[Any, Any, Any], error: UnicodeDecodeError) -> Response[Any]:
    """Bytes that are not UTF-8 where text was expected (a form field, before any handler read it)."""
    logger.warning("undecodable input on %s %s: %s", request.method, request.url.path, error)
    return respond(
        request,
        HTTP_400_BAD_REQUEST,
        code="bad_request",
        detail=gettext("The request could not be read: send text as UTF-8.", locale_of(request)),
    )


# The database or Redis cannot be reached (refused, timed out, gone away): nothing was done.
UNREACHABLE: tuple[type[Exception], ...] = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)
UNAVAILABLE_RETRY_AFTER_SECONDS = 30


def unavailable_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """A store the request needs is out of reach: ask to try again later, change nothing."""
    logger.error(
        "database or redis unreachable on %s %s: %s: %s",
        request.method,
        request.url.path,
        type(error).__name__,
        error,
    )
    locale = locale_of(request)
    return respond(
        request,
        HTTP_503_SERVICE_UNAVAILABLE,
        code="unavailable",
        detail=gettext("We cannot reach our data right now. Please try again in a minute.", locale),
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS)},
    )


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    locale = locale_of(request)
    return respond(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        code="server_error",
        detail=gettext(TITLES[HTTP_500_INTERNAL_SERVER_ERROR], locale),
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    IntegrityError: integrity_error,
    DBAPIError: database_error,
    PoolTimeout: busy_error,
    UnicodeDecodeError: undecodable_error,
    **dict.fromkeys(UNREACHABLE, unavailable_error),
    Exception: unexpected_error,
}
