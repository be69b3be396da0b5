"""display names and what the security work needs

Names that were made from an e-mail address (never chosen by the person) are removed: until the
person chooses one, others see a neutral label. The schema itself does not change.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

people = sa.table(
    "people",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("display_name", sa.String),
)


def _made_from_address(email: str) -> str:
    """The name the platform used to guess from an address (a frozen copy of the old rule)."""
    return email.strip().lower().split("@")[0].replace(".", " ").title()[:120]


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(people.c.id, people.c.email, people.c.display_name)).all()
    guessed = [row.id for row in rows if row.display_name == _made_from_address(row.email)]
    for start in range(0, len(guessed), 500):
        connection.execute(
            people.update().where(people.c.id.in_(guessed[start : start + 500])).values(display_name="")
        )


def downgrade() -> None:
    pass  # the guessed names are not made again: they showed part of an address without consent
