"""The audit log's published anchors: the chain's head and the signed checkpoints kept outside the DB."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from api.audit.anchor_reading import published
from api.audit.schemas import AnchorsOut, CheckpointOut, HeadOut
from api.dependencies import AppSettings, DbSession
from api.rendering import page


class AuditAnchorController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get(
        "/anchors",
        operation_id="getAuditAnchors",
        summary="The audit chain's head and its signed checkpoints, for anyone to keep and compare later",
    )
    async def anchors(self, db_session: DbSession, settings: AppSettings) -> AnchorsOut:
        found = await published(db_session, settings)
        return AnchorsOut(
            head=HeadOut(entry_id=found.head.last_entry_id, entry_hash=found.head.last_hash),
            checkpoints=[
                CheckpointOut(entry_id=c.entry_id, entry_hash=c.entry_hash, at=c.at, seal=c.seal)
                for c in found.checkpoints
            ],
        )


class AuditAnchorPage(Controller):
    include_in_schema = False

    @get("/audit/ankers", operation_id="auditAnchorsPage", tags=["pages"])
    async def anchors_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, settings: AppSettings
    ) -> Template:
        found = await published(db_session, settings)
        return page(request, "audit/anchors.html", head=found.head, checkpoints=found.checkpoints)
