"""The language switch: remembers the choice in the session (and for mails, when signed in) and goes back."""

from typing import Any

from litestar import Controller, Request, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.dependencies import SESSION_LOCALE, DbSession, session_person_id
from buurtbudget.i18n import LOCALES
from buurtbudget.people.language import remember_language


def local_path(value: str | None, default: str = "/") -> str:
    """`value` when it is a path on this site (never another host), else `default`."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return default


class LanguagePage(Controller):
    include_in_schema = False

    @post("/taal", operation_id="chooseLanguage", tags=["pages"])
    async def choose(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        locale = data.get("locale", "")
        if locale in LOCALES:
            request.set_session({**request.session, SESSION_LOCALE: locale})
            if (person_id := session_person_id(request)) is not None:
                await remember_language(db_session, person_id, locale)  # mails follow the choice
        return Redirect(local_path(data.get("next")), status_code=HTTP_303_SEE_OTHER)
