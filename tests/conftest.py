from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    return ROOT / "corpora"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One embedding cache for the whole test session, away from the user's own."""
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def real_embedder(cache_dir):
    from pipeline.embed import Embedder

    return Embedder(cache_dir=cache_dir)


@pytest.fixture(scope="session")
def bundled_run(cache_dir):
    """The real pipeline (real model) over the bundled corpora, shared by end-to-end tests."""
    from pipeline.api import Settings, run_pipeline

    return run_pipeline([], Settings(cache_dir=str(cache_dir)))


@pytest.fixture(scope="session")
def bundled_outputs(bundled_run, tmp_path_factory) -> Path:
    from pipeline.render.report import write_run

    return write_run(bundled_run, tmp_path_factory.mktemp("runs") / "bundled")
