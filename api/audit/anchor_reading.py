"""Reading what the audit log publishes: the chain's head and the checkpoints from their file."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit import anchors
from buurtbudget.audit.models import AuditHead
from buurtbudget.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Published:
    """The head now, and the checkpoints newest first."""

    head: AuditHead
    checkpoints: list[anchors.Checkpoint]


async def published(session: AsyncSession, settings: Settings) -> Published:
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
    try:
        checkpoints = anchors.read(settings.audit_checkpoints)
    except anchors.UnreadableCheckpointsError:
        logger.exception("the audit checkpoints in %s cannot be read", settings.audit_checkpoints)
        checkpoints = []
    return Published(head, list(reversed(checkpoints)))
