"""Initial schema: projects, events, documents, codebooks, codes, runs, segments, themes,
recommendations, edits.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("date", sa.String(40)),
        sa.Column("place", sa.String(200)),
        sa.Column("type", sa.String(60)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_events_project_id", "events", ["project_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("original_name", sa.String(300), nullable=False),
        sa.Column("run_name", sa.String(200), nullable=False),
        sa.Column("stored_name", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("ext", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("report", sa.JSON),
        sa.Column("segment_count", sa.Integer, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("project_id", "run_name", name="uq_documents_run_name"),
    )
    op.create_index("ix_documents_project_id", "documents", ["project_id"])
    op.create_index("ix_documents_event_id", "documents", ["event_id"])
    op.create_table(
        "codebooks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(40)),
        sa.Column("description", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_codebooks_project_id", "codebooks", ["project_id"])
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("codebook_id", sa.Integer, sa.ForeignKey("codebooks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("heading", sa.String(300)),
        sa.Column("include", sa.JSON, nullable=False),
        sa.Column("exclude", sa.JSON, nullable=False),
        sa.Column("examples", sa.JSON, nullable=False),
        sa.Column("counter_examples", sa.JSON, nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("parent", sa.String(100)),
        sa.Column("color", sa.String(20)),
        sa.Column("codable", sa.Boolean, nullable=False),
        sa.Column("threshold", sa.Float),
    )
    op.create_index("ix_codes_codebook_id", "codes", ["codebook_id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("codebook_id", sa.Integer, sa.ForeignKey("codebooks.id", ondelete="SET NULL")),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(40)),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("document_ids", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON),
        sa.Column("timings", sa.JSON),
        sa.Column("headings", sa.JSON),
        sa.Column("out_dir", sa.String(500)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
    )
    op.create_index("ix_runs_project_id", "runs", ["project_id"])
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("segment_id", sa.String(300), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("line_start", sa.Integer, nullable=False),
        sa.Column("line_end", sa.Integer, nullable=False),
        sa.Column("event", sa.String(200), nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("context", sa.Text),
        sa.Column("theme", sa.String(40)),
        sa.Column("primary_code", sa.String(100)),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.Column("nearest_code", sa.String(100)),
        sa.Column("nearest_score", sa.Float),
    )
    op.create_index("ix_segments_run_segment", "segments", ["run_id", "segment_id"])
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("theme_id", sa.String(40), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("keywords", sa.JSON, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("components", sa.JSON, nullable=False),
        sa.Column("codes", sa.JSON, nullable=False),
        sa.Column("quotes", sa.JSON, nullable=False),
        sa.Column("segment_ids", sa.JSON, nullable=False),
    )
    op.create_index("ix_themes_run_id", "themes", ["run_id"])
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("heading_code", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("support", sa.Integer, nullable=False),
        sa.Column("sections", sa.Integer, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("themes", sa.JSON, nullable=False),
        sa.Column("drafted_from", sa.Text),
        sa.Column("proposal", sa.Text),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("merged_into", sa.Integer),
        sa.Column("first_run_id", sa.Integer),
        sa.Column("last_run_id", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_recommendations_project_id", "recommendations", ["project_id"])
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("recommendation_id", sa.Integer),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_edits_project_id", "edits", ["project_id"])
    op.create_index("ix_edits_recommendation_id", "edits", ["recommendation_id"])


def downgrade() -> None:
    for table in ("edits", "recommendations", "themes", "segments", "runs", "codes", "codebooks", "documents",
                  "events", "projects"):
        op.drop_table(table)
