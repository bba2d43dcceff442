"""Scale benchmark (issue 13): `plenary run` on 2k-100k survey answers, cold, stage by stage, beside BERTopic.

    .venv/bin/python benchmarks/scale.py                                   # 2k, 15k, 50k, 100k
    .venv/bin/python benchmarks/scale.py --sizes 2000 15000 --embedding onnx-int8 --no-bertopic

Data: real NHS Friends-and-Family comments (../shared/benchmarks/nhs-fft-v6/items.jsonl) resampled to N rows
of a survey CSV (respondent, trust, service, comment) with one to three small edits each (a word dropped or
swapped, a common word replaced, a short opener or closer, case or punctuation), redrawn until no two rows
are the same text; deterministic (`--seed`). The first N rows of a larger set are the smaller set.

Each size runs in its own process, cold in a new `--work` folder: an empty embedding cache (the exported
ONNX graphs, made once per machine, are reused; a folder used before keeps its cache, and the run says it is
warm), `run_pipeline` + `write_run` exactly as `plenary run survey.csv --text-column comment`. Printed per
size: wall seconds per stage, peak resident memory of that process and the peak of it and its forked workers
together (summed PSS, so shared pages count once), statements per second end to end, the sizes of
report.html and segments.jsonl; a second table splits ingest into its sub-stages (read, redact, non-answers,
dedupe, language: `IngestResult.timings`) with the peak memory once ingest is done; and BERTopic 0.17.4's
`fit_transform` on the same texts and the run's own vectors (its defaults: UMAP 5-d, HDBSCAN), in its own
process, beside Plenary's time without embedding (BERTopic needs `pip install -e ".[bench]"`). A benchmark: it asserts nothing.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ROOT.parent / "shared" / "benchmarks" / "nhs-fft-v6" / "items.jsonl"
SWAP = {"staff": "team", "good": "great", "very": "really", "nurses": "nursing staff", "doctor": "GP",
        "helpful": "supportive", "friendly": "kind", "quick": "fast", "wait": "waiting time",
        "excellent": "brilliant", "always": "usually", "appointment": "appointments", "care": "treatment",
        "rude": "unfriendly", "long": "very long", "poor": "bad", "nothing": "nothing really"}
OPENERS = ["Overall, ", "Honestly, ", "I think ", "To be honest ", "In my experience ", "Generally "]
CLOSERS = [" Thank you.", " Thanks.", " Many thanks", "!", " - thanks", " Keep it up."]
STAGES = ("ingest", "embed", "code", "themes", "rank", "recommend", "write")


# --------------------------------------------------------------------------- data
def vary(text: str, rng: random.Random) -> str:
    """One small edit of a comment."""
    words = text.split()
    op = rng.randrange(7)
    if op == 0 and len(words) >= 6:
        del words[rng.randrange(len(words))]
    elif op == 1 and len(words) >= 4:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif op == 2:
        hits = [i for i, w in enumerate(words) if w.lower().strip(".,!") in SWAP]
        if not hits:
            return " ".join(words) + rng.choice(CLOSERS)
        i = rng.choice(hits)
        core = words[i].lower().strip(".,!")
        words[i] = words[i].lower().replace(core, SWAP[core])
    elif op == 3 and words and not any(text.startswith(o) for o in OPENERS):
        return rng.choice(OPENERS) + words[0][:1].lower() + " ".join(words)[1:]
    elif op == 4:
        return " ".join(words) + rng.choice(CLOSERS)
    elif op == 5 and words:
        joined = " ".join(words)
        return joined[:1].swapcase() + joined[1:]
    else:
        return " ".join(words).rstrip(".!") + rng.choice([".", "!", "..", ""])
    return " ".join(words)


def resample(n: int, seed: int = 0, items: Path = ITEMS) -> list[dict]:
    """n survey rows of real comments, each varied, no two texts alike."""
    rows = [r for r in map(json.loads, items.read_text(encoding="utf-8").splitlines()) if r.get("text", "").strip()]
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for i in range(n):
        src = rows[rng.randrange(len(rows))]
        text = src["text"].strip()
        for attempt in range(40):
            for _ in range(1 + rng.randrange(3) + attempt // 4):
                text = vary(text, rng)
            if text not in seen:
                break
        seen.add(text)
        out.append({"respondent": f"R{i + 1:07d}", "trust": src.get("trust") or "",
                    "service": (src.get("service_type") or "").strip(), "comment": text})
    return out


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["respondent", "trust", "service", "comment"])
        writer.writeheader()
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------- one size, in its own process
def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # Linux: KiB


class RunMemory:
    """The peak of the summed proportional set size (PSS, Linux /proc) of this process and every process it
    forked, polled every `every` seconds: pages a forked worker shares with its parent count once, so this is
    the run's memory on the machine, which neither process's own peak RSS says. Reading PSS makes the kernel
    walk every page of every process (measured: polling every 0.5 s took 5.5% of a core, about 6 s of a 100k
    run's wall time), so it is polled every 2 s: each stage holds its memory for longer than that."""

    def __init__(self, every: float = 2.0):
        import threading

        self.peak_kib = 0
        self.every = every
        threading.Thread(target=self._poll, daemon=True).start()

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                return next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
        except OSError:  # the process ended, or no /proc (not Linux)
            return 0

    def _family(self, pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    for child in fh.read().split():
                        out += self._family(int(child))
        except OSError:
            pass
        return out

    def _poll(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, sum(self._pss_kib(p) for p in self._family(os.getpid())))
            time.sleep(self.every)

    @property
    def peak_gb(self) -> float:
        return self.peak_kib / 1024 / 1024


def child_plenary(args) -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from dataclasses import replace

    from pipeline.api import Settings, analyse, default_stages, read_corpus
    from pipeline.embed import Embedder
    from pipeline.render.report import write_run

    settings = Settings(text_column="comment", cache_dir=args.cache, embedding=args.embedding, engine=args.engine,
                        address=args.address, max_bytes=1 << 30)
    memory = RunMemory()
    started = time.perf_counter()
    corpus = read_corpus([args.csv], settings)  # what run_pipeline does, with stages that can be left out
    ingest_seconds = round(time.perf_counter() - started, 2)
    ingest_parts = dict(getattr(corpus, "timings", {}) or {})
    ingest_peak = round(peak_gb(), 2)
    embedder = Embedder(settings.model, cache_dir=settings.cache_dir, backend=settings.embedding)
    stages = [st for st in default_stages(settings, embedder) if st.name not in args.skip]
    result = analyse(corpus, settings=settings, embedder=embedder, stages=stages)
    result = replace(result, inputs=[args.csv], timings={"ingest": ingest_seconds, **result.timings})
    s = time.perf_counter()
    try:
        out, write_error = write_run(result, Path(args.out), name="scale"), None
    except Exception as exc:  # noqa: BLE001 - the analysis timings still stand; say what failed
        out, write_error = None, f"{type(exc).__name__}: {exc}"
    timings = dict(result.timings)
    timings["write"] = round(time.perf_counter() - s, 2)
    total = time.perf_counter() - started
    np.save(Path(args.out).parent / "vectors.npy", result.vectors)
    Path(args.out).parent.joinpath("texts.json").write_text(json.dumps([seg.text for seg in result.segments]))
    print(json.dumps({"statements": len(result.segments), "timings": timings, "total": round(total, 1),
                      "ingest_parts": ingest_parts, "ingest_peak_gb": ingest_peak,
                      "peak_gb": round(peak_gb(), 2), "embedded": result.embed_stats.get("embedded"),
                      "run_peak_gb": round(memory.peak_gb, 2),  # with its forked workers (redaction, drafting)
                      "themes": sum(1 for t in result.themes if not t.is_unclustered),
                      "report_mb": round((out / "report.html").stat().st_size / 1e6, 2) if out else None,
                      "segments_mb": round((out / "segments.jsonl").stat().st_size / 1e6, 1) if out else None,
                      "write_error": write_error}))


def child_bertopic(args) -> None:
    import numpy as np
    from bertopic import BERTopic
    from umap import UMAP

    folder = Path(args.out).parent
    texts = json.loads((folder / "texts.json").read_text())
    vectors = np.load(folder / "vectors.npy")
    started = time.perf_counter()
    model = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                     random_state=args.seed), calculate_probabilities=False, verbose=False)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    seconds = time.perf_counter() - started
    outliers = sum(1 for t in topics if t == -1) / max(len(topics), 1)
    print(json.dumps({"seconds": round(seconds, 1), "topics": len(set(topics) - {-1}),
                      "outliers": round(outliers, 3), "peak_gb": round(peak_gb(), 2)}))


