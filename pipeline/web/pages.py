"""Pages of a run's statements, read with SQL so a page costs the same at 1,000 and 100,000 statements.

The pages never load every statement of a run: theme sizes under filters are counted by SQLite (the
filters become a WHERE clause), a theme's statements are read a page at a time in the order of their
`theme_rank`, a document a page of lines at a time, and what never changes after a run finished (its
statement count, the filter choices) is kept in memory per run.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from math import ceil

from sqlalchemy.orm import Session

THEMES_PER_PAGE = 20  # themes with their quotes on one page of the themes list
STATEMENTS_PER_PAGE = 100  # statements on one page of a theme or of a recommendation's evidence
LINES_PER_PAGE = 500  # lines of a document on one page
PLAN_QUOTES = 5  # statements quoted under each recommendation on the plan page; the rest on its evidence page
_FACTS_KEPT = 16  # runs whose facts stay in memory


@dataclass(frozen=True)
class Pager:
    """Page `page` (1-based) of `total` things, `per_page` at a time; `page` is clamped into range."""

    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, page: int | None, per_page: int, total: int) -> "Pager":
        pages = max(1, ceil(total / per_page))
        return cls(min(max(1, int(page or 1)), pages), per_page, total)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first(self) -> int:
        """1-based number of the first thing on this page (0 when there is none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.offset + self.per_page)


def line_page(line: int, per_page: int | None = None) -> int:
    """The page of a document that shows `line` (pages hold fixed line ranges, so links can name it)."""
    return (max(1, int(line)) - 1) // (per_page or LINES_PER_PAGE) + 1


def filter_sql(filters) -> tuple[str, list]:
    """The themes-page filters (event, code, section, question) as an SQL condition on `segments`.

    The same rules as Filters.accepts: a code matches any of a statement's codes ("uncoded": none); a
    section matches itself and its subsections ("A" matches "A > B"). Every column it reads is in the
    index ix_segments_run_theme, so SQLite counts from the index without reading the statements' text.
    """
    parts, params = [], []
    if filters.event:
        parts.append("event = ?")
        params.append(filters.event)
    if filters.code == "uncoded":
        parts.append("(codes IS NULL OR json_array_length(codes) = 0)")
    elif filters.code:
        # the code as a key-value pair of the codes JSON save_results writes ([{"code": "funding", ...}]),
        # spelled both ways json.dumps may spell it; instr on the indexed column is ~3x faster than json_each
        forms = {f'"code":{sep}{json.dumps(filters.code, ensure_ascii=ascii_)}' for sep in (" ", "")
                 for ascii_ in (True, False)}
        parts.append("(" + " OR ".join("instr(codes, ?) > 0" for _ in forms) + ")")
        params += sorted(forms)
    if filters.section:
        prefix = filters.section + " > "
        parts.append("(section = ? OR substr(section, 1, ?) = ?)")
        params += [filters.section, len(prefix), prefix]
    if filters.question:
        parts.append("question = ?")
        params.append(filters.question)
    return (" AND ".join(parts) or "1 = 1"), params


@dataclass(frozen=True)
class RunFacts:
    """What the pages need of a whole finished run, read once: its statement count and filter choices."""

    total: int
    events: list[str]
    sections: list[str]
    questions: list[str]


_facts: OrderedDict[tuple, RunFacts] = OrderedDict()
_facts_lock = threading.Lock()


def run_facts(session: Session, run) -> RunFacts:
    """The run's RunFacts; kept per (run, finish time), since a finished run's statements never change."""
    key = (str(session.bind.url) if session.bind is not None else "", run.id, str(run.finished_at))
    with _facts_lock:
        if key in _facts:
            _facts.move_to_end(key)
            return _facts[key]
    conn = session.connection()

    def distinct(column: str) -> list[str]:
        rows = conn.exec_driver_sql(f"SELECT DISTINCT {column} FROM segments WHERE run_id = ? "
                                    f"AND {column} IS NOT NULL AND {column} != ''", (run.id,)).fetchall()
        return sorted(r[0] for r in rows)

    total = conn.exec_driver_sql("SELECT count(*) FROM segments WHERE run_id = ?", (run.id,)).scalar()
    facts = RunFacts(int(total or 0), distinct("event"), distinct("section"), distinct("question"))
    with _facts_lock:
        _facts[key] = facts
        while len(_facts) > _FACTS_KEPT:
            _facts.popitem(last=False)
    return facts


def theme_counts(session: Session, run_id: int, filters) -> tuple[dict[str, int], int]:
    """({theme id: statements matching the filters}, statements matching in all), counted by SQLite."""
    where, params = filter_sql(filters)
    rows = session.connection().exec_driver_sql(
        f"SELECT theme, count(*) FROM segments WHERE run_id = ? AND {where} GROUP BY theme",
        (run_id, *params)).fetchall()
    counts = {theme: int(n) for theme, n in rows}
    return {k: v for k, v in counts.items() if k is not None}, sum(counts.values())
