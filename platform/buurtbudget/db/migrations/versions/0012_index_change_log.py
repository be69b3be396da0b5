"""one change log for the in-memory indexes

The similar-initiative, volunteer and space indexes of every worker follow one log: a version raised
at the commit of each change, and the kinds and row ids it changed. The volunteer and space logs it
replaces are dropped (a worker's first read after the upgrade rebuilds its indexes anyway).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "index_change_marker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_change_marker")),
    )
    op.create_table(
        "index_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "kind", "ref_id", name=op.f("pk_index_changes")),
    )
    op.create_index("ix_index_changes_at", "index_changes", ["at"])
    op.drop_table("space_changes")
    op.drop_table("space_change_marker")
    op.drop_table("volunteer_changes")
    op.drop_table("volunteer_sync")


def downgrade() -> None:
    op.create_table(
        "volunteer_sync",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_sync")),
    )
    op.execute("INSERT INTO volunteer_sync (id, version) VALUES (1, 0)")
    op.create_table(
        "volunteer_changes",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_volunteer_changes")),
    )
    op.create_table(
        "space_change_marker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_change_marker")),
    )
    op.create_table(
        "space_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_space_changes_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_changes_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_space_changes")),
    )
    op.drop_index("ix_index_changes_at", table_name="index_changes")
    op.drop_table("index_changes")
    op.drop_table("index_change_marker")
