"""What the web app asks of the library, with objects: no temporary codebook or overrides files.

The pages and the background runs call these; each one calls `pipeline.api` (or a run-folder writer)
with records, never with paths the app made up only to hand data to the library.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from ..api import Settings, analyse, read_corpus
from ..codebook import Codebook
from ..coding import LabelledItem
from ..records import Analysis
from ..exchange import rundir
from ..records import Event
from ..render.report import rendered_files
from ..stages import Progress

log = logging.getLogger("plenary.web")


def override_items(overrides: Mapping[str, str], codebook: Codebook) -> list[LabelledItem]:
    """A person's codes ({statement id: code}) as the pipeline takes them, in id order.

    Codes the chosen codebook does not have are left out (and logged), so a codebook change cannot make
    the whole analysis fail.
    """
    codable = {c.id for c in codebook.codable}
    items = [LabelledItem(id=sid, text="", labels=[code], primary=code)
             for sid, code in sorted(overrides.items()) if code in codable]
    skipped = len(overrides) - len(items)
    if skipped:
        log.warning("%d override(s) name codes the chosen codebook does not have; left out", skipped)
    return items


def analyse_documents(paths: Sequence[str | Path], codebook: Codebook, settings: Settings,
                      overrides: Mapping[str, str] | None = None, events: Mapping[str, Event] | None = None,
                      progress: Progress | None = None) -> Analysis:
    """Read the run's documents and analyse them with the project's codebook and a person's codes.

    `events` gives each document's event by its file name (as statements cite it)."""
    progress = progress or Progress()
    items = override_items(overrides or {}, codebook)
    progress.stage("ingest")
    started = time.perf_counter()
    corpus = read_corpus(paths, settings, events=events)
    ingest_seconds = round(time.perf_counter() - started, 4)
    result = analyse(corpus, codebook, settings, overrides=items or None, overrides_name="web app (saved codes)",
                     progress=progress)
    return replace(result, inputs=[str(p) for p in paths], timings={"ingest": ingest_seconds, **result.timings})


def write_output(result: Analysis, out_dir: Path, name: str) -> tuple[Path, dict]:
    """Write the run folder; returns it and run.json's content (one record, one "created" time)."""
    record = rundir.run_record(result, name)
    return rundir.write_run(result, out_dir, name, rendered_files(result, record, name), record), record
