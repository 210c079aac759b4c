"""the figures' cells: each (centre's day reported, community, lead unit)'s counts, the same
per (day, community), and each (centre's day closed, community)'s cases closed, kept as cases
move; an index of the cases' grids and categories by when they were reported (the figures'
repeat places, index-only); a unit's cases by status with their deadlines

A store made before this has no cells: `gridcall init` sums them from its cases in one
statement (services.cells) and then sets the meta key `figure_cells` to the zone their days
are counted in.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 11:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
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


def _count(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    op.create_table(
        "figure_cells",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        *(_count(name) for name in COUNTS),
        sa.PrimaryKeyConstraint("day", "community_id", "unit_id"),
    )
    op.create_index("ix_figure_cells_street", "figure_cells", ["street_id", "day"])
    op.create_table(
        "area_cells",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        *(_count(name) for name in COUNTS),
        sa.PrimaryKeyConstraint("day", "community_id"),
    )
    op.create_index("ix_area_cells_street", "area_cells", ["street_id", "day"])
    op.create_table(
        "closed_cells",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        _count("closed"),
        sa.PrimaryKeyConstraint("day", "community_id"),
    )
    op.create_index("ix_closed_cells_street", "closed_cells", ["street_id", "day"])
    op.create_index("ix_cases_created_place", "cases", ["created_at", "grid_id", "category_id"])
    # A unit's cases by status with their deadline: the dashboard's drill into a unit's red
    # cases counts them in the index, not in 13,000 rows.
    op.drop_index("ix_cases_unit_status", table_name="cases")
    op.create_index("ix_cases_unit_status", "cases", ["lead_unit_id", "status", "deadline_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_unit_status", table_name="cases")
    op.create_index("ix_cases_unit_status", "cases", ["lead_unit_id", "status"])
    op.drop_index("ix_cases_created_place", table_name="cases")
    op.drop_index("ix_closed_cells_street", table_name="closed_cells")
    op.drop_table("closed_cells")
    op.drop_index("ix_area_cells_street", table_name="area_cells")
    op.drop_table("area_cells")
    op.drop_index("ix_figure_cells_street", table_name="figure_cells")
    op.drop_table("figure_cells")
    op.execute("DELETE FROM meta WHERE key = 'figure_cells'")
