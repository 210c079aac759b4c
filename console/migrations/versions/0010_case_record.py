"""each case's record for the centre's figures: steps run late, extensions granted, working
minutes spent per step, and when the current step's time last started; an index of when
cases closed

A store made before this holds its cases' trails, which the record is rebuilt from:
`gridcall init` replays each case once (services.record) and then sets the meta key
`case_record`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = (
    "late_steps",
    "ext_count",
    "accept_min",
    "dispatch_min",
    "sign_min",
    "handle_min",
    "verify_min",
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in COUNTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("timed_from", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_cases_closed", "cases", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_closed", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("timed_from")
        for name in reversed(COUNTS):
            batch.drop_column(name)
