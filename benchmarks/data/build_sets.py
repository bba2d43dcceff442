"""Expand the hand-written label sources into the JSONL sets the benchmark reads.

    .venv/bin/python benchmarks/data/build_sets.py

Set A (`views_lines.jsonl`): one non-blank line a row, from `views_labels.spec`:
    {"source", "line", "text", "view": true|false|null, "kind"}
`view` is null for "narrative" lines (an author's or organiser's prose: not a participant's view,
not furniture either; the benchmark reports them apart and scores neither way).

Set B (`proposals.jsonl`) is written by hand directly (see proposals.README.md); this script
only checks it: every row's text is found at its source line.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NON_VIEW = {"title", "date_venue", "note_taker", "attendees", "welcome", "ground_rules", "agenda",
            "next_steps", "contact", "page_furniture", "heading", "byline", "reply", "internal"}


def parse_spec(path: Path) -> list[dict]:
    rows: list[dict] = []
    current: Path | None = None
    windows: list[tuple[int, int]] = []
    labels: dict[int, str] = {}

    def flush():
        if current is None:
            return
        lines = current.read_text(encoding="utf-8").splitlines()
        rel = current.relative_to(ROOT).as_posix()
        for a, b in windows:
            for n in range(a, min(b, len(lines)) + 1):
                text = lines[n - 1]
                if not text.strip():
                    continue  # a range may span blank lines
                if n not in labels:
                    sys.exit(f"{path}: {rel}:{n} is not labelled: {text.strip()[:60]!r}")
                kind = labels[n]
                view = True if kind == "view" else None if kind == "narrative" else False
                rows.append({"source": rel, "line": n, "text": text.strip(), "view": view, "kind": kind})

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            flush()
            parts = line[1:].split()
            current = ROOT / parts[0]
            windows = [tuple(int(x) for x in w.split("-")) for w in parts[1:]]  # type: ignore[misc]
            labels = {}
            continue
        span, kind = line.split()
        if kind not in NON_VIEW | {"view", "narrative"}:
            sys.exit(f"{path}: unknown kind {kind!r} in {line!r}")
        a, _, b = span.partition("-")
        for n in range(int(a), int(b or a) + 1):
            labels[n] = kind
    flush()
    return rows


def check_proposals(path: Path) -> int:
    n = 0
    for i, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        lines = (ROOT / row["source"]).read_text(encoding="utf-8").splitlines()
        def squash(t: str) -> str:  # letters and digits only: markup and quotes differ between file and text
            return "".join(c for c in t.lower() if c.isalnum())
        window = squash(" ".join(lines[row["line"] - 1: row["line"] + 8]))
        probe = squash(row["text"])[:20]
        if probe not in window:
            sys.exit(f"{path}:{i}: text not found at {row['source']}:{row['line']}: {probe!r}")
        n += 1
    return n


if __name__ == "__main__":
    for spec, out in (("views_labels.spec", "views_lines.jsonl"), ("views_labels_heldout.spec", "views_lines_heldout.jsonl"),
                      ("views_labels_heldout4.spec", "views_lines_heldout4.jsonl"),
                      ("views_labels_heldout5.spec", "views_lines_heldout5.jsonl"),
                      ("views_labels_heldout6.spec", "views_lines_heldout6.jsonl"),
                      ("views_labels_heldout7.spec", "views_lines_heldout7.jsonl")):
        rows = parse_spec(HERE / spec)
        with open(HERE / out, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        files = {r["source"] for r in rows}
        scored = [r for r in rows if r["view"] is not None]
        print(f"{out}: {len(rows)} lines ({len(scored)} scored, {sum(r['view'] for r in scored)} views) "
              f"from {len(files)} files")
    for name in ("proposals.jsonl", "proposals_heldout.jsonl", "proposals_heldout2.jsonl", "proposals_heldout3.jsonl",
                 "proposals_heldout4.jsonl", "proposals_heldout5.jsonl", "proposals_heldout6.jsonl",
                 "proposals_heldout7.jsonl"):
        if (HERE / name).exists():
            print(f"{name}: {check_proposals(HERE / name)} statements checked")
