"""queue indexes for every sort, and the character-pair search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from console.models import NO_CLOCK, OPEN_CONDITION
from console.queries import text_search

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
        op.execute(text_search.SQLITE_TABLE)
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
                f"INSERT INTO {text_search.FTS} (rowid, grams) VALUES (?, ?)",
                text_search.fts_rows([tuple(r) for r in rows]),
            )
            last = rows[-1][0]
    else:
        op.execute(text_search.PG_FUNCTION)
        op.execute(text_search.PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {text_search.FTS}")
    else:
        op.execute(f"DROP INDEX {text_search.PG_INDEX_NAME}")
        op.execute("DROP FUNCTION gridcall_grams(text, text, text)")
    for name in (
        "ix_cases_open_urgency",
        "ix_cases_open_deadline",
        "ix_cases_street_updated",
        "ix_cases_street_created",
    ):
        op.drop_index(name, table_name="cases")
