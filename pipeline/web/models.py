"""Database tables of the web app (SQLAlchemy 2 declarative models).

The schema is created and upgraded only by the Alembic migrations in
`migrations/versions/`; a test checks that these models and the migrations agree.

A project holds events, codebooks and one action plan. Documents belong to an
event. Every analysis is a run; its segments and themes are kept per run, so a
failed or newer run never disturbs an older one. Recommendations belong to the
project, not to a run: a re-run reconciles its drafts with them (see plan.py).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Project(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Document(Base):
    """An uploaded file. Stored under its content hash; the client's name is kept for display only."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(300))  # as the browser sent it; shown, never used as a path
    run_name: Mapped[str] = mapped_column(String(200))  # safe name the pipeline sees (slug + extension)
    stored_name: Mapped[str] = mapped_column(String(100))  # <sha256>.<ext> under uploads/
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    ext: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="ok")  # ok | error
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # IngestReport.to_dict()
    segment_count: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("project_id", "run_name", name="uq_documents_run_name"),)


class Codebook(Base):
    __tablename__ = "codebooks"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    sets: Mapped[list[Any] | None] = mapped_column(JSON)  # [{name, description?, codes}] (migration 0003)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Code(Base):
    """One code of a codebook; the fields of pipeline.codebook.Code."""

    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    heading: Mapped[str | None] = mapped_column(String(300))
    include: Mapped[list[Any]] = mapped_column(JSON, default=list)
    exclude: Mapped[list[Any]] = mapped_column(JSON, default=list)
    examples: Mapped[list[Any]] = mapped_column(JSON, default=list)
    counter_examples: Mapped[list[Any]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parent: Mapped[str | None] = mapped_column(String(100))
    color: Mapped[str | None] = mapped_column(String(20))
    codable: Mapped[bool] = mapped_column(Boolean, default=True)
    threshold: Mapped[float | None] = mapped_column(Float)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    codebook_id: Mapped[int | None] = mapped_column(ForeignKey("codebooks.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    stage: Mapped[str | None] = mapped_column(String(40))
    done: Mapped[int] = mapped_column(Integer, default=0)  # progress within the stage
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    timings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    headings: Mapped[list[Any] | None] = mapped_column(JSON)  # [{code, heading, note}] of the drafted plan
    out_dir: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class Segment(Base):
    """One statement as a run saw it, with the codes and theme that run gave it."""

    __tablename__ = "segments"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    segment_id: Mapped[str] = mapped_column(String(300))  # the pipeline's id, e.g. "notes:12"
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    context: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(40))
    theme_rank: Mapped[int | None] = mapped_column(Integer)  # place in its theme, most central 0 (migration 0004)
    primary_code: Mapped[str | None] = mapped_column(String(100))
    codes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{code, score, by}]
    nearest_code: Mapped[str | None] = mapped_column(String(100))
    nearest_score: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (Index("ix_segments_run_segment", "run_id", "segment_id"),
                      Index("ix_segments_run_theme", "run_id", "theme", "theme_rank", "position", "event",
                            "question", "section", "codes"),  # covers the themes-page filters (0004)
                      Index("ix_segments_run_document", "run_id", "document_id", "line_start", "position"))


class Theme(Base):
    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(40))
    rank: Mapped[int] = mapped_column(Integer)  # 0 for the unclustered group
    label: Mapped[str] = mapped_column(String(300))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    components: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    codes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{code, share}]
    quotes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # segment ids
    segment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)  # most central first


class Recommendation(Base):
    """One line of the project's action plan: a tool draft, or a person's own, and its state."""

    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    heading_code: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | accepted | deleted | merged
    edited: Mapped[bool] = mapped_column(Boolean, default=False)  # text changed by a person
    origin: Mapped[str] = mapped_column(String(16), default="tool")  # tool | person
    support: Mapped[int] = mapped_column(Integer, default=0)
    sections: Mapped[int] = mapped_column(Integer, default=0)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)  # segment ids
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    drafted_from: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[Any] | None] = mapped_column(JSON, default=list)  # "check heading", "check wording" (0005)
    proposal: Mapped[str | None] = mapped_column(Text)  # wording a later run suggests; never applied unasked
    stale: Mapped[bool] = mapped_column(Boolean, default=False)  # the latest run found no draft like it
    merged_into: Mapped[int | None] = mapped_column(Integer)
    first_run_id: Mapped[int | None] = mapped_column(Integer)
    last_run_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def person_owned(self) -> bool:
        """A person has shaped this line, so a re-run may only propose changes to it."""
        return self.origin == "person" or self.edited or self.status != "proposed"


class Edit(Base):
    """The history of the action plan: one row per change a person made."""

    __tablename__ = "edits"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))  # edit | accept | reopen | move | merge | delete | restore | add ...
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Override(Base):
    """A person's code for one statement; it wins over the tool's in every later run (migration 0002)."""

    __tablename__ = "overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(100))
    text: Mapped[str | None] = mapped_column(Text)  # the statement, for display
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("project_id", "segment_id", name="uq_overrides_segment"),)
