"""places set up in pages: districts, boundaries, municipality slugs and contacts, postcodes

A neighbourhood gets its district (wijk or stadsdeel, to tell equal names apart) and an optional
boundary (GeoJSON); a municipality a slug (filled from its name) and a contact for residents where no
broker is known; postcodes (or whole 4-digit areas) point at the neighbourhoods they lie in.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00.000000
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "gemeente"


def upgrade() -> None:
    with op.batch_alter_table("neighbourhoods") as batch:
        batch.add_column(sa.Column("district", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("boundary", sa.Text(), nullable=True))
    with op.batch_alter_table("municipalities") as batch:
        batch.add_column(sa.Column("slug", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("contact_url", sa.String(length=300), nullable=True))
    connection = op.get_bind()
    taken: set[str] = set()
    for row in connection.execute(sa.text("SELECT id, name FROM municipalities ORDER BY id")):
        slug = _slug(row.name)
        while slug in taken:
            slug = f"{slug}-{row.id}"
        taken.add(slug)
        connection.execute(
            sa.text("UPDATE municipalities SET slug = :slug WHERE id = :id"), {"slug": slug, "id": row.id}
        )
    with op.batch_alter_table("municipalities") as batch:
        batch.alter_column("slug", existing_type=sa.String(length=120), nullable=False)
        batch.create_unique_constraint(batch.f("uq_municipalities_slug"), ["slug"])
    op.create_table(
        "postcodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("postcode", sa.String(length=6), nullable=False),
        sa.Column("area", sa.String(length=4), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_postcodes_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_postcodes_neighbourhood_id_neighbourhoods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postcodes")),
        sa.UniqueConstraint(
            "postcode", "neighbourhood_id", name=op.f("uq_postcodes_postcode_neighbourhood_id")
        ),
    )
    op.create_index("ix_postcodes_area", "postcodes", ["area"])
    op.create_index(op.f("ix_postcodes_postcode"), "postcodes", ["postcode"])
    op.create_index(op.f("ix_postcodes_municipality_id"), "postcodes", ["municipality_id"])
    op.create_index(op.f("ix_postcodes_neighbourhood_id"), "postcodes", ["neighbourhood_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_postcodes_neighbourhood_id"), table_name="postcodes")
    op.drop_index(op.f("ix_postcodes_municipality_id"), table_name="postcodes")
    op.drop_index(op.f("ix_postcodes_postcode"), table_name="postcodes")
    op.drop_index("ix_postcodes_area", table_name="postcodes")
    op.drop_table("postcodes")
    with op.batch_alter_table("municipalities") as batch:
        batch.drop_constraint(batch.f("uq_municipalities_slug"), type_="unique")
        batch.drop_column("contact_url")
        batch.drop_column("contact_phone")
        batch.drop_column("contact_email")
        batch.drop_column("slug")
    with op.batch_alter_table("neighbourhoods") as batch:
        batch.drop_column("boundary")
        batch.drop_column("district")
