"""Agreement between the tool's coding and a person's: the statistics behind `plenary eval`.

A gold file is the researcher's own coding of some statements (JSONL
{"id", "text", "labels": [...], "primary"?} or a CSV with the same columns,
labels separated by ";"). The tool codes the same statements (afresh from
their text, from a finished run, or cross-fitted on the gold itself), and this
module compares the two: per-code precision/recall/F1, macro and micro F1,
Cohen's kappa on the main code, Krippendorff's alpha (nominal on the main code,
MASI distance on the label sets), a confusion matrix, the disagreements with
the tool's scores, and seeded bootstrap intervals that show how far a small
gold set can be trusted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Sequence

import numpy as np

from ..codebook import Codebook
from ..coding import NO_CODE, CodeScores, LabelledItem
from ..defaults import BOOTSTRAP, CODE_THRESHOLD, SEED
from ..errors import InputError
from ..exchange import rundir

# --------------------------------------------------------------------------- statistics
def masi_distance(a: frozenset, b: frozenset) -> float:
    """Passonneau's MASI distance between two label sets: 1 - Jaccard x monotonicity."""
    if a == b:
        return 0.0
    union = len(a | b)
    inter = len(a & b)
    if not inter:
        return 1.0
    m = 0.67 if (a <= b or b <= a) else 0.33
    return 1.0 - (inter / union) * m


def nominal_distance(a: Hashable, b: Hashable) -> float:
    return 0.0 if a == b else 1.0


def krippendorff_alpha(first: Sequence[Hashable], second: Sequence[Hashable],
                       distance: Callable[[Any, Any], float] = nominal_distance) -> float:
    """Krippendorff's alpha for two coders who both coded every unit, with any distance (0..1).

    Computed by the `krippendorff` package from the value counts per unit; `distance` is applied to the
    distinct values seen (e.g. label sets for MASI). NaN for no units; 1.0 when both coders used one
    and the same value throughout (no disagreement is possible).
    """
    import krippendorff

    if not len(first):
        return float("nan")
    values = list(dict.fromkeys(list(first) + list(second)))
    if len(values) == 1:
        return 1.0
    index = {v: i for i, v in enumerate(values)}
    counts = np.zeros((len(first), len(values)), dtype=int)
    for u, (a, b) in enumerate(zip(first, second)):
        counts[u, index[a]] += 1
        counts[u, index[b]] += 1
    if distance is nominal_distance:
        return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))
    table = np.array([[distance(a, b) for b in values] for a in values], dtype=float)

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        return table[np.asarray(v1, dtype=int), np.asarray(v2, dtype=int)].astype(dtype)

    return float(krippendorff.alpha(value_counts=counts, value_domain=np.arange(len(values)),
                                    level_of_measurement=metric))


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    n = len(first)
    if n == 0:
        return float("nan")
    observed = sum(a == b for a, b in zip(first, second)) / n
    counts_a: dict[Hashable, int] = {}
    counts_b: dict[Hashable, int] = {}
    for a, b in zip(first, second):
        counts_a[a] = counts_a.get(a, 0) + 1
        counts_b[b] = counts_b.get(b, 0) + 1
    expected = sum(counts_a[k] * counts_b.get(k, 0) for k in counts_a) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else float("nan")
    return (observed - expected) / (1 - expected)


def f1_scores(gold: np.ndarray, pred: np.ndarray, codes_with_support: np.ndarray | None = None) -> dict[str, float]:
    """Macro and micro F1 from (items x codes) boolean matrices. Macro averages the codes with gold
    support (or those given); a code with no support and no prediction in a resample is skipped."""
    tp = (gold & pred).sum(axis=0).astype(float)
    fp = (~gold & pred).sum(axis=0).astype(float)
    fn = (gold & ~pred).sum(axis=0).astype(float)
    cols = codes_with_support if codes_with_support is not None else gold.sum(axis=0) > 0
    denom = 2 * tp + fn + fp
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)
    macro = float(np.nanmean(per[cols])) if cols.any() and not np.isnan(per[cols]).all() else float("nan")
    d = 2 * tp.sum() + fp.sum() + fn.sum()
    micro = float(2 * tp.sum() / d) if d else float("nan")
    return {"macro_f1": macro, "micro_f1": micro}


