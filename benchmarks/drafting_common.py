"""Shared by the drafting benchmarks (recommendation_coverage.py, style_check.py): run the pipeline on one
file with a shared embedder, and draft the same analysis with today's drafter and the pre-issue-11 one.

The baseline drafter is the frozen copy in `benchmarks/_frozen/notes_v1/recommend.py` (commit 59309b1),
run on the *same* statements, codes and themes as the new one, so the two columns differ only by the
drafting (proposal detection, merging, headings, wording), not by ingest or coding.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `benchmarks` must import as a package
    sys.path.insert(0, str(ROOT))

from pipeline.api import Settings, analyse, load_codebook, read_corpus  # noqa: E402
from pipeline.embed import Embedder  # noqa: E402
from pipeline.records import CHECK_HEADING, CHECK_WORDING  # noqa: E402
from pipeline.recommend.style import style_problems  # noqa: E402

_EMBEDDER: Embedder | None = None


def embedder() -> Embedder:
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = Embedder()
    return _EMBEDDER


def analyse_file(path: Path, codebook=None):
    """The new pipeline on one notes file (redacted, default codebook unless given)."""
    settings = Settings()
    corpus = read_corpus([str(path)], settings)
    return analyse(corpus, codebook or load_codebook(None), settings, embedder=embedder())


def baseline_drafts(analysis) -> list[tuple[str, str, list[str]]]:
    """(heading, text, evidence) of the pre-issue-11 drafter on this analysis (top 10 per heading)."""
    from benchmarks._frozen.notes_v1.recommend import RecommendationDrafter as OldDrafter

    plans = OldDrafter().draft(analysis.codebook, analysis.segments, analysis.vectors, analysis.themes)
    return [(p.heading, r.text, list(r.evidence)) for p in plans for r in p.recommendations]


def new_drafts(analysis, shown_only: bool = False):
    """(heading, Recommendation) of the new drafter: the plan (top per heading) and, unless `shown_only`,
    the proposals ranked below the cut."""
    return [(p.heading, r) for p in analysis.plans for r in p.recommendations + ([] if shown_only else p.more)]


def style_share(texts: list[str]) -> tuple[int, int]:
    """(drafts passing the style check, drafts)."""
    return sum(not style_problems(t) for t in texts), len(texts)


def marks(recs) -> tuple[int, int]:
    """(drafts marked check wording, drafts marked check heading)."""
    return (sum(CHECK_WORDING in r.flags for r in recs), sum(CHECK_HEADING in r.flags for r in recs))


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "0/0"
