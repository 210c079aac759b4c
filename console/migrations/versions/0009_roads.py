"""the roads: which grid each stretch of a road's house numbers lies in (凤凰山路 1–60号), so an
address typed at intake finds its grid

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "road_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("road", sa.String(length=32), nullable=False),
        sa.Column("number_from", sa.Integer(), nullable=False),
        sa.Column("number_to", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["areas.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_road_segments_road", "road_segments", ["road"])
    op.create_index("ix_road_segments_grid_id", "road_segments", ["grid_id"])


def downgrade() -> None:
    op.drop_index("ix_road_segments_grid_id", table_name="road_segments")
    op.drop_index("ix_road_segments_road", table_name="road_segments")
    op.drop_table("road_segments")
