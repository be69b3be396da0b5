"""The audit log's published anchors: the chain's head and the signed checkpoints kept outside the DB."""

from litestar import Controller, get
from sqlalchemy import select

from api.audit.schemas import AnchorsOut, CheckpointOut, HeadOut
from api.dependencies import AppSettings, DbSession
from buurtbudget.audit import anchors
from buurtbudget.audit.models import AuditHead


class AuditAnchorController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get(
        "/anchors",
        operation_id="getAuditAnchors",
        summary="The audit chain's head and its signed checkpoints, for anyone to keep and compare later",
    )
    async def anchors(self, db_session: DbSession, settings: AppSettings) -> AnchorsOut:
        head = (await db_session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
        try:
            published = anchors.read(settings.audit_checkpoints)
        except anchors.UnreadableCheckpointsError:
            published = []
        return AnchorsOut(
            head=HeadOut(entry_id=head.last_entry_id, entry_hash=head.last_hash),
            checkpoints=[
                CheckpointOut(entry_id=c.entry_id, entry_hash=c.entry_hash, at=c.at, seal=c.seal)
                for c in reversed(published)
            ],
        )
