"""Non-answers in ingest: placeholders and replies that carry no view ("N/A", "Not Provided", "nan", "—",
"Don't know", "No", an emoji alone) are kept, marked and counted, never dropped and never a theme.

The predicate is `text.is_non_answer` (one definition, shared with `plenary code`); this module applies it
to a run: each such statement gets `attributes["non_answer"] = True`, and its file's ingest report counts
them (a note "non-answers kept and marked: N"). The themes and coding stages leave marked statements out.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..records import IngestReport, Segment
from ..text import NON_ANSWERS, is_non_answer

__all__ = ["NON_ANSWERS", "is_non_answer", "mark_non_answers"]


def mark_non_answers(segments: Sequence[Segment], reports: Sequence[IngestReport]) -> list[Segment]:
    """The segments with non-answers marked; each file's report notes how many it had."""
    counts: dict[str, int] = {}
    out = []
    for seg in segments:
        if is_non_answer(seg.text):
            counts[seg.source] = counts.get(seg.source, 0) + 1
            seg = replace(seg, attributes={**seg.attributes, "non_answer": True})
        out.append(seg)
    for report in reports:
        if counts.get(report.source):
            report.notes.append(f"non-answers kept and marked (no theme, no code): {counts[report.source]}")
    return out
