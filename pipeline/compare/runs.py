"""Reading the run folders a comparison starts from (run.json, themes.json, segments.jsonl)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..exchange import rundir
from ..records import Event

RUN_FILES = ("run.json", "themes.json", "segments.jsonl")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


# =========================================================================== reading runs
@dataclass
class RunThemes:
    """One theme as a run wrote it."""

    id: str
    label: str
    keywords: list[str]
    segments: list[str]  # most central first
    quotes: list[str]
    centroid: np.ndarray | None


@dataclass
class RunData:
    """A run folder as compare needs it."""

    path: Path
    name: str
    model: str | None
    codebook: dict[str, Any]
    events: list[Event]
    segments: list[dict[str, Any]]
    themes: list[RunThemes]
    code_ids: list[str]  # codable codes in codebook order
    code_info: dict[str, dict[str, str | None]]  # code -> {"label", "heading"}

    @property
    def by_id(self) -> dict[str, dict[str, Any]]:
        return {s["id"]: s for s in self.segments}


def event_date(event: Event) -> str | None:
    """The event's date as given, else a year found in its name or its documents' names."""
    if event.date:
        return str(event.date)
    for text in [event.name, *event.sources]:
        found = YEAR.search(text)
        if found:
            return found.group(1)
    return None


def date_key(date: str | None) -> tuple[int, int, int] | None:
    """A sortable (year, month, day) from an ISO date, year-month or year; None when unreadable."""
    if not date:
        return None
    m = ISO_DATE.match(date)
    if m:
        return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    found = YEAR.search(date)
    return (int(found.group(1)), 0, 0) if found else None


def _code_info(path: Path, record: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, str | None]]]:
    """Code ids, labels and headings: from the run's codebook when it is unchanged on disk,
    else from the headings the run's action plan used."""
    counts = record.get("counts", {}).get("codes", {})
    ids = [c for c in counts if c != "uncoded"]
    info: dict[str, dict[str, str | None]] = {c: {"label": c, "heading": None} for c in ids}
    book = record.get("codebook") or {}
    if book.get("path") and Path(book["path"]).is_file():
        from ..api import load_codebook

        try:
            loaded = load_codebook(book["path"])
        except InputError:
            loaded = None
        if loaded is not None and loaded.sha256 == book.get("sha256"):
            ids = ids or [c.id for c in loaded.codable]
            return ids, {c.id: {"label": c.label, "heading": c.heading} for c in loaded.codable}
    recs = path / "recommendations.json"
    if recs.exists():
        for heading in rundir.read_json(recs).get("headings", []):
            if heading.get("code") in info:
                info[heading["code"]]["heading"] = heading.get("heading")
    return ids, info


def load_run(path: str | Path) -> RunData:
    """Read and check one run folder written by `plenary run`."""
    path = rundir.check_run_folder(path)
    record = rundir.read_json(path / "run.json")
    themes_doc = rundir.read_json(path / "themes.json")
    segments = rundir.read_segment_rows(path, required=("id", "text", "event"))
    if not segments:
        raise InputError(path / "segments.jsonl", "the run holds no statements")
    seg_ids = {s["id"] for s in segments}

    themes: list[RunThemes] = []
    for i, t in enumerate(themes_doc.get("themes", [])):
        for key in ("id", "segments"):
            if key not in t:
                raise InputError(path / "themes.json", f"theme {i + 1} has no '{key}'", field=key)
        missing = [s for s in t["segments"] if s not in seg_ids]
        if missing:
            raise InputError(path / "themes.json", f"theme '{t['id']}' cites statement '{missing[0]}', "
                                                   "which is not in segments.jsonl", field="segments")
        quotes = [q["id"] if isinstance(q, dict) else q for q in t.get("quotes", [])]
        centroid = np.asarray(t["centroid"], dtype=float) if t.get("centroid") else None
        themes.append(RunThemes(id=t["id"], label=t.get("label") or t["id"], keywords=t.get("keywords", []),
                                segments=list(t["segments"]), quotes=[q for q in quotes if q in seg_ids],
                                centroid=centroid))

    # events: run.json's list (dates, places) where given, else the events the statements name
    listed = {e["name"]: e for e in record.get("events", []) if isinstance(e, dict) and e.get("name")}
    order = list(listed) + [s["event"] for s in segments]
    sources: dict[str, list[str]] = {}
    for s in segments:
        srcs = sources.setdefault(s["event"], [])
        if s.get("source") and s["source"] not in srcs:
            srcs.append(s["source"])
    events = []
    for name in dict.fromkeys(order):
        if name not in sources:
            continue  # an event whose documents gave no statements has nothing to compare
        e = listed.get(name, {})
        events.append(Event(name=name, date=e.get("date"), place=e.get("place"), type=e.get("type"),
                            sources=e.get("sources") or sources[name]))
    code_ids, code_info = _code_info(path, record)
    return RunData(path=path, name=record.get("name") or path.name, model=record.get("model") or
                   themes_doc.get("model"), codebook=record.get("codebook") or {}, events=events,
                   segments=segments, themes=themes, code_ids=code_ids, code_info=code_info)


# =========================================================================== statistics
