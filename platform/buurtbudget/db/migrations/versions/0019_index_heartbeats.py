"""index heartbeats: each process says how far its indexes applied the change log

The index change log is pruned up to the lowest version applied by the processes seen recently,
instead of by age, so the index on the rows' age goes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "index_heartbeats",
        sa.Column("process", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_index_heartbeats")),
    )
    op.drop_index("ix_index_changes_at", table_name="index_changes")


def downgrade() -> None:
    op.create_index("ix_index_changes_at", "index_changes", ["at"])
    op.drop_table("index_heartbeats")
