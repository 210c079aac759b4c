"""the district's open queue with each case's text: a count of a common word across the
district reads this index alone, not a row of the table per open case
(models.TEXT_WALK_CONDITION).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import OPEN_CONDITION, TEXT_WALK_CONDITION, WALK_TEXT

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_walk_text",
        "cases",
        list(WALK_TEXT),
        sqlite_where=sa.text(TEXT_WALK_CONDITION),
        postgresql_where=sa.text(OPEN_CONDITION),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_walk_text", table_name="cases")
