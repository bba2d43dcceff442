"""A starter codebook drafted from the notes' own topics: the core of `plenary codebook draft`, and the
source of a run's plan headings when the researcher's codebook fits the notes poorly.

- `draft_groups(segments, vectors, n_codes=None, seed)` -> theme rows: the statements regrouped for a
  codebook. k-means on corpus-centred vectors (the mean vector removed, so what every statement shares,
  such as "young people" in notes about young people, does not decide the groups), k about sqrt(n)
  (finer than a run's themes: a codebook wants distinct topics), statements in a canonical order so the
  input order does not matter; non-answers are left out.
- `draft_codebook(themes, segments, name, source) -> str`: YAML in the codebook format (docs/research.md),
  one code per group of at least `DRAFT_MIN_STATEMENTS` (largest and best-ranked first, at most
  `DRAFT_MAX_CODES`; the "unclustered" group left out): a readable id and label (the group's most
  distinctive noun terms, `heading_terms`), a description to rewrite, include lines and up to
  `DRAFT_EXAMPLES` examples, each cited by file and line in a comment. The text parses with
  `codebook.parse_codebook`. `themes` are themes.json rows ({id, label, keywords, segments, quotes, size,
  rank}) and `segments` maps id -> segments.jsonl row ({text, source, line_start}).
- `draft_heading_codebook(segments, vectors, source, ...)` -> (Codebook, YAML text): both steps, on a run's
  records; ValueError when no group is large enough.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Sequence

import numpy as np

from ..codebook import Codebook, code_id, parse_codebook
from ..defaults import (DRAFT_EXAMPLES, DRAFT_GROUP_TERM_SAMPLE, DRAFT_MAX_CODES, DRAFT_MIN_STATEMENTS,
                        DRAFT_TERM_SAMPLE, SEED)
from ..records import Segment
from .cluster import KMeansClusterer

GENERIC = {"people", "thing", "things", "need", "lot", "way", "time", "make", "get", "use",
           # spans of time name no topic ("years long", "wait 18 months")
           "year", "month", "week", "day", "hour", "minute"}

# said wherever a plan's headings come from a drafted codebook (recommendations.md/json, report, web, Word)
DRAFTED_HEADINGS_NOTE = ("Headings drafted from the themes because the codebook fits poorly — edit with "
                         "`plenary codebook draft`.")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*\]")


def _terms(text: str) -> set[str]:
    """Noun terms of a statement: noun lemmas and two-word noun phrases ("mental health", "bus fare")."""
    from .. import text as T

    doc = T.parse(_PLACEHOLDER_RE.sub(" ", text))  # "[PERSON]" is redaction, not a topic
    out: set[str] = set()
    for i, tok in enumerate(doc):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.is_stop or len(tok.text) < 3:
            continue
        # acronyms and names keep their case ("BAME", "NHS"); other words their lemma
        lemma = tok.text if tok.text.isupper() and len(tok.text) > 1 else tok.lemma_.lower()
        if lemma not in GENERIC and lemma.isalpha():
            out.add(lemma)
        prev = doc[i - 1] if i else None
        if prev is not None and prev.pos_ in ("NOUN", "PROPN", "ADJ") and not prev.is_stop and prev.text.isalpha():
            out.add(f"{prev.text if prev.text.isupper() else prev.text.lower()} {lemma}")
    return out


def heading_terms(theme_texts: Sequence[str], all_terms: dict[str, int], n_all: int, k: int = 2,
                  min_count: int = 2) -> list[str]:
    """A theme's most distinctive noun terms (share of its statements x inverse share overall), two-word
    phrases first when as frequent; words inside a chosen phrase are not repeated, and a further term
    must score at least half the first (a weak second term blurs a heading)."""
    counts: dict[str, int] = {}
    for text in theme_texts:
        for term in _terms(text):
            counts[term] = counts.get(term, 0) + 1
    scored = sorted(((c / len(theme_texts)) * math.log(n_all / all_terms.get(t, c)) * (1.2 if " " in t else 1.0),
                     t) for t, c in counts.items() if c >= min_count or len(theme_texts) <= 3)
    chosen: list[str] = []
    for score, term in sorted(scored, key=lambda st: (-st[0], st[1])):
        if chosen and score < 0.5 * scored[-1][0]:
            break
        if any(term in c.split() or c in term.split() or term == c for c in chosen):
            continue
        if any(set(term.split()) & set(c.split()) for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == k:
            break
    return chosen


def _label(theme: dict[str, Any], terms: Sequence[str]) -> str:
    """A heading a facilitator recognises: the theme's distinctive noun terms, else its label."""
    if terms:
        text = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]
    else:
        text = " ".join(str(theme.get("label") or "Other points").split())[:60]
    return text[:1].upper() + text[1:]


