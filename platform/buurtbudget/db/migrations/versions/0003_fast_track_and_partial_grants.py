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
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('asked_cents', sa.BigInteger(), nullable=False),
    sa.Column('granted_cents', sa.BigInteger(), nullable=False),
    sa.Column('partial', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('granted_cents > 0 AND granted_cents <= asked_cents', name=op.f('ck_grants_granted_within_asked')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_grants_initiative_id_initiatives')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_grants_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('round_id', 'initiative_id', name=op.f('uq_grants_round_id_initiative_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('pots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fast_track_threshold_cents', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('fast_track_seats', sa.Integer(), server_default='3', nullable=False))
        batch_op.create_check_constraint('positive_fast_track_threshold', 'fast_track_threshold_cents > 0')
        batch_op.create_check_constraint('positive_fast_track_seats', 'fast_track_seats > 0')

    with op.batch_alter_table('round_initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('optional_cents', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('track', sa.String(length=10), server_default='regular', nullable=False))
        batch_op.add_column(sa.Column('partial_grants', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('deliberation_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_due_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('decision_due_on')
        batch_op.drop_column('deliberation_opens_at')
        batch_op.drop_column('partial_grants')
        batch_op.drop_column('track')

    with op.batch_alter_table('round_initiatives', schema=None) as batch_op:
        batch_op.drop_column('optional_cents')

    with op.batch_alter_table('pots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_pots_positive_fast_track_seats'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_pots_positive_fast_track_threshold'), type_='check')
        batch_op.drop_column('fast_track_seats')
        batch_op.drop_column('fast_track_threshold_cents')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_round_id'))
        batch_op.drop_index(batch_op.f('ix_grants_initiative_id'))

    op.drop_table('grants')
