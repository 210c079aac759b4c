"""automatic 督办: the reply an urge asks of the lead unit (by when, and when its light turns
yellow), whether the system has urged the current step for turning red, when the case was raised
to the supervisor (督办件); indexes for the replies past due and the overseen cases

Nothing to replay: no trail written before this holds an urge by a rule or with a reply
deadline, so every case's new fields are their defaults.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reply_by", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reply_warn", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("urged_red", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("overseen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_cases_reply_by",
        "cases",
        ["reply_by", "id"],
        sqlite_where=sa.text("reply_by IS NOT NULL"),
        postgresql_where=sa.text("reply_by IS NOT NULL"),
    )
    # The whistled cases a unit holds: the sweep reads their departments' tasks (a few hundred
    # of a district's hundred thousand cases, not every case a unit holds).
    held_whistled = "status IN ('dispatched', 'in_progress') AND CAST(tasks AS TEXT) != '[]'"
    op.create_index(
        "ix_cases_held_whistled",
        "cases",
        ["id"],
        sqlite_where=sa.text(held_whistled),
        postgresql_where=sa.text(held_whistled),
    )
    op.create_index(
        "ix_cases_overseen",
        "cases",
        ["street_id", "overseen_at", "id"],
        sqlite_where=sa.text("overseen_at IS NOT NULL"),
        postgresql_where=sa.text("overseen_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_overseen", table_name="cases")
    op.drop_index("ix_cases_held_whistled", table_name="cases")
    op.drop_index("ix_cases_reply_by", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("overseen_at")
        batch.drop_column("urged_red")
        batch.drop_column("reply_warn")
        batch.drop_column("reply_by")
