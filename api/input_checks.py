"""Refuses input no handler can use before any handler runs: unreadable JSON bodies and NUL characters."""

from typing import Any

from litestar import Request, Response
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, SerializationException
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import locale_of
from api.errors import respond
from buurtbudget.i18n import N_, gettext

NUL = "\x00"
NUL_DETAIL = N_("A field holds an invisible character (NUL) that cannot be saved.")
NUL_REASON = N_("Remove the invisible character (NUL) from the field “{field}”.")
FORMS = (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)


def _nul_field(pairs: list[tuple[str, Any]]) -> str | None:
    """The name of the first field whose name or text holds a NUL character."""
    for name, value in pairs:
        if NUL in name or (isinstance(value, str) and NUL in value):
            return name.replace(NUL, "")
    return None


async def _read_json(request: Request[Any, Any, Any]) -> None:
    """Decode the body once (Litestar keeps it for the handler); undecodable bytes are a 400."""
    try:
        await request.json()
    except (UnicodeDecodeError, RecursionError, SerializationException) as error:
        # Invalid UTF-8 and JSON nested too deep to read escape Litestar's own decoding errors.
        raise ClientException(str(error)[:200]) from error


async def refuse_unusable_input(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """A before-request hook: a 400 for a body that is not JSON, a 422 naming a field that holds NUL.

    PostgreSQL cannot store NUL in text (SQLite can), so every path, query and form field refuses it
    on both databases alike; JSON bodies refuse it field by field in their schemas (`api.schemas.Input`).
    """
    pairs: list[tuple[str, Any]] = [*request.path_params.items(), *request.query_params.multi_items()]
    content_type = request.content_type[0]
    if content_type == "application/json" or content_type.endswith("+json"):
        await _read_json(request)
    elif content_type in FORMS and request.method not in {"GET", "HEAD"}:
        pairs.extend((await request.form()).multi_items())
    field = _nul_field(pairs)
    if field is None:
        return None
    locale = locale_of(request)
    return respond(
        request,
        HTTP_422_UNPROCESSABLE_ENTITY,
        code="invalid_input",
        detail=gettext(NUL_DETAIL, locale),
        errors=[{"field": field, "reason": gettext(NUL_REASON, locale).format(field=field)}],
    )
