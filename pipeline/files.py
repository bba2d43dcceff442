"""Reading and writing files so that a failure never leaves something that looks complete."""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import InputError


def slug(name: str) -> str:
    """A file name's stem as lower-case letters, digits and hyphens ("Notes 2024.txt" -> "notes-2024");
    "notes" when nothing is left. Used for statement ids, event names and output folder names."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", Path(name).stem).strip("-").lower()
    return s or "notes"


# .<name>.partial-<pid>-<random> (staged_folder), .<name>.old-<pid> (replace_dir), .<name>.partial-<random> (older)
STAGED_RE = re.compile(r"^\..+\.(?:partial-(?P<pid>\d+)-[^-]+|old-(?P<old>\d+)|partial-(?P<legacy>[a-z0-9_]+))$")
STALE_UNKNOWN_SECONDS = 24 * 3600  # a leftover without its writer's process id is stale after a day
_in_progress: set[Path] = set()  # staged folders this process is writing now
_in_progress_lock = threading.Lock()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def clean_stale_staged(parent: str | Path) -> list[Path]:
    """Remove the half-written `.<name>.partial-<pid>-…` and set-aside `.<name>.old-<pid>` folders in `parent`
    that no live writer owns: their process has ended (a run killed mid-write), or it is this process and
    the folder is not one it is writing now. Folders of another live process are left alone, so two runs
    at once never disturb each other. Returns the folders removed.
    """
    parent = Path(parent)
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    with _in_progress_lock:
        busy = set(_in_progress)
    for entry in entries:
        match = STAGED_RE.match(entry.name)
        if match is None or not entry.is_dir() or entry.is_symlink() or entry in busy:
            continue
        if match["legacy"]:
            try:
                if time.time() - entry.stat().st_mtime < STALE_UNKNOWN_SECONDS:
                    continue
            except OSError:
                continue
        else:
            pid = int(match["pid"] or match["old"])
            if pid != os.getpid() and _alive(pid):
                continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


@contextlib.contextmanager
def staged_folder(out_dir: str | Path) -> Iterator[Path]:
    """Yield a hidden temporary folder beside `out_dir`; move it into place only if the block succeeds.

    An existing `out_dir` stays as it was until the new one is complete. Leftovers of writers that died
    (`clean_stale_staged`) are removed before and after.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staged(out_dir.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-{os.getpid()}-", dir=out_dir.parent))
    with _in_progress_lock:
        _in_progress.add(tmp)
    try:
        yield tmp
        replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        with _in_progress_lock:
            _in_progress.discard(tmp)
    clean_stale_staged(out_dir.parent)


def replace_dir(src: Path, dst: Path) -> None:
    """Move src to dst; an existing dst is set aside first and removed only once src is in place."""
    os.chmod(src, 0o755)
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
        with _in_progress_lock:
            _in_progress.add(old)
        try:
            os.replace(dst, old)
            try:
                os.replace(src, dst)
            except OSError:
                os.replace(old, dst)
                raise
            shutil.rmtree(old, ignore_errors=True)
        finally:
            with _in_progress_lock:
                _in_progress.discard(old)
    else:
        os.replace(src, dst)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_jsonl_atomic(path: str | Path, rows: Iterable[dict]) -> None:
    """Write JSON lines to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside `path`, then rename it into place; returns `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def jsonl_rows(path: str | Path, text: str, shape: str = '{"id": ..., "text": ...}') -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a bad line is an InputError naming it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON ({exc.msg})", number) from None
        if not isinstance(row, dict):
            raise InputError(path, f"each line must be a JSON object like {shape}", number)
        yield number, row
