"""'Your name': the name others see, asked at first sign-in and editable at any time."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import Current, CurrentActor, DbSession, Locale
from api.initiatives.page_support import sign_in_first
from api.language.pages import local_path
from api.pages.form_errors import translated
from api.rendering import page
from buurtbudget.errors import InvalidInput
from buurtbudget.people.service import set_display_name

NAME_PAGE = "/mijn-naam"
NextPath = Annotated[str | None, QueryParameter(name="volgende")]


class DisplayNamePage(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get(NAME_PAGE, operation_id="displayNamePage")
    async def form(
        self, request: Request[Any, Any, Any], current: Current, next_path: NextPath = None
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        person, _actor = current
        return page(
            request,
            "people/name.html",
            display_name=person.display_name if person else "",
            first_time=not (person and person.display_name),
            next_path=local_path(next_path),
            errors={},
        )

    @post(NAME_PAGE, operation_id="displayNamePagePost")
    async def save(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        data: URLEncodedBody[dict[str, str]],
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        name = data.get("display_name", "")
        next_path = local_path(data.get("next"))
        try:
            await set_display_name(db_session, actor, name)
        except InvalidInput as error:
            return page(
                request,
                "people/name.html",
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                display_name=name,
                first_time=False,
                next_path=next_path,
                errors=translated({"display_name": error.message}, locale),
            )
        return Redirect(next_path, status_code=HTTP_303_SEE_OTHER)
