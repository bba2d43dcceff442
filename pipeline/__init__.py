"""Plenary: many people's notes to ranked themes and a draft action plan, offline.

The public API (see docs/architecture.md):

    read_corpus(paths, settings=None) -> corpus of statements (redacted)
    load_codebook(path=None)          -> Codebook
    analyse(statements, codebook=None, settings=None, train=(), overrides=None) -> Analysis
    Settings, Analysis                -> the run's settings and result records

Importing `pipeline` loads nothing heavy; the names above are imported on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Analysis", "Settings", "analyse", "load_codebook", "read_corpus", "__version__"]


def __getattr__(name: str):
    # lazy, so `import pipeline` (e.g. for __version__ or the CLI's --help) does not load numpy, spaCy or torch
    if name in ("analyse", "read_corpus", "Settings"):
        from . import api
        return getattr(api, name)
    if name == "load_codebook":
        from .api import load_codebook
        return load_codebook
    if name == "Analysis":
        from .records import Analysis
        return Analysis
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
