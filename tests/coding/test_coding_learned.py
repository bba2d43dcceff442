"""Coders: the zero-shot path, learning from examples, calibration and honest 'uncoded' (fake embedder)."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.codebook import parse_codebook
from pipeline.coding import (CodebookCoder, CorpusCoder, ExampleCoder, LabelledItem, adapt_prior, best_f1_threshold,
                             make_coder)
from pipeline.records import CodeAssignment, Segment
from tests.fakes import FakeEmbedder

BOOK = """\
codes:
  - id: money
    label: Money
    description: grants funding budget cuts
    examples: ["grants are short", "funding was cut", "budget for groups"]
  - id: voice
    label: Voice
    description: boards seats decisions representation
    examples: ["seats on boards", "a say in decisions", "representation at the top"]
  - id: talk
    label: Talk
    description: meetings forums conversation partnership
"""


@pytest.fixture
def book():
    return parse_codebook(BOOK, "book.yaml")


@pytest.fixture
def embedder():
    return FakeEmbedder()


def coded(coder, embedder, texts):
    scores = coder.score(texts, embedder.encode(texts))
    return [[c.code for c in a] for a, _ in coder.assign(scores)], scores


def test_zero_shot_codes_without_examples_use_their_wording(book, embedder):
    coder = CodebookCoder(embedder).fit(book)
    assert len(coder.example_vectors_[2]) == len(book["talk"].prototypes()) > 1
    codes, _ = coded(coder, embedder, ["forums and meetings for partnership"])
    assert codes[0][0] == "talk"


def test_learned_coder_learns_from_train_items(book, embedder):
    # "allotment" appears in no code's wording: only the person's labelled statements teach it
    train = [LabelledItem(f"t{i}", f"allotment garden plot {w}", ["voice"]) for i, w in enumerate("abcdef")]
    zero_codes, _ = coded(CodebookCoder(embedder, threshold=-1).fit(book), embedder, ["allotment garden"])
    learned = ExampleCoder(embedder, threshold=-1, gate_quantile=None).fit(book, train)
    learned_codes, scores = coded(learned, embedder, ["allotment garden"])
    assert learned_codes[0][0] == "voice"
    assert zero_codes[0][:1] != ["voice"]
    assert np.allclose(scores.scores.sum(axis=1), 1.0, atol=1e-5)  # probabilities over codes (no 'none' class)


def test_uncoded_is_learned_from_statements_a_person_left_uncoded(book, embedder):
    train = [LabelledItem(f"n{i}", f"weather sunny rain {w}", []) for i, w in enumerate("abcdef")]
    train += [LabelledItem("m1", "grants funding money", ["money"]), LabelledItem("v1", "seats on the board", ["voice"])]
    coder = ExampleCoder(embedder, threshold=0.0).fit(book, train)
    assert coder.classes_[-1] == "none"
    codes, scores = coded(coder, embedder, ["sunny weather today", "funding cut for grants"])
    assert codes == [[], ["money"]]
    assert scores.none is not None and scores.none[0] > scores.scores[0].max()


def test_without_uncoded_examples_the_similarity_gate_decides(book, embedder):
    coder = ExampleCoder(embedder).fit(book)
    assert "none" not in coder.classes_
    codes, scores = coded(coder, embedder, ["xylophone quartz zebra", "funding was cut for grants"])
    assert codes[0] == []  # nothing like any code: uncoded, though a learned coder always has a most-probable code
    assert codes[1][0] == "money"
    top = int(np.argmax(scores.scores[0]))
    assert scores.similarity[0, top] < coder.gates_[top]


def test_second_codes_only_when_training_shows_codes_together(book, embedder):
    single = ExampleCoder(embedder).fit(book)
    assert not single.multi_label_ and np.isinf(single.thresholds()).all()
    both = [LabelledItem(f"b{i}", f"grants for seats on boards {w}", ["money", "voice"]) for i, w in enumerate("abcdefgh")]
    multi = ExampleCoder(embedder).fit(book, both)
    assert multi.multi_label_


def test_calibration_never_sees_the_held_out_example(book, embedder, monkeypatch):
    seen = []
    original = ExampleCoder._zero_shot

    def spy(self, codebook):
        seen.append({c.id: list(c.examples) for c in codebook.codes})
        return original(self, codebook)

    monkeypatch.setattr(ExampleCoder, "_zero_shot", spy)
    train = [LabelledItem(f"x{i}", f"grants money {w}", ["money"]) for i, w in enumerate("abcdefgh")]
    ExampleCoder(embedder, folds=4).fit(book, train)
    folds = seen[1:]  # the first is the full codebook
    assert len(folds) == 4
    # every codebook example is left out of exactly one fold's zero-shot coder
    for text in book["money"].examples:
        assert sum(text not in f["money"] for f in folds) == 1


def test_learned_coder_is_deterministic(book, embedder):
    texts = ["grants", "seats", "forum"]
    a = ExampleCoder(embedder, seed=3).fit(book).score(texts, embedder.encode(texts)).scores
    b = ExampleCoder(embedder, seed=3).fit(book).score(texts, embedder.encode(texts)).scores
    assert np.array_equal(a, b)


def test_unknown_training_label_is_refused(book, embedder):
    with pytest.raises(ValueError, match="nope"):
        ExampleCoder(embedder).fit(book, [LabelledItem("a", "text", ["nope"])])


def test_make_coder_picks_the_corpus_coder_unless_learned_is_asked_for(book, embedder):
    # issue 10: the corpus-aware coder is the default, and learns from a person's examples when given
    assert isinstance(make_coder(embedder, book), CorpusCoder)
    assert isinstance(make_coder(embedder, book, train=[LabelledItem("a", "grants", ["money"])]), CorpusCoder)
    assert isinstance(make_coder(embedder, book, "learned"), ExampleCoder)
    assert isinstance(make_coder(embedder, book, "zero-shot", train=[LabelledItem("a", "g", ["money"])]),
                      CorpusCoder)
    with pytest.raises(ValueError):
        make_coder(embedder, book, "magic")


def test_transform_keeps_a_persons_codes(book, embedder):
    segs = [Segment(id="s1", text="grants were cut", source="f.txt", line_start=1, line_end=1, event="e"),
            Segment(id="s2", text="grants were cut", source="f.txt", line_start=2, line_end=2, event="e",
                    codes=[CodeAssignment("voice", 1.0, by="person")])]
    segs = ExampleCoder(embedder, threshold=0.0, gate_quantile=None).fit(book).transform(
        segs, embedder.encode([s.text for s in segs]))
    assert segs[0].primary == "money" and segs[0].codes[0].by == "tool"
    assert [(c.code, c.by) for c in segs[1].codes] == [("voice", "person")]
    assert segs[1].nearest.code == "money"


def test_adapt_prior_moves_mass_to_the_common_class():
    rng = np.random.default_rng(0)
    # a flat-prior classifier that is right but unsure: class 0 is truly 80% of the batch
    truth = (rng.random(500) > 0.8).astype(int)
    probs = np.where(truth[:, None] == np.arange(2), 0.6, 0.4)
    adapted = adapt_prior(probs)
    assert np.allclose(adapted.sum(axis=1), 1)
    assert adapted[:, 0].mean() > probs[:, 0].mean()


def test_best_f1_threshold_separates_when_it_can():
    values = np.array([0.9, 0.8, 0.7, 0.3, 0.2])
    positive = np.array([True, True, True, False, False])
    cut, f1 = best_f1_threshold(values, positive)
    assert 0.3 < cut < 0.7 and f1 == 1.0
