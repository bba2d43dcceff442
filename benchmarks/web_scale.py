"""Server time and size of the web app's paged pages for an analysis of 100,000 statements.

    nice -n 10 .venv/bin/python benchmarks/web_scale.py [--statements 100000] [--repeats 20]

No model runs: a synthetic analysis (NHS patient comments from ../shared/benchmarks/nhs-fft-v6, resampled
with small variations; themes, codes and a drafted plan made up with a fixed seed) is written as a run
folder by the run-folder writer (exchange.rundir) and saved into a fresh database by the app's own
save_results. Then `plenary serve` starts on 127.0.0.1 over that data folder and each page is requested
`--repeats` times; the table gives the app's own time per request (its Server-Timing header) and the page
size, with the figures issue 13 reported before paging beside them (measured at 15,000 statements).
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from web_common import ROOT, Server, percentiles, server_ms, table

NHS = ROOT.parent / "shared" / "benchmarks" / "nhs-fft-v6" / "items.jsonl"
BEFORE = {  # issue 13, before paging, at about 15,000 statements
    "themes (all)": "p95 ~500 ms", "theme, page 1": "1.2 MB (one page)",
}
WORDS = ["really", "very", "also", "always", "sometimes", "often", "today", "again"]


def texts(n: int, rng: random.Random) -> list[str]:
    base = []
    if NHS.exists():
        with open(NHS, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["text"].strip()
                if len(text) > 3 and text != "Did not answer":
                    base.append(text)
                if len(base) >= 20000:
                    break
    base = base or [f"Statement number {i} about services in the area" for i in range(1000)]
    out = []
    for i in range(n):  # resampled with a small variation, so no two are identical
        words = rng.choice(base).split()
        words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
        out.append(" ".join(words) + f" ({i})")
    return out


def synthetic_analysis(n: int, seed: int = 0, n_themes: int = 150):
    """A made-up Analysis of n statements (no model): two sources (a survey table and a text file of notes),
    five events, themes with skewed sizes, codes from the default codebook, a drafted plan."""
    from pipeline.api import Settings
    from pipeline.codebook import load_codebook
    from pipeline.ingest import SourceFile
    from pipeline.records import (UNCLUSTERED, Analysis, CodeAssignment, HeadingPlan, IngestReport,
                                  Recommendation, Segment, Theme)

    rng = random.Random(seed)
    book = load_codebook()
    codable = [c.id for c in book.codable]
    words = texts(n, rng)
    n_notes = n // 5
    notes_lines, segments = [], []
    events = [f"Event {k}" for k in range(1, 6)]
    for i, text in enumerate(words):
        codes = [CodeAssignment(c, round(rng.uniform(0.3, 0.9), 3)) for c in rng.sample(codable, rng.choice((0, 1, 1, 2)))]
        if i < n_notes:
            notes_lines.append(f"- {text}")
            segments.append(Segment(id=f"notes:{i + 1}", text=text, source="notes.txt", line_start=i + 1,
                                    line_end=i + 1, event=events[i % 5], section=[f"Table {i % 12 + 1}"],
                                    codes=codes))
        else:
            row = i - n_notes + 2
            segments.append(Segment(id=f"survey:{row}", text=text, source="survey.csv", line_start=row,
                                    line_end=row, event=events[i % 5], question=rng.choice(("Q1", "Q2")),
                                    kind="response", codes=codes))
    order = list(range(n))
    rng.shuffle(order)
    weights = np.array([1 / (k + 1) ** 0.8 for k in range(n_themes)])
    unclustered = n // 20
    sizes = np.floor(weights / weights.sum() * (n - unclustered)).astype(int)
    themes, at, theme_of = [], 0, {}
    for k, size in enumerate(sizes):
        ids = [segments[j].id for j in order[at:at + size]]
        at += size
        shared = [c.code for s in [segments[j] for j in order[at - size:at][:50]] for c in s.codes]
        top = max(set(shared), key=shared.count) if shared else None
        themes.append(Theme(id=f"theme-{k + 1:03d}", label=f"Theme {k + 1}: {words[order[at - 1]][:40]}",
                            keywords=["waiting", "staff", "care"], segments=ids, quotes=ids[:5],
                            codes=[CodeAssignment(top, 0.6)] if top else [], rank=k + 1, score=1 / (k + 1),
                            components={"sections": 3, "documents": 2, "events": 5}))
        theme_of.update({sid: themes[-1].id for sid in ids})
    rest = [segments[j].id for j in order[at:]]
    themes.append(Theme(id=UNCLUSTERED, label="Unclustered statements", keywords=[], segments=rest, quotes=[]))
    theme_of.update({sid: UNCLUSTERED for sid in rest})
    segments = [Segment(**{**s.__dict__, "theme": theme_of[s.id]}) for s in segments]
    plans = []
    for h, code in enumerate(book.codable[:4]):
        recs = []
        for r in range(8):
            evidence = [segments[j].id for j in rng.sample(range(n), min(n, 3000 // (r + 1)))]
            recs.append(Recommendation(text=f"Recommendation {h + 1}.{r + 1}: {words[r * 7 + h][:80]}",
                                       support=len(evidence), sections=5, evidence=evidence))
        plans.append(HeadingPlan(code=code.id, heading=code.heading or code.label, recommendations=recs))
    vectors = np.random.default_rng(seed).standard_normal((n, 8)).astype(np.float32)
    reports = [IngestReport(source="notes.txt", event=events[0], segments=n_notes),
               IngestReport(source="survey.csv", event=events[0], segments=n - n_notes, format="csv")]
    sources = [SourceFile(name="notes.txt", path="/synthetic/notes.txt", sha256="0" * 64, format="text",
                          text="\n".join(notes_lines) + "\n"),
               SourceFile(name="survey.csv", path="/synthetic/survey.csv", sha256="1" * 64, format="csv", text=None)]
    return Analysis(settings=Settings(), inputs=["notes.txt", "survey.csv"], codebook=book, segments=segments,
                    vectors=vectors, themes=themes, plans=plans, reports=reports, model_id="synthetic",
                    sources=sources)


def load(data: Path, analysis) -> dict:
    """Write the run folder and save it into data/plenary.sqlite as the app does; returns the ids to visit."""
    from pipeline.exchange import rundir
    from pipeline.web import storage
    from pipeline.web.app import create_app
    from pipeline.web.config import WebConfig
    from pipeline.web.jobs import save_results
    from pipeline.web.models import Codebook, Document, Event, Project, Run
    from pipeline.web import codebooks
    from sqlalchemy import select

    app = create_app(WebConfig(data_dir=data))
    w = app.state.web
    out = data / "runs" / "run-1" / "output"
    record = rundir.run_record(analysis, "synthetic")
    rundir.write_run(analysis, out, "synthetic", None, record)
    with w.db.session() as s:
        project = Project(name="Synthetic 100k")
        s.add(project)
        s.flush()
        codebooks.create_default(s, project.id)
        event = Event(project_id=project.id, name="Event 1")
        s.add(event)
        s.flush()
        doc_ids = {}
        for name in ("notes.txt", "survey.csv"):
            doc = Document(project_id=project.id, event_id=event.id, original_name=name, run_name=name,
                           stored_name=f"{name}.missing", sha256="0" * 64, size=0, ext=storage.extension(name),
                           status="ok", report={}, segment_count=0)
            s.add(doc)
            s.flush()
            doc_ids[name] = doc.id
        book_id = s.scalar(select(Codebook.id).where(Codebook.project_id == project.id))
        run = Run(project_id=project.id, codebook_id=book_id, status="running", document_ids=list(doc_ids.values()),
                  settings={})
        s.add(run)
        s.flush()
        save_results(s, run.id, analysis, record, doc_ids, str(out))
        ids = {"project": project.id, "run": run.id, "docs": doc_ids}
    w.db.dispose()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20, help="requests per page")
    parser.add_argument("--keep", type=Path, help="build the data folder here and keep it (default: a temp folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="plenary-web-scale-") as tmp:
        root = (args.keep or Path(tmp)).resolve()
        data = root / "data"
        started = time.perf_counter()
        analysis = synthetic_analysis(args.statements)
        built = time.perf_counter() - started
        ids = load(data, analysis)
        loaded = time.perf_counter() - started - built
        p = ids["project"]
        biggest = max((t for t in analysis.themes if t.rank), key=lambda t: t.size)
        last_page = -(-biggest.size // 100)
        rec = 1
        pages = {
            "themes (all)": f"/projects/{p}/themes",
            "themes, page 5": f"/projects/{p}/themes?page=5",
            "themes (event filter)": f"/projects/{p}/themes?event=Event+2",
            "themes (code filter)": f"/projects/{p}/themes?code={analysis.codebook.codable[0].id}",
            "theme, page 1": f"/projects/{p}/themes/{biggest.id}",
            f"theme, page {last_page} (last)": f"/projects/{p}/themes/{biggest.id}?page={last_page}",
            "theme (code filter)": f"/projects/{p}/themes/{biggest.id}?code={analysis.codebook.codable[0].id}",
            "unclustered": f"/projects/{p}/themes/unclustered",
            "action plan": f"/projects/{p}/plan",
            "evidence of a line": f"/recommendations/{rec}/evidence?page=3",
            "document (text, line 15000)": f"/documents/{ids['docs']['notes.txt']}?line=15000",
            "document (table, row 60000)": f"/documents/{ids['docs']['survey.csv']}?line=60000",
            "statement": f"/projects/{p}/statement?id=survey:500",
        }
        rows = []
        with Server(data, root / "cache") as server:
            import httpx

            http = httpx.Client(base_url=server.url, timeout=120)
            for name, url in pages.items():
                r = http.get(url)  # one warm-up request
                r.raise_for_status()
                times, size = [], 0
                for _ in range(args.repeats):
                    r = http.get(url)
                    r.raise_for_status()
                    times.append(server_ms(r))
                    size = len(r.content)
                s = percentiles(times)
                rows.append([name, f"{s['p50']:.0f}", f"{s['p95']:.0f}", f"{s['max']:.0f}", f"{size / 1024:.0f}",
                             BEFORE.get(name, "")])
    print(f"{args.statements} statements ({len(analysis.themes) - 1} themes; biggest {biggest.size}); "
          f"synthetic analysis {built:.0f} s, run folder + database {loaded:.0f} s; "
          f"{args.repeats} requests per page, one at a time; target: server p95 < 300 ms")
    print(table(rows, ["page", "server p50 ms", "server p95 ms", "server max ms", "size kB",
                       "before paging (issue 13, 15k statements)"]))


if __name__ == "__main__":
    main()
