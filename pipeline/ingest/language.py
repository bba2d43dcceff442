"""Each statement's language, so non-English statements are kept, listed and warned about.

The embedding model (all-MiniLM-L6-v2) reads English only. Nothing is dropped or translated: a statement
not in English keeps its language in `attributes["language"]` (ISO 639-1, or "und" for text with no letters:
emoji, numbers; no attribute means English), and the run says plainly how many statements are in which
other languages.

Identifier: py3langid (PyPI, its model ships inside the wheel; offline). Latin-script text is called
non-English only when the identifier is confident (>= MIN_PROB) and the statement has >= MIN_WORDS words:
on the bundled corpora raw py3langid calls 9% of English sentences Pidgin, Latin or Welsh (names, table rows);
with this rule none. Other scripts are left to the identifier (it tells Chinese from Japanese by kana,
Arabic from Persian and Urdu).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Sequence

from ..records import IngestReport, Segment

MIN_PROB = 0.8  # below it a Latin-script statement is taken as English (the model reads it as such anyway)
MIN_WORDS = 3
LETTER_RE = re.compile(r"[^\W\d_]")
LATIN_RE = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")

NAMES = {"zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "pl": "Polish", "cy": "Welsh",
         "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "de": "German", "ro": "Romanian",
         "so": "Somali", "fa": "Persian", "ur": "Urdu", "bn": "Bengali", "pa": "Punjabi", "gu": "Gujarati",
         "hi": "Hindi", "tr": "Turkish", "uk": "Ukrainian", "ru": "Russian", "ku": "Kurdish", "ti": "Tigrinya",
         "am": "Amharic", "lt": "Lithuanian", "lv": "Latvian", "sk": "Slovak", "cs": "Czech", "bg": "Bulgarian",
         "el": "Greek", "ta": "Tamil", "vi": "Vietnamese", "th": "Thai", "nl": "Dutch", "ga": "Irish",
         "ps": "Pashto", "sq": "Albanian", "hu": "Hungarian", "he": "Hebrew", "ms": "Malay", "tl": "Tagalog",
         "sw": "Swahili", "yo": "Yoruba", "ig": "Igbo", "ne": "Nepali", "si": "Sinhala", "ml": "Malayalam",
         "te": "Telugu", "mr": "Marathi", "kn": "Kannada", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
         "fi": "Finnish", "hr": "Croatian", "sr": "Serbian", "sl": "Slovenian", "et": "Estonian", "mt": "Maltese"}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


ASCII_WORD_RE = re.compile(r"[a-z']+")


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def detect(text: str) -> str:
    """ISO 639-1 code of `text`'s language, "und" when it has no letters."""
    letters = LETTER_RE.findall(text)
    if not letters:
        return "und"
    if text.isascii():  # fast path: plain English prose has several English function words
        words = ASCII_WORD_RE.findall(text.lower())
        stops = sum(w in _english_stop_words() for w in words)
        if stops >= 2 and stops >= 0.25 * len(words):
            return "en"
    lang, prob = _identifier().classify(text)
    latin = sum(1 for c in letters if LATIN_RE.match(c)) / len(letters)
    if latin > 0.5 and lang != "en" and (prob < MIN_PROB or len(text.split()) < MIN_WORDS):
        return "en"
    return str(lang)


def language_name(code: str) -> str:
    return NAMES.get(code, code)


def english_only_warning(languages: Iterable[str]) -> str | None:
    """One plain line for the terminal and the report, or None when every statement is English (or has no
    letters). `languages`: one code per statement."""
    counts = Counter(languages)
    other = {k: v for k, v in counts.items() if k not in ("en", "und")}
    if not other:
        return None
    n = sum(other.values())
    names = ", ".join(f"{language_name(k)} {v}" for k, v in sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{n} statement{'s' if n != 1 else ''} not in English ({names}): the model reads English only, "
            "so they are kept and listed, but their themes and codes are unreliable")


def mark_languages(segments: Sequence[Segment], reports: Sequence[IngestReport]) -> tuple[list[Segment], str | None]:
    """Segments with `attributes["language"]` (when not English), and the run's English-only warning (None
    when all are English).
    Each file's report notes its statements not in English."""
    out, by_file = [], {}
    for seg in segments:
        lang = detect(seg.text)
        by_file.setdefault(seg.source, Counter())[lang] += 1
        # English is the default and not written; any other language (or "und") is kept on the statement
        out.append(replace(seg, attributes={**seg.attributes, "language": lang}) if lang != "en" else seg)
    for report in reports:
        warning = english_only_warning(by_file.get(report.source, Counter()).elements())
        if warning:
            report.notes.append(f"languages: {warning}")
    return out, english_only_warning(s.attributes.get("language", "en") for s in out)
