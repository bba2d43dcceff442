"""Time `plenary run` on the bundled corpora, cold (empty embedding cache) and warm, per stage.

    .venv/bin/python benchmarks/pipeline_speed.py [--repeats 3]

Prints one table: wall time of the whole command, each stage's time from run.json,
embedding throughput, and everything-but-embedding as a share of embedding time.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("ingest", "embed", "code", "themes", "rank", "recommend")


def run_once(cache: Path, out: Path) -> dict:
    env = {**os.environ, "PLENARY_CACHE": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--out", str(out), "--quiet"],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"plenary run failed:\n{done.stderr}")
    wall = time.perf_counter() - start
    record = json.loads((out / "run.json").read_text())
    stats = record["embedding"]
    return {"wall": wall, **record["timings_seconds"], "segments": record["counts"]["segments"],
            "embedded": stats.get("embedded", 0), "load": stats.get("load_seconds", 0.0),
            "encode": stats.get("encode_seconds", 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            cache = Path(tmp) / f"cache-{i}"
            rows["cold"].append(run_once(cache, Path(tmp) / f"cold-{i}"))
            rows["warm"].append(run_once(cache, Path(tmp) / f"warm-{i}"))
    print(f"plenary run on the bundled corpora, {os.cpu_count()} cores, median of {args.repeats}\n")
    print("Stage times from run.json; 'embed' includes loading the model (its own column) on a cold cache.")
    print("'rest / embed' is every other stage's time over the embed stage's.\n")
    print(f"| cache | wall s | {' | '.join(s + ' s' for s in STAGES)} | model load s | embedded | "
          "encode seg/s | rest / embed |")
    print("|---|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|---:|")
    for kind, runs in rows.items():
        keys = ("wall", *STAGES, "embedded", "segments", "load", "encode")
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        rest = sum(med[s] for s in STAGES if s != "embed")
        rate = f"{med['embedded'] / med['encode']:.0f}" if med["embedded"] and med["encode"] else "–"
        print(f"| {kind} | {med['wall']:.2f} | {' | '.join(f'{med[s]:.2f}' for s in STAGES)} | {med['load']:.2f} | "
              f"{med['embedded']:.0f} of {med['segments']:.0f} | {rate} | {rest / med['embed']:.2f} |")


if __name__ == "__main__":
    main()
