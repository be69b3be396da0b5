"""initiative contact consent

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:00:00.000000

Consent of initiators to be contacted about similar initiatives.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('initiators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_consent', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('initiators', schema=None) as batch_op:
        batch_op.drop_column('contact_consent')
