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

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Sequence

import numpy as np

from .codebook import Codebook
from .coding import NO_CODE, CodeScores, LabelledItem
from .errors import InputError
from .files import jsonl_rows, staged_folder, write_json
from .ingest import read_text
from .records import IngestReport

LABEL_SEPARATORS = (";", "|")


# --------------------------------------------------------------------------- reading labelled files
def jsonl_objects(path: Path, text: str):
    """(line number, object) for each non-blank line, values kept as JSON gave them (lists stay lists)."""
    return jsonl_rows(path, text, shape='{"id": ..., "labels": [...]}')


def _csv_objects(path: Path, text: str):
    from .read_tables import csv_table

    _, rows = csv_table(path, text, IngestReport(source=path.name, event=""))
    return rows


def _labels_of(path: Path, line: int, value: Any, key: str) -> list[str]:
    """Labels as a list of code ids: ["a", "b"], "a;b", or Plenary's own [{"code": "a"}, ...]."""
    if value is None:
        # an unfilled template row (see suggest's to-code.jsonl), not a decision that nothing applies
        raise InputError(path, f"'{key}' is empty (null): fill in the codes, or [] if none applies", line, key)
    if isinstance(value, str):
        for sep in LABEL_SEPARATORS:
            if sep in value:
                return [v.strip() for v in value.split(sep) if v.strip()]
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, dict) and "code" in v:
                v = v["code"]
            if not isinstance(v, str):
                raise InputError(path, f"each label must be a code id (a string), got {json.dumps(v)}", line, key)
            if v.strip():
                out.append(v.strip())
        return out
    raise InputError(path, f"'{key}' must be a list of code ids, got {json.dumps(value)}", line, key)