def term_counts(texts: Sequence[str], sample: int = DRAFT_TERM_SAMPLE) -> tuple[dict[str, int], int]:
    """(statements per noun term, statements counted) over `texts`, or over an evenly spaced sample of
    `sample` of them (sorted first, so the input order does not matter) when there are more."""
    chosen = sorted(texts)
    if len(chosen) > sample:
        step = len(chosen) / sample
        chosen = [chosen[int(i * step)] for i in range(sample)]
    out: dict[str, int] = {}
    for text in chosen:
        for term in _terms(text):
            out[term] = out.get(term, 0) + 1
    return out, len(chosen)


def draft_codebook(themes: Sequence[dict[str, Any]], segments: dict[str, dict[str, Any]], name: str,
                   source: str, command: str = "plenary codebook draft") -> str:
    """YAML text of a starter codebook from `themes` (themes.json rows) and `segments` (id -> segment row)."""
    usable = [t for t in themes if t.get("id") != "unclustered" and not t.get("unclustered")
              and int(t.get("size") or len(t.get("segments") or [])) >= DRAFT_MIN_STATEMENTS]
    usable.sort(key=lambda t: (t.get("rank") or 10 ** 6, -int(t.get("size") or 0), str(t.get("id"))))
    usable = usable[:DRAFT_MAX_CODES]
    if not usable:
        raise ValueError("no theme has enough statements to draft a code from")
    lines = [f"# Starter codebook drafted by `{command}` from {source}.",
             "# One code per emergent theme. Rename ids and labels, rewrite each description in your own words,",
             "# merge or split codes, then check it with `plenary codebook validate` and run with --codebook.",
             f"name: {_quote('Draft codebook: ' + name)}", 'version: "0.1"',
             f"description: {_quote('Drafted from the themes of ' + source + '; edit before use.')}", "codes:"]
    used: set[str] = set()
    labels: set[str] = set()
    all_terms, n_all = term_counts([seg.get("text", "") for seg in segments.values()])
    for theme in usable:
        ids = theme.get("segments") or []
        texts = [segments[i]["text"] for i in ids if i in segments]
        terms = heading_terms(texts[:DRAFT_GROUP_TERM_SAMPLE], all_terms, n_all) if texts else []
        if texts and not terms and not theme.get("label"):  # no term shared: the group's most distinctive one
            terms = heading_terms(texts[:DRAFT_GROUP_TERM_SAMPLE], all_terms, n_all, k=1, min_count=1)
        label, n = _label(theme, terms), 2
        while label.casefold() in labels:  # two groups can share their terms: labels must stay unique
            label, n = f"{_label(theme, terms)} ({n})", n + 1
        labels.add(label.casefold())
        base = code_id(label)[:40].strip("-") or "code"
        cid, n = base, 2
        while cid in used or cid in ("none", "uncoded"):
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        quoted = [q["id"] if isinstance(q, dict) else q for q in (theme.get("quotes") or [])]
        quoted += [s for s in ids if s not in quoted]
        examples = [segments[i] for i in quoted if i in segments][:DRAFT_EXAMPLES]
        keywords = list(dict.fromkeys(terms + [k for k in theme.get("keywords") or [] if k.lower() not in GENERIC]))[:6]
        size = int(theme.get("size") or len(ids))
        about = f"{', '.join(keywords[:4])}" if keywords else label.lower()
        description = (f"What people said about {label[:1].lower() + label[1:]} ({about}); "
                       f"{size} statements in the notes. Say here what belongs under this code.")
        lines += [f"  - id: {_quote(cid)}", f"    label: {_quote(label)}", f"    description: {_quote(description)}"]
        if keywords:
            lines.append("    include:")
            lines.append(f"      - {_quote('Statements about ' + ', '.join(keywords))}")
        if examples:
            lines.append("    examples:")
            for seg in examples:
                where = f"{seg.get('source')}:{seg.get('line_start') or seg.get('line')}"
                lines += [f"      # {where}", f"      - {_quote(seg.get('text', ''))}"]
    text = "\n".join(lines) + "\n"
    parse_codebook(text, "<drafted codebook>")  # the draft must load as it is written
    return text


