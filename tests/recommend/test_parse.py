"""Drafting's parses: each text parsed once, in batches, with the same result as one at a time; drafting does
not depend on input order or on float noise in the vectors.

The parse tests use the real spaCy model (en_core_web_sm); the counting parser is a fake wrapper around it
(named as a fake), and the drafting tests use the fake bag-of-words embedder.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict

import numpy as np

from pipeline import text as T
from pipeline.codebook import parse_codebook
from pipeline.recommend import RecommendationDrafter
from pipeline.recommend import parse as P
from pipeline.recommend.drafting import TIE, order_with_ties
from pipeline.records import CodeAssignment, Segment
from tests.fakes import FakeEmbedder
from tests.recommend.test_drafting import BOOK  # the same two-heading codebook


TEXTS = ["Re-open a youth space in the town centre", "The council should set up a rent deposit scheme",
         "Landlords need to fix damp and mould", "there should be more youth workers",
         "More one bed homes for young people", "no testing kits in other languages",
         "Could empty shops be turned into homes?", "Staff were lovely and the ward was clean",
         "Fund detached youth workers. They know the estates.", "Partners should meet and talk monthly",
         "Partners must meet and talk every month", "We need more money for youth grants"]


def seg(i, text, codes=("funding",)):
    return Segment(id=f"doc:{i:02d}", text=text, source="doc.txt", line_start=i, line_end=i, event="e",
                   section=["Workshop"], codes=[CodeAssignment(c, 0.9) for c in codes], kind="bullet")


def signature(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_) for t in doc]


class FakeCountingParser:
    """A fake wrapper around the real spaCy pipeline that counts every text it is given."""

    def __init__(self, nlp):
        self.nlp, self.texts, self.single_calls = nlp, Counter(), 0
        self.pipe_names = nlp.pipe_names

    def __call__(self, text):
        self.single_calls += 1
        self.texts[text] += 1
        return self.nlp(text)

    def make_doc(self, text):  # tokenising only: not a parse
        return self.nlp.make_doc(text)

    def get_pipe(self, name):
        return self.nlp.get_pipe(name)

    def pipe(self, texts, **kw):
        texts = list(texts)
        self.texts.update(texts)
        return self.nlp.pipe(texts, **kw)


def test_a_batch_parses_exactly_as_one_text_at_a_time_with_or_without_entities():
    nlp = T.parser()
    alone = [nlp(t) for t in TEXTS]
    batch = P.batched(lambda t: P.parse(t), TEXTS)
    no_ner = P.batched(lambda t: P.parse(t, ner=False), TEXTS)
    assert [signature(d) for d in batch] == [signature(d) for d in alone] == [signature(d) for d in no_ner]
    ents = [[(e.text, e.label_) for e in d.ents] for d in alone]
    assert [[(e.text, e.label_) for e in d.ents] for d in batch] == ents
    with P.session():  # parsed without entities first, then completed by the entity recogniser alone
        P.batched(lambda t: P.parse(t, ner=False), TEXTS)
        completed = P.batched(lambda t: P.parse(t), TEXTS)
    assert [[(e.text, e.label_) for e in d.ents] for d in completed] == ents
    assert [signature(d) for d in completed] == [signature(d) for d in alone]


def test_a_lazy_doc_is_parsed_only_when_read():
    calls = []
    out = P.batched(lambda t: (calls.append(t), len(P.lazy(t)) if t.startswith("Fund") else 0)[1], TEXTS[:9])
    assert out[-1] == len(T.parser()(TEXTS[8])) and out[:-1] == [0] * 8
    assert calls.count(TEXTS[8]) == 2 and calls.count(TEXTS[0]) == 1  # stopped once for its parse, then run again


def test_drafting_parses_each_statement_once_and_only_in_batches(monkeypatch):
    fake = FakeCountingParser(T.parser())
    monkeypatch.setattr(T, "parser", lambda: fake)
    segments = [seg(i, t) for i, t in enumerate(TEXTS, 1)]
    vectors = FakeEmbedder().encode(TEXTS)
    before = P.parsed_count()
    plans = RecommendationDrafter().draft(parse_codebook(BOOK), segments, vectors, themes=[])
    assert sum(len(p.recommendations) + len(p.more) for p in plans) >= 8
    assert fake.single_calls == 0, "drafting parsed a text on its own, outside a batch"
    assert fake.texts and max(fake.texts.values()) == 1, [t for t, n in fake.texts.items() if n > 1]
    assert P.parsed_count() - before == sum(fake.texts.values())
    statement_parses = [t for t in TEXTS if fake.texts[t] or fake.texts[t.rstrip(".")]]
    assert statement_parses  # the statements themselves went through the (counted) batches


def test_drafting_does_not_depend_on_input_order():
    segments = [seg(i, t, codes=("funding",) if i % 3 else ("partnership",)) for i, t in enumerate(TEXTS, 1)]
    vectors = FakeEmbedder().encode(TEXTS)
    book = parse_codebook(BOOK)
    plans = RecommendationDrafter().draft(book, segments, vectors, themes=[])
    perm = np.random.default_rng(3).permutation(len(segments))
    shuffled = RecommendationDrafter().draft(book, [segments[i] for i in perm], vectors[perm], themes=[])
    assert [asdict(p) for p in plans] == [asdict(p) for p in shuffled]


def test_float_noise_in_the_vectors_does_not_change_the_wording_of_a_pair():
    # a pair is equally close to its centre: which one is worded must not be decided by noise
    texts = ["Partners should meet and talk monthly", "Partners must meet and talk every month"]
    segments = [seg(1, texts[0], ("partnership",)), seg(2, texts[1], ("partnership",))]
    base = FakeEmbedder().encode(texts)
    book = parse_codebook(BOOK)
    drafter = RecommendationDrafter(merge_similarity=0.3)
    words = set()
    for k in range(6):
        noisy = base + np.random.default_rng(k).normal(0, 2e-7, base.shape).astype(np.float32)
        [rec] = drafter.draft(book, segments, noisy, themes=[])[1].recommendations
        words.add(rec.text)
    assert len(words) == 1


def test_order_with_ties_breaks_near_ties_by_key_not_by_value():
    assert order_with_ties([0.5, 0.5 + TIE / 4, 0.9], ["b", "a", "c"]) == [2, 1, 0]
    assert order_with_ties([0.5 + TIE / 4, 0.5, 0.9], ["a", "b", "c"]) == [2, 0, 1]
    assert order_with_ties([0.5, 0.5 + 10 * TIE], ["a", "b"]) == [1, 0]


def test_the_lexical_prefilter_gives_the_verdicts_of_the_full_parse_on_every_labelled_statement(monkeypatch):
    """proposals._parse_can_matter skips the parse where no rule can read another verdict from it: on the
    labelled sets of benchmarks/data (every form, every notes style) the forms must be those of a full parse."""
    import json
    from pathlib import Path

    from pipeline.recommend import proposals

    data = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
    rows = [json.loads(line) for path in sorted(data.glob("proposals*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) > 400

    def form(row):
        path = [x for x in dict.fromkeys([row.get("section"), row.get("prompt")]) if x]  # as the benchmark reads it
        return proposals.proposal_form(row["text"], path, row.get("question"), kind=row.get("kind", "bullet"))

    before = P.parsed_count()
    gated = P.batched(form, rows)
    gated_parses = P.parsed_count() - before
    monkeypatch.setattr(proposals, "_parse_can_matter", lambda clause, whole: True)
    before = P.parsed_count()
    full = P.batched(form, rows)
    assert [(r["text"], f) for r, f in zip(rows, gated)] == [(r["text"], f) for r, f in zip(rows, full)]
    assert gated_parses < P.parsed_count() - before