def percentile_interval(samples: Sequence[float], level: float = 0.95) -> list[float] | None:
    arr = np.array([s for s in samples if not math.isnan(s)])
    if len(arr) < 10:
        return None
    lo, hi = np.percentile(arr, [(1 - level) / 2 * 100, (1 + level) / 2 * 100])
    return [round(float(lo), 4), round(float(hi), 4)]


# --------------------------------------------------------------------------- the tool's side
@dataclass
class Prediction:
    """The tool's coding of one gold statement."""

    id: str
    codes: list[str]  # assigned, best first; empty when uncoded
    scores: dict[str, float] = field(default_factory=dict)  # the coder's score for every code
    similarity: dict[str, float] = field(default_factory=dict)  # zero-shot similarity, for a learned coder
    none: float | None = None  # learned probability of "no code"
    nearest: str | None = None
    by: str = "tool"  # "person" when the statement's codes came from a person's override

    @property
    def primary(self) -> str:
        return self.codes[0] if self.codes else NO_CODE


def predictions_from_scores(ids: Sequence[str], scores: CodeScores, assigned) -> list[Prediction]:
    out = []
    for i, (sid, (codes, nearest)) in enumerate(zip(ids, assigned)):
        out.append(Prediction(
            id=sid, codes=[c.code for c in codes],
            scores={c: round(float(v), 4) for c, v in zip(scores.codes, scores.scores[i])},
            similarity={c: round(float(v), 4) for c, v in zip(scores.codes, scores.similarity[i])}
            if scores.similarity is not None else {},
            none=round(float(scores.none[i]), 4) if scores.none is not None else None,
            nearest=nearest.code, by="person" if codes and all(c.by == "person" for c in codes) else "tool"))
    return out


def code_items(items: Sequence[LabelledItem], coder, embedder) -> list[Prediction]:
    """Code the gold statements' own text with a fitted coder."""
    texts = [it.text for it in items]
    vectors = embedder.encode(texts)
    scores = coder.score(texts, vectors)
    return predictions_from_scores([it.id for it in items], scores, coder.assign(scores))


def folds_of(items: Sequence[LabelledItem], k: int, seed: int = SEED) -> dict[str, int]:
    """Each item's fold, stratified by main code and seeded, so every fold sees every code."""
    rng = np.random.default_rng(seed)
    by_primary: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        by_primary.setdefault(it.primary or NO_CODE, []).append(i)
    fold_of: dict[str, int] = {}
    offset = 0
    for key in sorted(by_primary):
        for j, i in enumerate(rng.permutation(by_primary[key])):
            fold_of[items[int(i)].id] = (offset + j) % k
        offset += len(by_primary[key])
    return fold_of


def cross_fit(items: Sequence[LabelledItem], codebook: Codebook, embedder, k: int,
              train: Sequence[LabelledItem] = (), threshold: float = CODE_THRESHOLD, prior: str = "flat", seed: int = SEED):
    """Predictions for a person's coded sample by a coder that never saw the statement it codes:
    learn from the other k-1 folds (and `train`), code the held-out fold. Returns (predictions, last coder)."""
    from ..coding import ExampleCoder

    fold_of = folds_of(items, k, seed)
    preds: dict[str, Prediction] = {}
    coder = None
    for f in range(k):
        held = [it for it in items if fold_of[it.id] == f]
        if not held:
            continue
        rest = [it for it in items if fold_of[it.id] != f]
        coder = ExampleCoder(embedder, threshold=threshold, prior=prior, seed=seed).fit(codebook, list(train) + rest)
        for p in code_items(held, coder, embedder):
            preds[p.id] = p
    return [preds[it.id] for it in items], coder


