"""who acts: passwords, lockout and sign-ins of users; a community's and a service's users; who
handled a case and whether its reporter is confidential; events of the trail that belong to no
case (sign-in, sign-out, lock)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER audit_events_no_{op} BEFORE {OP} ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: {op} refused'); END"
)

# The table as 0001 made it, so that SQLite's rebuild copies it without reflecting the store.
_AUDIT_EVENTS = sa.Table(
    "audit_events",
    sa.MetaData(),
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("seq", sa.Integer(), nullable=False, unique=True),
    sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(length=32), nullable=False),
    sa.Column("action", sa.String(length=24), nullable=False),
    sa.Column("from_status", sa.String(length=16), nullable=True),
    sa.Column("to_status", sa.String(length=16), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("prev_hash", sa.String(length=64), nullable=False),
    sa.Column("hash", sa.String(length=64), nullable=False),
    sa.Index("ix_audit_case", "case_id", "seq"),
)


def upgrade() -> None:
    # Plain ADD COLUMN on both stores: a batch rebuild of `cases` on SQLite would lose its
    # expression indexes, and of `users` is not needed (a REFERENCES clause may be added).
    if op.get_bind().dialect.name == "sqlite":  # alembic cannot add the constraint there
        op.execute("ALTER TABLE users ADD COLUMN community_id INTEGER REFERENCES areas (id)")
    else:
        op.add_column("users", sa.Column("community_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_users_community", "users", "areas", ["community_id"], ["id"])
    op.add_column(
        "users", sa.Column("kind", sa.String(length=16), nullable=False, server_default="person")
    )
    op.add_column(
        "users", sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("users", sa.Column("password_hash", sa.String(length=128), nullable=True))
    op.add_column(
        "users", sa.Column("failed_signins", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_ins_user", "sign_ins", ["user_id", "kind"])
    op.add_column("cases", sa.Column("handled_by", sa.String(length=32), nullable=True))
    op.add_column("cases", sa.Column("handled_unit", sa.String(length=32), nullable=True))
    op.add_column(
        "cases", sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # the table is rebuilt to drop NOT NULL; its triggers go with the old one
        for name in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{name}")
    with op.batch_alter_table("audit_events", copy_from=_AUDIT_EVENTS) as batch:
        batch.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("to_status", existing_type=sa.String(length=16), nullable=True)
    if sqlite:
        for name in ("update", "delete"):
            op.execute(APPEND_ONLY_SQLITE.format(op=name, OP=name.upper()))


def downgrade() -> None:
    raise NotImplementedError("0007 adds sign-in events to the trail; it cannot be undone")
