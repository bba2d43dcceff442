"""The notes parser (`ingest`) and proposal rules and drafter (`recommend`) as they were before issue 11,
read from git history (commit 59309b1, `pipeline/*.py`) so the benchmarks can print them beside today's
code in the same run. Importing `benchmarks._frozen.notes_v1.ingest` (or `.recommend`, `.records`, ...)
writes those modules, unchanged, into `_git/` beside this file (git-ignored) and imports them from there;
they import one another relatively, so they run as this package.

Raises ImportError, naming the commit, when the folder is not a git clone holding that commit.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

REVISION = "59309b1"
MODULES = ("codebook", "errors", "files", "ingest", "recommend", "records", "text")


def _materialise() -> Path:
    here = Path(__file__).resolve().parent
    out = here / "_git"
    out.mkdir(exist_ok=True)
    for name in MODULES:
        try:
            source = subprocess.run(["git", "-C", str(here), "show", f"{REVISION}:pipeline/{name}.py"],
                                    capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            raise ImportError(f"the pre-issue-11 baseline is read from git history (commit {REVISION}, "
                              f"pipeline/{name}.py): run the benchmarks in a git clone of Plenary") from exc
        target = out / f"{name}.py"
        if not target.exists() or target.read_text(encoding="utf-8") != source:
            target.write_text(source, encoding="utf-8")
    return out


__path__ = [str(_materialise())]
