"""Event metadata: which event a file's notes come from, and when, where and what kind of event it was.

Each field is taken from the first of these that gives it:

1. the command line (`--event`, `--event-date`, `--event-place`, `--event-type`);
2. a sidecar named after the file: `notes.event.yaml` for `notes.docx` (so several
   events' documents can share one folder, as the bundled corpora do);
3. `event.yaml` in the file's folder (one folder per event);
4. the file's name, as the event name.

A sidecar is a small YAML mapping::

    name: Spring community assembly
    date: 2024-03-16        # YYYY, YYYY-MM or YYYY-MM-DD
    place: Kirkby
    type: assembly          # assembly, workshop, panel, consultation, survey, ...
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import InputError
from ..files import slug
from ..records import Event
from ..yamlnodes import mapping_items, node_line, scalar

EVENT_KEYS = {"name", "date", "place", "type"}
SIDECAR_NAMES = ("event.yaml", "event.yml")
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def check_date(value: str, where: object = "--event-date", line: int | None = None) -> str:
    """An event date as ISO text (YYYY, YYYY-MM or YYYY-MM-DD); anything else is an InputError."""
    value = str(value).strip()
    if not DATE_RE.match(value):
        raise InputError(where, f"date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD", line, "date")
    return value


def parse_event(text: str, path: str = "event.yaml") -> Event:
    """Parse a sidecar's YAML text; errors name the line and field to fix."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"YAML error: {getattr(exc, 'problem', None) or exc}",
                         mark.line + 1 if mark is not None else None) from None
    if root is None:
        raise InputError(path, "event file is empty; give at least a name or a date")
    if not isinstance(root, yaml.MappingNode):
        raise InputError(path, "must be a mapping of name, date, place and type", node_line(root))
    values: dict[str, str | None] = {}
    for key, _, node in mapping_items(path, root, EVENT_KEYS, "an event file"):
        value = scalar(path, node, key)
        values[key] = value if value and value.lower() not in ("null", "~") else None
        if key == "date" and values[key]:
            values[key] = check_date(value, path, node_line(node))
    return Event(name=values.get("name") or "", date=values.get("date"), place=values.get("place"),
                 type=values["type"].lower() if values.get("type") else None)


@lru_cache(maxsize=256)
def _load_cached(path: str, mtime: float) -> Event:
    return parse_event(Path(path).read_text(encoding="utf-8-sig"), path)


def load_event_file(path: str | Path) -> Event:
    path = Path(path)
    return _load_cached(str(path), path.stat().st_mtime)


def sidecars_for(path: Path) -> list[Path]:
    """The sidecars that apply to a notes file, most specific first."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    candidates = [path.with_name(f"{stem}.event.yaml"), path.with_name(f"{stem}.event.yml")]
    candidates += [path.with_name(name) for name in SIDECAR_NAMES]
    return [c for c in candidates if c.is_file()]


def resolve_event(path: str | Path, override: Event | None = None, given: Event | None = None) -> Event:
    """The event a notes file belongs to, field by field: command-line values (`override`), then the
    caller's event for this file (`given`, e.g. the web app's), then sidecars, then the file's name."""
    path = Path(path)
    layers = [e for e in (override, given) if e is not None] + [load_event_file(s) for s in sidecars_for(path)]
    fields = {key: next((getattr(e, key) for e in layers if getattr(e, key)), None)
              for key in ("name", "date", "place", "type")}
    return Event(name=fields.pop("name") or slug(path.name), **fields)
