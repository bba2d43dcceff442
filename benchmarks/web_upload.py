"""Upload to first results: the bundled assembly notes through a fresh `plenary serve`, cold and warm.

    .venv/bin/python benchmarks/web_upload.py

Cold: a new data folder and an empty embedding cache, so every statement is
embedded and the model is loaded for the first time by this server (the
operating system may still hold the model file in memory from earlier use).
Warm: a second project on the same server, same notes, so the embeddings come
from the cache. Each phase is timed as the browser sees it: upload (with the
ingest report), the analysis from the click to "done", and the first themes
page. The analysis's own stage times come from the run page.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from web_common import ROOT, Facilitator, Server, server_ms, table

NOTES = ROOT / "corpora" / "vs6-assemblies-2020.txt"


def session(me: Facilitator, name: str) -> dict:
    start = time.perf_counter()
    project_id, event_id = me.project(name, "July 2020 assemblies")
    t0 = time.perf_counter()
    r = me.upload(event_id, [NOTES])
    upload = time.perf_counter() - t0
    statements = int(re.search(r"(\d+) statements read", r.text).group(1))
    run_id, analysis = me.run(project_id)
    t0 = time.perf_counter()
    themes = me.http.get(f"/projects/{project_id}/themes")
    themes.raise_for_status()
    first_page = time.perf_counter() - t0
    total = time.perf_counter() - start
    stages = dict(re.findall(r"(\w+) ([\d.]+) s", re.search(r"Time per stage: ([^<]*)<", me.http.get(
        f"/runs/{run_id}").text).group(1)))
    return {"statements": statements, "upload": upload, "analysis": analysis, "themes": first_page,
            "themes_server": server_ms(themes) / 1000, "total": total, "stages": stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plenary-web-upload-") as tmp:
        tmp = Path(tmp)
        (tmp / "data").mkdir()
        (tmp / "cache").mkdir()
        with Server(tmp / "data", tmp / "cache") as server:
            me = Facilitator(server.url)
            cold = session(me, "Cold")
            warm = session(me, "Warm")
            started = server.started_in
    rows = []
    for label, key in [("upload + ingest report", "upload"), ("analysis (click to done)", "analysis"),
                       ("first themes page", "themes"), ("upload to first results", "total")]:
        rows.append([label, f"{cold[key]:.2f}", f"{warm[key]:.2f}"])
    for stage in cold["stages"]:
        rows.append([f"  stage: {stage}", cold["stages"][stage], warm["stages"].get(stage, "")])
    print(f"{NOTES.name}: {cold['statements']} statements; server start {started:.1f} s (not included below)")
    print(table(rows, ["seconds", "cold", "warm"]))


if __name__ == "__main__":
    main()
