"""The Ray engine against a real local Ray cluster (no mock): same themes, codes and recommendations as local.

The fixture starts a cluster on loopback with `ray start`: a head node that runs no work (`--num-cpus 0`)
and two worker nodes of one CPU each, so the work really runs in two worker processes. It listens on
127.0.0.2, not 127.0.0.1: Ray rewrites 127.0.0.1/localhost to the machine's network address, and
everything here must stay on loopback. At the end the cluster's own processes are stopped by pid
(`ray stop` would end every Ray process on the machine). Ray comes with the `cluster` extra, which
scripts/setup.sh --test installs.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.e2e

HOST = "127.0.0.2"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _processes_of(marker: str) -> set[int]:
    """Pids whose command line holds `marker` (the cluster's temp dir), and all their descendants."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        table[int(entry)] = (parent, cmd)
    found = {pid for pid, (_, cmd) in table.items() if marker in cmd}
    while True:
        children = {pid for pid, (parent, _) in table.items() if parent in found} - found
        if not children:
            return found
        found |= children


def _stop(marker: str) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _processes_of(marker)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 15
        while time.time() < deadline and _processes_of(marker):
            time.sleep(0.3)


@pytest.fixture(scope="module")
def ray_address():
    ray_cli = shutil.which("ray", path=str(Path(sys.executable).parent))
    assert ray_cli, "Ray is not installed: bash scripts/setup.sh --test installs the cluster extra"
    temp = tempfile.mkdtemp(prefix="plray-", dir="/tmp")  # Ray's socket paths must stay short
    port = _free_port()
    address = f"{HOST}:{port}"
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_DATA_USAGE_DISABLED": "1"}
    env.pop("RAY_ADDRESS", None)
    common = ["--node-ip-address", HOST, "--disable-usage-stats", "--object-store-memory", str(200 * 1024 * 1024)]
    try:
        subprocess.run([ray_cli, "start", "--head", "--port", str(port), "--num-cpus", "0",
                        "--include-dashboard", "false", "--temp-dir", temp, *common],
                       check=True, capture_output=True, env=env, timeout=180)
        for _ in range(2):
            subprocess.run([ray_cli, "start", "--address", address, "--num-cpus", "1", *common],
                           check=True, capture_output=True, env=env, timeout=180)
        yield address
    finally:
        _stop(temp)
        shutil.rmtree(temp, ignore_errors=True)


def _assert_same(local, remote):
    assert [s.id for s in remote.segments] == [s.id for s in local.segments]
    assert np.abs(remote.vectors - local.vectors).max() <= 1e-6
    assert [(s.id, [c.code for c in s.codes], s.nearest.code if s.nearest else None, s.theme)
            for s in remote.segments] == \
           [(s.id, [c.code for c in s.codes], s.nearest.code if s.nearest else None, s.theme)
            for s in local.segments]
    assert [(t.id, t.label, t.rank, t.segments, t.quotes, [c.code for c in t.codes]) for t in remote.themes] == \
           [(t.id, t.label, t.rank, t.segments, t.quotes, [c.code for c in t.codes]) for t in local.themes]
    assert [(p.code, [(r.text, r.evidence) for r in p.recommendations]) for p in remote.plans] == \
           [(p.code, [(r.text, r.evidence) for r in p.recommendations]) for p in local.plans]


def test_ray_run_matches_local(ray_address, tmp_path, corpora_dir):
    """`plenary run --engine ray --address ...` analyses the bundled corpora exactly as the local engine does."""
    import ray

    from pipeline.api import Settings, analyse, read_corpus

    corpus = read_corpus([])
    local = analyse(corpus, settings=Settings(cache_dir=str(tmp_path / "local-cache")))
    remote = analyse(corpus, settings=Settings(cache_dir=str(tmp_path / "ray-cache"), engine="ray",
                                               address=ray_address))
    assert remote.embed_stats["embedded"] == local.embed_stats["embedded"] > 1000  # really embedded on Ray
    _assert_same(local, remote)
    assert not ray.is_initialized()  # the engine disconnects when the run ends


def test_ray_scores_per_statement_coder_in_partitions(ray_address, tmp_path, real_embedder):
    """A per-statement coder scored by two Ray workers gives the local scores, row for row."""
    import ray

    from pipeline.api import load_codebook, read_corpus
    from pipeline.coding.zero_shot import CodebookCoder
    from pipeline.engines.ray_engine import RayEngine

    texts = [s.text for s in read_corpus([]).segments][:700]
    vectors = real_embedder.encode(texts)
    coder = CodebookCoder(real_embedder).fit(load_codebook(None))
    engine = RayEngine(ray_address, batch_size=100)
    try:
        assert len([n for n in ray.nodes() if n["Alive"]]) == 3 and engine.workers() == 2
        remote = engine.score(coder, texts, vectors)
        local = coder.score(texts, vectors)
        assert remote.codes == local.codes
        # the same sums in other block sizes: equal to float32 rounding, and the same codes assigned
        assert np.abs(remote.scores - local.scores).max() <= 1e-6
        assert coder.assign(remote) == coder.assign(local)
        vectors_remote = engine.embed(real_embedder, texts[:300])
        assert np.abs(vectors_remote - real_embedder.encode_uncached(texts[:300])).max() <= 1e-6
    finally:
        engine.close()


def test_cli_engine_ray(ray_address, tmp_path):
    """The command line takes --engine ray --address and writes the same run folder as the local engine."""
    import json

    notes = Path(__file__).resolve().parent.parent / "corpora"
    first = sorted(notes.glob("*.txt"))[0]
    plenary = str(Path(sys.executable).parent / "plenary")
    env = dict(os.environ)
    for engine, out in (("ray", "ray"), ("local", "local")):
        env["PLENARY_CACHE"] = str(tmp_path / f"cache-{engine}")  # each embeds every statement itself
        extra = ["--address", ray_address] if engine == "ray" else []
        subprocess.run([plenary, "run", str(first), "--out", str(tmp_path / out), "-q", "--engine", engine, *extra],
                       check=True, env=env, timeout=900)
    for name in ("themes.json", "recommendations.json"):
        a = json.loads((tmp_path / "local" / name).read_text())
        b = json.loads((tmp_path / "ray" / name).read_text())
        assert a == b, name
    seg = lambda p: [(r["id"], r["codes"], r["theme"]) for r in map(json.loads, (p / "segments.jsonl").open())]
    assert seg(tmp_path / "ray") == seg(tmp_path / "local")
    settings = json.loads((tmp_path / "ray" / "run.json").read_text())["settings"]
    assert settings["engine"] == "ray" and settings["address"] == ray_address
