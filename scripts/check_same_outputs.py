#!/usr/bin/env python
"""Check that a run folder gives the same analysis as a reference run folder.

    python scripts/check_same_outputs.py NEW_RUN REFERENCE_RUN [--tolerance 1e-6]

Compares themes.json, segments.jsonl and recommendations.json (the analysis itself), and from run.json
only the counts and settings (timings, versions, dates and paths differ between any two runs and are
ignored). Prints every difference with its JSON path (the first 20 per file) and exits 1 if any is found,
0 if the folders agree. Floats are compared within --tolerance (default: exact).

Used during the issue-9 move: the reference is a run of the code before the move on the bundled corpora.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, Iterator

IGNORED_RUN_KEYS = {"created", "plenary", "versions", "timings_seconds", "embedding", "inputs", "name"}


def diffs(a: Any, b: Any, path: str, tol: float) -> Iterator[str]:
    """Every place where `a` (new) and `b` (reference) differ, as 'path: new != reference'."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in b:
                yield f"{path}.{key}: only in the new run"
            elif key not in a:
                yield f"{path}.{key}: only in the reference"
            else:
                yield from diffs(a[key], b[key], f"{path}.{key}", tol)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items != {len(b)} in the reference"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diffs(x, y, f"{path}[{i}]", tol)
    elif isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        if not (math.isclose(a, b, rel_tol=0, abs_tol=tol) or a == b):
            yield f"{path}: {a!r} != {b!r}"
    elif a != b:
        yield f"{path}: {_short(a)} != {_short(b)}"


def _short(value: Any, n: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= n else text[: n - 1] + "…"


def load(folder: Path, name: str) -> Any:
    path = folder / name
    if not path.exists():
        raise SystemExit(f"check_same_outputs: {path}: not found")
    text = path.read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def compare(new: Path, reference: Path, tol: float = 0.0, show: int = 20) -> int:
    """Print the differences between two run folders; return how many there are."""
    total = 0
    for name in ("themes.json", "segments.jsonl", "recommendations.json", "run.json"):
        a, b = load(new, name), load(reference, name)
        if name == "run.json":
            a = {k: v for k, v in a.items() if k not in IGNORED_RUN_KEYS}
            b = {k: v for k, v in b.items() if k not in IGNORED_RUN_KEYS}
            for record in (a, b):  # the codebook's path names the checkout; its sha256 is compared
                record.get("codebook", {}).pop("path", None)
        found = list(diffs(a, b, name, tol))
        total += len(found)
        print(f"{name}: {'same' if not found else f'{len(found)} differences'}")
        for line in found[:show]:
            print(f"  {line}")
        if len(found) > show:
            print(f"  … and {len(found) - show} more")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("new", type=Path, help="the run folder to check")
    parser.add_argument("reference", type=Path, help="the reference run folder")
    parser.add_argument("--tolerance", type=float, default=0.0, help="allowed absolute difference of floats")
    args = parser.parse_args(argv)
    n = compare(args.new, args.reference, args.tolerance)
    print("same outputs" if n == 0 else f"{n} differences")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
