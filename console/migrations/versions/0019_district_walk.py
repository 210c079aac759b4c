"""the whole district's open queue in its two clock orders: a district-wide page walks these and
stops at a page of matches, a count reads them alone (models.WALK_CONDITION).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 21:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import OPEN_CONDITION, WALK_CONDITION, WALK_DEADLINE, WALK_URGENCY

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WALKS = {"ix_cases_walk_deadline": WALK_DEADLINE, "ix_cases_walk_urgency": WALK_URGENCY}


def upgrade() -> None:
    for name, columns in WALKS.items():
        op.create_index(
            name,
            "cases",
            list(columns),
            sqlite_where=sa.text(WALK_CONDITION),
            postgresql_where=sa.text(OPEN_CONDITION),
        )


def downgrade() -> None:
    for name in WALKS:
        op.drop_index(name, table_name="cases")
