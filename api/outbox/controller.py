"""JSON endpoints for platform administrators under /api/v1/outbox."""

from datetime import datetime

from litestar import Controller, get, post
from litestar.status_codes import HTTP_204_NO_CONTENT
from pydantic import BaseModel

from api.dependencies import CurrentActor, DbSession
from api.guards import requires_signed_in
from api.schemas import PathId
from buurtbudget.outbox import admin


class DeadLetterOut(BaseModel):
    id: int
    kind: str
    recipient: str | None
    attempts: int
    last_error: str
    created_at: datetime
    finished_at: datetime | None


class StatusCount(BaseModel):
    status: str
    count: int


class OutboxOut(BaseModel):
    counts: list[StatusCount]
    dead_letters: list[DeadLetterOut]


class OutboxController(Controller):
    path = "/api/v1/outbox"
    tags = ["outbox"]
    guards = [requires_signed_in]

    @get(operation_id="getOutbox", summary="For platform administrators: what waits, was sent or failed")
    async def state(self, db_session: DbSession, actor: CurrentActor) -> OutboxOut:
        state = await admin.queue_state(db_session, actor)
        return OutboxOut(
            counts=[
                StatusCount(status=status, count=count) for status, count in sorted(state.counts.items())
            ],
            dead_letters=[DeadLetterOut.model_validate(d, from_attributes=True) for d in state.dead_letters],
        )

    @post(
        "/{message_id:int}/retry",
        operation_id="retryOutboxMessage",
        summary="For platform administrators: queue a dead letter again",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def retry(self, db_session: DbSession, actor: CurrentActor, message_id: PathId) -> None:
        await admin.retry(db_session, actor, message_id)
