"""the street's created/updated order indexes also hold the deadline and warning times, so a
light filter (overdue, warning, on time) over that order is checked in the index too

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 06:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDERS = {"ix_cases_street_created": "created_at", "ix_cases_street_updated": "updated_at"}


def upgrade() -> None:
    for name, column in ORDERS.items():
        op.drop_index(name, table_name="cases")
        op.create_index(
            name, "cases", ["street_id", column, "id", "status", "deadline_at", "warn_at"]
        )


def downgrade() -> None:
    for name, column in ORDERS.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", ["street_id", column, "id", "status"])
