"""volunteers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000

Volunteer profiles, offers of help and invitations (matches), and the change feed that keeps every
worker's in-memory volunteer index up to date.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "volunteer_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=12), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("weekly", sa.JSON(), nullable=False),
        sa.Column("dated", sa.JSON(), nullable=False),
        sa.Column("max_commitments", sa.Integer(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_commitments BETWEEN 1 AND 10", name=op.f("ck_volunteer_profiles_max_commitments_range")
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_volunteer_profiles_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_volunteer_profiles_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_profiles")),
        sa.UniqueConstraint("person_id", name=op.f("uq_volunteer_profiles_person_id")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_volunteer_profiles_pseudonym")),
    )
    with op.batch_alter_table("volunteer_profiles", schema=None) as batch_op:
        batch_op.create_index("ix_volunteer_profiles_neighbourhood_id", ["neighbourhood_id"], unique=False)

    op.create_table(
        "volunteer_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("volunteer_answer", sa.String(length=10), nullable=False),
        sa.Column("initiative_answer", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("origin IN ('offer', 'invitation')", name=op.f("ck_volunteer_matches_origin")),
        sa.CheckConstraint(
            "volunteer_answer IN ('pending', 'accepted', 'declined')",
            name=op.f("ck_volunteer_matches_volunteer_answer"),
        ),
        sa.CheckConstraint(
            "initiative_answer IN ('pending', 'accepted', 'declined')",
            name=op.f("ck_volunteer_matches_initiative_answer"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'agreed', 'declined')", name=op.f("ck_volunteer_matches_status")
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_volunteer_matches_score_range")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_volunteer_matches_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_volunteer_matches_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profiles.id"],
            name=op.f("fk_volunteer_matches_profile_id_volunteer_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_matches")),
        sa.UniqueConstraint(
            "profile_id", "initiative_id", name=op.f("uq_volunteer_matches_profile_id_initiative_id")
        ),
    )
    with op.batch_alter_table("volunteer_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_matches_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_volunteer_matches_profile_id"), ["profile_id"], unique=False)

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


def downgrade() -> None:
    op.drop_table("volunteer_changes")
    op.drop_table("volunteer_sync")
    with op.batch_alter_table("volunteer_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_matches_profile_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_matches_initiative_id"))

    op.drop_table("volunteer_matches")
    with op.batch_alter_table("volunteer_profiles", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_profiles_neighbourhood_id")

    op.drop_table("volunteer_profiles")