def segment_rows(segments: Sequence[Segment]) -> dict[str, dict[str, Any]]:
    """Segments as the rows `draft_codebook` reads (id -> {id, text, source, line_start})."""
    return {s.id: {"id": s.id, "text": s.text, "source": s.source, "line_start": s.line_start} for s in segments}


def draft_groups(segments: Sequence[Segment], vectors: np.ndarray, n_codes: int | None = None,
                 seed: int = SEED) -> list[dict[str, Any]]:
    """Statements regrouped for a codebook (see the module docstring), as theme rows, largest first;
    each row's `segments` run from the most central statement out. `vectors`: (len(segments), d) unit rows."""
    live = sorted((i for i, s in enumerate(segments) if not s.attributes.get("non_answer")),
                  key=lambda i: (segments[i].text, segments[i].id))
    if len(live) < DRAFT_MIN_STATEMENTS:
        return []
    x = np.asarray(vectors, dtype=np.float32)[live]
    x = x - x.mean(axis=0)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    k = n_codes or max(2, min(DRAFT_MAX_CODES, round(math.sqrt(len(live)))))
    labels = np.asarray(KMeansClusterer(min(k, len(live)), seed=seed).fit_predict(x))
    groups = []
    for label in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == label)
        centre = x[rows].mean(axis=0)
        closeness = x[rows] @ (centre / (np.linalg.norm(centre) or 1.0))
        order = sorted(range(len(rows)), key=lambda j: (-float(closeness[j]), segments[live[rows[j]]].id))
        ids = [segments[live[rows[j]]].id for j in order]
        groups.append({"segments": ids, "quotes": ids[:DRAFT_EXAMPLES], "size": len(ids), "keywords": [],
                       "label": ""})
    groups.sort(key=lambda g: (-g["size"], g["segments"][0]))
    for n, g in enumerate(groups, start=1):
        g["id"], g["rank"] = f"draft-{n:02d}", n
    return groups


def draft_heading_codebook(segments: Sequence[Segment], vectors: np.ndarray, source: str, name: str = "notes",
                           seed: int = SEED, n_codes: int | None = None) -> tuple[Codebook, str]:
    """(Codebook, its YAML text) drafted from `segments` and their `vectors`; ValueError when no group
    is large enough to be a code."""
    text = draft_codebook(draft_groups(segments, vectors, n_codes, seed), segment_rows(segments), name, source)
    return parse_codebook(text, "<drafted codebook>"), text


def drafted_plan_headings(segments: Sequence[Segment], vectors: np.ndarray, fit: dict[str, Any], coder,
                          seed: int = SEED) -> tuple[Codebook, Any, dict[str, Any]] | None:
    """When the run's codebook fits poorly: (drafted Codebook, `coder` fitted on it, `fit` with a
    "drafted_headings" entry {note, codebook (YAML text), codes [{id, label}]}) for the plan's headings;
    None when no group of statements is large enough to head a section. `coder` is an unfitted coder
    (`coding.coder_for`); the statements' own codes are not touched."""
    names = list(dict.fromkeys(s.source for s in segments))
    source = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    name = names[0].rsplit(".", 1)[0] if len(names) == 1 else "notes"
    try:
        book, text = draft_heading_codebook(segments, vectors, source, name, seed)
    except ValueError:
        return None
    drafted = {"note": DRAFTED_HEADINGS_NOTE, "codes": [{"id": c.id, "label": c.label} for c in book.codes],
               "codebook": text}
    return book, coder.fit(book), {**fit, "drafted_headings": drafted}
