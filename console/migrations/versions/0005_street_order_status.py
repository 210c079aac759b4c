"""the street's created/updated order indexes also hold the status, so a status filter over
that order is checked in the index and only the rows shown are read from the table

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 03:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDERS = {"ix_cases_street_created": "created_at", "ix_cases_street_updated": "updated_at"}


def upgrade() -> None:
    for name, column in ORDERS.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", ["street_id", column, "id", "status"])


def downgrade() -> None:
    for name, column in ORDERS.items():
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", ["street_id", column, "id"])
