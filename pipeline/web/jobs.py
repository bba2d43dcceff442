"""Analysis runs in the background, one at a time, with their progress in the database.

A run copies nothing it does not own: it links the stored uploads it was
started with into its own folder, so a file uploaded meanwhile cannot change
it. Its results are saved in one transaction at the end; a run that fails
saves nothing, and the pages keep showing the last run that succeeded.
"""
from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import threading
import time
from typing import Iterator

from sqlalchemy import delete, insert, select

from ..errors import InputError
from ..ingest.events import DATE_RE
from ..files import clean_stale_staged, slug
from ..api import Settings
from ..defaults import CODE_THRESHOLD
from ..records import Analysis
from ..records import Event as PipelineEvent
from ..stages import Progress
from . import codebooks, plan, services, storage
from .config import WebConfig
from .db import Database
from .models import Codebook, Document, Event, Override, Project, Recommendation, Run, Segment, Theme, utcnow

log = logging.getLogger("plenary.web")

# share of the progress bar each stage takes (embedding dominates a cold run)
STAGE_WEIGHTS = {"preparing": 2, "ingest": 5, "embed": 55, "code": 12, "themes": 12, "rank": 1, "recommend": 8,
                 "saving": 5}
STAGE_NAMES = {"queued": "Waiting for the previous run to finish", "preparing": "Preparing the documents",
               "ingest": "Reading the documents", "embed": "Reading the statements with the language model",
               "code": "Matching statements to the codebook", "themes": "Finding themes",
               "rank": "Ranking themes", "recommend": "Drafting the action plan", "saving": "Saving the results"}


def percent(run: Run) -> int:
    if run.status == "done":
        return 100
    if run.status != "running" or run.stage not in STAGE_WEIGHTS:
        return 0
    before = 0
    for name, weight in STAGE_WEIGHTS.items():
        if name == run.stage:
            frac = run.done / run.total if run.total else 0.0
            return int(min(99, before + weight * frac))
        before += weight
    return 0


class DatabaseReporter(Progress):
    """Pipeline progress hooks that write the current stage and count to the run's row."""

    def __init__(self, db: Database, run_id: int, every: float = 0.25):
        self.db = db
        self.run_id = run_id
        self.every = every

    def _write(self, **values) -> None:
        with self.db.session() as s:
            run = s.get(Run, self.run_id)
            for key, value in values.items():
                setattr(run, key, value)

    def stage(self, name: str) -> None:
        self._write(stage=name, done=0, total=0)

    @contextlib.contextmanager
    def bar(self, label: str, total: int) -> Iterator:
        state = {"done": 0, "written": 0.0}
        self._write(done=0, total=total)

        def advance(n: int) -> None:
            state["done"] += n
            now = time.monotonic()
            if now - state["written"] >= self.every:  # a bounded number of small writes
                state["written"] = now
                self._write(done=min(state["done"], total))

        yield advance
        self._write(done=total, total=total)


