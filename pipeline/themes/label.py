"""Labelling themes: class-based TF-IDF over lemma n-grams, the words that set one theme apart."""
from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from .. import text as T
from ..defaults import N_KEYWORDS, N_LABEL_TERMS

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
        text = ", ".join(chosen) if chosen else "miscellaneous"
        return text[:1].upper() + text[1:]
