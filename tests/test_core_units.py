"""Unit tests of the default codebook, coding, themes, ranking and drafting, on small fakes."""
from __future__ import annotations

import numpy as np
import pytest

from fakes import FakeEmbedder
from pipeline.codebook import load_codebook, parse_codebook
from pipeline.coding import CodebookCoder, theme_codes
from pipeline.embed import MODELS, ModelSpec, verify_weights
from pipeline.errors import InputError
from pipeline.rank import rank_themes
from pipeline.recommend import is_proposal
from pipeline.records import CodeAssignment, Segment
from pipeline.themes import ThemeFinder, KMeansClusterer, diverse_quotes

BOOK = """\
name: test
codes:
  - id: funding
    label: Funding
    heading: More resources
    description: money grants budgets
    examples: [more money for grants, budgets were cut]
    keywords: [grant]
  - id: partnership
    label: Partnership
    heading: Work together
    description: partners meet and talk together
    examples: [partners should meet and talk]
"""


def seg(i, text, **kw):
    return Segment(id=f"doc:{i}", text=text, source="doc.txt", line_start=i, line_end=i, event="e", **kw)


# ---------------------------------------------------------------- codebook
def test_default_codebook_has_the_four_action_headings():
    book = load_codebook()
    assert [c.id for c in book.codes] == ["partnership", "funding", "culture_change", "representation"]
    assert [c.heading for c in book.codes] == ["Improve partnership and communication",
                                               "More resources and better support", "Culture change",
                                               "Better representation"]
    assert all(len(c.examples) >= 3 and len(c.description) > 100 for c in book.codes)


@pytest.mark.parametrize("text, line, field, words", [
    ("codes:\n  - id: a\n    label: A\n    description: d\n    colour: red\n", 5, "colour", "unknown key"),
    ("codes:\n  - id: a\n    label: A\n    description: d\n  - id: a\n    label: B\n    description: e\n", 5, "id",
     "duplicate code id"),
    ("codes:\n  - id: a\n    label: A\n", 2, "description", "missing required field"),
    ("codes:\n  - id: a\n    label: [A\n", 4, None, "YAML error"),
    ("name: x\nname: y\ncodes: []\n", 2, "name", "appears twice"),
])
def test_invalid_codebook_names_line_and_field(text, line, field, words):
    with pytest.raises(InputError) as err:
        parse_codebook(text, "book.yaml")
    assert err.value.line == line and err.value.field == field
    assert words in str(err.value) and "book.yaml" in str(err.value)


def test_codebook_cycle_in_parent_is_refused():
    text = ("codes:\n  - id: a\n    label: A\n    description: d\n    parent: b\n"
            "  - id: b\n    label: B\n    description: e\n    parent: a\n")
    with pytest.raises(InputError, match="cycle"):
        parse_codebook(text)


# ---------------------------------------------------------------- coding
@pytest.fixture()
def coder():
    return CodebookCoder(FakeEmbedder(), threshold=0.5).fit(parse_codebook(BOOK))


def code_all(coder, texts):
    segments = [seg(i, t) for i, t in enumerate(texts)]
    vectors = coder.embedder.encode(texts)
    return coder.transform(segments, vectors)


def test_statement_below_threshold_is_uncoded_but_keeps_its_nearest_code(coder):
    coded, uncoded = code_all(coder, ["more money for grants please", "the weather was sunny"])
    assert coded.primary == "funding" and coded.codes[0].score >= 0.5
    assert uncoded.codes == [] and uncoded.primary is None
    assert uncoded.nearest is not None and uncoded.nearest.score < 0.5


def test_codes_are_best_first_and_may_be_several(coder):
    (s,) = code_all(coder, ["partners should meet and talk about money for grants"])
    scores = [c.score for c in s.codes]
    assert scores == sorted(scores, reverse=True)
    assert {c.code for c in s.codes} <= {"funding", "partnership"}


def test_a_persons_code_always_wins(coder):
    s = seg(1, "more money for grants", codes=[CodeAssignment("partnership", 1.0, by="person")])
    (coded,) = coder.transform([s], coder.embedder.encode([s.text]))
    assert [(c.code, c.by) for c in coded.codes] == [("partnership", "person")]
    assert s.nearest is None  # the segment given is not changed: transform returns a new one


