"""the trail's sign-ins by user: a console's start finds its user's latest sign-in (the shift's
start) without reading the whole trail (models.SIGN_IN_CONDITION).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import SIGN_IN_CONDITION

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_sign_ins",
        "audit_events",
        ["actor", "seq"],
        sqlite_where=sa.text(SIGN_IN_CONDITION),
        postgresql_where=sa.text(SIGN_IN_CONDITION),
    )


def downgrade() -> None:
    op.drop_index("ix_audit_sign_ins", table_name="audit_events")
