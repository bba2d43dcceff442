"""`plenary codebook draft`: a starter codebook from the notes' own themes, for a topic no codebook fits.

The drafting itself (`draft_codebook`, `draft_groups`, `heading_terms`) lives in `themes.codebook_draft`,
below the API, because a run whose codebook fits poorly drafts its plan headings the same way.

`draft_from(path, ...)`: from a finished run folder (the codebook its plan headings were drafted from, when
they were; else its themes.json and segments.jsonl) or from notes files (analysed here, then regrouped
into finer topics than a run's themes: a codebook wants distinct topics).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..themes.codebook_draft import (GENERIC, _quote, draft_codebook, draft_groups, heading_terms,  # noqa: F401
                                     segment_rows)

__all__ = ["GENERIC", "draft_codebook", "draft_from", "heading_terms"]


def draft_from(paths: Sequence[str | Path], name: str | None = None, settings=None) -> tuple[str, str]:
    """(YAML text, what it was drafted from) from one run folder or notes files; InputError on bad input."""
    from ..exchange import rundir

    first = Path(paths[0])
    if len(paths) == 1 and first.is_dir() and (first / "run.json").exists():
        drafted = ((rundir.read_json(first / "run.json").get("codebook_fit") or {}).get("drafted_headings") or {})
        if drafted.get("codebook"):  # the codebook the run's plan headings came from
            text = drafted["codebook"]
            if name:
                text = re.sub(r"(?m)^name: .*$", lambda _: f"name: {_quote('Draft codebook: ' + name)}", text, count=1)
            return text, str(first)
        themes = rundir.read_themes_json(first).get("themes", [])
        rows = {r["id"]: r for r in rundir.read_segment_rows(first)}
        return draft_codebook(themes, rows, name or first.name, f"the run folder {first.name}"), str(first)
    from .. import api

    settings = settings or api.Settings()
    settings.keep_headings = True  # only the statements and vectors are wanted here
    n_codes, settings.n_themes = settings.n_themes, None
    corpus = api.read_corpus([str(p) for p in paths], settings)
    result = api.analyse(corpus, settings=settings)
    groups = draft_groups(result.segments, result.vectors, n_codes, settings.seed)
    label = name or (first.stem if len(paths) == 1 else "notes")
    where = ", ".join(Path(p).name for p in paths)
    return draft_codebook(groups, segment_rows(result.segments), label, where), where
