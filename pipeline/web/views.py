"""What the pages show, computed from the database: plain data for the templates and exports."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from ..render.charts import svg_bars
from .pages import STATEMENTS_PER_PAGE, THEMES_PER_PAGE, Pager, filter_sql, run_facts, theme_counts
from .models import Code, Codebook, Document, Event, Override, Recommendation, Run, Segment, Theme

GREY = "#8a8f98"
SEGMENT_COLUMNS = (Segment.segment_id, Segment.text, Segment.source, Segment.line_start, Segment.line_end,
                   Segment.event, Segment.section, Segment.question, Segment.theme, Segment.codes,
                   Segment.document_id, Segment.primary_code, Segment.position)


@dataclass
class Statement:
    id: str
    text: str
    source: str
    line: int
    line_end: int
    event: str
    section: str
    question: str | None
    theme: str | None
    codes: list[dict]
    document_id: int | None
    primary: str | None
    position: int = 0
    override: str | None = None

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"


def latest_run(session: Session, project_id: int, status: str | None = "done") -> Run | None:
    q = select(Run).where(Run.project_id == project_id)
    if status:
        q = q.where(Run.status == status)
    return session.scalars(q.order_by(Run.id.desc()).limit(1)).first()


def active_run(session: Session, project_id: int) -> Run | None:
    return session.scalars(select(Run).where(Run.project_id == project_id, Run.status.in_(("queued", "running")))
                           .order_by(Run.id.desc()).limit(1)).first()


def statements(session: Session, run_id: int, ids: list[str] | None = None) -> list[Statement]:
    """A run's statements in input order (or only `ids`), read with one plain query.

    The rows are turned into Statements by hand: for a page of 2,000 statements
    this is several times faster than the ORM's row processing.
    """
    columns = ", ".join(c.key for c in SEGMENT_COLUMNS)
    sql = f"SELECT {columns} FROM segments WHERE run_id = ?"
    params: list = [run_id]
    if ids is not None:
        if not ids:
            return []
        out: list[Statement] = []
        for start in range(0, len(ids), 500):  # SQLite limits the number of parameters
            chunk = list(ids[start:start + 500])
            out += _statements(session, f"{sql} AND segment_id IN ({','.join('?' * len(chunk))})", [run_id, *chunk])
        return sorted(out, key=lambda st: st.position)
    return _statements(session, sql + " ORDER BY position", params)


def statements_where(session: Session, run_id: int, where: str, params: list, order: str = "position",
                     limit: int | None = None, offset: int = 0) -> list[Statement]:
    """A run's statements meeting an SQL condition (pages.filter_sql), in `order`, `limit` from `offset`."""
    columns = ", ".join(c.key for c in SEGMENT_COLUMNS)
    sql = f"SELECT {columns} FROM segments WHERE run_id = ? AND {where} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return _statements(session, sql, [run_id, *params])


def with_overrides(session: Session, project_id: int, sts: list[Statement]) -> list[Statement]:
    """Mark each statement with a person's code for it, reading only these statements' overrides."""
    ids = [st.id for st in sts]
    person: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        person.update((sid, code) for sid, code in session.execute(select(Override.segment_id, Override.code).where(
            Override.project_id == project_id, Override.segment_id.in_(chunk))))
    for st in sts:
        st.override = person.get(st.id)
    return sts


def _statements(session: Session, sql: str, params: list) -> list[Statement]:
    rows = session.connection().exec_driver_sql(sql, tuple(params)).fetchall()
    return [Statement(id=r[0], text=r[1], source=r[2], line=r[3], line_end=r[4], event=r[5], section=r[6] or "",
                      question=r[7], theme=r[8], codes=json.loads(r[9]) if r[9] else [], document_id=r[10],
                      primary=r[11], position=r[12]) for r in rows]


def overrides(session: Session, project_id: int) -> dict[str, str]:
    return {o.segment_id: o.code for o in session.scalars(select(Override).where(Override.project_id == project_id))}


def run_codes(session: Session, run: Run | None, project_id: int) -> list[Code]:
    """The codes of the run's codebook (or the project's first codebook when there is no run)."""
    book_id = run.codebook_id if run is not None and run.codebook_id else session.scalar(
        select(Codebook.id).where(Codebook.project_id == project_id).order_by(Codebook.id).limit(1))
    if book_id is None:
        return []
    return list(session.scalars(select(Code).where(Code.codebook_id == book_id).order_by(Code.position)))


# --------------------------------------------------------------------------- themes page
@dataclass
class Filters:
    event: str = ""
    code: str = ""
    section: str = ""
    question: str = ""

    @property
    def active(self) -> bool:
        return bool(self.event or self.code or self.section or self.question)

    def accepts(self, st: Statement) -> bool:
        return ((not self.event or st.event == self.event)
                and (not self.code or (self.code == "uncoded" and not st.codes)
                     or any(c["code"] == self.code for c in st.codes))
                and (not self.section or st.section == self.section or st.section.startswith(self.section + " > "))
                and (not self.question or st.question == self.question))


