"""Code sets on codebooks (REFI-QDA Sets, ATLAS.ti code groups), kept when a codebook is imported.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codebooks") as batch:
        batch.add_column(sa.Column("sets", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("codebooks") as batch:
        batch.drop_column("sets")
