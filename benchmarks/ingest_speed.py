"""Ingest throughput (statements per second) per format, on the bundled corpora converted to each format.

    .venv/bin/python benchmarks/ingest_speed.py            # all formats, plus embedding for comparison
    .venv/bin/python benchmarks/ingest_speed.py --no-embed

Each corpus is written as Markdown text, Word (.docx), PDF (one and two columns),
and, for the corpora with questions, as a survey export (.csv, .xlsx), with the
same builders the tests use (tests/ingest_fixtures.py). Reading is timed without
redaction (best of --repeat runs); redaction and duplicate merging are timed on
their own over the whole run, and embedding the same statements with a cold cache
is timed for comparison, since ingest must never be the slowest stage.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ingest_fixtures import survey_rows, write_csv, write_docx, write_pdf, write_xlsx  # noqa: E402
from pipeline.ingest import ingest, ingest_file  # noqa: E402
from pipeline.api import default_inputs  # noqa: E402


def best_of(repeat: int, fn):
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-embed", action="store_true", help="skip the embedding comparison")
    args = parser.parse_args()

    sources = default_inputs()
    writers = {
        "text (.txt)": lambda text, path, name: path.with_suffix(".txt").write_text(text, encoding="utf-8")
        and path.with_suffix(".txt"),
        "Word (.docx)": lambda text, path, name: write_docx(text, path.with_suffix(".docx"), name),
        "PDF, 1 column": lambda text, path, name: write_pdf(text, path.with_suffix(".pdf"), name),
        "PDF, 2 columns": lambda text, path, name: write_pdf(text, path.with_name(path.name + "-2col.pdf"), name,
                                                           columns=2),
        "survey (.csv)": lambda text, path, name: write_csv(text, path.with_suffix(".csv"), name),
        "survey (.xlsx)": lambda text, path, name: write_xlsx(text, path.with_suffix(".xlsx"), name),
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, writer in writers.items():
            files = []
            for src in sources:
                text = src.read_text(encoding="utf-8")
                if "survey" in label:
                    try:
                        survey_rows(text, src.name)
                    except ValueError:  # no questions with bullets under them: nothing to export
                        continue
                files.append(writer(text, Path(tmp) / src.stem, src.name))
            seconds, counts = best_of(args.repeat, lambda: [len(ingest_file(f, redact=False)[0]) for f in files])
            size = sum(f.stat().st_size for f in files) / 1e6
            rows.append((label, len(files), f"{size:.2f}", sum(counts), f"{seconds:.3f}", f"{sum(counts) / seconds:,.0f}"))

        seconds, result = best_of(args.repeat, lambda: ingest(sources))
        plain, _ = best_of(args.repeat, lambda: ingest(sources, redact=False, dedupe=False))
        rows.append(("clean-up: redact + merge duplicates", len(sources), "", len(result.segments),
                     f"{seconds - plain:.3f}", f"{len(result.segments) / max(seconds - plain, 1e-9):,.0f}"))
        if not args.no_embed:
            from pipeline.embed import Embedder

            texts = [s.text for s in result.segments]
            embedder = Embedder(cache_dir=Path(tmp) / "cold-cache")
            start = time.perf_counter()
            embedder.encode(texts)
            seconds = time.perf_counter() - start
            rows.append(("(embedding, cold cache)", len(sources), "", len(texts), f"{seconds:.3f}",
                         f"{len(texts) / seconds:,.0f}"))

    header = ("format", "files", "MB", "statements", "seconds", "statements/s")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    main()
