"""the hotline's work orders: a case's 12345 order number (unique where there is one), and the
flag of a case imported with a category or grid matched at low confidence, which waits in the
"to triage" view until an operator sets its category

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_ORDER = "order_no IS NOT NULL"
TO_TRIAGE = "to_triage"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("order_no", sa.String(40), nullable=True))
        batch.add_column(sa.Column("to_triage", sa.Boolean(), nullable=False, server_default="0"))
    op.create_index(
        "ix_cases_order_no",
        "cases",
        ["order_no"],
        unique=True,
        sqlite_where=sa.text(HAS_ORDER),
        postgresql_where=sa.text(HAS_ORDER),
    )
    # The few cases waiting for triage, found without reading the others.
    op.create_index(
        "ix_cases_to_triage",
        "cases",
        ["street_id", "created_at"],
        sqlite_where=sa.text(TO_TRIAGE),
        postgresql_where=sa.text(TO_TRIAGE),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_to_triage", table_name="cases")
    op.drop_index("ix_cases_order_no", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("to_triage")
        batch.drop_column("order_no")
