"""people and roles: invitations, who granted a role and when, sessions that end with a revocation

A role assignment remembers who gave it and when (unknown for the roles given before). A person gets
a moment from which their sessions count: revoking one of their roles moves it to now, so a browser
signed in before the revocation is signed out on its next request. Invitations are sign-in links
(the existing single-use tokens, valid longer), so they need no table of their own.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sessions_valid_from", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("granted_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("granted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_role_assignments_granted_by_id_people"),
            "people",
            ["granted_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_constraint("fk_role_assignments_granted_by_id_people", type_="foreignkey")
        batch_op.drop_column("granted_at")
        batch_op.drop_column("granted_by_id")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("sessions_valid_from")
