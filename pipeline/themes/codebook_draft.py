"""A starter codebook drafted from the notes' own topics: the core of `plenary codebook draft`, and the
source of a run's plan headings when the researcher's codebook fits the notes poorly.

- `draft_groups(segments, vectors, n_codes=None, seed)` -> theme rows: the statements regrouped
  for a codebook or a plan's headings: corpus-centred sentence vectors beside topic-noun TF-IDF,
  average-linkage clustering with 3-7 groups chosen by silhouette (bounded sample above
  `DRAFT_CLUSTER_SAMPLE`, the rest to the nearest group), in a canonical order so the input order does not
  matter; non-answers are left out. Measured in benchmarks/drafted_headings.py.
- `draft_codebook(themes, segments, name, source) -> str`: YAML in the codebook format (docs/research.md),
  one code per group of at least `DRAFT_MIN_STATEMENTS` (largest and best-ranked first, at most
  `DRAFT_MAX_CODES`; the "unclustered" group left out): a readable id and label (a noun phrase the group's
  statements share, `phrase_label`; else its most distinctive noun terms, `heading_terms`), a description to rewrite, include lines and up to
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
from collections import Counter
from typing import Any, Sequence

import numpy as np

from ..codebook import Codebook, code_id, parse_codebook
from ..defaults import (DRAFT_CLUSTER_SAMPLE, DRAFT_EXAMPLES, DRAFT_GROUP_TERM_SAMPLE, DRAFT_HEADING_EXAMPLES,
                        DRAFT_LEXICAL_WEIGHT, DRAFT_MAX_CODES, DRAFT_MAX_HEADINGS, DRAFT_MIN_HEADINGS,
                        DRAFT_MIN_STATEMENTS, DRAFT_TERM_SAMPLE, SEED)
from ..parallel import cores, fork_map
from ..records import Segment

GENERIC = {"people", "thing", "things", "need", "lot", "way", "time", "make", "get", "use",
           # spans of time name no topic ("years long", "wait 18 months")
           "year", "month", "week", "day", "hour", "minute"}
# a pro-form stands for a noun said elsewhere ("new ones by the park"): neither a term nor a phrase's head
PRO_FORMS = {"one"}
# a heading never names the consultation itself ("respondents felt", "before the decision")
META = {"respondent", "participant", "attendee", "decision", "comment", "feedback", "suggestion", "idea"}
# who spoke, not what about: a log's or form's labels ("10:05 Man, 40s", "Two mums with buggies") head no section
PEOPLE = {"man", "woman", "lady", "gentleman", "guy", "mum", "dad", "gran", "grandad", "grandma", "couple", "person"}
# dates say when, not what about ("July", "Saturday")
CALENDAR = set("""january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday weekend""".split())
# too vague to head a section alone ("Work", "Stuff", "List"), though fine after a modifier ("youth work")
VAGUE = {"stuff", "list", "bit", "group", "work", "priority", "thanks", "point", "issue", "option", "area", "place"}

# said wherever a plan's headings come from a drafted codebook (recommendations.md/json, report, web, Word)
DRAFTED_HEADINGS_NOTE = ("Headings drafted from the themes because the codebook fits poorly — edit with "
                         "`plenary codebook draft`.")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*\]")


def parse_group(texts: Sequence[str]) -> list:
    """Docs of a group's statements for its label, parsed in batches: redaction placeholders removed, "drop in"
    read as one noun ("drop-in", as the theme labels read it), at most 600 characters each."""
    from .. import text as T

    return T.parse_all([re.sub(r"\b(\w+) drop in\b", r"\1 drop-in", _PLACEHOLDER_RE.sub(" ", t))[:600] for t in texts])


# from this many texts they are parsed by one forked worker per core (a fork costs about 0.1 s; 500 texts
# take about 0.5 s to parse)
PARSE_PARALLEL_FROM = 500


def _read_parses(read, texts: Sequence[str]) -> list:
    """[read(doc) for each text's Doc (`text.parse_all`)], in order; from PARSE_PARALLEL_FROM texts they are
    parsed in pieces by forked workers, one per core (`parallel.fork_map`). `read` is a module-level function
    with picklable results."""
    from .. import text as T

    texts = list(texts)
    k = cores() if len(texts) >= PARSE_PARALLEL_FROM else 1
    if k == 1:
        return _read_piece((read, texts))
    T.parser()  # loaded once, before the workers fork
    pieces = [(read, texts[i * len(texts) // k:(i + 1) * len(texts) // k]) for i in range(k)]
    return [x for part in fork_map(_read_piece, pieces) for x in part]


def _read_piece(job: tuple) -> list:
    from .. import text as T

    read, texts = job
    return [read(doc) for doc in T.parse_all(texts)]


def _terms_all(texts: Sequence[str]) -> list[set[str]]:
    """`_terms` of each text, the texts parsed together in batches ("[PERSON]" is redaction, not a topic)."""
    return _read_parses(_terms, [_PLACEHOLDER_RE.sub(" ", t) for t in texts])


def _terms(doc) -> set[str]:
    """Noun terms of a parsed statement: noun lemmas and two-word noun phrases ("mental health", "bus fare")."""
    out: set[str] = set()
    for i, tok in enumerate(doc):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.is_stop or len(tok.text) < 3:
            continue
        # acronyms and names keep their case ("BAME", "NHS"); other words their lemma
        lemma = tok.text if tok.text.isupper() and len(tok.text) > 1 else tok.lemma_.lower()
        if lemma in PRO_FORMS or lemma in PEOPLE or lemma.lower() in CALENDAR:
            continue
        if lemma not in GENERIC and lemma not in VAGUE and lemma.isalpha():
            out.add(lemma)
        prev = doc[i - 1] if i else None
        if prev is not None and prev.pos_ in ("NOUN", "PROPN", "ADJ") and not prev.is_stop and prev.text.isalpha() \
                and lemma not in GENERIC and lemma not in META:  # "good time" names no topic, as "time" does not
            out.add(f"{prev.text if prev.text.isupper() else prev.text.lower()} {lemma}")
    return out


def heading_terms(theme_texts: Sequence[str], all_terms: dict[str, int], n_all: int, k: int = 2,
                  min_count: int = 2, docs: Sequence | None = None) -> list[str]:
    """A theme's most distinctive noun terms (share of its statements x inverse share overall), two-word
    phrases first when as frequent; words inside a chosen phrase are not repeated, and a further term
    must score at least half the first (a weak second term blurs a heading)."""
    counts: dict[str, int] = {}
    for terms in (_terms_all(theme_texts) if docs is None else [_terms(d) for d in docs]):
        for term in terms:
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


# words that open a noun phrase without naming its topic ("more one bed homes", "better information")
_PHRASE_DROP = {"more", "less", "fewer", "better", "longer", "shorter", "bigger", "many", "few", "several", "lot",
                "lots", "much", "enough", "proper", "other", "same", "such", "own", "whole", "main"}


def _phrases(doc) -> list[tuple[tuple[str, ...], str]]:
    """Noun phrases of a parsed statement as (lemma key, words as written): each noun with the nouns and
    adjectives right before it, at most three words, without articles, numbers or words of degree."""
    out = []
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" or not tok.text.isalpha() \
                or tok.is_stop or len(tok.text) < 3:
            continue
        words = [tok]
        for left in reversed(list(doc[max(tok.left_edge.i, tok.i - 2): tok.i])):
            modifier = left.pos_ in ("NOUN", "PROPN", "ADJ") or (left.tag_ == "VBG" and left.dep_ in ("amod", "compound"))
            if not modifier or not left.text.isalpha() or left.is_stop \
                    or left.lower_ in _PHRASE_DROP or left.tag_ in ("JJR", "JJS"):
                break
            words.insert(0, left)
        key = tuple(w.text if w.text.isupper() and len(w.text) > 1 else w.lemma_.lower() for w in words)
        if key[-1] in GENERIC or key[-1] in META or key[-1] in PRO_FORMS or key[-1] in PEOPLE or \
                key[-1].lower() in CALENDAR or (len(key) == 1 and key[0] in VAGUE):
            continue
        shown = " ".join(w.text if w.pos_ == "PROPN" or (w.text.isupper() and len(w.text) > 1) else w.lower_
                         for w in words)
        out.append((key, shown))
    return out


def phrase_label(texts: Sequence[str], all_terms: dict[str, int], n_all: int, max_words: int = 6,
                 docs: Sequence | None = None) -> str:
    """A heading as a short noun phrase the group's own statements use ("youth space", "bus fares"): of the
    phrases in `texts` (`_phrases`), the one whose words most members share (share of members holding all
    its word lemmas) times how rare its words are in the notes (`all_terms`, statements per term, of
    `n_all`), two-word phrases first when as good; a second phrase joins it ("X and Y") only when it covers
    at least a third of the members the first leaves out, shares no word with it and scores at least 0.7
    as well. "" when no noun phrase is shared (a group of one statement: any of its phrases). `docs`: the
    texts already parsed (`parse_group`)."""
    docs = parse_group(texts) if docs is None else docs
    lemmas = [{(t.text if t.text.isupper() and len(t.text) > 1 else t.lemma_.lower()) for t in d if t.is_alpha}
              for d in docs]
    shown: dict[tuple[str, ...], Counter] = {}
    for doc in docs:
        for key, words in _phrases(doc):
            shown.setdefault(key, Counter())[words] += 1
    need = 2 if len(texts) > 3 else 1
    scored = []
    for key in shown:
        members = frozenset(i for i, have in enumerate(lemmas) if set(key) <= have)
        if len(members) < need:
            continue
        rarity = sum(math.log(max(n_all, 2) / min(all_terms.get(w, 1), n_all)) for w in key) / len(key)
        score = (len(members) / len(texts)) * max(rarity, 0.05) * (1.3 if len(key) > 1 else 1.0)
        scored.append((score, key, members))
    if not scored:
        return ""
    scored.sort(key=lambda x: (-round(x[0], 6), len(x[1]), x[1]))

    def words(key):  # the commonest way the notes write it; ties: shortest, then alphabetical
        return sorted(shown[key].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]

    best, key, covered = scored[0]
    label = words(key)
    left = len(texts) - len(covered)
    for score, other, members in scored[1:]:
        if score < 0.7 * best:
            break
        if set(other) & set(key) or len(members - covered) < max(1, left / 3) or not left:
            continue
        joined = f"{label} and {words(other)}"
        if len(joined.split()) <= max_words:
            label = joined
        break
    return " ".join(label.split()[:max_words])


def term_counts(texts: Sequence[str], sample: int = DRAFT_TERM_SAMPLE) -> tuple[dict[str, int], int]:
    """(statements per noun term, statements counted) over `texts`, or over an evenly spaced sample of
    `sample` of them (sorted first, so the input order does not matter) when there are more."""
    chosen = sorted(texts)
    if len(chosen) > sample:
        step = len(chosen) / sample
        chosen = [chosen[int(i * step)] for i in range(sample)]
    out: dict[str, int] = {}
    for terms in _terms_all(chosen):
        for term in terms:
            out[term] = out.get(term, 0) + 1
    return out, len(chosen)


def draft_codebook(themes: Sequence[dict[str, Any]], segments: dict[str, dict[str, Any]], name: str,
                   source: str, command: str = "plenary codebook draft", n_examples: int = DRAFT_EXAMPLES) -> str:
    """YAML text of a starter codebook from `themes` (themes.json rows) and `segments` (id -> segment row),
    with up to `n_examples` examples per code (most central first)."""
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
        sample = texts[:DRAFT_GROUP_TERM_SAMPLE]
        docs = parse_group(sample)  # one parse of each for its terms and its phrase
        terms = heading_terms(sample, all_terms, n_all, docs=docs) if texts else []
        if texts and not terms and not theme.get("label"):  # no term shared: the group's most distinctive one
            terms = heading_terms(sample, all_terms, n_all, k=1, min_count=1, docs=docs)
        phrase = phrase_label(sample, all_terms, n_all, docs=docs) if texts else ""
        first = (phrase[:1].upper() + phrase[1:]) if phrase else _label(theme, terms)
        label, n = first, 2
        while label.casefold() in labels:  # two groups can share their terms: labels must stay unique
            label, n = f"{first} ({n})", n + 1
        labels.add(label.casefold())
        base = code_id(label)[:40].strip("-") or "code"
        cid, n = base, 2
        while cid in used or cid in ("none", "uncoded"):
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        quoted = [q["id"] if isinstance(q, dict) else q for q in (theme.get("quotes") or [])]
        quoted += [s for s in ids if s not in quoted]
        examples = [segments[i] for i in quoted if i in segments][:n_examples]
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


def _noun_lemmas(doc) -> list[str]:
    """Topic nouns of a parsed statement (lemmas; acronyms keep their case), for the lexical half of the
    grouping: the notes' own words ("bus", "pool", "roof") say what a statement is about."""
    out = []
    for tok in doc:
        if tok.pos_ in ("NOUN", "PROPN") and not tok.is_stop and len(tok.text) > 2 and tok.text.isalpha():
            lemma = tok.text if tok.text.isupper() else tok.lemma_.lower()
            if lemma not in GENERIC:
                out.append(lemma)
    return out


def _features(texts: Sequence[str], x: np.ndarray) -> np.ndarray:
    """(n, d + terms) unit rows: the corpus-centred sentence vectors `x` (unit rows) beside the statements'
    topic nouns as TF-IDF (nouns in at least two statements), weighted `DRAFT_LEXICAL_WEIGHT`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = _read_parses(_noun_lemmas, [_PLACEHOLDER_RE.sub(" ", t)[:600] for t in texts])
    parts = [x]
    if sum(1 for d in docs if d) >= 2:
        try:
            tf = TfidfVectorizer(analyzer=lambda d: d, min_df=2, sublinear_tf=True).fit_transform(docs)
            parts.append(np.sqrt(DRAFT_LEXICAL_WEIGHT) * tf.toarray().astype(np.float32))
        except ValueError:  # no noun in two statements: the sentence vectors alone
            pass
    z = np.hstack(parts)
    return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-9)


def _agglomerate(z: np.ndarray, n_codes: int | None) -> np.ndarray:
    """Labels of average-linkage (cosine) clustering of `z`; k = `n_codes`, else the k in
    DRAFT_MIN_HEADINGS..DRAFT_MAX_HEADINGS with the best silhouette (ties: fewer groups)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(z)
    ks = [min(n_codes, n)] if n_codes else list(range(min(DRAFT_MIN_HEADINGS, n - 1), min(DRAFT_MAX_HEADINGS, n - 1) + 1))
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        if k < 2:
            continue
        labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(z)
        if len(ks) == 1:
            return labels
        quality = float(silhouette_score(z, labels, metric="cosine"))
        if best is None or quality > best[0] + 1e-6:
            best = (quality, labels)
    return best[1] if best is not None else np.zeros(n, dtype=int)


def draft_groups(segments: Sequence[Segment], vectors: np.ndarray, n_codes: int | None = None,
                 seed: int = SEED) -> list[dict[str, Any]]:
    """Statements regrouped for a codebook or a plan's headings, as theme rows, largest first; each row's
    `segments` run from the most central statement out. `vectors`: (len(segments), d) unit rows.

    Statements (non-answers left out) are taken in a canonical order (text, id), so the input order does not
    matter. Each is the sentence vector centred on the corpus mean (what every statement shares, such as
    "young people" in notes about young people, does not decide the groups) beside its topic nouns
    (`_features`); average-linkage clustering on cosine distance, with `n_codes` groups or, when None,
    the number in DRAFT_MIN_HEADINGS..DRAFT_MAX_HEADINGS that separates them best (silhouette). Above
    DRAFT_CLUSTER_SAMPLE statements only a sample is clustered (the rows of smallest `row_keys`, so the same
    whatever the order) and every statement joins the group whose centred centroid is nearest: linear in
    statements beyond the sample. `seed` is kept for the interface (the clustering is deterministic)."""
    from .cluster import row_keys

    live = sorted((i for i, s in enumerate(segments) if not s.attributes.get("non_answer")),
                  key=lambda i: (segments[i].text, segments[i].id))
    if len(live) < DRAFT_MIN_STATEMENTS:
        return []
    vectors = np.asarray(vectors, dtype=np.float32)
    rows_of = np.asarray(live)  # live position -> row of `vectors`; no reordered copy of every row is made
    picked = np.arange(len(live))
    if len(live) > DRAFT_CLUSTER_SAMPLE:
        picked = np.sort(np.argsort(row_keys(vectors)[rows_of], kind="stable")[:DRAFT_CLUSTER_SAMPLE])
    mean = vectors[rows_of[picked]].mean(axis=0)

    def centred(at: np.ndarray) -> np.ndarray:  # unit rows of the statements at live positions `at`
        x = vectors[rows_of[at]] - mean
        x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
        return x

    x = centred(picked)
    sample_labels = _agglomerate(_features([segments[live[i]].text for i in picked], x), n_codes)
    if len(picked) == len(live):
        labels = sample_labels
    else:  # every statement to the nearest group centre, chunk by chunk (memory: chunk x groups)
        centres = np.vstack([x[sample_labels == g].mean(axis=0) for g in range(int(sample_labels.max()) + 1)])
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
        labels = np.empty(len(live), dtype=int)
        for start in range(0, len(live), 65_536):
            at = np.arange(start, min(start + 65_536, len(live)))
            labels[at] = (centred(at) @ centres.T).argmax(axis=1)
        labels[picked] = sample_labels
    groups = []
    for label in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == label)
        xr = x[rows] if len(picked) == len(live) else centred(rows)  # one group's rows at a time
        centre = xr.mean(axis=0)
        closeness = xr @ (centre / (np.linalg.norm(centre) or 1.0))
        order = sorted(range(len(rows)), key=lambda j: (-round(float(closeness[j]), 5), segments[live[rows[j]]].id))
        ids = [segments[live[rows[j]]].id for j in order]
        groups.append({"segments": ids, "quotes": ids[:DRAFT_EXAMPLES], "size": len(ids), "keywords": [], "label": ""})
    groups.sort(key=lambda g: (-g["size"], g["segments"][0]))
    for n, g in enumerate(groups, start=1):
        g["id"], g["rank"] = f"draft-{n:02d}", n
    return groups


def draft_heading_codebook(segments: Sequence[Segment], vectors: np.ndarray, source: str, name: str = "notes",
                           seed: int = SEED, n_codes: int | None = None) -> tuple[Codebook, str]:
    """(Codebook, its YAML text) drafted from `segments` and their `vectors`.
    ValueError when no group is large enough to be a code."""
    groups = draft_groups(segments, vectors, n_codes, seed)
    text = draft_codebook(groups, segment_rows(segments), name, source, n_examples=DRAFT_HEADING_EXAMPLES)
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
