"""spaces and bookings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000

Spaces, their opening hours and bookings (no two bookings of a space overlap).

On PostgreSQL an exclusion constraint (btree_gist) refuses overlapping booked periods of one
space, also between concurrent transactions; SQLite serialises writers, and the service checks
there. The change marker is one row that every space or booking change bumps; the change log
names the rows changed at each version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('space_change_marker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.String(length=32), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space_change_marker'))
    )
    op.create_table('spaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('price_per_hour_cents', sa.BigInteger(), nullable=False),
    sa.Column('wheelchair_accessible', sa.Boolean(), nullable=False),
    sa.Column('accessible_toilet', sa.Boolean(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('bookable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(lat IS NULL) = (lon IS NULL)', name=op.f('ck_spaces_both_coordinates')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_spaces_positive_capacity')),
    sa.CheckConstraint('price_per_hour_cents >= 0', name=op.f('ck_spaces_price_not_negative')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_spaces_neighbourhood_id_neighbourhoods')),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_spaces_owner_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spaces'))
    )
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spaces_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spaces_owner_id'), ['owner_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('booked', 'cancelled')", name=op.f('ck_bookings_state')),
    sa.CheckConstraint('people > 0', name=op.f('ck_bookings_positive_people')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_bookings_period_order')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['people.id'], name=op.f('fk_bookings_booked_by_id_people')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['people.id'], name=op.f('fk_bookings_cancelled_by_id_people')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_bookings_initiative_id_initiatives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_bookings_space_id_spaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_booked_by_id'), ['booked_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_space_id'), ['space_id'], unique=False)
        batch_op.create_index('ix_bookings_space_period', ['space_id', 'starts_at', 'ends_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_no_overlap "
            "EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (state = 'booked')"
        )

    op.create_table('space_facilities',
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_space_facilities_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('space_id', 'code', name=op.f('pk_space_facilities'))
    )
    with op.batch_alter_table('space_facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_space_facilities_code'), ['code'], unique=False)

    op.create_table('space_opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens_minute', sa.Integer(), nullable=False),
    sa.Column('closes_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440', name=op.f('ck_space_opening_hours_window')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_space_opening_hours_weekday')),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_space_opening_hours_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space_opening_hours'))
    )
    with op.batch_alter_table('space_opening_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_space_opening_hours_space_id'), ['space_id'], unique=False)

    op.create_table('space_changes',
    sa.Column('version', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_space_changes_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_space_changes_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_space_changes'))
    )


def downgrade() -> None:
    op.drop_table('space_changes')
    with op.batch_alter_table('space_opening_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_space_opening_hours_space_id'))

    op.drop_table('space_opening_hours')
    with op.batch_alter_table('space_facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_space_facilities_code'))

    op.drop_table('space_facilities')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_space_period')
        batch_op.drop_index(batch_op.f('ix_bookings_space_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_booked_by_id'))

    # The exclusion constraint goes with the table; btree_gist stays (other schemas may use it).
    op.drop_table('bookings')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spaces_owner_id'))
        batch_op.drop_index(batch_op.f('ix_spaces_neighbourhood_id'))

    op.drop_table('spaces')
    op.drop_table('space_change_marker')
