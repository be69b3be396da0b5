"""The page /beheer/wachtrij: platform administrators see the outbox and retry dead letters."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from api.dependencies import CurrentActor, DbSession
from api.initiatives.page_support import see_other, sign_in_first
from api.rendering import page
from api.schemas import PathId
from buurtbudget.outbox import admin


class OutboxAdminPage(Controller):
    include_in_schema = False

    @get("/beheer/wachtrij", operation_id="outboxAdminPage", tags=["pages"])
    async def show(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        state = await admin.queue_state(db_session, actor)
        return page(
            request,
            "admin/queue.html",
            counts=sorted(state.counts.items()),
            dead_letters=state.dead_letters,
            notice=request.query_params.get("melding"),
        )

    @post("/beheer/wachtrij/{message_id:int}/opnieuw", operation_id="outboxAdminRetry", tags=["pages"])
    async def retry(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, message_id: PathId
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await admin.retry(db_session, actor, message_id)
        return see_other("/beheer/wachtrij", melding="opnieuw")
