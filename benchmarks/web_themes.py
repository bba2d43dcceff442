"""Server time of the themes page (and the action plan) for an analysis of about 2,000 statements.

    .venv/bin/python benchmarks/web_themes.py [--items 2000] [--repeats 30]

The statements are patient comments from the shared NHS benchmark
(../shared/benchmarks/nhs-fft-v6, read in place, never copied into the
project), one event per NHS trust, uploaded and analysed through the running
app with the real model. Each page is then requested `--repeats` times; the
table gives the app's own time per request (its Server-Timing header) and the
time the client saw, both in milliseconds.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from web_common import ROOT, Facilitator, Server, percentiles, server_ms, table

NHS = ROOT.parent / "shared" / "benchmarks" / "nhs-fft-v6" / "items.jsonl"


def write_events(folder: Path, n_items: int) -> dict[str, Path]:
    """The first n_items distinct, answered comments, as one JSONL file per trust."""
    by_trust: dict[str, list[dict]] = {}
    seen: set[str] = set()
    with open(NHS, encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            text = item["text"].strip()
            if text == "Did not answer" or len(text) < 3 or text.lower() in seen:
                continue
            seen.add(text.lower())
            by_trust.setdefault(item["trust"], []).append(
                {"id": item["id"], "text": text, "question": item["question"], "service": item["service_type"]})
            if len(seen) >= n_items:
                break
    files = {}
    for trust, rows in by_trust.items():
        path = folder / f"nhs-{trust.lower()}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        files[trust] = path
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2060, help="distinct comments to upload (a few merge as near-duplicates)")
    parser.add_argument("--repeats", type=int, default=30, help="requests per page")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "models" / "cache",
                        help="embedding cache (default: the project's own)")
    args = parser.parse_args()
    if not NHS.exists():
        raise SystemExit(f"needs the shared NHS benchmark at {NHS}")

    with tempfile.TemporaryDirectory(prefix="plenary-web-bench-") as tmp:
        tmp = Path(tmp)
        files = write_events(tmp, args.items)
        (tmp / "data").mkdir()
        with Server(tmp / "data", args.cache_dir) as server:
            me = Facilitator(server.url)
            project_id, first_event = None, None
            for trust, path in files.items():
                if project_id is None:
                    project_id, event_id = me.project("NHS comments", trust)
                    first_event = trust
                else:
                    event_id = me.event(project_id, trust)
                me.upload(event_id, [path])
            run_id, run_s = me.run(project_id)
            status = me.http.get(f"/runs/{run_id}").text
            segments = int(__import__("re").search(r"(\d+) statements, (\d+) themes", status).group(1))
            pages = {
                "themes (all)": f"/projects/{project_id}/themes",
                f"themes (event {first_event})": f"/projects/{project_id}/themes?event={first_event}",
                "themes (code filter)": f"/projects/{project_id}/themes?code=funding",
                "action plan": f"/projects/{project_id}/plan",
                "run status (JSON)": f"/runs/{run_id}/status",
            }
            rows = []
            for name, url in pages.items():
                me.http.get(url)  # one warm-up request
                server, client = [], []
                size = 0
                for _ in range(args.repeats):
                    r = me.http.get(url)
                    r.raise_for_status()
                    server.append(server_ms(r))
                    client.append(r.elapsed.total_seconds() * 1000)
                    size = len(r.content)
                s, c = percentiles(server), percentiles(client)
                rows.append([name, f"{s['p50']:.0f}", f"{s['p95']:.0f}", f"{s['max']:.0f}", f"{c['p50']:.0f}",
                             f"{size / 1024:.0f}"])
    print(f"{segments} statements in {len(files)} events; analysis took {run_s:.0f} s; "
          f"{args.repeats} requests per page, one at a time")
    print(table(rows, ["page", "server p50 ms", "server p95 ms", "server max ms", "client p50 ms", "size kB"]))


if __name__ == "__main__":
    main()
