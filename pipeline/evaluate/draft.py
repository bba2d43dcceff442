"""`plenary codebook draft`: a starter codebook from the notes' own themes, for a topic no codebook fits.

`draft_codebook(themes, segments, name, source) -> str` writes YAML in the codebook format
(docs/research.md): one code per theme (largest and best-ranked first; the "unclustered" group and
single-statement themes left out), each with a readable id and label, a description, include lines
(the theme's keywords) and up to `DRAFT_EXAMPLES` examples, each cited by file and line in a comment.
The text parses with `codebook.parse_codebook`, so the researcher edits it and runs with it.

`draft_from(path, ...)`: from a finished run folder (its themes.json and segments.jsonl) or from notes
files (analysed here, with finer themes than a run's: a codebook wants distinct topics).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Sequence

from ..codebook import code_id, parse_codebook
from ..defaults import DRAFT_EXAMPLES, DRAFT_MAX_CODES, DRAFT_MIN_STATEMENTS

GENERIC = {"people", "thing", "things", "need", "lot", "way", "time", "make", "get", "use"}


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def _terms(text: str) -> set[str]:
    """Noun terms of a statement: noun lemmas and two-word noun phrases ("mental health", "bus fare")."""
    from .. import text as T

    doc = T.parse(text)
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


def heading_terms(theme_texts: Sequence[str], all_terms: dict[str, int], n_all: int, k: int = 2) -> list[str]:
    """A theme's most distinctive noun terms (share of its statements x inverse share overall), two-word
    phrases first when as frequent; words inside a chosen phrase are not repeated."""
    counts: dict[str, int] = {}
    for text in theme_texts:
        for term in _terms(text):
            counts[term] = counts.get(term, 0) + 1
    scored = sorted(((c / len(theme_texts)) * math.log(n_all / all_terms.get(t, c)) * (1.2 if " " in t else 1.0),
                     t) for t, c in counts.items() if c >= 2 or len(theme_texts) <= 3)
    chosen: list[str] = []
    for _, term in sorted(scored, key=lambda st: (-st[0], st[1])):
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
        text = " ".join(str(theme.get("label") or "Theme").split())[:60]
    return text[:1].upper() + text[1:]


def draft_codebook(themes: Sequence[dict[str, Any]], segments: dict[str, dict[str, Any]], name: str,
                   source: str) -> str:
    """YAML text of a starter codebook from `themes` (themes.json rows) and `segments` (id -> segment row)."""
    usable = [t for t in themes if t.get("id") != "unclustered" and not t.get("unclustered")
              and int(t.get("size") or len(t.get("segments") or [])) >= DRAFT_MIN_STATEMENTS]
    usable.sort(key=lambda t: (t.get("rank") or 10 ** 6, -int(t.get("size") or 0), str(t.get("id"))))
    usable = usable[:DRAFT_MAX_CODES]
    lines = [f"# Starter codebook drafted by `plenary codebook draft` from {source}.",
             "# One code per emergent theme. Rename ids and labels, rewrite each description in your own words,",
             "# merge or split codes, then check it with `plenary codebook validate` and run with --codebook.",
             f"name: {_quote('Draft codebook: ' + name)}", 'version: "0.1"',
             f"description: {_quote('Drafted from the themes of ' + source + '; edit before use.')}", "codes:"]
    used: set[str] = set()
    all_terms: dict[str, int] = {}
    for seg in segments.values():
        for term in _terms(seg.get("text", "")):
            all_terms[term] = all_terms.get(term, 0) + 1
    for theme in usable:
        texts = [segments[i]["text"] for i in theme.get("segments") or [] if i in segments]
        terms = heading_terms(texts, all_terms, len(segments)) if texts else []
        label = _label(theme, terms)
        base = code_id(label)[:40].strip("-") or "code"
        cid, n = base, 2
        while cid in used or cid in ("none", "uncoded"):
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        ids = [q["id"] if isinstance(q, dict) else q for q in (theme.get("quotes") or [])]
        ids += [s for s in theme.get("segments") or [] if s not in ids]
        examples = [segments[i] for i in ids if i in segments][:DRAFT_EXAMPLES]
        keywords = list(dict.fromkeys(terms + [k for k in theme.get("keywords") or [] if k.lower() not in GENERIC]))[:6]
        size = int(theme.get("size") or len(theme.get("segments") or []))
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
    if not usable:
        raise ValueError("no theme has enough statements to draft a code from")
    text = "\n".join(lines) + "\n"
    parse_codebook(text, "<drafted codebook>")  # the draft must load as it is written
    return text


def draft_from(paths: Sequence[str | Path], name: str | None = None, settings=None) -> tuple[str, str]:
    """(YAML text, what it was drafted from) from one run folder or notes files; InputError on bad input."""
    from ..exchange import rundir

    first = Path(paths[0])
    if len(paths) == 1 and first.is_dir() and (first / "run.json").exists():
        themes = rundir.read_themes_json(first).get("themes", [])
        rows = {r["id"]: r for r in rundir.read_segment_rows(first)}
        return draft_codebook(themes, rows, name or first.name, f"the run folder {first.name}"), str(first)
    from .. import api

    settings = settings or api.Settings()
    corpus = api.read_corpus([str(p) for p in paths], settings)
    n = len(corpus.segments)
    # a codebook wants distinct topics: about sqrt(n) themes, finer than a run's sqrt(n/2)
    settings.n_themes = settings.n_themes or max(2, min(DRAFT_MAX_CODES, round(math.sqrt(n))))
    result = api.analyse(corpus, settings=settings)
    from ..exchange.rundir import segment_record, theme_record

    by_id = {s.id: s for s in result.segments}
    themes = [theme_record(t, by_id, None) for t in result.themes]
    rows = {s.id: segment_record(s) for s in result.segments}
    label = name or (first.stem if len(paths) == 1 else "notes")
    where = ", ".join(Path(p).name for p in paths)
    return draft_codebook(themes, rows, label, where), where
