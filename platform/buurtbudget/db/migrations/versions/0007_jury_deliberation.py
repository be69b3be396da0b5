"""jury deliberation

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
    op.create_table('discussion_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_discussion_messages_author_id_people')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_discussion_messages_initiative_id_initiatives')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_discussion_messages_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_messages'))
    )
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.create_index('ix_discussion_messages_thread', ['round_id', 'initiative_id'], unique=False)

    op.create_table('advice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['people.id'], name=op.f('fk_advice_advisor_id_people')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_advice_initiative_id_initiatives')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_advice_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice')),
    sa.UniqueConstraint('round_id', 'initiative_id', 'advisor_id', name=op.f('uq_advice_round_id_initiative_id_advisor_id'))
    )
    with op.batch_alter_table('advice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advice_round_id'), ['round_id'], unique=False)

    op.create_table('round_minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_minutes_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by_id'], ['people.id'], name=op.f('fk_round_minutes_written_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_minutes'))
    )
    with op.batch_alter_table('round_minutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_minutes_round_id'), ['round_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('round_minutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_minutes_round_id'))

    op.drop_table('round_minutes')
    with op.batch_alter_table('advice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advice_round_id'))

    op.drop_table('advice')
    with op.batch_alter_table('discussion_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_messages_thread')

    op.drop_table('discussion_messages')
