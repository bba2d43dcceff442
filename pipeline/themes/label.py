"""Labelling themes.

Keywords: class-based TF-IDF over lemma n-grams, the words that set one theme apart (`CTfidfLabeller`).
Labels: a short readable phrase chosen from what people said (`PhraseLabeller`): candidates are noun
phrases with their modifiers and prepositional phrases, and short whole statements, from the theme's most
central statements; each is embedded, and the label is the candidate nearest the theme's centre and least
like the other themes, with a bonus for phrases whose head word many members use. The keywords stay beside
the label. No theme is ever called "Miscellaneous".
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

import numpy as np

from .. import text as T
from ..defaults import (LABEL_COVERAGE_WEIGHT, LABEL_DISTINCT_WEIGHT, LABEL_SOURCE_STATEMENTS, MAX_LABEL_WORDS,
                        N_KEYWORDS, N_LABEL_TERMS)

EXTRA_STOP = {"need", "needs", "also", "etc", "eg", "e.g", "ie", "lot", "way", "thing", "get", "make", "use",
              "come", "go", "say", "want", "just", "really", "like", "well", "able", "bame", "bme",
              # prefixes spaCy splits off hyphenated words ("anti-racist" -> "anti", "racist")
              "anti", "non", "pre", "post", "sub", "multi", "inter", "self"}


def content_terms(texts: Sequence[str]) -> list[list[str]]:
    """Lemma unigrams and bigrams of adjacent content words, per text."""
    out = []
    for doc in T.nlp().pipe(texts):
        grams: list[str] = []
        prev: str | None = None
        for tok in doc:
            lem = tok.lemma_.lower().strip("'’-")
            if tok.is_alpha and len(lem) > 2 and not tok.is_stop and lem not in EXTRA_STOP \
                    and tok.lower_ not in EXTRA_STOP:
                grams.append(lem)
                if prev is not None:
                    grams.append(f"{prev} {lem}")
                prev = lem
            else:
                prev = None
        out.append(grams)
    return out


class CTfidfLabeller:
    """Class-based TF-IDF over lemma n-grams, weighted by how few themes use a term:
    the terms that set one theme apart."""

    def __init__(self, n_keywords: int = N_KEYWORDS, n_label_terms: int = N_LABEL_TERMS):
        self.n_keywords = n_keywords
        self.n_label_terms = n_label_terms

    def keywords(self, terms_by_theme: list[list[str]]) -> list[list[str]]:
        counts = [Counter(terms) for terms in terms_by_theme]
        total = Counter()
        for c in counts:
            total.update(c)
        avg_words = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
        # how many themes use a term: with a dozen themes from one event, words like
        # "community" sit in all of them and would otherwise label every theme
        in_themes = Counter(term for c in counts for term in c)
        n_themes = len(counts)
        out = []
        for c in counts:
            size = sum(c.values()) or 1
            scored = sorted(
                ((term, (n / size) * math.log(1 + avg_words / total[term]) * math.log(1 + n_themes / in_themes[term]))
                 for term, n in c.items() if n >= 2),
                key=lambda ts: (-ts[1], ts[0]),
            )
            out.append([t for t, _ in scored[: self.n_keywords]])
        return out

    def label(self, keywords: list[str]) -> str:
        chosen: list[str] = []
        for term in sorted(keywords, key=lambda t: (-(" " in t), keywords.index(t)))[: self.n_keywords]:
            words = set(term.split())
            if any(words & set(c.split()) for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == self.n_label_terms:
                break
        chosen.sort(key=keywords.index)
        text = ", ".join(chosen)
        return text[:1].upper() + text[1:]

    def labels(self, member_texts: Sequence[Sequence[str]], centres: Sequence[np.ndarray],
               keywords: Sequence[list[str]]) -> list[str]:
        """One label per theme (its statements most central first): its keywords, or, when it has none,
        the first words of its most central statement."""
        return [self.label(kw) if kw else _first_words(texts) for texts, kw in zip(member_texts, keywords)]


class PhraseLabeller(CTfidfLabeller):
    """Labels themes with a phrase people used (see the module docstring); keywords as CTfidfLabeller.

    `embedder` has `encode(texts) -> (n, d) unit vectors` (embed.Embedder). Work per theme is bounded:
    candidates come from its `source_statements` most central statements.
    """

    def __init__(self, embedder, n_keywords: int = N_KEYWORDS, source_statements: int = LABEL_SOURCE_STATEMENTS,
                 max_words: int = MAX_LABEL_WORDS, distinct_weight: float = LABEL_DISTINCT_WEIGHT,
                 coverage_weight: float = LABEL_COVERAGE_WEIGHT):
        super().__init__(n_keywords=n_keywords)
        self.embedder = embedder
        self.source_statements = source_statements
        self.max_words = max_words
        self.distinct_weight = distinct_weight
        self.coverage_weight = coverage_weight

    def labels(self, member_texts: Sequence[Sequence[str]], centres: Sequence[np.ndarray],
               keywords: Sequence[list[str]]) -> list[str]:
        vocab = _vocabulary([t for texts in member_texts for t in texts])
        cents = np.stack(centres) if len(centres) else np.zeros((0, 1), dtype=np.float32)
        out = []
        for k, texts in enumerate(member_texts):
            others = np.delete(cents, k, axis=0) if len(cents) > 1 else np.zeros((0, cents.shape[1]))
            out.append(self.choose(texts, cents[k], others, vocab))
        return out

    def choose(self, texts: Sequence[str], centre: np.ndarray, others: np.ndarray, vocab: set[str]) -> str:
        """The label of one theme: `texts` most central first; `centre` (d,) and `others` (k, d) unit vectors."""
        cands = label_candidates(texts[: self.source_statements], vocab, self.max_words)
        if not cands:
            return _first_words(texts, self.max_words)
        vecs = np.asarray(self.embedder.encode(cands), dtype=np.float32)
        fit = vecs @ centre
        distinct = (vecs @ others.T).max(axis=1) if len(others) else np.full(len(cands), -1.0)
        lowered = [t.lower() for t in texts]
        heads = [_head_lemma(doc) for doc in T.parse_all(cands)]
        coverage = np.array([sum(h in t for t in lowered) / max(len(lowered), 1) if h else 0.0 for h in heads])
        n_words = np.array([len(c.split()) for c in cands])
        # three to eight words read best: two say little, longer ones are sentences
        length = -0.05 * (n_words < 3) - 0.02 * np.maximum(0, n_words - 8)
        score = fit - self.distinct_weight * np.maximum(0, distinct - fit + 0.1) + self.coverage_weight * coverage + length
        best = int(np.argmax(score))
        return cands[best][:1].upper() + cands[best][1:]


LEADING_DROP_RE = re.compile(r"^(the|a|an|our|their|its|this|these|those|some|any|such|other)\s+", re.I)
EDGE_POS = {"CCONJ", "ADP", "PART", "ADV", "PUNCT", "SCONJ", "DET", "PRON", "AUX"}
HYPHENS = {"-", "‐", "‑"}  # spaCy splits "co-ordinating" at one
LEAD_ENDS = {",", ";", ":", "–", "—", "-", "("}  # what ends a note's lead ("Damp and mould in flats, ...")


def _clean(phrase: str, drop_article: bool = True) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:.-–—\"'“”‘’()•▪●")
    phrase = re.sub(r"^(i\.?e\.?|e\.?g\.?|sub-?point)[,:]?\s+", "", phrase, flags=re.I)
    return LEADING_DROP_RE.sub("", phrase) if drop_article else phrase


def _tidy(span):
    """The span without words a phrase may not start or end with (conjunctions, prepositions, "not")."""
    doc, i, j = span.doc, span.start, span.end
    while i < j and (doc[i].pos_ in EDGE_POS - {"DET"} or doc[i].lower_ in ("not", "just", "only")):
        i += 1
    while j > i and (doc[j - 1].pos_ in EDGE_POS or doc[j - 1].tag_ in ("RP", "IN")):
        j -= 1
    return doc[i:j]


def _cuts_a_word(span) -> bool:
    """Does the span start or end inside a hyphenated word ("ordinating and supporting ..." out of "co-ordinating
    and supporting ...")? spaCy splits such words at the hyphen, and a parse may cut between the pieces."""
    doc = span.doc
    starts_inside = span.start > 0 and not doc[span.start - 1].whitespace_ and \
        HYPHENS & {doc[span.start - 1].text, span[0].text}
    ends_inside = span.end < len(doc) and not span[-1].whitespace_ and HYPHENS & {doc[span.end].text, span[-1].text}
    return bool(starts_inside or ends_inside)


def _readable(text: str, vocab: set[str]) -> bool:
    """No likely misspelling (a word neither English nor used twice in the notes), no stray punctuation."""
    if text.count("(") != text.count(")") or text.count('"') % 2 or re.search(r"[.;:!?]\s", text):
        return False
    return all(not (w.islower() and len(w) >= 4) or w in vocab or T.known_word(w) for w in re.findall(r"[A-Za-z]+", text))


def label_candidates(texts: Sequence[str], vocab: set[str] = frozenset(), max_words: int = MAX_LABEL_WORDS) -> list[str]:
    """Readable phrases from statements: noun-phrase subtrees of 2 to `max_words` words (with and without
    what follows the noun), and short whole statements without pronouns. In first-seen order."""
    out: dict[str, None] = {}
    texts = [re.sub(r"\b(\w+) drop in\b", r"\1 drop-in", text) for text in texts]
    for text, doc in zip(texts, T.parse_all([text[:600] for text in texts])):
        words = [t for t in doc if t.is_alpha]
        if 3 <= len(words) <= max_words and not text.rstrip().endswith("?") and \
                not any(t.pos_ == "PRON" for t in doc):
            out.setdefault(_clean(text, drop_article=False), None)
        # a note's lead before its first comma or dash often names its topic: "Damp and mould in flats, especially ..."
        lead = doc[:next((t.i for t in doc if t.text in LEAD_ENDS and (t.text != "-" or t.i and doc[t.i - 1].whitespace_)),
                         len(doc))]
        lead_words = [t for t in lead if t.is_alpha]
        if len(lead) < len(doc) and 3 <= len(lead_words) <= max_words and \
                not any(t.pos_ in ("PRON", "VERB", "AUX") for t in lead):
            out.setdefault(_clean(lead.text, drop_article=False), None)
        for tok in doc:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
                continue
            for span in (_tidy(doc[tok.left_edge.i: tok.right_edge.i + 1]), _tidy(doc[tok.left_edge.i: tok.i + 1])):
                alpha = [t for t in span if t.is_alpha]
                if not 2 <= len(alpha) <= max_words or any(t.text in "();:" for t in span) or _cuts_a_word(span):
                    continue
                if tok.dep_ in ("dobj", "pobj", "attr") and span.end < len(doc) and doc[span.end].pos_ in ("AUX", "VERB") \
                        and any(t.lower_ in ("and", "or") for t in span):
                    continue  # an object joined to the next clause's subject: "(take) months and tenants (are scared)"
                if all(t.pos_ in ("PROPN", "DET", "PUNCT", "NUM", "CCONJ") for t in span):
                    continue  # a name alone says nothing of what people said
                if all(t.is_stop or t.pos_ in ("DET", "PRON") for t in alpha):
                    continue
                if any(t.pos_ in ("SCONJ", "PRON") or t.lower_ in ("but", "or", "where", "which", "who") for t in span):
                    continue  # a clause fragment, not a phrase
                out.setdefault(_clean(span.text), None)
    return [c for c in out if len(c.split()) >= 2 and _readable(c, vocab)]



def _head_lemma(doc) -> str:
    """The lower-case lemma of a parsed phrase's head noun (its root, else its first noun), or ""."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN")]
    tok = root if root is not None and root.pos_ in ("NOUN", "PROPN") else (nouns[0] if nouns else None)
    return tok.lemma_.lower() if tok is not None else ""


def _vocabulary(texts: Sequence[str]) -> set[str]:
    counts = Counter(w for t in texts for w in set(re.findall(r"[a-z][a-z'-]+", t.lower())))
    return {w for w, n in counts.items() if n >= 2}


def _first_words(texts: Sequence[str], n: int = MAX_LABEL_WORDS) -> str:
    """The first `n` words of the most central statement: a label of last resort, never "Miscellaneous"."""
    first = _clean(texts[0], drop_article=False) if texts else ""
    words = first.split()[:n] or ["Statements"]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