def run_child(kind: str, csv_path: Path, folder: Path, args) -> dict | None:
    cmd = [sys.executable, __file__, "--child", kind, "--csv", str(csv_path), "--out", str(folder / "run"),
           "--cache", str(folder / "cache"), "--embedding", args.embedding, "--engine", args.engine,
           "--seed", str(args.seed)] + (["--address", args.address] if args.address else []) + \
        (["--skip", *args.skip] if args.skip else [])
    done = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"  {kind} failed at {csv_path.name} (exit {done.returncode}):\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(lines[-1])


# --------------------------------------------------------------------------- the table
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 15000, 50000, 100000])
    ap.add_argument("--embedding", default="onnx", help="onnx | onnx-int8 | torch (as plenary run --embedding)")
    ap.add_argument("--engine", default="local")
    ap.add_argument("--address")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-bertopic", action="store_true")
    ap.add_argument("--bertopic-max", type=int, default=100000, help="largest size BERTopic is fitted on")
    ap.add_argument("--work", help="folder for data and runs (default: a temporary folder)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["code", "themes", "rank", "recommend"],
                    help="stages to leave out (printed in the table), e.g. to time the others at sizes where one is slow")
    ap.add_argument("--child", choices=["plenary", "bertopic"], help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "plenary":
        return child_plenary(args)
    if args.child == "bertopic":
        return child_bertopic(args)

    work = Path(args.work or tempfile.mkdtemp(prefix="plenary-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = resample(max(args.sizes), args.seed)
    print(f"NHS FFT comments resampled (seed {args.seed}); embedding {args.embedding}, engine {args.engine}; "
          + (f"stages left out: {', '.join(args.skip)}; " if args.skip else "")
          + f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; work in {work}", flush=True)
    results = []
    for n in args.sizes:
        folder = work / f"n{n}"
        folder.mkdir(exist_ok=True)
        csv_path = write_csv(rows[:n], folder / f"survey-{n}.csv")
        if (folder / "cache" / "embeddings.sqlite").exists():  # a re-used --work folder: say so, never pass it as cold
            print(f"  {n}: embedding cache already in {folder / 'cache'}: a WARM run (delete it for a cold one)", flush=True)
        plenary = run_child("plenary", csv_path, folder, args)
        bert = run_child("bertopic", csv_path, folder, args) \
            if plenary and not args.no_bertopic and n <= args.bertopic_max else None
        results.append((n, plenary, bert))
        if plenary:
            if plenary.get("write_error"):
                print(f"  {n}: writing the run folder failed: {plenary['write_error']}", flush=True)
            print(f"  {n}: {plenary['total']} s, peak {plenary['peak_gb']} GB, load {os.getloadavg()[0]:.1f}"
                  + (f"; BERTopic {bert['seconds']} s" if bert else ""), flush=True)

    head = ["rows", "statements"] + [f"{s} s" for s in STAGES] + \
        ["total s", "statements/s", "peak GB", "peak GB with workers (PSS)", "non-embedding s", "BERTopic fit s (topics, outliers)",
         "report.html MB", "segments.jsonl MB"]
    print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for n, p, b in results:
        if not p:
            print(f"| {n:,} | failed |")
            continue
        t = p["timings"]
        non_embed = p["total"] - t.get("embed", 0)
        bert = f"{b['seconds']} ({b['topics']}, {b['outliers']:.0%})" if b else "-"
        cells = [f"{n:,}", f"{p['statements']:,}"] + [f"{t.get(s, 0):.1f}" for s in STAGES] + \
            [f"{p['total']:.0f}", f"{p['statements'] / p['total']:.0f}", f"{p['peak_gb']:.2f}", f"{p.get('run_peak_gb', 0):.2f}",
             f"{non_embed:.0f}",
             bert, f"{p['report_mb']}", f"{p['segments_mb']}"]
        print("| " + " | ".join(cells) + " |")
    parts = ("read", "redact", "non_answers", "dedupe", "language")
    print("\nIngest sub-stages (seconds) and memory:\n\n| rows | " + " | ".join(parts)
          + " | ingest ms/statement | peak GB after ingest |\n|" + "---|" * (len(parts) + 3))
    for n, p, _ in results:
        if p and p.get("ingest_parts"):
            ip = p["ingest_parts"]
            print(f"| {n:,} | " + " | ".join(f"{ip.get(k, 0):.1f}" for k in parts)
                  + f" | {1000 * p['timings'].get('ingest', 0) / max(n, 1):.2f} | {p.get('ingest_peak_gb', '-')} |")


if __name__ == "__main__":
    main()
