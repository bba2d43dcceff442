"""Shared spaCy helpers: one blank English pipeline for sentences, tokens and lemmas.

A blank pipeline with lookup lemmas is enough here and is fast; the statistical
models would cost seconds per run on an ordinary laptop.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache


def _import_spacy_without_torch():
    """thinc (under spaCy) imports torch eagerly, only to offer PyTorch wrappers Plenary never
    uses; hiding it saves over a second on every warm run. torch loads later, when the
    embedding model is actually needed."""
    if "torch" in sys.modules or "spacy" in sys.modules:
        import spacy
        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


spacy = _import_spacy_without_torch()
from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

# the lookup table maps these plural-looking nouns to Latin singulars nobody writes
LEMMA_FIXES = {"agendum": "agenda", "datum": "data", "criterion": "criteria", "numb": "number"}
# British -isation plurals are missing from the lookup table
PLURAL_RE = re.compile(r"(is|iz)ations$")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    pipe = spacy.blank("en")
    pipe.add_pipe("sentencizer")
    pipe.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipe.initialize()
    pipe.add_pipe("plenary_lemma_fixes", after="lemmatizer")
    return pipe


@spacy.Language.component("plenary_lemma_fixes")
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
    return word.lower() in STOP_WORDS


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
