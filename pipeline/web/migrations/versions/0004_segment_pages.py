"""Pages of statements at 100,000 statements: each statement's place in its theme, and the indexes
the paged themes, theme, plan-evidence and document pages read by.

- segments.theme_rank: 0 for a theme's most central statement, 1 for the next ... (themes.segment_ids
  order), so a theme's statements are read a page at a time, in order, without loading the id list.
- ix_segments_run_theme (run_id, theme, theme_rank, position, event, question, section, codes): a theme's
  page in order, and the statements per theme under any filter counted from the index alone (it holds
  every column a filter reads; the statements' text stays in the table), about 40 times faster at 100k.
- ix_segments_run_document (run_id, document_id, line_start, position): a page of a document's lines.

Existing runs get theme_rank from their themes' segment_ids.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("segments") as batch:
        batch.add_column(sa.Column("theme_rank", sa.Integer))
    op.create_index("ix_segments_run_theme", "segments", ["run_id", "theme", "theme_rank", "position", "event",
                                                          "question", "section", "codes"])
    op.create_index("ix_segments_run_document", "segments", ["run_id", "document_id", "line_start", "position"])
    conn = op.get_bind()
    for run_id, ids in conn.execute(sa.text("SELECT run_id, segment_ids FROM themes")).fetchall():
        members = json.loads(ids) if isinstance(ids, str) else (ids or [])
        if members:
            conn.execute(sa.text("UPDATE segments SET theme_rank = :rank WHERE run_id = :run AND segment_id = :sid"),
                         [{"rank": k, "run": run_id, "sid": sid} for k, sid in enumerate(members)])


def downgrade() -> None:
    op.drop_index("ix_segments_run_document", table_name="segments")
    op.drop_index("ix_segments_run_theme", table_name="segments")
    with op.batch_alter_table("segments") as batch:
        batch.drop_column("theme_rank")