def test_theme_codes_come_from_its_statements():
    from pipeline.records import Theme

    segs = [seg(1, "a", codes=[CodeAssignment("funding", 0.6)]),
            seg(2, "b", codes=[CodeAssignment("funding", 0.7), CodeAssignment("partnership", 0.5)]),
            seg(3, "c")]
    theme = Theme(id="t", label="x", keywords=[], segments=[s.id for s in segs], quotes=[])
    codes = theme_codes(theme, {s.id: s for s in segs})
    assert [c.code for c in codes] == ["funding", "partnership"]
    assert codes[0].score == pytest.approx(2 / 3, abs=1e-3)


# ---------------------------------------------------------------- themes and ranking
TOPICS = [
    "funding grants money budget cuts {}", "young people school education youth {}",
    "language barriers interpreters translation {}", "police stop search racism {}",
]


FILLERS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


def themed_corpus(n_per=8):
    texts = [t.format(f"{FILLERS[i]} {FILLERS[(i + 3) % 10]}") for t in TOPICS for i in range(n_per)]
    return [seg(i, t) for i, t in enumerate(texts)], FakeEmbedder().encode(texts)


def test_every_statement_lands_in_a_theme_or_unclustered_and_run_is_deterministic():
    segments, vectors = themed_corpus()
    finder = ThemeFinder(clusterer=KMeansClusterer(4, seed=3))
    assert finder.fit(segments, vectors) is finder  # fit returns the finder; what it learned ends in _
    themes = finder.themes_
    members = [sid for t in themes for sid in t.segments]
    assert sorted(members) == sorted(s.id for s in segments)
    again = ThemeFinder(clusterer=KMeansClusterer(4, seed=3)).fit(segments, vectors).themes_
    assert [(t.id, t.segments, t.label) for t in themes] == [(t.id, t.segments, t.label) for t in again]
    themed = finder.transform(segments)
    assert all(s.theme for s in themed) and not any(s.theme for s in segments)


def test_themes_have_labels_keywords_and_three_to_five_quotes():
    segments, vectors = themed_corpus()
    for theme in ThemeFinder(clusterer=KMeansClusterer(4)).fit(segments, vectors).themes_:
        if theme.is_unclustered:
            continue
        assert theme.label and theme.keywords
        assert 3 <= len(theme.quotes) <= 5 and set(theme.quotes) <= set(theme.segments)


def test_quotes_are_not_near_copies():
    texts = ["same words here"] * 4 + ["other words entirely", "third different thing"]
    vectors = FakeEmbedder().encode(texts)
    centre = vectors.mean(axis=0)
    ids = [f"s{i}" for i in range(len(texts))]
    quotes = diverse_quotes(ids, vectors, centre / np.linalg.norm(centre), texts, n=5)
    picked = [ids.index(q) for q in quotes]
    sims = [float(vectors[a] @ vectors[b]) for a in picked for b in picked if a < b]
    assert max(sims) < 0.9


def test_far_statements_go_to_an_explicit_unclustered_group():
    segments, vectors = themed_corpus()
    odd = seg(999, "completely unrelated zebra xylophone")
    themes = ThemeFinder(clusterer=KMeansClusterer(4), min_similarity=0.5).fit(
        segments + [odd], np.vstack([vectors, FakeEmbedder().encode([odd.text])])).themes_
    assert themes[-1].is_unclustered and odd.id in themes[-1].segments


def test_ranking_writes_its_components_and_orders_by_score():
    segments, vectors = themed_corpus()
    themes = rank_themes(ThemeFinder(clusterer=KMeansClusterer(4)).fit(segments, vectors).themes_, segments)
    ranked = [t for t in themes if not t.is_unclustered]
    assert [t.rank for t in ranked] == list(range(1, len(ranked) + 1))
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)
    for t in ranked:
        c = t.components
        assert t.score == pytest.approx(0.5 * c["support"] + 0.3 * c["breadth"] + 0.2 * c["fit"], abs=1e-3)


# ---------------------------------------------------------------- recommendations
# the wording of drafts is tested in tests/recommend/test_wording.py, the drafter in test_drafting.py


@pytest.mark.parametrize("text, question, expected", [
    ("We need longer term funding", None, True),
    ("Increased reports of domestic violence", None, False),
    ("BAME – what does it mean?", None, False),
    ("Workforce reflecting diversity within communities", "What does better look like?", True),
    ("Workforce reflecting diversity within communities", "What are the issues?", False),
])
def test_is_proposal(text, question, expected):
    assert is_proposal(seg(1, text, question=question)) is expected


