"""the street index also holds urgency, so the header counts read the index alone

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 01:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_cases_street_deadline", table_name="cases")
    op.create_index(
        "ix_cases_street_deadline", "cases", ["street_id", "status", "deadline_at", "urgency"]
    )


def downgrade() -> None:
    op.drop_index("ix_cases_street_deadline", table_name="cases")
    op.create_index("ix_cases_street_deadline", "cases", ["street_id", "status", "deadline_at"])
