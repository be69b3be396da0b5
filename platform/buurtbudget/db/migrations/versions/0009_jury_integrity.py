"""jury integrity: one open round per initiative, cancel, quorum, committed draw

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 18:00:00.000000

Rounds get a quorum, a minimum support, the reasons of an early close or a cancellation and when
they ended. An initiative's link to an open round repeats its id in `open_initiative_id` (unique),
so it is on at most one open round. The jury draw is committed: `jury_draws` holds the frozen
seats, quotas and the hash of a secret seed, `jury_pool_members` the pseudonymised frozen pool.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quorum', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('min_support', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('early_close_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('round_initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_initiative_id', sa.Integer(), nullable=True))
    # Existing open rounds: each initiative keeps the link to its oldest open round only.
    op.execute(
        "UPDATE round_initiatives SET open_initiative_id = initiative_id "
        "WHERE round_id IN (SELECT id FROM rounds WHERE state = 'open') "
        "AND round_id = (SELECT MIN(other.round_id) FROM round_initiatives AS other "
        "JOIN rounds ON rounds.id = other.round_id "
        "WHERE other.initiative_id = round_initiatives.initiative_id AND rounds.state = 'open')"
    )
    with op.batch_alter_table('round_initiatives', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_round_initiatives_open_initiative_id'), ['open_initiative_id']
        )
        batch_op.create_check_constraint(
            'open_link', 'open_initiative_id IS NULL OR open_initiative_id = initiative_id'
        )

    op.create_table('jury_draws',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('reserves', sa.Integer(), nullable=False),
    sa.Column('quotas', sa.JSON(), nullable=False),
    sa.Column('seed_hash', sa.String(length=64), nullable=False),
    sa.Column('seed_nonce', sa.String(length=64), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=True),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('jurors', sa.JSON(), nullable=True),
    sa.Column('reserves_drawn', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_jury_draws_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_jury_draws'))
    )
    op.create_table('jury_pool_members',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_jury_pool_members_person_id_people')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_jury_pool_members_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'pseudonym', name=op.f('pk_jury_pool_members')),
    sa.UniqueConstraint('round_id', 'person_id', name=op.f('uq_jury_pool_members_round_id_person_id'))
    )


def downgrade() -> None:
    op.drop_table('jury_pool_members')
    op.drop_table('jury_draws')
    with op.batch_alter_table('round_initiatives', schema=None) as batch_op:
        batch_op.drop_constraint('open_link', type_='check')
        batch_op.drop_constraint(batch_op.f('uq_round_initiatives_open_initiative_id'), type_='unique')
        batch_op.drop_column('open_initiative_id')

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('ended_at')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('early_close_reason')
        batch_op.drop_column('min_support')
        batch_op.drop_column('quorum')