def predictions_from_records(path: Path, records: Sequence[dict], items: Sequence[LabelledItem],
                             gold_path: Path) -> list[Prediction]:
    """Match gold ids to coded records (a run's segments.jsonl, or `plenary code` output)."""
    by_id = {str(r.get("id")): r for r in records}
    missing = [it for it in items if it.id not in by_id]
    if missing:
        example = next(iter(by_id), "(none)")
        if len(missing) == len(items):
            raise InputError(gold_path, f"no gold id matches a statement in {path} (gold ids look like "
                                        f"'{items[0].id}', its ids like '{example}')", items[0].line, "id")
        raise InputError(gold_path, f"{len(missing)} of {len(items)} gold ids match no statement in {path}, "
                                    f"first '{missing[0].id}'", missing[0].line, "id")
    out = []
    for it in items:
        r = by_id[it.id]
        codes = r.get("codes") or []
        nearest = r.get("nearest") or {}
        scores = {c["code"]: c.get("score") for c in codes}
        if nearest.get("code") and nearest["code"] not in scores:
            scores[nearest["code"]] = nearest.get("score")
        out.append(Prediction(id=it.id, codes=[c["code"] for c in codes], scores=scores,
                              nearest=nearest.get("code"),
                              by="person" if codes and all(c.get("by") == "person" for c in codes)
                              or (r.get("attributes") or {}).get("coded_by") == "person" else "tool"))
    return out


def read_coded(path: str | Path) -> list[dict]:
    """Coded records from a run folder (segments.jsonl) or a `plenary code` output file (exchange.rundir)."""
    records = rundir.read_segment_rows(path, required=("id",))
    if not records:
        target = Path(path) / "segments.jsonl" if Path(path).is_dir() else Path(path)
        raise InputError(target, "holds no coded statements")
    return records


# --------------------------------------------------------------------------- evaluation
@dataclass
class EvalResult:
    gold: str
    codebook: str
    coder: str
    codes: list[str]
    n_items: int
    n_excluded_person: int
    multi_label: bool
    per_code: list[dict[str, Any]]
    summary: dict[str, float]
    intervals: dict[str, list[float] | None]
    confusion_labels: list[str]
    confusion: list[list[int]]
    disagreements: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "codebook": self.codebook, "coder": self.coder, "settings": self.settings,
            "items": self.n_items, "excluded_person_coded": self.n_excluded_person,
            "multi_label": self.multi_label,
            "headline": "krippendorff_alpha_masi" if self.multi_label else "cohen_kappa",
            "summary": self.summary, "intervals_95": self.intervals,
            "per_code": self.per_code,
            "confusion": {"labels": self.confusion_labels, "rows_gold_columns_tool": self.confusion},
            "disagreements": self.disagreements, "notes": self.notes,
        }


def _matrix(label_sets: Sequence[Sequence[str]], codes: Sequence[str]) -> np.ndarray:
    index = {c: j for j, c in enumerate(codes)}
    m = np.zeros((len(label_sets), len(codes)), dtype=bool)
    for i, labels in enumerate(label_sets):
        for label in labels:
            if label in index:
                m[i, index[label]] = True
    return m


def _stats(gold_primary, tool_primary, gold_sets, tool_sets, G, P, support) -> dict[str, float]:
    out = {"cohen_kappa": cohen_kappa(gold_primary, tool_primary),
           "krippendorff_alpha_nominal": krippendorff_alpha(gold_primary, tool_primary),
           "krippendorff_alpha_masi": krippendorff_alpha(gold_sets, tool_sets, masi_distance),
           "primary_agreement": float(np.mean([a == b for a, b in zip(gold_primary, tool_primary)]))}
    out.update(f1_scores(G, P, support))
    return out


