"""initiative contact consent

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000

Discussion messages per initiative in a round, advice of professionals, minutes of the jury meeting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
