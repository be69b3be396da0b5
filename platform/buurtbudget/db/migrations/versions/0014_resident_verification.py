"""verified residents per neighbourhood: approval, letter codes, identity provider, expiry; jury attributes

The resident role stops being an assignment: a person is a resident of a neighbourhood while they hold
an active verification there. Every existing resident assignment becomes a verification by approval,
valid for the default period from now, and the assignment is removed. Municipalities get their jury
pool attributes (None: the defaults) and the validity of a verification in days.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_DAYS = 730

role_assignments = sa.table(
    "role_assignments",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("neighbourhood_id", sa.Integer),
)


def upgrade() -> None:
    op.add_column("municipalities", sa.Column("jury_attributes", sa.JSON(), nullable=True))
    op.add_column(
        "municipalities",
        sa.Column("verification_days", sa.Integer(), server_default=str(DEFAULT_DAYS), nullable=False),
    )
    op.create_table(
        "letter_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["people.id"],
            name=op.f("fk_letter_batches_created_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_letter_batches_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_batches")),
    )
    op.create_index(op.f("ix_letter_batches_neighbourhood_id"), "letter_batches", ["neighbourhood_id"])
    op.create_table(
        "letter_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("house_number", sa.String(length=20), nullable=False),
        sa.Column("postcode", sa.String(length=7), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("redeemed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["letter_batches.id"],
            name=op.f("fk_letter_codes_batch_id_letter_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["redeemed_by_id"],
            ["people.id"],
            name=op.f("fk_letter_codes_redeemed_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_codes")),
        sa.UniqueConstraint("batch_id", "position", name=op.f("uq_letter_codes_batch_id_position")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_letter_codes_code_hash")),
    )
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("letter_batch_id", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(length=255), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["letter_batch_id"],
            ["letter_batches.id"],
            name=op.f("fk_verifications_letter_batch_id_letter_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_verifications_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_verifications_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["people.id"],
            name=op.f("fk_verifications_verified_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
    )
    op.create_index(op.f("ix_verifications_neighbourhood_id"), "verifications", ["neighbourhood_id"])
    op.create_index(op.f("ix_verifications_expires_at"), "verifications", ["expires_at"])
    op.create_index(
        "ix_verifications_person_active", "verifications", ["person_id", "ended_at", "expires_at"]
    )
    op.create_table(
        "verification_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["people.id"],
            name=op.f("fk_verification_requests_decided_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_verification_requests_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_verification_requests_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_requests")),
    )
    op.create_index(op.f("ix_verification_requests_person_id"), "verification_requests", ["person_id"])
    op.create_index(
        op.f("ix_verification_requests_neighbourhood_id"), "verification_requests", ["neighbourhood_id"]
    )
    op.create_table(
        "identity_links",
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_identity_links_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("issuer", "subject", name=op.f("pk_identity_links")),
    )
    op.create_index(op.f("ix_identity_links_person_id"), "identity_links", ["person_id"])
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_code_attempts_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_attempts")),
    )
    op.create_index("ix_code_attempts_person_at", "code_attempts", ["person_id", "at"])
    _residents_to_verifications()


def _residents_to_verifications() -> None:
    """Each resident assignment becomes a verification by approval, valid the default period from now."""
    connection = op.get_bind()
    verifications = sa.table(
        "verifications",
        sa.column("person_id", sa.Integer),
        sa.column("neighbourhood_id", sa.Integer),
        sa.column("method", sa.String),
        sa.column("verified_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    rows = connection.execute(
        sa.select(role_assignments.c.person_id, role_assignments.c.neighbourhood_id).where(
            role_assignments.c.role == "resident", role_assignments.c.neighbourhood_id.is_not(None)
        )
    ).all()
    if rows:
        connection.execute(
            verifications.insert(),
            [
                {
                    "person_id": row.person_id,
                    "neighbourhood_id": row.neighbourhood_id,
                    "method": "approval",
                    "verified_at": now,
                    "expires_at": now + timedelta(days=DEFAULT_DAYS),
                }
                for row in rows
            ],
        )
    connection.execute(role_assignments.delete().where(role_assignments.c.role == "resident"))


def downgrade() -> None:
    connection = op.get_bind()
    verifications = sa.table(
        "verifications",
        sa.column("person_id", sa.Integer),
        sa.column("neighbourhood_id", sa.Integer),
        sa.column("ended_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    active = connection.execute(
        sa.select(verifications.c.person_id, verifications.c.neighbourhood_id)
        .where(verifications.c.ended_at.is_(None), verifications.c.expires_at > datetime.now(UTC))
        .distinct()
    ).all()
    if active:
        connection.execute(
            role_assignments.insert(),
            [
                {"person_id": row.person_id, "role": "resident", "neighbourhood_id": row.neighbourhood_id}
                for row in active
            ],
        )
    op.drop_index("ix_code_attempts_person_at", table_name="code_attempts")
    op.drop_table("code_attempts")
    op.drop_index(op.f("ix_identity_links_person_id"), table_name="identity_links")
    op.drop_table("identity_links")
    op.drop_index(op.f("ix_verification_requests_neighbourhood_id"), table_name="verification_requests")
    op.drop_index(op.f("ix_verification_requests_person_id"), table_name="verification_requests")
    op.drop_table("verification_requests")
    op.drop_index("ix_verifications_person_active", table_name="verifications")
    op.drop_index(op.f("ix_verifications_expires_at"), table_name="verifications")
    op.drop_index(op.f("ix_verifications_neighbourhood_id"), table_name="verifications")
    op.drop_table("verifications")
    op.drop_table("letter_codes")
    op.drop_index(op.f("ix_letter_batches_neighbourhood_id"), table_name="letter_batches")
    op.drop_table("letter_batches")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch would copy the table, and dropping the old
    # copy fails on SQLite while neighbourhoods refer to its rows.
    op.drop_column("municipalities", "verification_days")
    op.drop_column("municipalities", "jury_attributes")
