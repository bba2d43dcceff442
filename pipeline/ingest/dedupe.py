"""Merge the same statement pasted into two files of one event, so it counts once.

Two statements are duplicates when, after folding case, accents, punctuation and
spacing, they are the same, or nearly the same (a typo, a changed word:
similarity of at least `min_ratio`). Only statements from *different files of
the same event* are merged: a point raised at two events counts twice, and a
point made twice in one file's notes (at two tables, say) stays twice.
Non-answers ("N/A", "No") are never merged: each is counted where it was given.

The kept statement lists the ids it stands for in `attributes["duplicates"]`
and the number of copies in `attributes["copies"]`; each merged copy is
recorded in its own file's ingest report as a dropped line ("duplicate").
A statement merges into the earliest kept copy that does not already stand for
its file.

Near-linear: exact copies are found with a dict; for each (text, file) a pointer
remembers the first kept copy that may still take that file, so 200,000 repeats of
4,000 bullets cost O(n). Near copies are looked for only when the event has a kept
copy from another file, among the *distinct* kept texts, with MinHash LSH
(datasketch, character 4-grams) as the candidate index; each candidate is checked
with the same SequenceMatcher ratio, in kept order. The index is built when a second
file of an event first needs it, so a single survey export never pays for MinHash.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Callable, Sequence

from ..defaults import DEDUPE_LSH_THRESHOLD, DEDUPE_MIN_RATIO, DEDUPE_NUM_PERM
from ..records import DroppedLine, IngestReport, Segment

WORD_RE = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Case, accents, quotes, punctuation and spacing folded away: the statement's words only."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))  # "é" -> "e", not "e" and a word break
    return " ".join(WORD_RE.findall(text))


def _shingles(norm: str, k: int = 4) -> list[bytes]:
    s = f" {norm} "
    return sorted({s[i:i + k].encode() for i in range(max(1, len(s) - k + 1))})


class _NearIndex:
    """The distinct kept texts of one event, indexed for near-duplicate candidates (MinHash LSH)."""

    def __init__(self, num_perm: int, threshold: float):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.size = 0
        self._hashes: dict[str, object] = {}
        self._permutations = None  # drawn once (seed 1), shared by every MinHash: drawing costs more than hashing

    def minhash(self, norm: str):
        m = self._hashes.get(norm)
        if m is None:
            from datasketch import MinHash

            if self._permutations is None:
                m = MinHash(num_perm=self.num_perm, seed=1)
                self._permutations, self._scheme = m.permutations, m.scheme
            else:
                m = MinHash(num_perm=self.num_perm, seed=1, permutations=self._permutations, scheme=self._scheme)
            m.update_batch(_shingles(norm))
            self._hashes[norm] = m
        return m

    def add(self, norm: str) -> None:
        self.lsh.insert(norm, self.minhash(norm))
        self.size += 1

    def query(self, norm: str) -> list[str]:
        return self.lsh.query(self.minhash(norm))


def merge_duplicates(segments: Sequence[Segment], reports: Sequence[IngestReport],
                     min_ratio: float = DEDUPE_MIN_RATIO,
                     progress: Callable[[int, int], None] | None = None) -> list[Segment]:
    """The segments with cross-file duplicates within an event merged into the earliest kept copy.

    `progress(done, total)` is called about every 5% of the statements.
    """
    by_source = {r.source: r for r in reports}
    kept: list[Segment] = []
    order: dict[str, int] = {}  # kept id -> position
    sources: dict[str, set[str]] = {}  # kept id -> files it stands for
    by_norm: dict[tuple[str, str], list[str]] = {}  # (event, text) -> kept ids in order
    pointer: dict[tuple[str, str, str], int] = {}  # (event, text, file) -> first kept index that may take it
    kept_files: dict[str, set[str]] = defaultdict(set)  # event -> files with a kept copy
    index: dict[str, _NearIndex] = {}
    pending: dict[str, list[str]] = defaultdict(list)  # event -> kept texts not indexed yet
    candidates: dict[tuple[str, str], tuple[int, list[str]]] = {}  # LSH answers, reused until the index grows
    similar_cache: dict[tuple[str, str], bool] = {}
    norm_cache: dict[str, str] = {}
    merged: dict[str, list[str]] = {}
    replaced: dict[str, str] = {}
    touched: set[str] = set()

    def home(event: str, norm: str, source: str) -> str | None:
        ids = by_norm.get((event, norm))
        if not ids:
            return None
        key = (event, norm, source)
        i = pointer.get(key, 0)
        while i < len(ids) and source in sources[ids[i]]:
            i += 1
        pointer[key] = i
        return ids[i] if i < len(ids) else None

    def similar(a: str, b: str) -> bool:
        pair = (a, b) if a < b else (b, a)
        if pair not in similar_cache:
            sm = SequenceMatcher(None, a, b, autojunk=False)
            similar_cache[pair] = sm.quick_ratio() >= min_ratio and sm.ratio() >= min_ratio
        return similar_cache[pair]

    def near_home(seg: Segment, norm: str) -> str | None:
        if not kept_files[seg.event] - {seg.source}:
            return None  # no kept copy from another file: nothing can take this one
        # the index is built only once a second file of the event needs it: one file alone costs no MinHash
        if pending.get(seg.event):
            if seg.event not in index:  # (not setdefault: building an LSH index is costly)
                index[seg.event] = _NearIndex(DEDUPE_NUM_PERM, DEDUPE_LSH_THRESHOLD)
            for kept_norm in pending.pop(seg.event):
                index[seg.event].add(kept_norm)
        idx = index.get(seg.event)
        if idx is None:
            return None
        size, found = candidates.get((seg.event, norm), (-1, []))
        if size != idx.size:
            found = [o for o in idx.query(norm) if o != norm and 0.8 <= len(norm) / max(1, len(o)) <= 1.25]
            candidates[(seg.event, norm)] = (idx.size, found)
        homes = sorted((order[h], h, other) for other in found if (h := home(seg.event, other, seg.source)))
        return next((h for _, h, other in homes if similar(norm, other)), None)

    total = len(segments)
    step = max(1, total // 20)
    for n, seg in enumerate(segments, 1):
        if progress is not None and (n % step == 0 or n == total):
            progress(n, total)
        norm = norm_cache.get(seg.text)
        if norm is None:
            norm = norm_cache[seg.text] = normalise(seg.text)
        target = None
        if norm and not seg.attributes.get("non_answer"):
            target = home(seg.event, norm, seg.source)
            if target is None and len(norm.split()) >= 4:
                target = near_home(seg, norm)
        if target is None:
            order[seg.id] = len(kept)
            kept.append(seg)
            sources[seg.id] = {seg.source}
            kept_files[seg.event].add(seg.source)
            ids = by_norm.setdefault((seg.event, norm), [])
            ids.append(seg.id)
            if len(ids) == 1 and norm and not seg.attributes.get("non_answer"):
                pending[seg.event].append(norm)
            continue
        sources[target].add(seg.source)
        merged.setdefault(target, []).append(seg.id)
        replaced[seg.id] = target
        report = by_source.get(seg.source)
        if report is not None:
            report.dropped.append(DroppedLine(seg.line_start, "duplicate", f"{seg.text} (kept as {target})"))
            report.segments -= 1
            touched.add(report.source)
    for name in touched:
        by_source[name].dropped.sort(key=lambda d: d.line)
    out = []
    for seg in kept:
        changes: dict = {}
        if seg.id in merged:
            changes["attributes"] = {**seg.attributes, "duplicates": merged[seg.id],
                                     "copies": len(merged[seg.id]) + 1}
        if seg.parent in replaced:  # a sub-bullet whose parent was merged hangs from the kept copy
            changes["parent"] = replaced[seg.parent]
        out.append(replace(seg, **changes) if changes else seg)
    return out
