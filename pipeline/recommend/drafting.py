"""Drafting: the action plan. Proposals are merged, placed under a heading, worded and ranked.

1. Candidates: every statement the proposal detector (`proposals`) accepts, plus statements that name a
   challenge ("X was seen as a challenge", or under a heading about challenges or barriers) when a rule
   can read the action that meets it (`rules.shape_challenge`); those rank after participants' own asks.
2. Merge (`merge.merge_groups`): proposals asking for the same thing, in any words, section or event,
   become one recommendation, with all their statements as evidence and their support counted as
   distinct statements, sections and events (`merge.Support`).
3. Heading: every top-level code of the codebook is an action heading (its `heading:` text, or its label
   when it has none), so any codebook yields a plan; a sub-code's score counts for its top-level code.
   A group's heading is the one with the best mean coder score over its statements, and its margin over
   the next heading is kept; below `HEADING_MARGIN` the recommendation is marked "check heading".
4. Wording (`wording.shape`): the best-formed of the group's most central statements, shaped into one
   short imperative; the source's own words, marked "check wording", when no rule fits.
5. Rank within each heading by support and breadth (`merge.Support.score`); the first `max_per_heading`
   make the plan, the rest are kept in `HeadingPlan.more`.

Cost: every spaCy parse of a run goes through one store (`parse.session`), in batches (`parse.batched`),
so a text is parsed once; a statement whose verdict cannot depend on the parse is not parsed at all
(`proposals._parse_can_matter`), and a group's second and third statements are worded only while they
could still beat its first. Linear in statements: 15,000 survey answers draft in about 35 s of CPU.
Ties: closeness and heading scores within `TIE` of each other are equal (torch and ONNX vectors differ by
about 2e-7), broken by text and id, or codebook order; candidates are taken in statement-id order, so the
plan does not depend on the order statements come in.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..codebook import Code, Codebook
from ..defaults import (HEADING_MARGIN, MAX_PER_HEADING, MERGE_CELL_SIZE, MERGE_SIMILARITY, MIN_PER_HEADING, SEED,
                        WORDING_CANDIDATES)
from ..records import CHECK_HEADING, HeadingPlan, Recommendation, Segment, Theme
from . import parse as P
from .proposals import segment_proposal_form
from .merge import Support, merge_groups, support
from .rules import CHALLENGE_RE
from .wording import Draft, shape, shape_challenge_draft

# a heading that names problems: its statements are challenges a plan answers
CHALLENGE_SECTION_RE = re.compile(r"challenge|barrier|issue|problem|concern|difficult|weakness|gap|worr|"
                                  r"not working|what (is|'s) wrong|obstacle", re.I)


def action_headings(codebook: Codebook) -> list[Code]:
    """The plan's headings: every top-level code, in codebook order (label when `heading:` is absent), except
    those marked `heading: false` (`Codebook.action_headings`)."""
    return codebook.action_headings


def heading_title(code: Code) -> str:
    return code.heading or code.label


def is_proposal(segment: Segment) -> bool:
    """The proposal detector of `proposals`, on one statement with its section, question and context."""
    return segment_proposal_form(segment) is not None


def names_a_challenge(segment: Segment) -> bool:
    """Says outright that something is a challenge, or sits under a heading about challenges or barriers."""
    last = segment.section[-1] if segment.section else ""
    return bool(CHALLENGE_RE.search(segment.text)) or bool(last and CHALLENGE_SECTION_RE.search(last))


def context_of(segments: Sequence[Segment]) -> dict[str, list[str]]:
    """Per statement id, the texts a pronoun in it may point back to, nearest first: its parent bullet or
    prompt, the statement before it in the same section, its section heading and its question."""
    out: dict[str, list[str]] = {}
    previous: dict[tuple[str, str], str] = {}
    for s in sorted(segments, key=lambda s: (s.source, s.line_start, s.id)):
        key = (s.source, s.section_path)
        out[s.id] = [c for c in (s.context, previous.get(key), s.section[-1] if s.section else None, s.question) if c]
        previous[key] = s.text
    return out


def vocabulary(texts: Sequence[str]) -> set[str]:
    """Lower-case words used in at least two statements: local names and jargon, never called typos."""
    counts = Counter(w for t in texts for w in set(re.findall(r"[a-z][a-z'-]+", t.lower())))
    return {w for w, n in counts.items() if n >= 2}


def heading_matrix(codebook: Codebook, code_ids: Sequence[str], scores: np.ndarray) -> np.ndarray:
    """(n, headings) scores: per heading the best score of its code or any descendant.
    `scores` is (n, len(code_ids)), columns in `code_ids` order (a coder's CodeScores)."""
    cols = []
    for head in action_headings(codebook):
        members = [j for j, cid in enumerate(code_ids) if cid == head.id or head.id in codebook.ancestors(cid)]
        cols.append(scores[:, members].max(axis=1) if members else np.full(len(scores), -1.0, dtype=np.float32))
    return np.stack(cols, axis=1) if cols else np.zeros((len(scores), 0), dtype=np.float32)


def scores_from_codes(segments: Sequence[Segment], code_ids: Sequence[str]) -> np.ndarray:
    """Without a coder: each statement's assigned codes' scores and its nearest code's, 0 elsewhere."""
    col = {c: j for j, c in enumerate(code_ids)}
    out = np.zeros((len(segments), len(code_ids)), dtype=np.float32)
    for i, s in enumerate(segments):
        for c in list(s.codes) + ([s.nearest] if s.nearest else []):
            if c.code in col:
                out[i, col[c.code]] = max(out[i, col[c.code]], c.score)
    return out


@dataclass(frozen=True)
class _Candidate:
    segment: Segment
    challenge: Draft | None  # set when the statement is a challenge, not a proposal


@dataclass(frozen=True)
class _Group:
    """One merged ask: candidate rows, members, each member's closeness (cosine) to the group's centre, and
    the indices (into `members`) of the `WORDING_CANDIDATES` most central members, most central first."""

    rows: list[int]
    members: list[_Candidate]
    closeness: list[float]
    central: list[int]


# Scores closer than this are a tie (vectors from torch and ONNX differ by about 2e-7): ties are broken by
# text, id or codebook order, never by float noise.
TIE = 1e-6
QUALITY_TIE = TIE  # a later wording candidate must beat the best so far by more than this


def order_with_ties(values: Sequence[float], keys: Sequence) -> list[int]:
    """Indices by value, highest first; a run of values each within TIE of the next is one tie, ordered
    by `keys` (any sortable, e.g. (text, id)). Deterministic whatever the input order."""
    by_value = sorted(range(len(values)), key=lambda j: (-values[j], keys[j]))
    out: list[int] = []
    run: list[int] = []
    for j in by_value:
        if run and values[run[-1]] - values[j] > TIE:
            out.extend(sorted(run, key=lambda i: keys[i]))
            run = []
        run.append(j)
    return out + sorted(run, key=lambda i: keys[i])


def _quality(clean: bool, unflagged: bool, closeness: float, rank: int, challenge: bool) -> float:
    """How good a draft is as the group's wording: clean (no style problem) first, then unflagged, then
    central; a participant's own ask before an action read off a challenge. Monotone in every argument, so
    `_quality(True, True, ...)` bounds what a statement not yet shaped can reach."""
    return clean + 0.5 * unflagged + 0.2 * closeness - 0.1 * rank - 0.3 * challenge


class RecommendationDrafter:
    """Codebook + coded, themed statements -> one HeadingPlan per action heading (see the module docstring).

    Nothing is learned, so `fit` is the Stage default; `transform` (alias `draft`) returns new plans.
    `coder`, when given to `draft`, is the fitted coder of the run: its scores place each merged
    recommendation under a heading with a margin. Without it the statements' assigned codes are used.
    """

    def __init__(self, min_per_heading: int = MIN_PER_HEADING, max_per_heading: int = MAX_PER_HEADING,
                 merge_similarity: float = MERGE_SIMILARITY, heading_margin: float = HEADING_MARGIN,
                 cell_size: int = MERGE_CELL_SIZE, wording_candidates: int = WORDING_CANDIDATES, seed: int = SEED):
        self.min_per_heading = min_per_heading
        self.max_per_heading = max_per_heading
        self.merge_similarity = merge_similarity
        self.heading_margin = heading_margin
        self.cell_size = cell_size
        self.wording_candidates = wording_candidates
        self.seed = seed

    def candidates(self, segments: Sequence[Segment], context: dict[str, list[str]],
                   vocab: set[str]) -> list[_Candidate]:
        """Proposals (`proposals`), then challenges a rule can read an action from; every parse in batches."""
        asks = P.batched(is_proposal, segments)
        challengers = [s for s, ask in zip(segments, asks) if not ask and names_a_challenge(s)]
        drafts = P.batched(lambda s: shape_challenge_draft(s.text, context.get(s.id, []), vocab), challengers)
        challenge = {s.id: d for s, d in zip(challengers, drafts) if d is not None}
        return [_Candidate(s, None if ask else challenge[s.id]) for s, ask in zip(segments, asks)
                if ask or s.id in challenge]

    def draft(self, codebook: Codebook, segments: Sequence[Segment], vectors: np.ndarray,
              themes: Sequence[Theme], coder=None) -> list[HeadingPlan]:
        with P.session():  # one store of parses for the whole run: no text is parsed twice
            return self._draft(codebook, segments, vectors, coder)

    transform = draft

    def _draft(self, codebook: Codebook, segments: Sequence[Segment], vectors: np.ndarray,
               coder=None) -> list[HeadingPlan]:
        heads = action_headings(codebook)
        index = {s.id: i for i, s in enumerate(segments)}
        context = context_of(segments)
        vocab = vocabulary([s.text for s in segments])
        # in statement-id order, so nothing below (the coder's corpus-level scores included) sees input order
        cands = sorted(self.candidates(segments, context, vocab), key=lambda c: c.segment.id)
        recs: list[tuple[str, Recommendation]] = []
        if cands and heads:
            rows = [index[c.segment.id] for c in cands]
            vecs = np.asarray(vectors, dtype=np.float32)[rows]
            if coder is not None:
                scored = coder.score([c.segment.text for c in cands], vecs)
                code_ids, raw = list(scored.codes), np.asarray(scored.scores, dtype=np.float32)
            else:
                code_ids = [c.id for c in codebook.codable]
                raw = scores_from_codes([c.segment for c in cands], code_ids)
            by_heading = heading_matrix(codebook, code_ids, raw)
            merged = merge_groups(vecs, [c.segment.id for c in cands], self.merge_similarity, self.cell_size,
                                  self.seed)
            groups = [self._group(g, cands, vecs) for g in merged]
            drafts = self._word(groups, context, vocab)
            recs = [self._recommendation(g, d, by_heading, heads) for g, d in zip(groups, drafts)]
        plans = []
        for head in heads:
            mine = [r for code, r in recs if code == head.id]
            mine.sort(key=lambda r: (-_rank_score(r), r.rule == "challenge", -(r.heading_score or 0.0),
                                     r.evidence[0]))
            shown, more = mine[: self.max_per_heading], mine[self.max_per_heading:]
            plans.append(HeadingPlan(code=head.id, heading=heading_title(head), recommendations=shown,
                                     note=self._note(shown), more=more))
        return plans

    def _group(self, group: list[int], cands: Sequence[_Candidate], vecs: np.ndarray) -> _Group:
        members = [cands[i] for i in group]
        centre = vecs[group].mean(axis=0)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        closeness = [float(c) for c in vecs[group] @ centre]
        # the two members of a pair are equally close to their centre: float noise must not choose
        central = order_with_ties(closeness, [(m.segment.text, m.segment.id) for m in members])
        return _Group(group, members, closeness, central[: self.wording_candidates])

    def _word(self, groups: Sequence[_Group], context: dict[str, list[str]], vocab: set[str]) -> list[Draft]:
        """Each group's draft: of its most central statements, a clean draft first, then an unflagged one, then
        the most central; a participant's own ask before an action read off a challenge (`_quality`).
        Shaped rank by rank, every group at once (parses batched), and a statement only while it could still
        beat the group's best draft so far."""
        best: list[tuple[float, Draft] | None] = [None] * len(groups)
        for rank in range(self.wording_candidates):
            todo = []
            for gi, g in enumerate(groups):
                if rank >= len(g.central):
                    continue
                m = g.members[g.central[rank]]
                bound = _quality(True, True, g.closeness[g.central[rank]], rank, m.challenge is not None)
                if best[gi] is None or bound > best[gi][0] + QUALITY_TIE:
                    todo.append((gi, m))
            shaped = P.batched(lambda item: item[1].challenge or shape(
                item[1].segment.text, context.get(item[1].segment.id, []), vocab), todo)
            for (gi, m), d in zip(todo, shaped):
                g = groups[gi]
                q = _quality(not d.problems, not d.flags, g.closeness[g.central[rank]], rank, d.rule == "challenge")
                if best[gi] is None or q > best[gi][0] + QUALITY_TIE:
                    best[gi] = (q, d)
        return [b[1] for b in best]

    def _recommendation(self, g: _Group, draft: Draft, by_heading: np.ndarray,
                        heads: Sequence[Code]) -> tuple[str, Recommendation]:
        mean = [float(x) for x in by_heading[g.rows].mean(axis=0)]
        order = order_with_ties(mean, list(range(len(mean))))  # a near-tie goes to the earlier heading
        top = mean[order[0]]
        margin = max(0.0, top - mean[order[1]]) if len(order) > 1 else 1.0
        flags = list(draft.flags) + ([CHECK_HEADING] if margin < self.heading_margin else [])
        segs = [m.segment for m in g.members]
        sup = support(segs)
        return heads[int(order[0])].id, Recommendation(
            text=draft.text, support=sup.statements, sections=sup.sections, events=sup.events,
            evidence=sorted(s.id for s in segs), themes=sorted({s.theme for s in segs if s.theme}),
            source_text=draft.source, heading_score=round(top, 4), heading_margin=round(margin, 4),
            flags=flags, edits=list(draft.edits), rule=draft.rule, style=list(draft.problems))

    def _note(self, shown: Sequence[Recommendation]) -> str | None:
        n = len(shown)
        if n == 0:
            return "No statement proposing a change was placed under this heading: too little evidence to draft a recommendation."
        if n < self.min_per_heading:
            return (f"Too little evidence: only {n} distinct proposal{'s' if n > 1 else ''} "
                    f"({sum(r.support for r in shown)} statements) under this heading; "
                    "treat these as leads to check, not a plan.")
        return None


def _rank_score(r: Recommendation) -> float:
    return Support(r.support, r.sections, r.events).score()
