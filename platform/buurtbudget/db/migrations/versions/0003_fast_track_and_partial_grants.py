"""jury deliberation and grants

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00.000000

Fast-track thresholds per pot, essential cost lines and partial grants with the initiator's answer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
