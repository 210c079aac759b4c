"""queue indexes for every sort, and the character-pair search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console import search_index
from console.models import NO_CLOCK, OPEN_CONDITION

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 20_000


def upgrade() -> None:
    op.create_index("ix_cases_street_created", "cases", ["street_id", "created_at", "id"])
    op.create_index("ix_cases_street_updated", "cases", ["street_id", "updated_at", "id"])
    where = {"sqlite_where": sa.text(OPEN_CONDITION), "postgresql_where": sa.text(OPEN_CONDITION)}
    op.create_index(
        "ix_cases_open_deadline",
        "cases",
        ["street_id", sa.text(NO_CLOCK), "deadline_at", "id"],
        **where,
    )
    op.create_index(
        "ix_cases_open_urgency",
        "cases",
        ["street_id", sa.text("urgency DESC"), sa.text(NO_CLOCK), "deadline_at", "id"],
        **where,
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(search_index.SQLITE_TABLE)
        last = 0
        while True:
            rows = bind.execute(
                sa.text(
                    "SELECT id, code, title, address FROM cases WHERE id > :last "
                    "ORDER BY id LIMIT :n"
                ),
                {"last": last, "n": BATCH},
            ).all()
            if not rows:
                break
            bind.exec_driver_sql(
                f"INSERT INTO {search_index.FTS} (rowid, grams) VALUES (?, ?)",
                search_index.fts_rows([tuple(r) for r in rows]),
            )
            last = rows[-1][0]
    else:
        op.execute(search_index.PG_FUNCTION)
        op.execute(search_index.PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {search_index.FTS}")
    else:
        op.execute(f"DROP INDEX {search_index.PG_INDEX_NAME}")
        op.execute("DROP FUNCTION gridcall_grams(text, text, text)")
    for name in (
        "ix_cases_open_urgency",
        "ix_cases_open_deadline",
        "ix_cases_street_updated",
        "ix_cases_street_created",
    ):
        op.drop_index(name, table_name="cases")
