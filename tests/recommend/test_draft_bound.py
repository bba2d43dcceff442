"""Drafting at scale: above `word_every_group_up_to` merged asks, only the plan and the first `more_worded` of
each heading's "also proposed" list are worded, with the shown plan what wording every group gives; the detector's fast path (`proposes`, lite parses,
`spread` over processes) gives the verdicts of `proposal_form`.

The wording and the detector use the real spaCy model; vectors come from the fake bag-of-words embedder
(tests.fakes, named as a fake).
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.recommend import parse as P
from pipeline.recommend import proposals
from pipeline.recommend.drafting import NOT_DRAFTED, NOT_DRAFTED_RULE
from pipeline.recommend.phrases import norm
from tests.recommend.test_drafting import BOOK, draft, seg

ASKS = ["Provide free bus travel for young people", "Fund youth workers in every park", "Open the library on Sundays",
        "Build more one bed homes for young people", "Install lights in the underpass",
        "Keep the swimming pool open", "Train staff in sign language", "Set up a rent deposit scheme",
        "Repair the pavements on the high street", "Run a weekly advice drop-in at the hub"]
CHALLENGES = ["Isolation of older people was seen as a challenge", "Damp in rented flats was seen as a challenge",
              "Loneliness was seen as a challenge"]


def corpus():
    """Asks of support 3, 2 and 1 (so the cut falls inside a tie on support) and challenges a rule can read."""
    segs, i = [], 0
    for k, text in enumerate(ASKS):
        for copy in range(1 + (k < 3) + (k < 1)):  # the first ask thrice, the next two twice
            i += 1
            segs.append(seg(i, text, section=(f"Workshop {copy}",), codes=["funding"]))
    for text in CHALLENGES:
        i += 1
        segs.append(seg(i, text, section=("Challenges",), codes=["funding"]))
    return segs


def test_unworded_entries_keep_the_participants_words_and_the_shown_plan_is_the_same_with_or_without_the_bound():
    segments = corpus()
    full = draft(BOOK, segments, max_per_heading=2, more_worded=None, merge_similarity=0.95)
    bounded = draft(BOOK, segments, max_per_heading=2, more_worded=3, merge_similarity=0.95,
                    word_every_group_up_to=0)  # the bound as in a large survey
    texts = {s.id: s.text for s in segments}
    unworded = 0
    for a, b in zip(full, bounded):
        assert [(r.text, r.evidence, r.flags, r.rule) for r in a.recommendations] == \
               [(r.text, r.evidence, r.flags, r.rule) for r in b.recommendations]
        assert [r.evidence for r in a.more] == [r.evidence for r in b.more]  # same order, worded or not
        assert a.more[:3] == b.more[:3]
        assert not any(NOT_DRAFTED in r.flags for r in a.more)
        for r in b.more[3:]:
            assert NOT_DRAFTED in r.flags and r.rule == NOT_DRAFTED_RULE
            assert r.text == r.source_text and r.text in {norm(texts[e]) for e in r.evidence}
            unworded += 1
    assert unworded >= 5


def test_a_run_with_few_merged_asks_has_every_one_worded():
    segments = corpus()
    small = draft(BOOK, segments, max_per_heading=2, more_worded=3, merge_similarity=0.95)
    full = draft(BOOK, segments, max_per_heading=2, more_worded=None, merge_similarity=0.95)
    assert small == full and sum(len(p.more) for p in small) >= 5


def _labelled_rows():
    data = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
    return [json.loads(line) for path in sorted(data.glob("proposals*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _args(row):
    path = [x for x in dict.fromkeys([row.get("section"), row.get("prompt")]) if x]
    return row["text"], path, row.get("question"), None, None, row.get("kind", "bullet")


def test_proposes_gives_the_verdict_of_proposal_form_with_fewer_parses():
    rows = _labelled_rows()
    assert len(rows) > 400
    before = P.parsed_count()
    forms = P.batched(lambda row: proposals.proposal_form(*_args(row)), rows)
    form_parses = P.parsed_count() - before
    before = P.parsed_count()
    verdicts = P.batched(lambda row: proposals.proposes(*_args(row)), rows)
    assert verdicts == [f is not None for f in forms]
    assert P.parsed_count() - before < form_parses


def test_a_lite_parse_has_the_tags_and_dependencies_of_the_full_one_and_upgrades_to_it():
    from tests.recommend.test_parse import TEXTS, signature

    def read(text, lite):
        doc = P.parse(text, ner=False, lite=lite)
        return [(t.text, t.tag_, t.dep_, t.head.i) for t in doc], signature(doc)

    with P.session():
        lite = P.batched(lambda t: read(t, True), TEXTS)
        full = P.batched(lambda t: read(t, False), TEXTS)  # the same Docs, given POS and lemmas
    with P.session():
        fresh = P.batched(lambda t: read(t, False), TEXTS)
    assert [x[0] for x in lite] == [x[0] for x in full] == [x[0] for x in fresh]
    assert [x[1] for x in full] == [x[1] for x in fresh]
    assert any(p for x in full for (_, _, p, _, _, _) in x[1])  # POS there once asked for


def test_spread_over_two_processes_gives_the_list_batched_gives():
    rows = _labelled_rows()[:300]
    items = [_args(r) for r in rows]
    alone = P.batched(_proposes, items)
    with P.session():
        spread = P.spread(_proposes, items, processes=2, min_items=1, chunk=50)
    assert spread == alone and any(spread) and not all(spread)


def _proposes(args):  # module level: `spread` sends it to the worker by name
    return proposals.proposes(*args)


def test_spread_later_started_in_idle_workers_gives_the_list_batched_gives_and_leaves_no_worker():
    import multiprocessing
    import os
    import time

    rows = _labelled_rows()[:300]
    items = [_args(r) for r in rows]
    alone = P.batched(_proposes, items)
    later = P.spread_later(_proposes, items, processes=2, min_items=1, chunk=50)
    assert later is not None  # Linux with 2 cores or more
    worker = next(iter(later.pool._processes.values()))
    assert os.sched_getscheduler(worker.pid) == os.SCHED_IDLE  # runs only where nothing else wants the core
    with P.session():
        assert later.result() == alone and any(alone) and not all(alone)
    assert multiprocessing.active_children() == []
    cancelled = P.spread_later(_proposes, items, processes=2, min_items=1, chunk=50)
    cancelled.cancel()  # the workers finish the part they hold, if any, then leave
    deadline = time.monotonic() + 60
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert multiprocessing.active_children() == []
    assert P.spread_later(_proposes, items, min_items=301) is None  # a small run: nothing started
    assert P.spread_later(_proposes, items, min_items=1, max_items=299) is None  # a huge one: started when needed


def test_drafting_takes_up_detection_prefetched_for_the_same_statements_only(monkeypatch):
    from dataclasses import replace

    from pipeline.records import Segment
    from pipeline.recommend import drafting

    segments = [Segment(id=f"s{i}", text=t, source="notes.txt", line_start=i, line_end=i, event="e", kind="bullet")
                for i, t in enumerate(["Fund more youth workers", "The hall was cold", "Re-open the library"])]
    monkeypatch.setattr(P, "SPREAD_MIN", 1)
    started = []
    real = P.spread_later

    def spy(fn, items, *a, **k):
        started.append(real(fn, items, min_items=1, chunk=1))
        return started[-1]

    monkeypatch.setattr(P, "spread_later", spy)
    monkeypatch.setattr(P, "spread", lambda *a, **k: (_ for _ in ()).throw(AssertionError("detected again")))
    drafter = drafting.RecommendationDrafter()
    drafter.prefetch(segments)
    with P.session():
        cands = drafter.candidates(segments, drafting.context_of(segments), set())
    assert [c.segment.id for c in cands] == ["s0", "s2"]
    drafter.prefetch(segments)
    other = [replace(segments[0], text="The bus was late"), *segments[1:]]
    monkeypatch.setattr(P, "spread", lambda fn, items, *a, **k: P.batched(fn, items))
    with P.session():
        cands = drafter.candidates(other, drafting.context_of(other), set())
    assert [c.segment.id for c in cands] == ["s2"]  # the started work was for other statements: done again
    assert drafter._detecting is None
