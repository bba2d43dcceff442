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
   make the plan, the rest are kept in `HeadingPlan.more`. Above `WORD_EVERY_GROUP_UP_TO` merged asks, only
   the plan and the next `more_worded` (`MORE_WORDED`) of each heading are worded; the rest of `more` keep their most central statement in the
   participant's own words (`source_text` the same), marked `NOT_DRAFTED`. The rank needs no wording
   except to know whether a draft is read off a challenge, so the groups whose rank depends on it (tied on
   support with the cut) are worded first: the plan is the one wording every group would give.

Cost: every spaCy parse of a run goes through one store (`parse.session`), in batches (`parse.batched`),
so a text is parsed once; a statement whose verdict cannot depend on the parse is not parsed at all
(`proposals._parse_can_matter`), detection runs the tests read off the words first (`proposals.proposes`),
each clause once, and parses without POS and lemmas where only tags and dependencies are read; with many
statements a forked second process takes half the detection (`parse.spread`); a group's second and third
statements are worded only while they could still beat its first. Linear in statements. Measured on 2
cores, drafting only (model load of about 2 s apart), CPU of both processes / wall:
1,449 bundled statements 9.5 s -> 6 s CPU; NHS comments resampled: 15,032 in 34 s -> 16 s CPU (15 s wall);
50,108 in 66 s -> 35 s CPU, 70 s -> 23 s wall; 100,164 in 108 s -> 64 s CPU, 108 s -> 38 s wall (detection
50 s CPU, 34,000 parses; the rest, wording about 250 groups, the coder's scores and merging, 13 s).
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
from ..defaults import (HEADING_MARGIN, MAX_PER_HEADING, MERGE_CELL_SIZE, MERGE_SIMILARITY, MIN_PER_HEADING, MORE_WORDED,
                        SEED, WORD_EVERY_GROUP_UP_TO, WORDING_CANDIDATES)
from ..records import CHECK_HEADING, HeadingPlan, Recommendation, Segment, Theme
from . import parse as P
from .proposals import segment_proposes
from .merge import Support, merge_groups, support
from .phrases import norm
from .rules import CHALLENGE_RE
from .wording import Draft, shape_challenge_draft, shape_or_own_words

# The mark on an "also proposed" entry ranked past the worded part of its heading's list (`MORE_WORDED`): its
# text is its most central statement as the participant wrote it, not shaped into an action.
NOT_DRAFTED = "not drafted"
NOT_DRAFTED_RULE = "not_drafted"  # its `rule`

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
    return segment_proposes(segment)


def _detection_inputs(segments: Sequence[Segment]) -> list[tuple]:
    """What `is_proposal` reads of each statement (`proposals.segment_proposes`): small to hand to a worker,
    and it tells whether detection started on some statements holds for others."""
    return [(s.id, s.text, tuple(s.section), s.question, s.context, s.kind, s.attributes.get("about"))
            for s in segments]


def _proposes_inputs(inputs: tuple) -> bool:
    """`is_proposal` of the statement `_detection_inputs` read `inputs` from."""
    sid, text, section, question, context, kind, about = inputs
    return is_proposal(Segment(id=sid, text=text, source="", line_start=0, line_end=0, event="", kind=kind,
                               section=list(section), question=question, context=context,
                               attributes={"about": about} if about is not None else {}))


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
                 cell_size: int = MERGE_CELL_SIZE, wording_candidates: int = WORDING_CANDIDATES, seed: int = SEED,
                 more_worded: int | None = MORE_WORDED, word_every_group_up_to: int = WORD_EVERY_GROUP_UP_TO):
        self.min_per_heading = min_per_heading
        self.more_worded = more_worded  # None: word every group
        self.word_every_group_up_to = word_every_group_up_to
        self.max_per_heading = max_per_heading
        self.merge_similarity = merge_similarity
        self.heading_margin = heading_margin
        self.cell_size = cell_size
        self.wording_candidates = wording_candidates
        self.seed = seed
        self._detecting: tuple[list, P.Later] | None = None  # `prefetch`: (what it was started on, the work)

    def prefetch(self, segments: Sequence[Segment]) -> None:
        """Start finding the proposals among `segments` in the background (`parse.spread_later`: forked workers
        on idle cores), for `draft` to take up if it is given the same statements; nothing for a small run."""
        self.release()
        inputs = _detection_inputs(segments)
        later = P.spread_later(_proposes_inputs, inputs)
        self._detecting = (inputs, later) if later is not None else None

    def release(self) -> None:
        """Stop detection started by `prefetch` that `draft` has not taken up."""
        if self._detecting is not None:
            self._detecting[1].cancel()
            self._detecting = None

    def candidates(self, segments: Sequence[Segment], context: dict[str, list[str]],
                   vocab: set[str]) -> list[_Candidate]:
        """Proposals (`proposals`), then challenges a rule can read an action from; every parse in batches."""
        started, self._detecting = self._detecting, None
        if started is not None and started[0] == _detection_inputs(segments):
            asks = started[1].result()
        else:
            if started is not None:
                started[1].cancel()
            asks = P.spread(is_proposal, segments)  # in two processes when there are many
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
        recs: list[Recommendation] = []
        rank: list[tuple] = []  # per group, its rank key within its heading (`_group_rank_key`)
        placed: list[tuple[int, float, float]] = []
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
            placed = [self._place(g, by_heading) for g in groups]
            sups = [support([m.segment for m in g.members]) for g in groups]
            drafts = self._word_ranked(groups, placed, sups, context, vocab)
            recs = [self._recommendation(g, drafts.get(gi), placed[gi], sups[gi]) for gi, g in enumerate(groups)]
            rank = [_group_rank_key(groups[gi], sups[gi], placed[gi], drafts.get(gi)) for gi in range(len(groups))]
        plans = []
        for hi, head in enumerate(heads):
            mine = [recs[gi] for gi in sorted((gi for gi, p in enumerate(placed) if p[0] == hi), key=rank.__getitem__)]
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
            shaped = P.batched(lambda item: item[1].challenge or shape_or_own_words(
                item[1].segment.text, context.get(item[1].segment.id, []), vocab), todo)
            for (gi, m), d in zip(todo, shaped):
                g = groups[gi]
                q = _quality(not d.problems, not d.flags, g.closeness[g.central[rank]], rank, d.rule == "challenge")
                if best[gi] is None or q > best[gi][0] + QUALITY_TIE:
                    best[gi] = (q, d)
        return [b[1] for b in best]

    def _place(self, g: _Group, by_heading: np.ndarray) -> tuple[int, float, float]:
        """(heading index, mean score there, margin over the next heading) of a group."""
        mean = [float(x) for x in by_heading[g.rows].mean(axis=0)]
        order = order_with_ties(mean, list(range(len(mean))))  # a near-tie goes to the earlier heading
        top = mean[order[0]]
        margin = max(0.0, top - mean[order[1]]) if len(order) > 1 else 1.0
        return int(order[0]), top, margin

    def _word_ranked(self, groups: Sequence[_Group], placed: Sequence[tuple[int, float, float]],
                     sups: Sequence[Support], context: dict[str, list[str]], vocab: set[str]) -> dict[int, Draft]:
        """Drafts (by group index) of the groups that rank among the first `max_per_heading + more_worded` of
        their heading, exactly as if every group were worded. The rank key (`_group_rank_key`) needs a draft only
        for its second part, whether the draft is read off a challenge: known without wording when a group's
        wording candidates are all challenges or all proposals (`_challenge`). So the groups sure to rank inside
        are worded, with the mixed ones tied on support with the cut; then the order is exact, and the rest of
        the inside is worded."""
        by_head: dict[int, list[int]] = {}
        for gi, (h, _, _) in enumerate(placed):
            by_head.setdefault(h, []).append(gi)
        keep = (None if self.more_worded is None or len(groups) <= self.word_every_group_up_to
                else self.max_per_heading + self.more_worded)
        first: list[int] = []
        for gis in by_head.values():
            if keep is None or len(gis) <= keep:
                first.extend(gis)
                continue
            score = {gi: sups[gi].score() for gi in gis}
            cut = sorted(score.values(), reverse=True)[keep - 1]
            first.extend(gi for gi in gis if score[gi] > cut or (score[gi] == cut and _challenge(groups[gi]) is None))
        first.sort()
        drafts = dict(zip(first, self._word([groups[gi] for gi in first], context, vocab)))
        if keep is None:
            return drafts

        def key(gi: int) -> tuple:
            return _group_rank_key(groups[gi], sups[gi], placed[gi], drafts.get(gi))

        second = sorted(gi for gis in by_head.values() for gi in sorted(gis, key=key)[:keep] if gi not in drafts)
        drafts.update(zip(second, self._word([groups[gi] for gi in second], context, vocab)))
        return drafts

    def _recommendation(self, g: _Group, draft: Draft | None, place: tuple[int, float, float],
                        sup: Support) -> Recommendation:
        """The group's Recommendation; without a draft, its most central statement in the participant's own
        words, marked NOT_DRAFTED."""
        _, top, margin = place
        if draft is None:
            own = norm(g.members[g.central[0]].segment.text)
            draft = Draft(own, NOT_DRAFTED_RULE, own, (NOT_DRAFTED,))
        flags = list(draft.flags) + ([CHECK_HEADING] if margin < self.heading_margin else [])
        segs = [m.segment for m in g.members]
        return Recommendation(
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


def _group_rank_key(g: _Group, sup: Support, place: tuple[int, float, float], draft: Draft | None) -> tuple:
    """Rank within a heading: support and breadth (`Support.score`), a participant's own ask before an action
    read off a challenge, heading score (as the Recommendation rounds it), first evidence id. Without a draft,
    a group whose wording candidates are all challenges counts as one (`_challenge`)."""
    challenge = draft.rule == "challenge" if draft is not None else bool(_challenge(g))
    return (-sup.score(), challenge, -(round(place[1], 4) or 0.0), min(m.segment.id for m in g.members))


def _challenge(g: _Group) -> bool | None:
    """Will the group's draft be read off a challenge? True or False when its wording candidates are all
    challenges or all proposals (a proposal's draft never is, a challenge's always), None when mixed."""
    kinds = {g.members[i].challenge is not None for i in g.central}
    return kinds.pop() if len(kinds) == 1 else None