# ---------------------------------------------------------------- model weights
def test_weights_with_the_wrong_checksum_are_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    spec = ModelSpec(**{**MODELS["all-MiniLM-L6-v2"].__dict__})
    with pytest.raises(InputError, match="checksum"):
        verify_weights(spec, tmp_path)


def test_support_counts_wordings_once_and_flags_campaigns():
    from pipeline.records import Segment, support_of

    def seg(i, text, campaign=None):
        return Segment(id=str(i), text=text, source="s.csv", line_start=i, line_end=i, event="e",
                       attributes={"campaign": campaign} if campaign else {})

    template = "Save the riverside library!"
    by_id = {s.id: s for s in [seg(1, template, 3), seg(2, "save the  riverside library", 3), seg(3, template, 3),
                               seg(4, "Longer opening hours at weekends")]}
    support = support_of(["1", "2", "3", "4", "missing"], by_id)
    assert (support.total, support.distinct, support.campaign) == (4, 2, 3)
    assert support.is_campaign
    assert not support_of(["4"], by_id).is_campaign


def test_fork_pool_forks_its_workers_at_once_with_the_parents_objects_frozen_then_thaws_them():
    import gc
    import os

    from pipeline.parallel import fork_pool

    pool = fork_pool(1)  # Linux: fork is there
    with pool:
        assert len(pool._processes) == 1  # forked already, while the parent's objects were frozen
        assert pool.submit(os.getpid).result() != os.getpid()
        assert pool.submit(gc.get_freeze_count).result() > 0  # the worker's collector skips what it shares
    assert gc.get_freeze_count() == 0  # the parent's own collector is left as it was


def _pid_and_square(x: int) -> tuple[int, int]:
    import os

    return os.getpid(), x * x


def test_fork_map_keeps_the_order_uses_forked_workers_and_runs_here_without_a_pool(monkeypatch):
    import os

    from pipeline import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 2)  # as on the 2-core machines here, whatever this one has
    out = parallel.fork_map(_pid_and_square, range(7), workers=2)
    assert [sq for _, sq in out] == [x * x for x in range(7)]
    assert os.getpid() not in {pid for pid, _ in out}
    monkeypatch.setattr(parallel, "fork_pool", lambda *a, **k: None)  # no fork here (e.g. Windows)
    out = parallel.fork_map(_pid_and_square, range(3), workers=2)
    assert out == [(os.getpid(), x * x) for x in range(3)]


def _fail_to_start() -> None:
    raise RuntimeError("this worker cannot start")


def test_fork_pool_that_breaks_on_start_returns_none_and_leaves_no_worker_behind():
    import multiprocessing

    from pipeline.parallel import fork_pool

    assert fork_pool(2, _fail_to_start) is None
    assert multiprocessing.active_children() == []


def _fake_recording_stage(name, log, fail=False):
    """A fake stage that records the calls the pipeline makes to it; `fail` makes its transform raise."""
    from pipeline.stages import Stage

    class FakeRecordingStage(Stage):
        def prepare(self, analysis):
            log.append(("prepare", name, len(analysis.segments)))

        def transform(self, analysis, progress=None):
            log.append(("transform", name))
            if fail:
                raise RuntimeError("stage failed")
            return analysis

        def release(self):
            log.append(("release", name))

    stage = FakeRecordingStage()
    stage.name = name
    return stage


def test_pipeline_prepares_every_stage_first_and_releases_each_even_when_one_fails():
    from pipeline.codebook import Codebook
    from pipeline.records import Analysis
    from pipeline.stages import Pipeline

    start = Analysis(settings=None, inputs=[], codebook=Codebook(codes=[]), segments=[
        Segment(id="a", text="Fund youth work", source="n.txt", line_start=1, line_end=1, event="e", kind="bullet")],
        vectors=np.zeros((1, 2), dtype=np.float32), themes=[], plans=[])
    log: list = []
    stages = [_fake_recording_stage("one", log), _fake_recording_stage("two", log)]
    Pipeline(stages).run(start)
    assert log == [("prepare", "one", 1), ("prepare", "two", 1), ("transform", "one"), ("transform", "two"),
                   ("release", "one"), ("release", "two")]
    log.clear()
    with pytest.raises(RuntimeError):
        Pipeline([_fake_recording_stage("one", log, fail=True), _fake_recording_stage("two", log)]).run(start)
    assert log == [("prepare", "one", 1), ("prepare", "two", 1), ("transform", "one"), ("release", "one"),
                   ("release", "two")]
