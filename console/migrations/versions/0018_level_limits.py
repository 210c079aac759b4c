"""the time limits of the level an escalation gives a case to (上报至社区、区平台), kept on the
case as its escalation's event carries them.

A store made before this escalated with the category's limits at every level, and its events
carry none: every case keeps none, which is what its trail replays to.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("level_limits", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("level_limits")
