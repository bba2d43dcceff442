"""Settings of one web app instance: where its data lives, and its limits."""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from ..ingest import DEFAULT_MAX_BYTES

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
MB = 1024 * 1024  # sizes are shown in the binary megabytes the --max-mb options use


def format_mb(n: float) -> str:
    """A size for people: '50 MB', '1.5 MB', '0.25 MB'."""
    text = f"{n / MB:.2f}".rstrip("0").rstrip(".")
    return f"{text} MB"


def default_data_dir() -> Path:
    """$PLENARY_DATA, else the XDG data folder (~/.local/share/plenary)."""
    env = os.environ.get("PLENARY_DATA")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "plenary"


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything: treat it as public


def bind_host(host: str) -> str:
    """The address to listen on: an IPv6 literal without the brackets a URL needs ("[::1]" -> "::1")."""
    host = host.strip()
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def url_host(host: str) -> str:
    """The host as a URL writes it: an IPv6 literal in brackets, once ("::1" and "[::1]" -> "[::1]")."""
    bare = bind_host(host)
    return f"[{bare}]" if ":" in bare else bare


@dataclass
class WebConfig:
    data_dir: Path
    token: str | None = None  # when set, every request must carry it (cookie after /login, or a Bearer header)
    max_upload_bytes: int = DEFAULT_MAX_BYTES  # per file
    max_files: int = 20  # per upload request
    cache_dir: str | None = None  # embedding cache; None: the pipeline's default (or $PLENARY_CACHE)
    seed: int = 0
    login_rate: str = "10/minute"  # sign-in attempts per client address (ratelimit.py)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)

    @property
    def max_request_bytes(self) -> int:
        # a whole upload request may hold several files, up to 200 MB in all (one file may always be sent)
        return max(self.max_upload_bytes, min(self.max_upload_bytes * self.max_files, 200 * 1024 * 1024)) \
            + 1024 * 1024

    @property
    def database_path(self) -> Path:
        return self.data_dir / "plenary.sqlite"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"