def read_labelled(path: str | Path, codebook: Codebook | None = None, what: str = "gold",
                  need_text: bool = False) -> list[LabelledItem]:
    """A person's coding: JSONL or CSV rows with id, text and labels (or codes).

    Every label must be a codable code in `codebook`; "none" or an empty list
    means the person left the statement uncoded on purpose.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} file not found")
    if path.is_dir():
        raise InputError(path, f"expected a {what} file, got a folder")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".csv"):
        raise InputError(path, f"{what} file must be .jsonl or .csv, not '{suffix or '(none)'}'")
    if not path.read_bytes().strip():
        raise InputError(path, f"{what} file is empty")
    text, _ = read_text(path)
    rows = jsonl_objects(path, text) if suffix != ".csv" else _csv_objects(path, text)
    items: list[LabelledItem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        key = "labels" if "labels" in row else "codes" if "codes" in row else None
        if row.get("id") in (None, ""):
            raise InputError(path, "row has no 'id'", line, "id")
        item_id = str(row["id"]).strip()
        if item_id in seen:
            raise InputError(path, f"id '{item_id}' also used on line {seen[item_id]}", line, "id")
        seen[item_id] = line
        if key is None:
            raise InputError(path, "row has no 'labels' (use [] for a statement you left uncoded)", line, "labels")
        labels = [l for l in _labels_of(path, line, row[key], key) if l.lower() != NO_CODE]
        labels = list(dict.fromkeys(labels))
        primary = row.get("primary")
        primary = str(primary).strip() if primary not in (None, "") else None
        if primary is not None and primary.lower() == NO_CODE:
            primary = None
        text_value = row.get("text")
        body = str(text_value).strip() if text_value not in (None, "") else ""
        if need_text and not body:
            raise InputError(path, f"row '{item_id}' has no text to code", line, "text")
        if codebook is not None:
            for label in labels + ([primary] if primary else []):
                if label not in codebook:
                    near = ", ".join(c.id for c in codebook.codable)
                    raise InputError(path, f"label '{label}' is not a code in the codebook "
                                           f"({codebook.path or codebook.name}; codes: {near})", line, key)
                if not codebook[label].codable:
                    raise InputError(path, f"label '{label}' is a category, not a codable code", line, key)
        if primary is not None and primary not in labels:
            raise InputError(path, f"primary '{primary}' is not among the row's labels", line, "primary")
        items.append(LabelledItem(id=item_id, text=body, labels=labels, primary=primary or
                                  (labels[0] if labels else None), line=line))
    if not items:
        raise InputError(path, f"{what} file has no rows")
    return items


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
    """Krippendorff's alpha for two coders who both coded every unit, with any distance.

    alpha = 1 - D_o / D_e: observed disagreement within units over the
    disagreement expected between any two values pooled across units.
    """
    n_units = len(first)
    if n_units == 0:
        return float("nan")
    values: dict[Hashable, int] = {}
    for v in list(first) + list(second):
        values[v] = values.get(v, 0) + 1
    cache: dict[tuple, float] = {}

    def d(a, b):
        key = (a, b)
        if key not in cache:
            cache[key] = cache[(b, a)] = distance(a, b)
        return cache[key]

    observed = sum(d(a, b) for a, b in zip(first, second)) / n_units
    n = 2 * n_units
    distinct = list(values)
    expected = sum(values[a] * values[b] * d(a, b) for a in distinct for b in distinct) / (n * (n - 1))
    if expected == 0:
        return 1.0 if observed == 0 else float("nan")
    return 1.0 - observed / expected


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


def folds_of(items: Sequence[LabelledItem], k: int, seed: int = 0) -> dict[str, int]:
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
              train: Sequence[LabelledItem] = (), threshold: float = 0.35, prior: str = "flat", seed: int = 0):
    """Predictions for a person's coded sample by a coder that never saw the statement it codes:
    learn from the other k-1 folds (and `train`), code the held-out fold. Returns (predictions, last coder)."""
    from .coding import ExampleCoder

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
    """Coded records from a run folder (segments.jsonl) or a `plenary code` output file."""
    path = Path(path)
    target = path / "segments.jsonl" if path.is_dir() else path
    if not target.exists():
        raise InputError(target, "not found (give a run folder holding segments.jsonl, or a coded JSONL file)")
    text, _ = read_text(target)
    records = [row for _, row in jsonl_objects(target, text)]
    if not records:
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
             bootstrap: int = 1000, seed: int = 0, include_person: bool = False, gold_name: str = "gold",
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


# --------------------------------------------------------------------------- presenting
def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _ci(result: EvalResult, key: str) -> str:
    ci = result.intervals.get(key)
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "—"


def summary_rows(result: EvalResult) -> list[tuple[str, str, str]]:
    s = result.summary
    return [
        ("Cohen's kappa (main code, 'none' for uncoded)", _fmt(s["cohen_kappa"]), _ci(result, "cohen_kappa")),
        ("Krippendorff's alpha, MASI (label sets)", _fmt(s["krippendorff_alpha_masi"]),
         _ci(result, "krippendorff_alpha_masi")),
        ("Krippendorff's alpha, nominal (main code)", _fmt(s["krippendorff_alpha_nominal"]), ""),
        ("macro F1 (codes with support)", _fmt(s["macro_f1"]), _ci(result, "macro_f1")),
        ("micro F1", _fmt(s["micro_f1"]), _ci(result, "micro_f1")),
        ("main code agrees", _fmt(s["primary_agreement"]), ""),
    ]


def eval_text(result: EvalResult, show: int = 10) -> str:
    """The terminal report: headline figures with intervals, per-code table, a few disagreements."""
    lines = [f"{result.n_items} statements compared (gold {result.gold}; coder {result.coder})"
             + (f"; {result.n_excluded_person} coded by a person left out" if result.n_excluded_person else ""),
             f"{'multi-label' if result.multi_label else 'single-label'} gold: headline is "
             f"{'Krippendorff’s alpha (MASI)' if result.multi_label else 'Cohen’s kappa'}; "
             f"95% intervals from {result.settings['bootstrap']} bootstrap resamples (seed {result.settings['seed']})",
             ""]
    width = max(len(r[0]) for r in summary_rows(result))
    for name, value, ci in summary_rows(result):
        lines.append(f"  {name:<{width}}  {value:>6}  {ci}")
    lines += ["", f"  {'code':<22} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8} {'tool':>5}"]
    for row in result.per_code:
        lines.append(f"  {row['code'][:22]:<22} {_fmt(row['precision']):>9} {_fmt(row['recall']):>7} "
                     f"{_fmt(row['f1']):>6} {row['support']:>8} {row['predicted']:>5}")
    lines.append(f"  {'(uncoded)':<22} {'':>9} {'':>7} {'':>6} {result.summary['uncoded_gold']:>8} "
                 f"{result.summary['uncoded_tool']:>5}")
    lines += ["", "  confusion (rows: person's main code, columns: tool's)"]
    labels = result.confusion_labels
    lines.append("  " + " " * 16 + "".join(f"{l[:9]:>10}" for l in labels))
    for label, row in zip(labels, result.confusion):
        lines.append(f"  {label[:16]:<16}" + "".join(f"{v:>10}" for v in row))
    if result.disagreements and show:
        lines += ["", f"  {len(result.disagreements)} disagreements; the first {min(show, len(result.disagreements))}:"]
        for d in result.disagreements[:show]:
            lines.append(f"  - {d['id']}: person {'+'.join(d['gold']) or 'none'}, tool "
                         f"{'+'.join(d['tool']) or 'none'} ({_scores_text(d)})")
            lines.append(f"    “{_clip(d['text'], 110)}”")
    for note in result.notes:
        lines += ["", f"  note: {note}"]
    return "\n".join(lines)


def _scores_text(d: dict) -> str:
    parts = [f"{c} {v:.2f}" for c, v in sorted(d["scores"].items(), key=lambda cv: -(cv[1] or 0)) if v is not None]
    if d.get("none") is not None:
        parts.append(f"none {d['none']:.2f}")
    return ", ".join(parts) or "no scores"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def eval_markdown(result: EvalResult) -> str:
    md = ["# Agreement: tool vs person", "",
          f"- Gold: `{result.gold}` ({result.n_items} statements compared"
          + (f"; {result.n_excluded_person} coded by a person left out" if result.n_excluded_person else "") + ")",
          f"- Codebook: `{result.codebook}`", f"- Coder: {result.coder}",
          f"- Gold is {'multi-label' if result.multi_label else 'single-label'}: the headline figure is "
          f"{'Krippendorff’s alpha with MASI distance' if result.multi_label else 'Cohen’s kappa on the main code'}.",
          f"- 95% intervals: percentile bootstrap, {result.settings['bootstrap']} resamples of the statements, "
          f"seed {result.settings['seed']}.", "",
          "| measure | value | 95% interval |", "|---|---:|---|"]
    md += [f"| {n} | {v} | {c} |" for n, v, c in summary_rows(result)]
    md += ["", "## Per code", "", "| code | label | precision | recall | F1 | support | tool |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for r in result.per_code:
        md.append(f"| {r['code']} | {r['label']} | {_fmt(r['precision'])} | {_fmt(r['recall'])} | {_fmt(r['f1'])} "
                  f"| {r['support']} | {r['predicted']} |")
    md.append(f"| (uncoded) |  |  |  |  | {result.summary['uncoded_gold']} | {result.summary['uncoded_tool']} |")
    labels = result.confusion_labels
    md += ["", "## Confusion matrix (main code)", "", "Rows: the person's main code; columns: the tool's. "
           "See confusion.png / confusion.svg.", "",
           "| person \\ tool | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    md += [f"| {l} | " + " | ".join(str(v) for v in row) + " |" for l, row in zip(labels, result.confusion)]
    md += ["", f"## Disagreements ({len(result.disagreements)})", "",
           "Scores are the coder's for the codes involved (the zero-shot coder's are similarities; a learned "
           "coder's are probabilities, with its zero-shot similarity after the slash).", "",
           "| id | statement | person | tool | scores | kind |", "|---|---|---|---|---|---|"]
    for d in result.disagreements:
        scores = ", ".join(f"{c} {v:.2f}" + (f"/{d['similarity'][c]:.2f}" if c in d["similarity"] else "")
                           for c, v in sorted(d["scores"].items(), key=lambda cv: -(cv[1] or 0)) if v is not None)
        if d.get("none") is not None:
            scores += f", none {d['none']:.2f}"
        text = d["text"].replace("|", "\\|")
        md.append(f"| {d['id']} | {text} | {', '.join(d['gold']) or 'none'} | {', '.join(d['tool']) or 'none'} "
                  f"| {scores} | {d['kind']} |")
    for note in result.notes:
        md += ["", f"> {note}"]
    return "\n".join(md) + "\n"


def confusion_figure(result: EvalResult):
    """A heatmap of the confusion matrix (matplotlib, Agg backend, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = result.confusion_labels
    data = np.array(result.confusion)
    size = max(4.0, 0.6 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_xlabel("tool's main code")
    ax.set_ylabel("person's main code")
    kappa = result.summary.get("cohen_kappa")
    ax.set_title(f"Main code, {result.n_items} statements" + (f" (kappa {kappa:.2f})" if kappa is not None else ""))
    peak = data.max() if data.size else 0
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(data[i, j]), ha="center", va="center",
                    color="white" if peak and data[i, j] > peak / 2 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def write_eval(result: EvalResult, out_dir: str | Path) -> Path:
    """eval.json, eval.md, confusion.png and confusion.svg, written to a temporary folder then moved into place."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    with staged_folder(out_dir) as tmp:
        (tmp / "eval.md").write_text(eval_markdown(result), encoding="utf-8")
        fig = confusion_figure(result)
        with plt.rc_context({"svg.hashsalt": "plenary"}):
            fig.savefig(tmp / "confusion.svg", metadata={"Date": None})
        fig.savefig(tmp / "confusion.png", dpi=110, metadata={"Software": None})
        plt.close(fig)
        write_json(tmp / "eval.json", result.to_dict())
    return out_dir
