"""The project's action plan: a person's edits, and how a re-run is reconciled with them.

The rule a facilitator can rely on: a re-run proposes, it never overwrites.
A recommendation a person has touched (edited, accepted, merged, deleted or
written) keeps its text; when the new run drafts different wording for it, the
wording is offered as a proposal. Only untouched tool drafts are replaced.

A new draft is matched to an existing recommendation under the same heading
when they were drafted from the same statement, or when most of the smaller
one's evidence is shared (overlap >= MATCH_OVERLAP).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..records import HeadingPlan
from .models import Edit, Recommendation, utcnow

MATCH_OVERLAP = 0.5
MAX_TEXT = 2000


class PlanError(ValueError):
    """An edit that cannot be made; the message is shown to the facilitator."""


@dataclass
class Draft:
    heading_code: str
    text: str
    support: int
    sections: int
    evidence: list[str]
    themes: list[str] = field(default_factory=list)
    drafted_from: str = ""
    flags: list[str] = field(default_factory=list)  # "check heading", "check wording" (records.Recommendation)


def drafts_from_plans(plans: Sequence[HeadingPlan]) -> list[Draft]:
    return [Draft(p.code, r.text, r.support, r.sections, list(r.evidence), list(r.themes), r.source_text,
                  list(r.flags)) for p in plans for r in p.recommendations]


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def match_score(draft: Draft, rec: Recommendation) -> float:
    if draft.drafted_from and draft.drafted_from == rec.drafted_from:
        return 1.0
    return overlap(draft.evidence, rec.evidence or [])


@dataclass
class Reconciled:
    added: list[Recommendation] = field(default_factory=list)
    updated: list[Recommendation] = field(default_factory=list)  # untouched drafts refreshed in place
    proposed: list[Recommendation] = field(default_factory=list)  # person-owned, with new wording offered
    stale: list[Recommendation] = field(default_factory=list)  # person-owned, no longer drafted
    removed: list[Recommendation] = field(default_factory=list)  # untouched drafts the run no longer makes


def reconcile(existing: Sequence[Recommendation], drafts: Sequence[Draft], project_id: int,
              run_id: int | None) -> Reconciled:
    """Fold a run's drafts into the plan, in place. The caller adds `added` and deletes `removed`."""
    out = Reconciled()
    headings = list(dict.fromkeys([d.heading_code for d in drafts] + [r.heading_code for r in existing]))
    for heading in headings:
        live = sorted((r for r in existing if r.heading_code == heading and r.status != "merged"),
                      key=lambda r: (r.position, r.id or 0))
        mine = [d for d in drafts if d.heading_code == heading]
        pairs = sorted(((match_score(d, r), i, j) for i, d in enumerate(mine) for j, r in enumerate(live)),
                       key=lambda sij: (-sij[0], sij[2], sij[1]))
        matched: dict[int, list[int]] = {}  # live index -> draft indexes, first is the closest
        used: set[int] = set()
        for score, i, j in pairs:
            if score < MATCH_OVERLAP:
                break
            if i in used or j in matched:
                continue
            matched[j] = [i]
            used.add(i)
        # a draft that only repeats a merged or deleted line is absorbed by it, not proposed again
        for score, i, j in pairs:
            if score >= MATCH_OVERLAP and i not in used and j in matched and live[j].person_owned:
                matched[j].append(i)
                used.add(i)

        for j, rec in enumerate(live):
            if j not in matched:
                if rec.person_owned:
                    if not rec.stale and rec.origin != "person":  # a person's own line was never drafted
                        rec.stale, rec.proposal = True, None
                        out.stale.append(rec)
                else:
                    out.removed.append(rec)
                continue
            first = mine[matched[j][0]]
            evidence = list(dict.fromkeys(e for i in matched[j] for e in mine[i].evidence))
            themes = sorted({t for i in matched[j] for t in mine[i].themes})
            rec.stale, rec.last_run_id = False, run_id
            rec.evidence, rec.themes, rec.support = evidence, themes, len(evidence)
            rec.sections = max(mine[i].sections for i in matched[j]) if len(matched[j]) > 1 else first.sections
            if not rec.person_owned:
                rec.text, rec.drafted_from, rec.proposal = first.text, first.drafted_from, None
                rec.flags = list(first.flags)
                out.updated.append(rec)
            else:
                offer = first.text if rec.status != "deleted" and first.text != rec.text else None
                if offer != rec.proposal:
                    rec.proposal = offer
                if offer:
                    out.proposed.append(rec)

        keep = [r for r in live if r not in out.removed]
        position = 0
        for rec in keep:
            rec.position = position
            position += 1
        for i, d in enumerate(mine):
            if i in used:
                continue
            rec = Recommendation(project_id=project_id, heading_code=heading, position=position, text=d.text,
                                 status="proposed", edited=False, origin="tool", support=len(d.evidence),
                                 sections=d.sections, evidence=list(d.evidence), themes=list(d.themes),
                                 drafted_from=d.drafted_from, flags=list(d.flags), proposal=None, stale=False,
                                 first_run_id=run_id, last_run_id=run_id)
            position += 1
            out.added.append(rec)
    return out


# --------------------------------------------------------------------------- a person's edits
def snapshot(rec: Recommendation) -> dict:
    return {"text": rec.text, "status": rec.status, "position": rec.position, "heading": rec.heading_code,
            "evidence": list(rec.evidence or [])}


