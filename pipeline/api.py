"""The library API: read a corpus, load a codebook, analyse statements. The CLI and the web app call these.

    import pipeline
    corpus = pipeline.read_corpus(["notes/assembly.md"])           # files -> statements (redacted)
    book = pipeline.load_codebook("codebooks/vcfse-action-plan.yaml")
    result = pipeline.analyse(corpus, codebook=book)               # -> pipeline.Analysis
    for theme in result.themes: print(theme.rank, theme.label, theme.size)

`analyse` takes objects, never paths: statements (Segments, plain strings, or a corpus from `read_corpus`),
a Codebook, a person's labelled statements (`train`) and own codes (`overrides`). It runs five stages,
each a swappable component wrapped in a `stages.Stage`:

    embed (embed.Embedder) -> code (coding.Coder) -> themes (themes.ThemeFinder)
        -> rank (rank.ThemeRanker) -> recommend (recommend.RecommendationDrafter)

Coding comes before themes because a theme's codes are derived from its statements' codes.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .codebook import Codebook
from .codebook import load_codebook as load_yaml_codebook
from .coding import Coder, LabelledItem, coder_for, theme_codes
from .coding.base import apply_assignments
from .exchange.coded import read_coding
from .coding.fit import codebook_fit
from .coding.overrides import apply_overrides, read_overrides
from .defaults import CODE_THRESHOLD, EMBEDDING_BACKEND, SEED
from .embed import DEFAULT_MODEL, Embedder
from .engines import make_engine, per_statement
from .errors import InputError
from .ingest import DEFAULT_MAX_BYTES, IngestResult, ingest
from .rank import ThemeRanker
from .recommend import RecommendationDrafter
from .records import Analysis, Event, Segment
from .stages import Pipeline, Progress, Stage
from .themes import KMeansClusterer, PhraseLabeller, ThemeFinder
from .themes.codebook_draft import drafted_plan_headings

BUNDLED_CORPORA = Path(__file__).resolve().parent.parent / "corpora"

__all__ = ["Analysis", "BUNDLED_CORPORA", "Settings", "analyse", "default_inputs", "load_codebook",
           "read_corpus", "run_pipeline"]

RunResult = Analysis  # the name before issue 9
Reporter = Progress  # the name before issue 9


@dataclass
class Settings:
    """Everything a run can be told; written to run.json as given (paths as text)."""

    codebook: str | None = None  # path; None means the bundled default (used by run_pipeline and run.json)
    model: str = DEFAULT_MODEL
    n_themes: int | None = None  # None: chosen from the number of statements (defaults.theme_count)
    seed: int = SEED
    threshold: float = CODE_THRESHOLD
    event: str | None = None
    text_column: str | list[str] | None = None
    header_row: int | None = None  # 1-based row of a spreadsheet/CSV holding the column names (default: found)
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_going: bool = False
    cache_dir: str | None = None
    redact: bool = True  # replace emails, phones, URLs, postcodes, NI numbers and names (ingest.redact)
    event_date: str | None = None  # event metadata for every file; sidecars (event.yaml) otherwise
    event_place: str | None = None
    event_type: str | None = None
    coder: str = "auto"  # auto | zero-shot | learned (see coding.coder_for)
    train: str | None = None  # a person's labelled statements (JSONL/CSV) for the learned coder
    overrides: str | None = None  # a person's own codes (JSONL {id, codes}); they always win
    adapt_prior: bool = False  # learned coder: fit code shares to this batch (coding.adapt_prior)
    embedding: str = EMBEDDING_BACKEND  # onnx | onnx-int8 | torch (embed.BACKENDS)
    engine: str = "local"  # local | ray: where embedding and per-statement coding run (engines)
    address: str | None = None  # the Ray cluster for engine "ray" (None: RAY_ADDRESS or a local Ray)
    keep_headings: bool = False  # keep the codebook's plan headings even when it fits the notes poorly


# --------------------------------------------------------------------------- stages
class EmbedStage(Stage):
    """Statements -> unit vectors (Analysis.vectors, model_id, embed_stats)."""

    name = "embed"

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        progress = progress or Progress()
        with progress.bar("Embedding statements", len(analysis.segments)) as advance:
            vectors = self.embedder.encode([s.text for s in analysis.segments], progress=advance)
        # the statements' own counts; the codebook's texts are embedded next, by the coder
        return replace(analysis, vectors=vectors, model_id=self.embedder.model_id,
                       embed_stats=dict(self.embedder.stats))


class CodeStage(Stage):
    """Fits a coder on the codebook (and a person's labelled statements), codes every statement, then
    applies a person's own codes, which always win."""

    name = "code"

    def __init__(self, coder: Coder, train: Sequence[LabelledItem] = (), overrides: Sequence[LabelledItem] | None = None,
                 overrides_name: str = "overrides", engine=None):
        self.coder = coder
        self.train = train
        self.overrides = overrides
        self.overrides_name = overrides_name
        self.engine = engine  # engines.RayEngine scores per-statement coders in partitions; None: here

    def fit(self, analysis: Analysis, progress: Progress | None = None) -> "CodeStage":
        self.coder_ = self.coder.fit(analysis.codebook, self.train)
        return self

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        if self.engine is not None and per_statement(self.coder_):
            scores = self.engine.score(self.coder_, [s.text for s in analysis.segments], analysis.vectors)
            segments = apply_assignments(analysis.segments, self.coder_.assign(scores))
        else:
            segments = self.coder_.transform(analysis.segments, analysis.vectors)
        # a non-answer ("N/A", "Don't know") takes no code (issue 12); a person's override still wins below
        segments = [replace(s, codes=[]) if s.attributes.get("non_answer") and s.codes else s for s in segments]
        report = {}
        if self.overrides is not None:
            segments, applied = apply_overrides(segments, self.overrides, self.overrides_name)
            report = applied.to_dict()
        fit = codebook_fit(self.coder_, segments, analysis.vectors)
        return replace(analysis, segments=segments, overrides=report, fit=fit)


class ThemeStage(Stage):
    """Finds themes (ThemeFinder), sets each statement's theme, and gives each theme its codes."""

    name = "themes"

    def __init__(self, finder: ThemeFinder):
        self.finder = finder

    def fit(self, analysis: Analysis, progress: Progress | None = None) -> "ThemeStage":
        # non-answers ("N/A", "Don't know") join no theme; statements go in a canonical order (text, then id),
        # so the same set of statements gives the same themes whatever the order of the rows (issue 12)
        order = sorted((i for i, s in enumerate(analysis.segments) if not s.attributes.get("non_answer")),
                       key=lambda i: (analysis.segments[i].text, analysis.segments[i].id))
        vectors = analysis.vectors[order] if len(analysis.vectors) else analysis.vectors
        self.finder_ = self.finder.fit([analysis.segments[i] for i in order], vectors)
        return self

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        segments = self.finder_.transform(analysis.segments)
        by_id = {s.id: s for s in segments}
        themes = [replace(t, codes=theme_codes(t, by_id)) for t in self.finder_.themes_]
        return replace(analysis, segments=segments, themes=themes)


class RankStage(Stage):
    name = "rank"

    def __init__(self, ranker: ThemeRanker):
        self.ranker = ranker

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        return replace(analysis, themes=self.ranker.transform(analysis.themes, analysis.segments))


class DraftStage(Stage):
    """Drafts the action plan. Given the run's coder (fitted by CodeStage), the drafter places each
    recommendation under the heading the coder scores best, with its margin. When the codebook fits the
    notes poorly (`analysis.fit`) and `heading_coder` is given, the headings come from a codebook drafted
    from the notes' themes (`themes.codebook_draft`), scored by `heading_coder` fitted on it; the fit
    record then says so ("drafted_headings"), and the statements keep their codes."""

    name = "recommend"

    def __init__(self, drafter: RecommendationDrafter, coder: Coder | None = None, heading_coder: Coder | None = None):
        self.drafter = drafter
        self.coder = coder
        self.heading_coder = heading_coder  # unfitted; None keeps the codebook's headings whatever the fit

    def prepare(self, analysis: Analysis) -> None:
        """Proposal detection reads only the statements: it starts now on the cores earlier stages leave idle."""
        self.drafter.prefetch(analysis.segments)

    def release(self) -> None:
        self.drafter.release()

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        fitted = self.coder if self.coder is not None and hasattr(self.coder, "codes_") else None
        book, fit = analysis.codebook, analysis.fit
        if self.heading_coder is not None and (fit or {}).get("poor_fit"):
            drafted = drafted_plan_headings(analysis.segments, analysis.vectors, fit, self.heading_coder,
                                            getattr(analysis.settings, "seed", SEED))
            if drafted is not None:
                book, fitted, fit = drafted
        plans = self.drafter.transform(book, analysis.segments, analysis.vectors, analysis.themes, coder=fitted)
        return replace(analysis, plans=plans, fit=fit)


def default_stages(settings: Settings, embedder: Embedder, train: Sequence[LabelledItem] = (),
                   overrides: Sequence[LabelledItem] | None = None, overrides_name: str = "overrides",
                   engine=None) -> list[Stage]:
    """The five stages of a run, built from `settings`; replace any of them to swap a component."""
    coder = coder_for(settings.coder, embedder, train, threshold=settings.threshold,
                      prior="adapt" if settings.adapt_prior else "flat", seed=settings.seed)
    return [EmbedStage(embedder),
            CodeStage(coder, train, overrides, overrides_name, engine=engine),
            ThemeStage(ThemeFinder(clusterer=KMeansClusterer(settings.n_themes, seed=settings.seed),
                                   labeller=PhraseLabeller(embedder))),
            RankStage(ThemeRanker()),
            DraftStage(RecommendationDrafter(), coder,
                       None if settings.keep_headings else coder_for("auto", embedder, threshold=settings.threshold,
                                                                     seed=settings.seed))]


# --------------------------------------------------------------------------- the API
def load_codebook(path: str | Path | None = None) -> Codebook:
    """A codebook from YAML, or from a REFI-QDA .qdc file exported by another QDA program; None: the
    bundled default (codebooks/vcfse-action-plan.yaml). Errors name the file, line and field."""
    if path is not None and Path(path).suffix.lower() == ".qdc" and Path(path).is_file():
        from .exchange.refi import read_qdc

        return read_qdc(Path(path))
    return load_yaml_codebook(path)


def default_inputs() -> list[Path]:
    """The bundled demo corpora (corpora/*.txt)."""
    return sorted(p for p in BUNDLED_CORPORA.glob("*.txt"))


def read_corpus(paths: Sequence[str | Path] = (), settings: Settings | None = None,
                events: Mapping[str, Event] | None = None) -> IngestResult:
    """Read notes files (or folders of them) into statements, redacted unless `settings.redact` is off.

    With no paths, the bundled corpora. `events` gives a file's event by its name (as statements cite it),
    in place of an event.yaml sidecar; the settings' event fields, when given, apply to every file. A file that cannot be read raises InputError (naming every such
    file) unless `settings.keep_going`, when the result lists it in `failures`. No statements at all:
    InputError.
    """
    settings = settings or Settings()
    inputs = [str(p) for p in paths] if paths else [str(p) for p in default_inputs()]
    corpus = ingest(inputs, event=event_override(settings), text_column=settings.text_column,
                    max_bytes=settings.max_bytes, redact=settings.redact, events=events,
                    header_row=settings.header_row)
    if corpus.failures and not settings.keep_going:
        raise corpus.failures[0] if len(corpus.failures) == 1 else InputError(
            ", ".join(f.path for f in corpus.failures),
            f"{len(corpus.failures)} files could not be read:\n  " + "\n  ".join(map(str, corpus.failures)))
    if not corpus.segments:
        raise InputError(", ".join(inputs), "no statements to analyse")
    return corpus


def as_segments(statements) -> list[Segment]:
    """Segments from a corpus, Segments, or plain strings (each string one statement, id "statement:<n>")."""
    if isinstance(statements, IngestResult):
        return list(statements.segments)
    out = []
    for n, item in enumerate(statements, start=1):
        if isinstance(item, Segment):
            out.append(item)
        elif isinstance(item, str):
            out.append(Segment(id=f"statement:{n}", text=item, source="statements", line_start=n, line_end=n,
                               event="statements", kind="response"))
        else:
            raise TypeError(f"statement {n}: expected a Segment or a string, got {type(item).__name__}")
    return out


def analyse(statements, codebook: Codebook | None = None, settings: Settings | None = None, *,
            train: Sequence[LabelledItem] = (), overrides: Sequence[LabelledItem] | None = None,
            overrides_name: str = "overrides", embedder: Embedder | None = None,
            stages: Sequence[Stage] | None = None, progress: Progress | None = None) -> Analysis:
    """Analyse statements: embed, code, find themes, rank them, draft recommendations.

    `statements`: a corpus from `read_corpus` (its ingest reports, events and sources are kept), or a
    sequence of Segments or plain strings. `codebook`: a Codebook (default: the bundled one).
    `train`: a person's labelled statements for the learned coder; `overrides`: a person's own codes,
    which always win. `stages` replaces the default five (see `default_stages`). Returns a new Analysis;
    nothing given is changed and nothing is written.
    """
    settings = settings or Settings()
    codebook = codebook if codebook is not None else load_codebook(None)
    segments = as_segments(statements)
    if not segments:
        raise InputError("statements", "no statements to analyse")
    corpus = statements if isinstance(statements, IngestResult) else None
    embedder = embedder or Embedder(settings.model, cache_dir=settings.cache_dir, backend=settings.embedding)
    start = Analysis(settings=settings, inputs=[], codebook=codebook, segments=segments,
                     vectors=np.zeros((0, 0), dtype=np.float32), themes=[], plans=[],
                     reports=list(corpus.reports) if corpus else [], failures=list(corpus.failures) if corpus else [],
                     events=events_of(segments, corpus.events if corpus else ()),
                     sources=list(getattr(corpus, "sources", []) or []) if corpus else [])
    engine = make_engine(settings.engine, settings.address) if settings.engine != "local" else None
    embedder.engine = engine
    try:
        stages = list(stages) if stages is not None else default_stages(settings, embedder, train, overrides,
                                                                        overrides_name, engine)
        return Pipeline(stages).run(start, progress)
    finally:
        embedder.engine = None
        if engine is not None:
            engine.close()


def run_pipeline(paths: Sequence[str | Path], settings: Settings | None = None,
                 reporter: Progress | None = None) -> Analysis:
    """What `plenary run` does before writing: read the files named by `paths` and `settings` (codebook,
    training and overrides files), then `analyse`. Inputs are checked before any slow work."""
    settings = settings or Settings()
    progress = reporter or Progress()
    codebook = load_codebook(settings.codebook)  # fail early, before any slow work
    train = read_coding(settings.train, codebook, what="training", need_text=True) if settings.train else []
    overrides = read_overrides(settings.overrides, codebook) if settings.overrides else None
    inputs = [str(p) for p in paths] if paths else [str(p) for p in default_inputs()]
    progress.stage("ingest")
    started = time.perf_counter()
    corpus = read_corpus(inputs, settings)
    ingest_seconds = round(time.perf_counter() - started, 4)
    result = analyse(corpus, codebook, settings, train=train, overrides=overrides,
                     overrides_name=str(settings.overrides), progress=progress)
    return replace(result, inputs=inputs, timings={"ingest": ingest_seconds, **result.timings})


def events_of(segments: Sequence[Segment], known: Sequence[Event] = ()) -> list[Event]:
    """The events in a run, in order of first appearance, with the documents each came from.

    `known` events (from ingest: sidecars or command-line flags) give each event its date, place and type.
    """
    info = {e.name: e for e in known}
    sources: dict[str, list[str]] = {}
    for seg in segments:
        names = sources.setdefault(seg.event, [])
        if seg.source not in names:
            names.append(seg.source)
    out = []
    for name, docs in sources.items():
        meta = info.get(name)
        out.append(Event(name=name, date=meta.date if meta else None, place=meta.place if meta else None,
                         type=meta.type if meta else None, sources=docs))
    return out


def event_override(settings: Settings) -> Event | None:
    """The event fields given for every file (command line), or None to use sidecars and file names."""
    if not any((settings.event, settings.event_date, settings.event_place, settings.event_type)):
        return None
    return Event(name=settings.event or "", date=settings.event_date, place=settings.event_place,
                 type=settings.event_type)


def settings_dict(settings: Settings) -> dict:
    """Settings as run.json holds them (paths as text)."""
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(settings).items()}
