"""Run the whole pipeline: ingest -> embed -> themes -> code -> rank -> recommend.

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

from .codebook import Codebook, load_codebook
from .coding import CodebookCoder, theme_codes
from .embed import DEFAULT_MODEL, Embedder
from .errors import InputError
from .ingest import DEFAULT_MAX_BYTES, ingest
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

    reporter.stage("ingest")
    with timer("ingest"):
        ingested = ingest(inputs, event=settings.event, text_column=settings.text_column,
                          max_bytes=settings.max_bytes)
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
        coder = CodebookCoder(embedder, threshold=settings.threshold).fit(codebook)
        coder.transform(segments, vectors)

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
                     events=events_of(segments))


def events_of(segments: Sequence[Segment]) -> list[Event]:
    """The events in a run, in order of first appearance, with the documents each came from."""
    events: dict[str, Event] = {}
    for seg in segments:
        event = events.setdefault(seg.event, Event(name=seg.event))
        if seg.source not in event.sources:
            event.sources.append(seg.source)
    return list(events.values())


def settings_dict(settings: Settings) -> dict:
    return asdict(settings)