@dataclass
class ThemeView:
    theme: Theme
    size: int  # statements matching the filters
    quotes: list[Statement]
    members: list[Statement]  # on a theme's page: this page of its statements
    colour: str
    pager: Pager | None = None


@dataclass
class ThemesPage:
    run: Run
    themes: list[ThemeView]  # this page of the ranked themes
    unclustered: ThemeView | None
    chart: Any
    options: dict[str, list[str]]
    matching: int
    total: int
    code_labels: dict[str, str]
    codes: list[Code] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour) of the bars
    pager: Pager | None = None  # over the ranked themes


def _themes(session: Session, run_id: int) -> list[Theme]:
    """The run's themes without their member lists (a theme's members are read a page at a time)."""
    return list(session.scalars(select(Theme).options(defer(Theme.segment_ids)).where(Theme.run_id == run_id)
                                .order_by(Theme.id)))


def theme_view(session: Session, run: Run, theme_id: str, filters: Filters, page: int = 1,
               per_page: int = STATEMENTS_PER_PAGE) -> tuple[ThemeView, dict[str, str], list[Code]]:
    """One page of one theme's statements that match the filters (most central first)."""
    theme = session.scalars(select(Theme).options(defer(Theme.segment_ids))
                            .where(Theme.run_id == run.id, Theme.theme_id == theme_id)).first()
    if theme is None:
        raise LookupError(theme_id)
    where, params = filter_sql(filters)
    where, params = f"theme = ? AND {where}", [theme_id, *params]
    size = session.connection().exec_driver_sql(f"SELECT count(*) FROM segments WHERE run_id = ? AND {where}",
                                                (run.id, *params)).scalar() or 0
    pager = Pager.of(page, per_page, int(size))
    members = statements_where(session, run.id, where, params, "theme_rank, position", per_page, pager.offset)
    with_overrides(session, run.project_id, members)
    codes = run_codes(session, run, run.project_id)
    colour = next((c.color or GREY for c in codes if theme.codes and c.code == theme.codes[0]["code"]), GREY)
    return ThemeView(theme, pager.total, [], members, colour, pager), {c.code: c.label for c in codes}, codes


def themes_page(session: Session, run: Run, filters: Filters, page: int = 1, n_quotes: int = 5,
                per_page: int = THEMES_PER_PAGE) -> ThemesPage:
    """The ranked themes with their sizes under the filters (all, for the chart) and one page of them with
    quotes. Quotes are the theme's chosen quotes that match, topped up with its most central matching ones."""
    facts = run_facts(session, run)
    codes = run_codes(session, run, run.project_id)
    colours = {c.code: c.color or GREY for c in codes}
    labels = {c.code: c.label for c in codes}
    themes = _themes(session, run.id)
    if filters.active:
        sizes, matching = theme_counts(session, run.id, filters)
    else:
        sizes, matching = {t.theme_id: t.size for t in themes}, facts.total
    views = [ThemeView(t, sizes.get(t.theme_id, 0), [], [], colours.get(t.codes[0]["code"], GREY) if t.codes else GREY)
             for t in themes]
    ranked = sorted((v for v in views if v.theme.rank), key=lambda v: v.theme.rank)
    if filters.active:
        ranked = [v for v in ranked if v.size]
    unclustered = next((v for v in views if not v.theme.rank), None)
    chart = svg_bars([(f"{v.theme.rank}. {v.theme.label}", v.size, v.colour) for v in ranked]) if ranked else None
    pager = Pager.of(page, per_page, len(ranked))
    shown = ranked[pager.offset:pager.offset + per_page]
    _quotes(session, run, shown, filters, n_quotes)
    options = {"event": facts.events, "code": [c.code for c in codes if c.codable] + ["uncoded"],
               "section": facts.sections, "question": facts.questions}
    used = {v.theme.codes[0]["code"] if v.theme.codes else None for v in ranked}
    legend = [(c.label, colours[c.code]) for c in codes if c.code in used]
    if None in used:
        legend.append(("no main code", GREY))
    return ThemesPage(run, shown, unclustered, chart, options, matching, facts.total, labels, codes, legend, pager)