def evaluate(items: Sequence[LabelledItem], predictions: Sequence[Prediction], codebook: Codebook,
             bootstrap: int = BOOTSTRAP, seed: int = SEED, include_person: bool = False, gold_name: str = "gold",
             coder_name: str = "zero-shot") -> EvalResult:
    """Compare a person's coding (items) with the tool's (predictions, same order)."""
    pairs = list(zip(items, predictions))
    excluded = 0
    if not include_person:
        kept = [(it, p) for it, p in pairs if p.by != "person"]
        excluded = len(pairs) - len(kept)
        pairs = kept
    if not pairs:
        raise InputError(gold_name, "no gold statement left to compare (all were coded by a person; "
                                    "pass --include-person to compare them)")
    codes = [c.id for c in codebook.codable]
    gold_primary = [it.primary or NO_CODE for it, _ in pairs]
    tool_primary = [p.primary for _, p in pairs]
    gold_sets = [frozenset(it.labels) for it, _ in pairs]
    tool_sets = [frozenset(p.codes) for _, p in pairs]
    G = _matrix([it.labels for it, _ in pairs], codes)
    P = _matrix([p.codes for _, p in pairs], codes)
    support = G.sum(axis=0) > 0
    summary = {k: round(v, 4) if not math.isnan(v) else None
               for k, v in _stats(gold_primary, tool_primary, gold_sets, tool_sets, G, P, support).items()}
    summary["uncoded_gold"] = sum(1 for s in gold_sets if not s)
    summary["uncoded_tool"] = sum(1 for s in tool_sets if not s)

    per_code = []
    for j, code in enumerate(codes):
        tp, fp, fn = int((G[:, j] & P[:, j]).sum()), int((~G[:, j] & P[:, j]).sum()), int((G[:, j] & ~P[:, j]).sum())
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / (tp + fn) if tp + fn else None
        f1 = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None
        per_code.append({"code": code, "label": codebook[code].label, "precision": _r(prec), "recall": _r(rec),
                         "f1": _r(f1), "support": int(G[:, j].sum()), "predicted": int(P[:, j].sum())})

    # seeded bootstrap over statements: how much the figures move with a different sample of this size
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {k: [] for k in ("cohen_kappa", "krippendorff_alpha_masi", "macro_f1",
                                                       "micro_f1")}
    n = len(pairs)
    for _ in range(bootstrap):
        idx = rng.integers(0, n, n)
        s = _stats([gold_primary[i] for i in idx], [tool_primary[i] for i in idx],
                   [gold_sets[i] for i in idx], [tool_sets[i] for i in idx], G[idx], P[idx], support)
        for k in samples:
            samples[k].append(s[k])
    intervals = {k: percentile_interval(v) for k, v in samples.items()}

    labels = [c for c in codes if c in set(gold_primary) | set(tool_primary)] + [NO_CODE]
    index = {c: i for i, c in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for g, t in zip(gold_primary, tool_primary):
        confusion[index[g]][index[t]] += 1

    disagreements = []
    for (it, p), g, t in zip(pairs, gold_primary, tool_primary):
        if set(it.labels) == set(p.codes) and g == t:
            continue
        relevant = list(dict.fromkeys(list(it.labels) + p.codes + ([p.nearest] if p.nearest else [])))
        disagreements.append({
            "id": it.id, "line": it.line, "text": it.text, "gold": list(it.labels), "gold_primary": g,
            "tool": list(p.codes), "tool_primary": t,
            "scores": {c: p.scores.get(c) for c in relevant if c in p.scores},
            "similarity": {c: p.similarity.get(c) for c in relevant if c in p.similarity},
            "none": p.none, "kind": _kind(it.labels, p.codes),
        })
    multi = any(len(it.labels) > 1 for it, _ in pairs)
    return EvalResult(gold=gold_name, codebook=codebook.path or codebook.name, coder=coder_name, codes=codes,
                      n_items=n, n_excluded_person=excluded, multi_label=multi, per_code=per_code, summary=summary,
                      intervals=intervals, confusion_labels=labels, confusion=confusion,
                      disagreements=disagreements, settings={"bootstrap": bootstrap, "seed": seed})


def _kind(gold: Sequence[str], tool: Sequence[str]) -> str:
    if not gold:
        return "tool coded, person left uncoded"
    if not tool:
        return "person coded, tool left uncoded"
    if set(gold) & set(tool):
        return "partial overlap"
    return "different code"


def _r(x: float | None) -> float | None:
    return round(x, 4) if x is not None else None
