"""The drafter: merging and support counts, ranking, headings from the coder (with "check heading"),
any codebook yields a plan, and merging that scales without all-pairs similarity.

Unit tests on the fake bag-of-words embedder and a fake coder (both named as fakes); the wording itself
uses the real spaCy model (tests/recommend/test_wording.py).
"""
from __future__ import annotations

import numpy as np

from pipeline.codebook import parse_codebook
from pipeline.coding import CodeScores
from pipeline.recommend import RecommendationDrafter, action_headings
from pipeline.recommend.merge import merge_groups, support
from pipeline.records import CHECK_HEADING, CodeAssignment, Segment
from tests.fakes import FakeEmbedder

BOOK = """\
name: test
codes:
  - id: funding
    label: Funding
    heading: More resources
    description: money grants budgets
  - id: partnership
    label: Partnership
    heading: Work together
    description: partners meet and talk together
"""

# a researcher's own codebook: labels and descriptions only, as every imported .qdc is
PLAIN_BOOK = """\
name: housing study
codes:
  - id: homes
    label: Homes for young people
    description: housing supply, rents, deposits
  - id: youth
    label: Youth services
    description: youth clubs, youth workers, places to go
  - id: youth.detached
    label: Detached youth work
    description: youth workers out on the streets
    parent: youth
"""


def seg(i, text, section=("Workshop",), event="e", codes=(), source="doc.txt"):
    return Segment(id=f"doc:{i:02d}", text=text, source=source, line_start=i, line_end=i, event=event,
                   section=list(section), codes=[CodeAssignment(c, 0.9) for c in codes], kind="bullet")


class FakeCoder:
    """A fake fitted coder: fixed scores per statement text, in the Coder interface's shape."""

    def __init__(self, codes, scores_by_text):
        self.codes_ = codes
        self.scores_by_text = scores_by_text

    def score(self, texts, vectors):
        return CodeScores([c for c in self.codes_], np.array([self.scores_by_text[t] for t in texts], dtype=np.float32))


def draft(book_text, segments, **kw):
    book = parse_codebook(book_text)
    coder = kw.pop("coder", None)
    vectors = FakeEmbedder().encode([s.text for s in segments])
    return RecommendationDrafter(**kw).draft(book, segments, vectors, themes=[], coder=coder)


def test_one_ask_in_many_words_sections_and_events_is_one_recommendation_with_all_its_evidence():
    segments = [seg(1, "We need more money for youth grants", section=("Workshop A",), codes=["funding"]),
                seg(2, "We need more money for youth grants now", section=("Workshop B",), codes=["funding"]),
                seg(3, "Need more money for youth grants", section=("Workshop A",), event="second", codes=["funding"]),
                seg(4, "Partners should meet and talk monthly", codes=["partnership"])]
    funding, partnership = draft(BOOK, segments, merge_similarity=0.7)
    [rec] = funding.recommendations
    assert rec.evidence == ["doc:01", "doc:02", "doc:03"]
    assert (rec.support, rec.sections, rec.events) == (3, 3, 2)
    assert rec.text.startswith("Provide more money for youth grants")
    assert [r.evidence for r in partnership.recommendations] == [["doc:04"]]


def test_support_counts_distinct_statements_sections_and_events():
    members = [seg(1, "a", section=("S1",)), seg(2, "b", section=("S1",)), seg(3, "c", section=("S2",), event="x")]
    s = support(members)
    assert (s.statements, s.sections, s.events) == (3, 2, 2)
    assert s.score() > support(members[:2]).score() > support(members[:1]).score()


def test_an_ask_raised_at_two_events_outranks_one_repeated_in_one_workshop():
    segments = [seg(1, "Provide free bus travel for young people", codes=["funding"]),
                seg(2, "Provide free bus travel for young people please", event="other", codes=["funding"]),
                seg(3, "Fund youth workers in every park and estate", codes=["funding"]),
                seg(4, "Fund youth workers in every park and estate now", codes=["funding"])]
    funding, _ = draft(BOOK, segments, merge_similarity=0.7)
    assert [r.events for r in funding.recommendations] == [2, 1]