def _quotes(session: Session, run: Run, shown: list[ThemeView], filters: Filters, n_quotes: int) -> None:
    """Fill each shown theme's quotes, reading only the statements quoted."""
    chosen = statements(session, run.id, [q for v in shown for q in v.theme.quotes])
    by_id = {st.id: st for st in chosen}
    extra: dict[str, list[Statement]] = {}
    if filters.active and shown:
        # the most central matching statements of each shown theme, n_quotes each: row ids read in theme
        # order from the covering index (pages.filter_sql reads only indexed columns), which stops at
        # n_quotes, then those rows
        where, params = filter_sql(filters)
        conn = session.connection()
        rows = [r[0] for v in shown for r in conn.exec_driver_sql(
            f"SELECT id FROM segments WHERE run_id = ? AND theme = ? AND {where} ORDER BY theme_rank, position "
            f"LIMIT ?", (run.id, v.theme.theme_id, *params, n_quotes)).fetchall()]
        if rows:  # by primary key (the planner would otherwise walk the run's index to sort)
            marks = ",".join("?" * len(rows))
            columns = ", ".join(c.key for c in SEGMENT_COLUMNS)
            found = {st.position: st for st in _statements(
                session, f"SELECT {columns} FROM segments WHERE id IN ({marks})", rows)}
            position = dict(conn.exec_driver_sql(f"SELECT id, position FROM segments WHERE id IN ({marks})",
                                                 tuple(rows)).fetchall())
            for row in rows:  # in theme order, most central first
                st = found[position[row]]
                extra.setdefault(st.theme, []).append(st)
    for v in shown:
        quotes = [by_id[q] for q in v.theme.quotes if q in by_id and filters.accepts(by_id[q])]
        if filters.active and len(quotes) < n_quotes:
            quotes += [m for m in extra.get(v.theme.theme_id, []) if m.id not in {q.id for q in quotes}]
        v.quotes = quotes[:n_quotes]
    with_overrides(session, run.project_id, [q for v in shown for q in v.quotes])


# --------------------------------------------------------------------------- action plan
@dataclass
class PlanItem:
    rec: Recommendation
    number: int
    quotes: list[Statement]


@dataclass
class PlanHeading:
    code: str
    heading: str
    note: str | None
    items: list[PlanItem]
    deleted: list[Recommendation]


def plan_headings(session: Session, project_id: int, run: Run | None, only_accepted: bool = False,
                  max_quotes: int | None = None) -> list[PlanHeading]:
    """The plan under its headings; each line quotes its evidence (the first `max_quotes` only, if given:
    the plan page shows a few and links to the rest, the exports take them all)."""
    recs = list(session.scalars(select(Recommendation).where(Recommendation.project_id == project_id)
                                .order_by(Recommendation.position, Recommendation.id)))
    evidence = sorted({e for r in recs if r.status in ("proposed", "accepted")
                       for e in (r.evidence or [])[:max_quotes]})
    by_id = {st.id: st for st in statements(session, run.id, evidence)} if run is not None else {}
    headings = list(run.headings or []) if run is not None else []
    known = {h["code"] for h in headings}
    labels = {c.code: c.heading or c.label for c in run_codes(session, run, project_id)}
    for code in dict.fromkeys(r.heading_code for r in recs):
        if code not in known:  # a heading the latest codebook no longer has: keep its lines visible
            headings.append({"code": code, "heading": labels.get(code, code), "note": None})
    out = []
    for h in headings:
        mine = [r for r in recs if r.heading_code == h["code"]]
        visible = [r for r in mine if r.status == "accepted" or (r.status == "proposed" and not only_accepted)]
        items = [PlanItem(r, n, [by_id[e] for e in (r.evidence or [])[:max_quotes] if e in by_id])
                 for n, r in enumerate(visible, start=1)]
        out.append(PlanHeading(h["code"], h["heading"], h.get("note"), items,
                               [r for r in mine if r.status == "deleted"]))
    return out


def evidence_page(session: Session, rec: Recommendation, run: Run | None, page: int = 1,
                  per_page: int = STATEMENTS_PER_PAGE) -> tuple[list[Statement], Pager]:
    """One page of the statements behind a recommendation, in its evidence order."""
    ids = list(rec.evidence or [])
    pager = Pager.of(page, per_page, len(ids))
    wanted = ids[pager.offset:pager.offset + per_page]
    by_id = {st.id: st for st in statements(session, run.id, wanted)} if run is not None else {}
    return [by_id[e] for e in wanted if e in by_id], pager


def plan_counts(headings: list[PlanHeading]) -> dict[str, int]:
    items = [i for h in headings for i in h.items]
    return {"total": len(items), "accepted": sum(i.rec.status == "accepted" for i in items),
            "edited": sum(i.rec.edited for i in items), "proposals": sum(bool(i.rec.proposal) for i in items)}


def sections_counter(session: Session, run: Run | None):
    """Distinct (source, section, question) among some statements, as the drafter counts them."""
    def count(ids: list[str]) -> int:
        if run is None:
            return 0
        return len({(st.source, st.section, st.question or "") for st in statements(session, run.id, ids)})
    return count


# --------------------------------------------------------------------------- project overview
def project_summary(session: Session, project_id: int) -> dict[str, Any]:
    events = list(session.scalars(select(Event).where(Event.project_id == project_id).order_by(Event.id)))
    docs = session.execute(select(Document.event_id, Document.status, func.count(), func.sum(Document.segment_count))
                           .where(Document.project_id == project_id)
                           .group_by(Document.event_id, Document.status)).all()
    per_event: dict[int, dict[str, int]] = {e.id: {"ok": 0, "error": 0, "statements": 0} for e in events}
    for event_id, status, n, statements_n in docs:
        per_event.setdefault(event_id, {"ok": 0, "error": 0, "statements": 0})
        per_event[event_id][status] = n
        if status == "ok":
            per_event[event_id]["statements"] = int(statements_n or 0)
    return {"events": events, "per_event": per_event}
