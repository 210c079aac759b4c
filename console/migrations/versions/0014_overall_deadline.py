"""each case's overall deadline 办结时限: when it falls due (kept through returns and rework),
whether it was given from outside (a hotline order's 办理时限), and what was left of it when the
case was suspended; an index of the open cases by it, for "late overall"

A store made before this holds its cases' trails, which the deadline is rebuilt from: its
figures' record is marked as not kept, so that `gridcall init` replays each case once
(services.record) and fills the deadline with the record.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import OPEN_CONDITION

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_given", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("paused_due_min", sa.Integer(), nullable=True))
    op.create_index(
        "ix_cases_open_due",
        "cases",
        ["street_id", "due_at", "id"],
        sqlite_where=sa.text(OPEN_CONDITION),
        postgresql_where=sa.text(OPEN_CONDITION),
    )
    # An empty store has nothing to replay; one with cases fills the deadline at `init`.
    op.execute("DELETE FROM meta WHERE key = 'case_record' AND EXISTS (SELECT 1 FROM cases)")


def downgrade() -> None:
    op.drop_index("ix_cases_open_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("paused_due_min")
        batch.drop_column("due_given")
        batch.drop_column("due_at")