class RunManager:
    """Runs analyses on one background thread, in the order they were started.

    The thread is a daemon: stopping the server (Ctrl+C) does not wait for a
    long analysis. An analysis cut short saves nothing (its results are written
    in one transaction at the end), and the next start marks it failed.
    """

    def __init__(self, db: Database, config: WebConfig):
        self.db = db
        self.config = config
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._finished: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def recover(self) -> int:
        """Mark runs a stopped server left unfinished as failed, so nothing waits for them forever, and remove
        the half-written output folders a killed run left behind (files.clean_stale_staged)."""
        if self.config.runs_dir.is_dir():
            for workdir in self.config.runs_dir.iterdir():
                if workdir.is_dir() and not workdir.is_symlink():
                    clean_stale_staged(workdir)
        with self.db.session() as s:
            stuck = s.scalars(select(Run).where(Run.status.in_(("queued", "running")))).all()
            for run in stuck:
                run.status, run.finished_at = "failed", utcnow()
                run.error = "The server stopped before this run finished. Start the analysis again."
            return len(stuck)

    def submit(self, run_id: int) -> None:
        with self._lock:
            self._finished[run_id] = threading.Event()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="plenary-run", daemon=True)
                self._worker.start()
        self._queue.put(run_id)

    def _work(self) -> None:
        while (run_id := self._queue.get()) is not None:
            try:
                self.execute(run_id)
            finally:
                self._finished[run_id].set()

    def wait(self, run_id: int, timeout: float | None = None) -> None:
        """Block until a submitted run has finished (for tests and scripts)."""
        finished = self._finished.get(run_id)
        if finished is not None and not finished.wait(timeout):
            raise TimeoutError(f"run {run_id} still running after {timeout} s")

    def shutdown(self) -> None:
        self._queue.put(None)  # the worker stops after the current run; a daemon never blocks exit

    # ------------------------------------------------------------------ one run
    def execute(self, run_id: int) -> None:
        try:
            self._execute(run_id)
        except InputError as exc:
            self._fail(run_id, str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure must end as a failed run, never a stuck one
            log.exception("run %s failed", run_id)
            self._fail(run_id, f"The analysis stopped with an internal error ({type(exc).__name__}). "
                               "The details are in the server log; the previous results are unchanged.")
        finally:  # the links to the uploads are only needed while the pipeline reads them
            shutil.rmtree(self.config.runs_dir / f"run-{run_id}" / "inputs", ignore_errors=True)

    def _fail(self, run_id: int, message: str) -> None:
        with self.db.session() as s:
            run = s.get(Run, run_id)
            if run is not None:
                run.status, run.error, run.finished_at = "failed", message, utcnow()

    def _execute(self, run_id: int) -> None:
        config = self.config
        with self.db.session() as s:
            run = s.get(Run, run_id)
            run.status, run.stage, run.started_at = "running", "preparing", utcnow()
            project = s.get(Project, run.project_id)
            docs = list(s.scalars(select(Document).where(Document.id.in_(run.document_ids))
                                  .order_by(Document.event_id, Document.id)))
            events = {e.id: e for e in s.scalars(select(Event).where(Event.project_id == run.project_id))}
            book = s.get(Codebook, run.codebook_id) if run.codebook_id else None
            if book is None:
                raise InputError("codebook", "the codebook chosen for this run has been deleted")
            pipeline_book, _ = codebooks.to_pipeline(book, codebooks.codes_of(s, book.id))
            overrides = {o.segment_id: o.code for o in s.scalars(select(Override).where(
                Override.project_id == run.project_id))}
            options = dict(run.settings or {})
            project_name = project.name
        if not docs:
            raise InputError("documents", "no readable documents to analyse; upload notes first")

        workdir = config.runs_dir / f"run-{run_id}"
        shutil.rmtree(workdir, ignore_errors=True)
        inputs = workdir / "inputs"
        paths = []
        for doc in docs:
            stored = config.uploads_dir / doc.stored_name
            try:
                storage.verify(stored, doc.sha256)
            except InputError as exc:
                raise InputError(doc.original_name, exc.message) from None
            paths.append(storage.link_as(stored, inputs, doc.run_name))
        settings = Settings(
            cache_dir=config.cache_dir, seed=int(options.get("seed", config.seed)),
            n_themes=options.get("n_themes"), threshold=float(options.get("threshold", CODE_THRESHOLD)),
            max_bytes=max(config.max_upload_bytes, 1), keep_going=False)
        by_file = {doc.run_name: run_event(events[doc.event_id]) for doc in docs}
        result = services.analyse_documents(paths, pipeline_book, settings, overrides, events=by_file,
                                            progress=DatabaseReporter(self.db, run_id))

        DatabaseReporter(self.db, run_id).stage("saving")
        saving = time.perf_counter()
        out_dir, record = services.write_output(result, workdir / "output", slug(project_name))
        with self.db.session() as s:
            save_results(s, run_id, result, record, {d.run_name: d.id for d in docs}, str(out_dir), saving)


def run_event(event: Event) -> PipelineEvent:
    """A project's event as ingest takes it (a date that is not YYYY[-MM[-DD]] is left out)."""
    return PipelineEvent(name=event.name, date=event.date if event.date and DATE_RE.match(event.date) else None,
                         place=event.place or None, type=event.type or None)


def save_results(s, run_id: int, result: Analysis, record: dict, doc_ids: dict[str, int], out_dir: str,
                 saving_since: float | None = None) -> None:
    """Store a finished run and reconcile the action plan, in the caller's (single) transaction."""
    run = s.get(Run, run_id)
    s.execute(delete(Segment).where(Segment.run_id == run_id))
    s.execute(delete(Theme).where(Theme.run_id == run_id))
    theme_rank = {sid: k for t in result.themes for k, sid in enumerate(t.segments)}  # most central first
    rows = [{
        "run_id": run_id, "position": i, "theme_rank": theme_rank.get(seg.id), "segment_id": seg.id,
        "document_id": doc_ids.get(seg.source),
        "text": seg.text, "source": seg.source, "line_start": seg.line_start, "line_end": seg.line_end,
        "event": seg.event, "section": seg.section_path, "question": seg.question, "kind": seg.kind,
        "context": seg.context, "theme": seg.theme, "primary_code": seg.primary,
        "codes": [{"code": c.code, "score": c.score, "by": c.by} for c in seg.codes],
        "nearest_code": seg.nearest.code if seg.nearest else None,
        "nearest_score": seg.nearest.score if seg.nearest else None,
    } for i, seg in enumerate(result.segments)]
    if rows:
        s.execute(insert(Segment), rows)
    s.add_all(Theme(run_id=run_id, theme_id=t.id, rank=t.rank, label=t.label, keywords=list(t.keywords),
                    size=t.size, score=t.score, components=dict(t.components),
                    codes=[{"code": c.code, "share": c.score} for c in t.codes], quotes=list(t.quotes),
                    segment_ids=list(t.segments)) for t in result.themes)
    existing = list(s.scalars(select(Recommendation).where(Recommendation.project_id == run.project_id)))
    outcome = plan.reconcile(existing, plan.drafts_from_plans(result.plans), run.project_id, run_id)
    for rec in outcome.removed:
        s.delete(rec)
    s.add_all(outcome.added)
    run.headings = [{"code": p.code, "heading": p.heading, "note": p.note} for p in result.plans]
    run.counts = {**record["counts"], "plan": {"added": len(outcome.added), "updated": len(outcome.updated),
                                               "proposed": len(outcome.proposed), "stale": len(outcome.stale),
                                               "removed": len(outcome.removed)},
                  "failed_files": record["failed_files"], "overrides": getattr(result, "overrides", None) or {},
                  # set when the plan's headings were drafted from the themes (the codebook fits poorly)
                  "headings_note": ((result.fit or {}).get("drafted_headings") or {}).get("note")}
    run.timings = dict(result.timings)
    if saving_since is not None:  # writing the run folder and these rows
        run.timings["save"] = round(time.perf_counter() - saving_since, 4)
    run.out_dir = out_dir
    run.status, run.stage, run.finished_at, run.error = "done", "saving", utcnow(), None
