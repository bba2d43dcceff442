"""Shared parts of the web benchmarks: start `plenary serve` on loopback, and drive it like a browser.

Only 127.0.0.1 is ever contacted. Every loop is bounded.
"""
from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`plenary serve` in a child process on 127.0.0.1, stopped on exit."""

    def __init__(self, data_dir: Path, cache_dir: Path, max_mb: float = 50):
        self.data_dir, self.cache_dir = Path(data_dir), Path(cache_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.max_mb = max_mb
        self.proc: subprocess.Popen | None = None
        self.started_in = 0.0

    def __enter__(self) -> "Server":
        env = {**os.environ, "PLENARY_CACHE": str(self.cache_dir), "PLENARY_TOKEN": ""}
        self.log = open(self.data_dir.parent / f"server-{self.port}.log", "w")
        start = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(self.port),
                                      "--data-dir", str(self.data_dir), "--max-mb", str(self.max_mb),
                                      "--log-level", "warning"], cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        for _ in range(600):  # at most 60 s
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    self.started_in = time.perf_counter() - start
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.__exit__()
        sys.exit(f"the server did not start; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Facilitator:
    """One browser's worth of requests: cookies, CSRF token, forms."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, timeout=600, follow_redirects=True)
        self.token = CSRF_RE.search(self.http.get("/").text).group(1)

    def post(self, url: str, data: dict | None = None, files=None) -> httpx.Response:
        r = self.http.post(url, data={"csrf_token": self.token, **(data or {})}, files=files)
        r.raise_for_status()
        return r

    def project(self, name: str, event: str) -> tuple[int, int]:
        r = self.post("/projects", {"name": name, "event": event})
        event_id = int(str(r.url).rstrip("/").rsplit("/", 1)[1])
        project_id = int(re.search(r'href="/projects/(\d+)"', r.text).group(1))
        return project_id, event_id

    def event(self, project_id: int, name: str) -> int:
        r = self.post(f"/projects/{project_id}/events", {"name": name})
        return int(str(r.url).rstrip("/").rsplit("/", 1)[1])

    def upload(self, event_id: int, paths: list[Path]) -> httpx.Response:
        files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
        return self.post(f"/events/{event_id}/upload", files=files)

    def run(self, project_id: int, timeout_s: float = 1800) -> tuple[int, float]:
        """Start an analysis and wait for it; returns (run id, seconds from the click to done)."""
        start = time.perf_counter()
        r = self.post(f"/projects/{project_id}/runs")
        run_id = int(str(r.url).rsplit("/", 1)[1])
        deadline = start + timeout_s
        while time.perf_counter() < deadline:
            status = self.http.get(f"/runs/{run_id}/status", headers={"Accept": "application/json"}).json()
            if status["status"] == "done":
                return run_id, time.perf_counter() - start
            if status["status"] == "failed":
                sys.exit(f"run {run_id} failed: {status['error']}")
            time.sleep(0.2)
        sys.exit(f"run {run_id} did not finish within {timeout_s} s")


def server_ms(response: httpx.Response) -> float:
    """The app's own time for a request, from its Server-Timing header."""
    return float(re.search(r"dur=([\d.]+)", response.headers["server-timing"]).group(1))


def percentiles(values: list[float]) -> dict[str, float]:
    xs = sorted(values)

    def pick(q: float) -> float:
        return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]

    return {"n": len(xs), "p50": statistics.median(xs), "p90": pick(0.90), "p95": pick(0.95), "p99": pick(0.99),
            "max": xs[-1]}


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
            + " |" for r in rows]
    return "\n".join([line, rule, *body])