def test_a_codebook_of_labels_and_descriptions_yields_a_plan_under_its_labels():
    book = parse_codebook(PLAIN_BOOK)
    assert [c.id for c in action_headings(book)] == ["homes", "youth"]  # the sub-code rolls up
    segments = [seg(1, "Build more one bed homes for young people", codes=["homes"]),
                seg(2, "Fund detached youth workers in the park", codes=["youth.detached"])]
    plans = draft(PLAIN_BOOK, segments)
    assert [p.heading for p in plans] == ["Homes for young people", "Youth services"]
    assert [[r.evidence for r in p.recommendations] for p in plans] == [[["doc:01"]], [["doc:02"]]]


def test_the_heading_comes_from_the_coder_and_a_close_call_is_marked_check_heading():
    texts = ["Fund youth workers in the park", "Hold a forum for partners and funders"]
    coder = FakeCoder(["funding", "partnership"], {texts[0]: [0.62, 0.30], texts[1]: [0.41, 0.40]})
    segments = [seg(1, texts[0]), seg(2, texts[1])]  # no assigned codes: the coder alone decides
    funding, partnership = draft(BOOK, segments, coder=coder, heading_margin=0.03)
    assert [r.evidence for r in funding.recommendations] == [["doc:01"], ["doc:02"]]
    clear, close = funding.recommendations
    assert CHECK_HEADING not in clear.flags and clear.heading_margin == 0.32
    assert CHECK_HEADING in close.flags and close.heading_margin < 0.03
    assert partnership.recommendations == [] and "no statement" in partnership.note.lower()


def test_no_draft_ever_says_work_towards_and_every_draft_cites_its_statements(monkeypatch):
    # every statement counts as a proposal here: this tests the drafter, not the detector
    monkeypatch.setattr("pipeline.recommend.drafting.is_proposal", lambda segment: True)
    texts = ["Workforce reflecting diversity within communities", "there should be more youth workers",
             "The Steering Group approves the Objectives for the proposed Strategy", "Need longer term funding",
             "More one bed homes for young people"]
    plans = draft(BOOK, [seg(i, t, codes=["funding"]) for i, t in enumerate(texts, 1)], max_per_heading=2)
    recs = [r for p in plans for r in p.recommendations + p.more]
    assert recs and all(not r.text.lower().startswith("work towards") for r in recs)
    assert sorted(e for r in recs for e in r.evidence) == sorted(f"doc:{i:02d}" for i in range(1, 6))
    assert len(plans[0].recommendations) == 2 and plans[0].more  # the rest is kept, not dropped


def test_merging_does_not_depend_on_input_order():
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(5, 32))
    vectors = np.repeat(centres, 6, axis=0) + 0.05 * rng.normal(size=(30, 32))
    keys = [f"s{i:02d}" for i in range(30)]
    groups = merge_groups(vectors, keys, threshold=0.8)
    perm = rng.permutation(30)
    shuffled = merge_groups(vectors[perm], [keys[i] for i in perm], threshold=0.8)
    as_keys = sorted(sorted(keys[i] for i in g) for g in groups)
    assert as_keys == sorted(sorted(keys[perm[i]] for i in g) for g in shuffled)
    assert len(groups) == 5


def test_merging_in_bounded_cells_still_finds_each_ask_once():
    """More proposals than one cell holds: no all-pairs matrix, yet each ask ends up in one group."""
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(4, 48))
    vectors = np.repeat(centres, 30, axis=0) + 0.05 * rng.normal(size=(120, 48))
    groups = merge_groups(vectors, [f"s{i:03d}" for i in range(120)], threshold=0.8, cell_size=25)
    assert sorted(len(g) for g in groups) == [30, 30, 30, 30]


def test_merging_cells_in_forked_workers_gives_the_groups_of_one_process(monkeypatch):
    """Issue 13: the cells are clustered by forked workers; the groups are those one process finds."""
    from pipeline.recommend import merge

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(6, 48))
    vectors = np.repeat(centres, 25, axis=0) + 0.2 * rng.normal(size=(150, 48))
    keys = [f"s{i:03d}" for i in range(150)]
    forked = merge_groups(vectors, keys, threshold=0.8, cell_size=30)
    monkeypatch.setattr(merge, "fork_map", lambda fn, items: [fn(item) for item in items])
    assert merge_groups(vectors, keys, threshold=0.8, cell_size=30) == forked
    assert len(forked) >= 6
