"""the figure cells keyed by handler too: each (centre's day reported, community, lead unit,
the login that reported the unit's result)'s counts, so that a period's figures per grid worker
(the assessment) are summed from the cells instead of half a million cases

A unit's cases are handled by one or two of its people, so the cells grow by a few hundredths.
The cells of a store made before this cannot be split by handler: they are emptied and the meta
key `figure_cells` removed, the figures read the cases meanwhile, and `gridcall init` sums the
cells afresh (services.cells).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COUNTS = (
    "reported",
    "accepted",
    "invalid",
    "duplicate",
    "dispatched",
    "closed",
    "closed_on_time",
    "suspended",
    "open",
    "late_ever",
    "reworked",
    "returned",
    "extended",
    "urges",
    "rated",
    "satisfied",
    "basic",
    "dissatisfied",
)


def _rekeyed(*key: sa.Column[object]) -> None:
    op.execute("DELETE FROM meta WHERE key = 'figure_cells'")
    op.drop_index("ix_figure_cells_street", table_name="figure_cells")
    op.drop_table("figure_cells")
    op.create_table(
        "figure_cells",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        *key,
        sa.Column("street_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in COUNTS),
        sa.PrimaryKeyConstraint("day", "community_id", "unit_id", *(c.name for c in key)),
    )
    op.create_index("ix_figure_cells_street", "figure_cells", ["street_id", "day"])


def upgrade() -> None:
    _rekeyed(sa.Column("handler", sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    _rekeyed()
