"""Uploaded files: stored once under their content hash, never under the client's name.

A file is streamed to a temporary name, hashed as it goes, and moved into
place as `uploads/<sha256><ext>`; identical content lands on the same name, so
two uploads at once cannot leave a half-written file under a final name.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import ingest as ingest_module
from ..errors import InputError
from ..files import slug

CHUNK = 1 << 20
EXT_RE = re.compile(r"^\.[a-z0-9]{1,10}$")
MAX_DISPLAY = 200  # characters of a client's file name kept for display


class TooLarge(Exception):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"over the {limit / 1048576:.2f} MB limit")


def supported_extensions() -> list[str]:
    """Every extension the ingest can read, looked up now so readers added later are accepted."""
    return sorted(ingest_module.READERS)


def extension(name: str) -> str:
    """The lower-case extension of a client file name, or '' when it has none we could trust."""
    ext = Path(name.replace("\\", "/")).suffix.lower()
    return ext if EXT_RE.match(ext) else ""


def display_name(name: str | None) -> str:
    """The client's file name, reduced to its last path part and printable characters, for display only."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > MAX_DISPLAY:  # shorten the stem, never the extension the file is read by
        ext = extension(base)
        base = base[:MAX_DISPLAY - len(ext) - 1].rstrip() + "…" + ext
    return base or "unnamed"


def run_name(original: str, ext: str, taken: set[str]) -> str:
    """A safe, unique file name for the pipeline: the slug of the client's name plus its extension.

    The pipeline cites statements as <file>:<line>, so a readable name helps,
    but only letters, digits and hyphens survive: no path can be smuggled in.
    """
    stem = slug(display_name(original))[:80] or "notes"
    candidate, n = f"{stem}{ext}", 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}{ext}", n + 1
    return candidate


@dataclass
class StoredFile:
    sha256: str
    size: int
    stored_name: str
    path: Path


def store(stream: BinaryIO, uploads_dir: Path, ext: str, max_bytes: int) -> StoredFile:
    """Copy `stream` into the store; raises TooLarge (and keeps nothing) past max_bytes."""
    uploads_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=uploads_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = uploads_dir / f"{sha}{ext}"
        os.replace(tmp, final)  # atomic; the same content under the same name is harmless
        return StoredFile(sha256=sha, size=size, stored_name=final.name, path=final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify(path: Path, sha256: str) -> None:
    """Refuse a stored file that is missing or no longer matches its hash."""
    if not path.exists():
        raise InputError(path.name, "stored file is missing from the data folder")
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise InputError(path.name, "stored file has changed on disk since it was uploaded (hash mismatch)")


def link_as(src: Path, folder: Path, name: str) -> Path:
    """Put `src` into `folder` under `name` (a hard link when possible, else a copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
    return dst


def ingest_report(path: Path, name: str, original: str, event: str, max_bytes: int) -> tuple[dict, int]:
    """Ingest a stored file as the pipeline will see it; returns (report dict, statements).

    Errors are re-raised naming the client's file, not the temporary path.
    """
    with tempfile.TemporaryDirectory(prefix="plenary-ingest-") as tmp:
        linked = link_as(path, Path(tmp), name)
        try:
            segments, report = ingest_module.ingest_file(linked, event=event, max_bytes=max_bytes)
        except InputError as exc:
            raise InputError(original, exc.message, exc.line, exc.field) from None
        except OSError as exc:
            raise InputError(original, f"cannot be read ({exc.strerror or exc})") from None
        except Exception as exc:  # a reader's own failure on a damaged file is still the file's fault
            raise InputError(original, f"could not be read ({type(exc).__name__}: {exc})") from None
    return report.to_dict(), len(segments)
