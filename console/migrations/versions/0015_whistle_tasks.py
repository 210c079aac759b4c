"""吹哨报到: the task of each department a whistle summons, kept on its case as a JSON list
(empty for every case whistled before: those whistles made no tasks, and their trails say so)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


WHISTLED = "CAST(tasks AS TEXT) != '[]'"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("tasks", sa.JSON(), nullable=False, server_default="[]"))
    # The few whistled cases by reported time: the assessment's table reads these alone.
    op.create_index(
        "ix_cases_whistled",
        "cases",
        ["created_at"],
        sqlite_where=sa.text(WHISTLED),
        postgresql_where=sa.text(WHISTLED),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_whistled", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("tasks")