def _log(session: Session, rec: Recommendation | None, action: str, before: dict | None, project_id: int) -> None:
    session.add(Edit(project_id=project_id, recommendation_id=rec.id if rec is not None else None, action=action,
                     before=before, after=snapshot(rec) if rec is not None else None))


def clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise PlanError("A recommendation needs some text.")
    if len(text) > MAX_TEXT:
        raise PlanError(f"A recommendation can be at most {MAX_TEXT} characters long.")
    return text


def siblings(session: Session, rec: Recommendation) -> list[Recommendation]:
    """The visible lines under the same heading, in order."""
    rows = session.scalars(select(Recommendation).where(
        Recommendation.project_id == rec.project_id, Recommendation.heading_code == rec.heading_code,
        Recommendation.status.in_(("proposed", "accepted")))).all()
    return sorted(rows, key=lambda r: (r.position, r.id))


def edit_text(session: Session, rec: Recommendation, text: str) -> None:
    text = clean_text(text)
    if text == rec.text:
        return
    before = snapshot(rec)
    rec.text, rec.edited, rec.updated_at = text, True, utcnow()
    if rec.proposal == text:
        rec.proposal = None
    session.flush()
    _log(session, rec, "edit", before, rec.project_id)


def set_status(session: Session, rec: Recommendation, action: str) -> None:
    """accept | reopen | delete | restore."""
    allowed = {"accept": ("proposed", "accepted"), "reopen": ("accepted", "proposed"),
               "delete": (None, "deleted"), "restore": ("deleted", "proposed")}
    if action not in allowed:
        raise PlanError(f"Unknown action '{action}'.")
    source, target = allowed[action]
    if rec.status == "merged" or (source is not None and rec.status != source) or rec.status == target:
        done = {"accept": "accepted", "reopen": "reopened", "delete": "deleted", "restore": "restored"}[action]
        raise PlanError(f"This recommendation is {rec.status}, so it cannot be {done}.")
    before = snapshot(rec)
    if action == "restore":
        others = siblings(session, rec)
        rec.position = (max(r.position for r in others) + 1) if others else 0
    rec.status, rec.updated_at = target, utcnow()
    session.flush()
    _log(session, rec, action, before, rec.project_id)


def move(session: Session, rec: Recommendation, direction: str) -> None:
    rows = siblings(session, rec)
    if rec not in rows:
        raise PlanError("Only a visible recommendation can be moved.")
    i = rows.index(rec)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down") or not 0 <= j < len(rows):
        return  # already at the top or bottom
    before = snapshot(rec)
    rows[i], rows[j] = rows[j], rows[i]
    for position, r in enumerate(rows):
        r.position = position
    rec.updated_at = utcnow()
    session.flush()
    _log(session, rec, "move", before, rec.project_id)


def merge(session: Session, recs: Sequence[Recommendation],
          sections_of: Callable[[list[str]], int] | None = None) -> Recommendation:
    """Merge lines of one heading into the first (in plan order); the others are kept, marked merged."""
    recs = sorted(recs, key=lambda r: (r.position, r.id))
    if len(recs) < 2:
        raise PlanError("Pick at least two recommendations to merge.")
    if len({r.heading_code for r in recs}) > 1:
        raise PlanError("Only recommendations under the same heading can be merged.")
    if any(r.status not in ("proposed", "accepted") for r in recs):
        raise PlanError("Deleted or merged recommendations cannot be merged.")
    target, rest = recs[0], recs[1:]
    before = snapshot(target)
    evidence = list(dict.fromkeys(e for r in recs for e in (r.evidence or [])))
    target.evidence, target.support = evidence, len(evidence)
    target.themes = sorted({t for r in recs for t in (r.themes or [])})
    target.sections = sections_of(evidence) if sections_of else max(r.sections for r in recs)
    target.edited, target.updated_at = True, utcnow()
    for r in rest:
        r.status, r.merged_into, r.updated_at = "merged", target.id, utcnow()
    session.flush()
    _log(session, target, "merge", {**before, "merged": [r.id for r in rest]}, target.project_id)
    return target


def add(session: Session, project_id: int, heading_code: str, text: str) -> Recommendation:
    text = clean_text(text)
    rows = session.scalars(select(Recommendation.position).where(
        Recommendation.project_id == project_id, Recommendation.heading_code == heading_code)).all()
    rec = Recommendation(project_id=project_id, heading_code=heading_code, position=max(rows, default=-1) + 1,
                         text=text, status="proposed", edited=True, origin="person", support=0, sections=0,
                         evidence=[], themes=[], stale=False)
    session.add(rec)
    session.flush()
    _log(session, rec, "add", None, project_id)
    return rec


def use_proposal(session: Session, rec: Recommendation) -> None:
    if not rec.proposal:
        raise PlanError("There is no proposed wording to use.")
    before = snapshot(rec)
    rec.text, rec.proposal, rec.edited, rec.updated_at = rec.proposal, None, True, utcnow()
    session.flush()
    _log(session, rec, "use-proposal", before, rec.project_id)


def dismiss_proposal(session: Session, rec: Recommendation) -> None:
    before = snapshot(rec)
    rec.proposal = None
    session.flush()
    _log(session, rec, "dismiss", before, rec.project_id)
