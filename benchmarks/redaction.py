"""Redaction recall per kind, organisations and places kept, false positives and speed: today's rules
against the Presidio-based redactor, in the same run.

    .venv/bin/python benchmarks/redaction.py                 # both labelled sets, bundled corpora, speed
    .venv/bin/python benchmarks/redaction.py --quick         # labelled sets only

Labelled sets (benchmarks/data/privacy/, every person and number invented): one statement a line,
`[[KIND:text]]` marks a personal detail to redact, `[[KEEP:text]]` an organisation or place name that
must survive. `labelled.txt` (119 details, 11 kinds) was used while building the redactor; `heldout.txt`
(56 details) was written after it. A detail counts as redacted when at most 2 of its letters/digits
remain; a false positive is a redacted run of characters that touches no labelled detail.
Bundled corpora: every distinct sentence is redacted by both engines and the removed strings are listed
(there, only named officers and contact details should go). Speed: statements per second for fit +
redact over those sentences (each engine loaded first).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest.redact import Redactor  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "privacy"
MARK_RE = re.compile(r"\[\[([A-Z]+):(.*?)\]\]")
ENGINES = {"rules (today)": "rules", "presidio": "presidio"}


@dataclass(frozen=True)
class Item:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, kind); kind KEEP = must survive


def load(path: Path) -> list[Item]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        out, spans, pos = "", [], 0
        for m in MARK_RE.finditer(line):
            out += line[pos:m.start()]
            spans.append((len(out), len(out) + len(m.group(2)), m.group(1)))
            out += m.group(2)
            pos = m.end()
        out += line[pos:]
        if "[[" in out or "]]" in out:
            raise SystemExit(f"{path}:{n}: unbalanced [[ ]] mark")
        items.append(Item(out.rstrip(), tuple(spans)))
    return items


def kept_mask(original: str, redacted: str) -> list[bool]:
    """Whether each character of `original` is still in `redacted` (a placeholder aligns with nothing)."""
    mask = [False] * len(original)
    redacted = re.sub(r"\[[A-Z_]+\]", "\x00", redacted)
    for tag, i1, i2, _, _ in SequenceMatcher(None, original, redacted, autojunk=False).get_opcodes():
        if tag == "equal":
            mask[i1:i2] = [True] * (i2 - i1)
    return mask


def score(items: list[Item], redacted: list[str]) -> dict:
    hit, total, keep_ok, keep_n, fp = Counter(), Counter(), 0, 0, 0
    for item, out in zip(items, redacted):
        mask = kept_mask(item.text, out)
        near = [False] * len(item.text)
        for s, e, kind in item.spans:
            alnum = [i for i in range(s, e) if item.text[i].isalnum()]
            if kind == "KEEP":
                keep_n += 1
                keep_ok += all(mask[i] for i in alnum)
                continue
            total[kind] += 1
            hit[kind] += sum(mask[i] for i in alnum) <= 2
            for i in range(max(0, s - 1), min(len(item.text), e + 1)):
                near[i] = True
        inside = False
        for i, ch in enumerate(item.text):
            lost = not mask[i] and ch.isalnum() and not near[i]
            fp += lost and not inside
            inside = lost
    return {"hit": hit, "total": total, "keep": (keep_ok, keep_n), "fp": fp}


def corpus_sentences() -> list[str]:
    out = []
    for f in sorted((ROOT / "corpora").glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            out += [x.strip(" -•*\t") for x in re.split(r"(?<=[.!?])\s+", line) if x.strip()]
    return list(dict.fromkeys(out))


def removed(texts: list[str], redacted: list[str]) -> Counter:
    lost: Counter = Counter()
    for a, b in zip(texts, redacted):
        if a == b:
            continue
        mask = kept_mask(a, b)
        for m in re.finditer(r"[^\x00]+", "".join("\x00" if k else c for c, k in zip(a, mask))):
            if any(c.isalnum() for c in m.group(0)):
                lost[m.group(0).strip()] += 1
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="labelled sets only (no corpora, no speed)")
    args = parser.parse_args()
    for engine in ENGINES.values():  # load models once, outside the timings
        Redactor(engine=engine).fit(["Karen said hello"])
    for name in ("labelled.txt", "heldout.txt"):
        items = load(DATA / name)
        texts = [i.text for i in items]
        results = {}
        for label, engine in ENGINES.items():
            red = Redactor(engine=engine).fit(texts)
            results[label] = score(items, [red.redact(t)[0] for t in texts])
        kinds = sorted(next(iter(results.values()))["total"])
        print(f"\n{name}: {sum(results['presidio']['total'].values())} personal details, {len(kinds)} kinds; "
              f"recall per kind")
        print(f"{'kind':10}" + "".join(f"{label:>20}" for label in results))
        for kind in kinds + ["ALL"]:
            row = f"{kind:10}"
            for r in results.values():
                h = sum(r["hit"].values()) if kind == "ALL" else r["hit"][kind]
                t = sum(r["total"].values()) if kind == "ALL" else r["total"][kind]
                row += f"{h:>10}/{t:<4}{h / t:5.0%}"
            print(row)
        print(f"{'org/place kept':14}" + "".join(f"{r['keep'][0]:>12}/{r['keep'][1]:<4}    " for r in results.values()))
        print(f"{'false positives':15}" + "".join(f"{r['fp']:>13}       " for r in results.values()))
    if args.quick:
        return
    texts = corpus_sentences()
    print(f"\nbundled corpora: {len(texts)} distinct sentences")
    for label, engine in ENGINES.items():
        start = time.perf_counter()
        red = Redactor(engine=engine).fit(texts)
        out = [red.redact(t)[0] for t in texts]
        seconds = time.perf_counter() - start
        lost = removed(texts, out)
        print(f"  {label}: {len(texts) / seconds:,.0f} statements/s; {sum(a != b for a, b in zip(texts, out))} "
              f"sentences changed; removed: " + ", ".join(f"{k} x{v}" if v > 1 else k
                                                     for k, v in sorted(lost.items(), key=lambda kv: -kv[1])[:40]))


if __name__ == "__main__":
    main()
