"""resident pages: a municipality's look

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 21:00:00.000000

Each municipality chooses one of the looks the installation ships (NL Design System token sets) and
may show its logo.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("theme", sa.String(length=40), server_default="buurtbudget", nullable=False)
        )
        batch_op.add_column(sa.Column("logo_url", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_column("logo_url")
        batch_op.drop_column("theme")
