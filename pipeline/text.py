"""Shared spaCy helpers: one blank English pipeline for sentences, tokens and lemmas.

A blank pipeline with lookup lemmas is enough here and is fast; the statistical
models would cost seconds per run on an ordinary laptop. spaCy is imported when
a pipeline is first needed (`nlp()`), not when this module is imported, and
nothing global is changed to do it.
"""
from __future__ import annotations

import re
from functools import lru_cache

# the lookup table maps these plural-looking nouns to Latin singulars nobody writes
LEMMA_FIXES = {"agendum": "agenda", "datum": "data", "criterion": "criteria", "numb": "number"}
# British -isation plurals are missing from the lookup table
PLURAL_RE = re.compile(r"(is|iz)ations$")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=1)
def nlp():
    """The shared blank English pipeline (spacy.language.Language): sentencizer and lookup lemmatizer."""
    import spacy

    if "plenary_lemma_fixes" not in spacy.Language.factories:
        spacy.Language.component("plenary_lemma_fixes", func=_lemma_fixes)
    pipe = spacy.blank("en")
    pipe.add_pipe("sentencizer")
    pipe.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipe.initialize()
    pipe.add_pipe("plenary_lemma_fixes", after="lemmatizer")
    return pipe


def _lemma_fixes(doc):
    for tok in doc:
        lemma = tok.lemma_.lower()
        fixed = LEMMA_FIXES.get(lemma) or (lemma[:-1] if PLURAL_RE.search(lemma) else None)
        if fixed:
            tok.lemma_ = fixed
    return doc


def sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences; returns (char offset, sentence) pairs."""
    doc = nlp()(text)
    return [(s.start_char, s.text.strip()) for s in doc.sents if s.text.strip()]


def lemma(word: str) -> str:
    doc = nlp().make_doc(word.lower())
    nlp().get_pipe("lemmatizer")(doc)
    if not len(doc):
        return word.lower()
    lemma = doc[0].lemma_
    return LEMMA_FIXES.get(lemma) or (lemma[:-1] if PLURAL_RE.search(lemma) else lemma)


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def is_stop(word: str) -> bool:
    return word.lower() in nlp().Defaults.stop_words


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
