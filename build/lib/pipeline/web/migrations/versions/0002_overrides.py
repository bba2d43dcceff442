"""Human code overrides: a person's code for a statement, applied in every later run.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("segment_id", sa.String(300), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("project_id", "segment_id", name="uq_overrides_segment"),
    )
    op.create_index("ix_overrides_project_id", "overrides", ["project_id"])


def downgrade() -> None:
    op.drop_table("overrides")
