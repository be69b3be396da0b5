"""pots run from pages: how-it-works texts and limits per pot

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:00:00.000000

Each pot's "how it works" page, written by the municipality: the most one initiative may ask (enforced
when a plan is sent in), the criteria, the date of the next round, and how money is paid and accounted for.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_per_initiative_cents", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("criteria", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("next_round_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("payment_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint("positive_max_per_initiative", "max_per_initiative_cents > 0")


def downgrade() -> None:
    with op.batch_alter_table("pots", schema=None) as batch_op:
        batch_op.drop_constraint("positive_max_per_initiative", type_="check")
        batch_op.drop_column("payment_text")
        batch_op.drop_column("next_round_on")
        batch_op.drop_column("criteria")
        batch_op.drop_column("max_per_initiative_cents")
