"""Twenty browsers at once: page latency of `plenary serve` on loopback under concurrent requests.

    .venv/bin/python benchmarks/web_concurrency.py [--clients 20] [--requests 15]

A fresh server analyses the bundled assembly notes once; then `--clients`
threads, each with its own cookies, request the main pages in turn
(`--requests` each, so clients x requests in all, bounded) against 127.0.0.1.
The table gives the latency each client saw, in milliseconds, per page and
overall, and counts any response that was not 200.
"""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from web_common import ROOT, Facilitator, Server, percentiles, table

NOTES = ROOT / "corpora" / "vs6-assemblies-2020.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=15, help="requests per client")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "models" / "cache")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="plenary-web-load-") as tmp:
        tmp = Path(tmp)
        (tmp / "data").mkdir()
        with Server(tmp / "data", args.cache_dir) as server:
            me = Facilitator(server.url)
            project_id, event_id = me.project("Load", "July 2020 assemblies")
            me.upload(event_id, [NOTES])
            run_id, _ = me.run(project_id)
            pages = {"themes": f"/projects/{project_id}/themes", "action plan": f"/projects/{project_id}/plan",
                     "project": f"/projects/{project_id}", "event": f"/events/{event_id}",
                     "run status": f"/runs/{run_id}/status"}
            names = list(pages)
            latencies: dict[str, list[float]] = {name: [] for name in names}
            errors: list[str] = []
            lock = threading.Lock()
            barrier = threading.Barrier(args.clients)

            def client(k: int) -> None:
                browser = Facilitator(server.url)
                barrier.wait()  # all clients start together
                for i in range(args.requests):
                    name = names[(k + i) % len(names)]
                    start = time.perf_counter()
                    try:
                        r = browser.http.get(pages[name])
                        ok = r.status_code == 200
                        problem = f"{name}: HTTP {r.status_code}"
                    except Exception as exc:  # noqa: BLE001 - every failure is counted
                        ok, problem = False, f"{name}: {type(exc).__name__}"
                    ms = (time.perf_counter() - start) * 1000
                    with lock:
                        latencies[name].append(ms)
                        if not ok:
                            errors.append(problem)

            threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
            wall = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - wall

    rows = []
    for name in names + ["all pages"]:
        values = [v for vs in latencies.values() for v in vs] if name == "all pages" else latencies[name]
        p = percentiles(values)
        rows.append([name, p["n"], f"{p['p50']:.0f}", f"{p['p90']:.0f}", f"{p['p95']:.0f}", f"{p['p99']:.0f}",
                     f"{p['max']:.0f}"])
    total = sum(len(v) for v in latencies.values())
    print(f"{args.clients} concurrent clients x {args.requests} requests = {total} requests on 127.0.0.1 in "
          f"{wall:.1f} s ({total / wall:.0f} requests/s); errors: {len(errors)}")
    print(table(rows, ["page", "requests", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms"]))
    if errors:
        print("errors:", ", ".join(sorted(set(errors))))


if __name__ == "__main__":
    main()
