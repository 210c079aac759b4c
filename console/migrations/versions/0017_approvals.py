"""a unit's return waits for the centre's approval (退回待批): the unit's reason kept on the
case while it waits; a shelved case's next review day (挂账复核). An index of the few waiting
return requests, a street's at a time.

A store made before this holds no request (a return then took effect at once) and no review
day (its shelved cases are due for review); its record is still marked as not kept, so that
`gridcall init` replays each case once (services.record) and fills both from the trail, as
for a store taken back before this and brought up again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import RETURN_REQUESTED

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("return_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("review_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_cases_return_requested",
        "cases",
        ["street_id", "id"],
        sqlite_where=sa.text(RETURN_REQUESTED),
        postgresql_where=sa.text(RETURN_REQUESTED),
    )
    op.execute("DELETE FROM meta WHERE key = 'case_record' AND EXISTS (SELECT 1 FROM cases)")


def downgrade() -> None:
    op.drop_index("ix_cases_return_requested", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("review_on")
        batch.drop_column("return_reason")
