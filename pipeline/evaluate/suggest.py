"""Suggestions for the next round of codebook work: what `plenary suggest` lists.

- Candidate new codes: statements no code covers, clustered (the same
  k-means + c-TF-IDF + diverse quotes as themes), each with a label, key
  phrases, example quotes and a YAML stub to paste into the codebook.
- Pairs of codes the tool often confuses: from a person's gold coding when one
  is given (person said A, tool said B), otherwise from near-ties (the two best
  codes within the coder's margin of each other).
- Codes with little support: few statements coded, or few examples to learn from.
- Statements to code next (active learning): those nearest a decision
  boundary (between two codes, or between a code and "uncoded"), spread out so
  no two are near-copies. Coding these teaches a learned coder the most.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..codebook import Codebook
from ..coding import Coder, CodeScores, LabelledItem
from ..defaults import (MAX_CANDIDATE_CODES, MIN_UNCODED_FOR_CANDIDATES, N_NEXT, SEED, STATEMENTS_PER_CANDIDATE,
                        SUGGEST_NEAR_COPY, theme_count)
from ..files import slug
from ..records import Segment
from ..themes import KMeansClusterer, ThemeFinder


@dataclass
class CandidateCode:
    label: str
    keywords: list[str]
    statements: list[str]  # ids, most central first
    quotes: list[dict[str, str]]  # {"id", "text"}

    def stub(self) -> dict[str, Any]:
        """A codebook entry to start from: the researcher writes the description."""
        words = slug(self.label).replace("-", "_").split("_")
        code_id = ""
        for w in words:  # whole words only, up to 30 characters
            if len(code_id) + len(w) + 1 > 30 and code_id:
                break
            code_id = f"{code_id}_{w}" if code_id else w
        return {"id": code_id or "new_code", "label": self.label,
                "description": f"TODO: describe. Statements about {', '.join(self.keywords[:5])}.",
                "examples": [q["text"] for q in self.quotes[:3]], "keywords": self.keywords[:6]}


@dataclass
class ConfusedPair:
    a: str
    b: str
    count: int
    source: str  # "gold" (person vs tool) or "near-tie" (the tool's two best codes were close)
    examples: list[dict[str, Any]]


@dataclass
class Suggestions:
    statements: int
    uncoded: int
    candidates: list[CandidateCode] = field(default_factory=list)
    confused: list[ConfusedPair] = field(default_factory=list)
    low_support: list[dict[str, Any]] = field(default_factory=list)
    to_code_next: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "statements": self.statements, "uncoded": self.uncoded, "settings": self.settings,
            "candidate_codes": [{"label": c.label, "keywords": c.keywords, "size": len(c.statements),
                                 "statements": c.statements, "quotes": c.quotes, "codebook_stub": c.stub()}
                                for c in self.candidates],
            "confused_pairs": [{"codes": [p.a, p.b], "count": p.count, "source": p.source, "examples": p.examples}
                               for p in self.confused],
            "low_support": self.low_support,
            "to_code_next": self.to_code_next,
        }


def _decision_margins(scores: CodeScores, limits: np.ndarray) -> np.ndarray:
    """How far each statement is from a different decision (smaller = less certain).

    A statement coded by threshold is near two boundaries: coded vs uncoded
    (its best similarity against the code's threshold) and which code (the gap
    between its two best codes). An uncoded one is near only the first: two
    codes tying far below their thresholds is no doubt at all. A learned
    "none" class competes like a code, so there the gap between the two most
    probable answers, "none" included, is the margin.
    """
    s = scores.scores
    rows = np.arange(len(s))
    if scores.none is not None:
        full = np.column_stack([s, scores.none])
        top2 = -np.sort(-full, axis=1)[:, :2]
        return top2[:, 0] - top2[:, 1]
    order = np.argsort(-s, axis=1, kind="stable")
    gap = s[rows, order[:, 0]] - (s[rows, order[:, 1]] if s.shape[1] > 1 else 0)
    sim = scores.similarity if scores.similarity is not None else s
    best = sim.argmax(axis=1)
    to_threshold = sim[rows, best] - limits[best]
    return np.where(to_threshold >= 0, np.minimum(to_threshold, gap), -to_threshold)


def suggest(segments: Sequence[Segment], vectors: np.ndarray, scores: CodeScores, assigned, codebook: Codebook,
            coder: Coder, gold: Sequence[LabelledItem] = (), train: Sequence[LabelledItem] = (), n_next: int = N_NEXT,
            seed: int = SEED, min_support: int | None = None, near_copy: float = SUGGEST_NEAR_COPY) -> Suggestions:
    """Suggestions from coded statements: `assigned` is the coder's (codes, nearest) per segment, and each
    segment's `codes` may already hold a person's overrides."""
    n = len(segments)
    codes = scores.codes
    person = {s.id for s in segments if s.attributes.get("coded_by") == "person"
              or any(c.by == "person" for c in s.codes)}
    coded_ids = [[c.code for c in s.codes] for s in segments]
    uncoded_idx = [i for i, s in enumerate(segments) if not s.codes and s.id not in person]
    out = Suggestions(statements=n, uncoded=len(uncoded_idx),
                      settings={"seed": seed, "n_next": n_next, "coder": type(coder).__name__})

    # candidate new codes: cluster what no code covers
    if len(uncoded_idx) >= MIN_UNCODED_FOR_CANDIDATES:
        subset = [segments[i] for i in uncoded_idx]  # the finder returns new records; these stay as they are
        k = theme_count(len(subset), STATEMENTS_PER_CANDIDATE, MAX_CANDIDATE_CODES)
        finder = ThemeFinder(clusterer=KMeansClusterer(k, seed=seed), min_size=3, n_quotes=4)
        by_id = {s.id: s for s in subset}
        for theme in finder.fit(subset, vectors[uncoded_idx]).themes_:
            if theme.is_unclustered:
                continue
            out.candidates.append(CandidateCode(label=theme.label, keywords=theme.keywords,
                                                statements=theme.segments,
                                                quotes=[{"id": q, "text": by_id[q].text} for q in theme.quotes]))

    # confused pairs
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    source = "gold" if gold else "near-tie"
    if gold:
        by_id = {s.id: i for i, s in enumerate(segments)}
        for item in gold:
            i = by_id.get(item.id)
            if i is None or not item.labels:
                continue
            tool = coded_ids[i]
            for g in item.labels:
                for t in tool:
                    if t != g and t not in item.labels:
                        key = tuple(sorted((g, t)))
                        pairs.setdefault(key, []).append({"id": item.id, "text": item.text, "person": item.labels,
                                                          "tool": tool})
    elif scores.scores.shape[1] > 1:
        # without a person's coding, a near-tie stands in for confusion: the coded statements whose two
        # best codes are closest (the tenth with the smallest gap, so the cut does not depend on the scale)
        s = scores.scores
        order = np.argsort(-s, axis=1, kind="stable")
        coded = [i for i in range(n) if segments[i].codes and segments[i].id not in person]
        gaps = {i: float(s[i, order[i, 0]] - s[i, order[i, 1]]) for i in coded}
        for i in sorted(coded, key=lambda i: (gaps[i], i))[: max(1, len(coded) // 10)] if coded else []:
            a, b = int(order[i, 0]), int(order[i, 1])
            key = tuple(sorted((codes[a], codes[b])))
            pairs.setdefault(key, []).append({"id": segments[i].id, "text": segments[i].text,
                                              "scores": {codes[a]: round(float(s[i, a]), 3),
                                                         codes[b]: round(float(s[i, b]), 3)},
                                              "gap": round(gaps[i], 4)})
    for (a, b), examples in sorted(pairs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(examples) < 2:
            continue
        if source == "near-tie":
            examples = sorted(examples, key=lambda e: e["gap"])
        out.confused.append(ConfusedPair(a, b, len(examples), source, examples[:3]))
    out.confused = out.confused[:8]

    # little support
    floor = min_support if min_support is not None else max(3, math.ceil(0.02 * n))
    learned_from = {c: 0 for c in codes}
    for c in codebook.codable:
        learned_from[c.id] += len(c.examples)
    for item in train:
        for label in item.labels:
            learned_from[label] = learned_from.get(label, 0) + 1
    for c in codes:
        count = sum(1 for ids in coded_ids if c in ids)
        reasons = []
        if count < floor:
            reasons.append(f"{count} statement{'s' if count != 1 else ''} coded (fewer than {floor})")
        if learned_from.get(c, 0) < 3:
            reasons.append(f"{learned_from.get(c, 0)} example{'s' if learned_from.get(c, 0) != 1 else ''} "
                           "to learn from (fewer than 3)")
        if reasons:
            out.low_support.append({"code": c, "label": codebook[c].label, "statements": count,
                                    "examples": learned_from.get(c, 0), "why": "; ".join(reasons)})

    # statements to code next: nearest a boundary, and not near-copies of each other
    limits = coder.similarity_thresholds()
    margins = _decision_margins(scores, limits)
    already = person | {it.id for it in gold} | {it.id for it in train}
    chosen: list[int] = []
    for i in np.argsort(margins, kind="stable"):
        if segments[i].id in already:
            continue
        if any(float(vectors[i] @ vectors[j]) >= near_copy for j in chosen):
            continue
        chosen.append(int(i))
        if len(chosen) == n_next:
            break
    for i in chosen:
        order = np.argsort(-scores.scores[i], kind="stable")[:2]
        out.to_code_next.append({
            "id": segments[i].id, "text": segments[i].text, "source": segments[i].source,
            "line": segments[i].line_start, "tool": coded_ids[i], "margin": round(float(margins[i]), 4),
            "best": {codes[j]: round(float(scores.scores[i, j]), 4) for j in order},
            **({"none": round(float(scores.none[i]), 4)} if scores.none is not None else {}),
        })
    return out
