"""Run the whole pipeline: ingest -> embed -> code -> themes -> rank -> recommend.

Coding comes before themes because a theme's codes are derived from its statements' codes.

Each stage is its own module; this one only wires them together, times them,
and hands the result to `report` for writing.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .agreement import read_labelled
from .codebook import Codebook, load_codebook
from .coding import make_coder, theme_codes
from .embed import DEFAULT_MODEL, Embedder
from .errors import InputError
from .ingest import DEFAULT_MAX_BYTES, ingest
from .overrides import apply_overrides, read_overrides
from .rank import rank_themes
from .recommend import RecommendationDrafter
from .records import Event, HeadingPlan, IngestReport, Segment, Theme
from .themes import KMeansClusterer, ThemeFinder

BUNDLED_CORPORA = Path(__file__).resolve().parent.parent / "corpora"


@dataclass
class Settings:
    codebook: str | None = None  # path; None means the bundled default
    model: str = DEFAULT_MODEL
    n_themes: int | None = None  # None: chosen from the number of statements
    seed: int = 0
    threshold: float = 0.35
    event: str | None = None
    text_column: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_going: bool = False
    cache_dir: str | None = None
    redact: bool = True  # replace emails, phones, URLs, postcodes, NI numbers and names (ingest.redact)
    event_date: str | None = None  # event metadata for every file; sidecars (event.yaml) otherwise
    event_place: str | None = None
    event_type: str | None = None
    coder: str = "auto"  # auto | zero-shot | learned (see coding.make_coder)
    train: str | None = None  # a person's labelled statements (JSONL/CSV) for the learned coder
    overrides: str | None = None  # a person's own codes (JSONL {id, codes}); they always win
    adapt_prior: bool = False  # learned coder: fit code shares to this batch (coding.adapt_prior)


@dataclass
class RunResult:
    settings: Settings
    inputs: list[str]
    codebook: Codebook
    segments: list[Segment]
    vectors: np.ndarray
    themes: list[Theme]
    plans: list[HeadingPlan]
    reports: list[IngestReport]
    failures: list[InputError]
    model_id: str
    timings: dict[str, float] = field(default_factory=dict)
    embed_stats: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)  # OverrideReport.to_dict() when overrides were given


class Reporter:
    """Progress hooks; the CLI shows bars, library use stays silent."""

    def stage(self, name: str) -> None:
        pass

    @contextlib.contextmanager
    def bar(self, label: str, total: int) -> Iterator:
        yield lambda n: None


class Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = round(time.perf_counter() - start, 4)


def default_inputs() -> list[Path]:
    return sorted(p for p in BUNDLED_CORPORA.glob("*.txt"))


def run_pipeline(paths: Sequence[str | Path], settings: Settings | None = None,
                 reporter: Reporter | None = None) -> RunResult:
    settings = settings or Settings()
    reporter = reporter or Reporter()
    timer = Timer()
    inputs = [str(p) for p in paths] if paths else [str(p) for p in default_inputs()]

    codebook = load_codebook(settings.codebook)  # fail early, before any slow work
    train = read_labelled(settings.train, codebook, what="training", need_text=True) if settings.train else []
    overrides = read_overrides(settings.overrides, codebook) if settings.overrides else []

    reporter.stage("ingest")
    with timer("ingest"):
        ingested = ingest(inputs, event=event_override(settings), text_column=settings.text_column,
                          max_bytes=settings.max_bytes, redact=settings.redact)
    if ingested.failures and not settings.keep_going:
        raise ingested.failures[0] if len(ingested.failures) == 1 else InputError(
            ", ".join(f.path for f in ingested.failures),
            f"{len(ingested.failures)} files could not be read:\n  " + "\n  ".join(map(str, ingested.failures)))
    segments = ingested.segments
    if not segments:
        raise InputError(", ".join(inputs), "no statements to analyse")

    reporter.stage("embed")
    embedder = Embedder(settings.model, cache_dir=settings.cache_dir)
    with timer("embed"), reporter.bar("Embedding statements", len(segments)) as advance:
        vectors = embedder.encode([s.text for s in segments], progress=advance)
    embed_stats = dict(embedder.stats)  # the statements' own; the codebook's texts come next

    reporter.stage("code")
    with timer("code"):
        coder = make_coder(embedder, codebook, settings.coder, train, threshold=settings.threshold,
                           prior="adapt" if settings.adapt_prior else "flat", seed=settings.seed)
        coder.transform(segments, vectors)
        override_report = apply_overrides(segments, overrides, settings.overrides) if settings.overrides else None

    reporter.stage("themes")
    with timer("themes"):
        finder = ThemeFinder(clusterer=KMeansClusterer(settings.n_themes, seed=settings.seed))
        themes = finder.fit(segments, vectors)
        by_id = {s.id: s for s in segments}
        for theme in themes:
            theme.codes = theme_codes(theme, by_id)

    reporter.stage("rank")
    with timer("rank"):
        themes = rank_themes(themes, segments)

    reporter.stage("recommend")
    with timer("recommend"):
        plans = RecommendationDrafter().draft(codebook, segments, vectors, themes)

    return RunResult(settings=settings, inputs=inputs, codebook=codebook, segments=segments, vectors=vectors,
                     themes=themes, plans=plans, reports=ingested.reports, failures=ingested.failures,
                     model_id=embedder.model_id, timings=timer.timings, embed_stats=embed_stats,
                     events=events_of(segments, ingested.events),
                     overrides=override_report.to_dict() if override_report else {})


def events_of(segments: Sequence[Segment], known: Sequence[Event] = ()) -> list[Event]:
    """The events in a run, in order of first appearance, with the documents each came from.

    `known` events (from ingest: sidecars or command-line flags) give each event its date, place and type.
    """
    info = {e.name: e for e in known}
    events: dict[str, Event] = {}
    for seg in segments:
        if seg.event not in events:
            meta = info.get(seg.event)
            events[seg.event] = Event(name=seg.event, date=meta.date if meta else None,
                                      place=meta.place if meta else None, type=meta.type if meta else None)
        event = events[seg.event]
        if seg.source not in event.sources:
            event.sources.append(seg.source)
    return list(events.values())


def event_override(settings: Settings) -> Event | None:
    """The event fields given for every file (command line), or None to use sidecars and file names."""
    if not any((settings.event, settings.event_date, settings.event_place, settings.event_type)):
        return None
    return Event(name=settings.event or "", date=settings.event_date, place=settings.event_place,
                 type=settings.event_type)


def settings_dict(settings: Settings) -> dict:
    # paths (e.g. --codebook from the CLI) as text, so run.json can be written
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(settings).items()}
