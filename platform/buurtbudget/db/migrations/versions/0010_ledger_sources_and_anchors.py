"""ledger sources, append-only ledger, balanced transactions, audit anchors

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:00:00.000000

A reserved account records the budget it is funded from (`source_account_id`). The ledger tables
refuse UPDATE and DELETE, and every ledger transaction must balance when it is committed:

- PostgreSQL: DEFERRABLE INITIALLY DEFERRED constraint triggers on ledger_entries and
  ledger_transactions check, at commit, that the transaction's entries exist and sum to zero.
- SQLite has no deferred triggers. There the transaction row is written after its entries and seals
  them: a trigger on its insert checks that its entries exist and sum to zero, a trigger on
  ledger_entries refuses an entry for a transaction that is already sealed, and the foreign key
  from an entry to its transaction is DEFERRABLE INITIALLY DEFERRED, so SQLite refuses at commit an
  entry whose transaction was never sealed. Together: every committed entry belongs to a sealed
  transaction, which balanced when sealed and can never change afterwards.

Audit entries get `entry_mac`, an HMAC of their hash with a key kept outside the database (entries
written before this migration have none; the first sealed entry's hash covers them all).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_TABLES = ("ledger_accounts", "ledger_transactions", "ledger_entries")


def upgrade() -> None:
    with op.batch_alter_table("ledger_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ledger_accounts_source_account_id_ledger_accounts"),
            "ledger_accounts",
            ["source_account_id"],
            ["id"],
        )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ledger_entries_transaction_id_ledger_transactions", type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_ledger_entries_transaction_id_ledger_transactions"),
            "ledger_transactions",
            ["transaction_id"],
            ["id"],
            deferrable=True,
            initially="DEFERRED",
        )
    # A plain ALTER on both databases: a rebuilt table would lose the audit table's append-only triggers.
    op.execute("ALTER TABLE audit_entries ADD COLUMN entry_mac VARCHAR(64)")

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in LEDGER_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
        op.execute(
            "CREATE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE tx integer; entries integer; total bigint; "
            "BEGIN "
            "IF TG_TABLE_NAME = 'ledger_entries' THEN tx := NEW.transaction_id; ELSE tx := NEW.id; END IF; "
            "SELECT count(*), coalesce(sum(amount_cents), 0) INTO entries, total "
            "FROM ledger_entries WHERE transaction_id = tx; "
            "IF entries = 0 OR total <> 0 THEN "
            "RAISE EXCEPTION 'ledger transaction % does not balance', tx USING ERRCODE = 'check_violation'; "
            "END IF; RETURN NULL; END $$"
        )
        for table in ("ledger_transactions", "ledger_entries"):
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {table}_balanced AFTER INSERT ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced()"
            )
    else:
        for table in LEDGER_TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        op.execute(
            "CREATE TRIGGER ledger_transactions_balanced BEFORE INSERT ON ledger_transactions "
            "WHEN (SELECT count(*) FROM ledger_entries WHERE transaction_id = NEW.id) = 0 "
            "OR (SELECT sum(amount_cents) FROM ledger_entries WHERE transaction_id = NEW.id) <> 0 "
            "BEGIN SELECT RAISE(ABORT, 'the ledger transaction does not balance'); END"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_sealed BEFORE INSERT ON ledger_entries "
            "WHEN EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id) "
            "BEGIN SELECT RAISE(ABORT, 'the ledger transaction is sealed: entries are added before it'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("ledger_transactions", "ledger_entries"):
            op.execute(f"DROP TRIGGER {table}_balanced ON {table}")
        op.execute("DROP FUNCTION ledger_balanced()")
        for table in LEDGER_TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION ledger_append_only()")
    else:
        op.execute("DROP TRIGGER ledger_entries_sealed")
        op.execute("DROP TRIGGER ledger_transactions_balanced")
        for table in LEDGER_TABLES:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")

    op.execute("ALTER TABLE audit_entries DROP COLUMN entry_mac")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ledger_entries_transaction_id_ledger_transactions", type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_ledger_entries_transaction_id_ledger_transactions"),
            "ledger_transactions",
            ["transaction_id"],
            ["id"],
        )
    with op.batch_alter_table("ledger_accounts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ledger_accounts_source_account_id_ledger_accounts"), type_="foreignkey"
        )
        batch_op.drop_column("source_account_id")
