"""Issue 10: the corpus-aware zero-shot coder, non-answers, code ids, labelled files by label, bad codebooks.

Unit tests use tests/fakes.FakeEmbedder (named as a fake); the end-to-end tests in
tests/coding/test_coding_e2e.py use the real model.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.codebook import Code, Codebook, code_id, parse_codebook
from pipeline.coding import CorpusCoder, LabelledItem, code_views
from pipeline.coding.items import non_answers, read_items
from pipeline.coding.labelled import read_labelled
from pipeline.errors import InputError
from pipeline.text import is_non_answer
from tests.fakes import FakeEmbedder

CASES = __import__("pathlib").Path(__file__).resolve().parents[2].parent / "shared" / "cases"
DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def book():
    return Codebook([
        Code("money", "Funding and grants", "Money for groups: grants, budgets, cuts and funders."),
        Code("voice", "Representation", "People on boards and panels; a voice in decisions."),
        Code("travel", "Transport", "Buses, fares and getting to places."),
    ], name="fake book")


STATEMENTS = ["grants were cut and budgets shrank", "funders want bids every year", "more grants for small groups",
              "nobody like us on the boards", "a seat on the panel for young people", "decisions made without a voice",
              "fares are too high", "buses stop at six", "no buses to the college",
              "zebra quantum marmalade", "No", "N/A"]


def coded(coder, texts, fake):
    scores = coder.score(texts, fake.encode(texts))
    return [([c.code for c in codes], nearest.code) for codes, nearest in coder.assign(scores)]


def test_fake_corpus_coder_codes_each_topic_and_always_names_the_nearest_code(book):
    fake = FakeEmbedder()
    out = coded(CorpusCoder(fake).fit(book), STATEMENTS, fake)
    assert [o[1] for o in out[:9]] == ["money"] * 3 + ["voice"] * 3 + ["travel"] * 3
    assert all(nearest for _, nearest in out)  # nearest code always given, coded or not


def test_fake_corpus_coder_is_independent_of_statement_order(book):
    fake = FakeEmbedder()
    coder = CorpusCoder(fake).fit(book)
    first = dict(zip(STATEMENTS, coded(coder, STATEMENTS, fake)))
    shuffled = [STATEMENTS[i] for i in np.random.default_rng(3).permutation(len(STATEMENTS))]
    second = dict(zip(shuffled, coded(coder, shuffled, fake)))
    assert first == second
    again = dict(zip(STATEMENTS, coded(CorpusCoder(fake).fit(book), STATEMENTS, fake)))
    assert again == first  # deterministic


def test_fake_corpus_coder_leaves_a_statement_far_from_every_code_uncoded(book):
    fake = FakeEmbedder()
    out = dict(zip(STATEMENTS, coded(CorpusCoder(fake).fit(book), STATEMENTS, fake)))
    assert out["zebra quantum marmalade"][0] == []
    assert sum(1 for codes, _ in out.values() if not codes) <= 3  # abstains only where nothing fits


def test_fake_corpus_coder_learns_from_examples(book):
    fake = FakeEmbedder()
    texts = ["the minibus was late again", "grants were cut"]
    before = coded(CorpusCoder(fake).fit(book), texts, fake)
    train = [LabelledItem(f"t{n}", t, ["travel"]) for n, t in enumerate(["minibus late", "the minibus again"])]
    train += [LabelledItem("m1", "grants cut", ["money"])]
    after = coded(CorpusCoder(fake).fit(book, train), texts, fake)
    assert after[0][1] == "travel" and after[1][1] == "money"
    assert before != after or before[0][1] == "travel"


def test_code_views_cover_label_description_include_and_examples():
    code = Code("a", "Housing", "Rent and repairs. Damp homes too.", include=["evictions"], examples=["rent went up"])
    views = code_views(code)
    assert views[0] == "Housing" and "Housing: Rent and repairs. Damp homes too." in views
    assert "evictions" in views and "rent went up" in views


@pytest.mark.parametrize("text", ["No", "Nothing", "N/A", "-", "", "   ", "Yes", "n/a", "none", "?", "...",
                                  "Don't know", "Not provided", "NULL", "nan", "—", "👍", "😀😀😀", "\u200b", "No."])
def test_non_answers_are_recognised(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["FUNDING", "资金不足", "Nid oes digon o arian", "No funding for youth", "0",
                                  "Nothing really works here"])
def test_answers_are_not_non_answers(text):
    assert not is_non_answer(text)


def test_read_items_keeps_every_jsonl_line_in_order():
    path = CASES / "reliability" / "FAIL_code_drops_short_answers.jsonl"
    items = read_items(path)
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [s.id for s in items] == ids and len(items) == 30
    flags = dict(zip(ids, non_answers(items)))
    assert flags["s1"] and flags["s8"] and flags["s5"] and not flags["s6"] and not flags["s25"]
    assert "[PHONE]" in items[ids.index("s30")].text  # redacted as ingest does


def test_read_items_keeps_every_csv_row_in_order():
    items = read_items(DATA / "code-placeholders.csv")
    assert [s.id for s in items] == [f"r{n}" for n in range(1, 17)]
    assert sum(non_answers(items)) == 12


def test_read_items_refuses_a_repeated_id(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_items(path)
    assert err.value.line == 2 and "also used on line 1" in err.value.message


@pytest.mark.parametrize("label,expected", [("Éducation", "éducation"), ("交通", "交通"),
                                            ("Dept. of Health", "dept-of-health"),
                                            ("Housing/rent arrears", "housing-rent-arrears"),
                                            ("Accès à l'école", "accès-à-l-école"), ("!!!", "code")])
def test_code_ids_keep_their_letters(label, expected):
    assert code_id(label) == expected


def test_a_yaml_codebook_may_use_ids_in_any_script():
    book = parse_codebook("codes:\n  - id: 交通\n    label: 交通\n    description: 公共交通和道路\n"
                          "  - id: éducation\n    label: Éducation\n    description: École\n")
    assert [c.id for c in book.codes] == ["交通", "éducation"]


def test_gold_may_name_codes_by_label_and_unknown_labels_are_listed_together(tmp_path, book):
    path = tmp_path / "gold.csv"
    path.write_text("id,text,labels\na,x,Transport\nb,y,representation;Funding and grants\nc,z,Buses\nd,w,Trains\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_labelled(path, book)
    assert "'Buses' (line 4)" in err.value.message and "'Trains' (line 5)" in err.value.message
    path.write_text("id,text,labels\na,x,Transport\nb,y,representation;Funding and grants\n", encoding="utf-8")
    items = read_labelled(path, book)
    assert [i.labels for i in items] == [["travel"], ["voice", "money"]]


@pytest.mark.parametrize("yaml_text,expect,line", [
    ("name: x\ncodes: []\n", "has no codes", 2),
    ("codes:\n  - id: a\n    label: Same\n    description: d\n  - id: b\n    label: same\n    description: e\n",
     "duplicate label 'same'", 5),
    ("codes:\n  - id: a\n    label: A\n", "missing required field 'description'", 2),
])
def test_bad_codebooks_get_a_clear_message(yaml_text, expect, line):
    with pytest.raises(InputError) as err:
        parse_codebook(yaml_text, "bad.yaml")
    assert expect in err.value.message and err.value.line == line


def _favour_travel(calls):
    """A stand-in for the self-trained classifier: records its teacher and votes "travel" (column 2) everywhere."""
    def fake_self_train(self, H, X, centre, live, texts, mean, examples):
        calls.append(H.copy())
        out = np.zeros_like(H)
        out[:, 2] = 3.0
        return out
    return fake_self_train


def test_fake_corpus_coder_weighs_its_own_classifier_by_corpus_size(book, monkeypatch):
    fake = FakeEmbedder()  # 64 dimensions: 12 statements are fewer than dimensions, 660 ten times more
    monkeypatch.setattr(CorpusCoder, "_self_train", _favour_travel([]))
    coder = CorpusCoder(fake).fit(book)
    small = dict(zip(STATEMENTS, coded(coder, STATEMENTS, fake)))
    assert small["grants were cut and budgets shrank"][1] == "money"  # the codebook's words win on a small batch
    large = dict(zip(STATEMENTS, coded(coder, STATEMENTS * 55, fake)))
    assert large["grants were cut and budgets shrank"][1] == "travel"  # the corpus classifier wins on a large one


def test_fake_corpus_coder_teaches_with_uncentred_similarity_only_for_bare_names(book, monkeypatch):
    fake = FakeEmbedder()
    assert CorpusCoder(fake).fit(book).bare_ == 0.0  # every code has a description
    names = Codebook([Code(c.id, c.label, c.label) for c in book.codes], name="names only")
    coder = CorpusCoder(fake).fit(names)
    assert coder.bare_ == 1.0
    calls: list = []
    monkeypatch.setattr(CorpusCoder, "_self_train", _favour_travel(calls))
    scores = coder.score(STATEMENTS, fake.encode(STATEMENTS))
    coder.bare_ = 0.0
    coder.score(STATEMENTS, fake.encode(STATEMENTS))
    raw = scores.similarity.astype(np.float64)
    np.testing.assert_allclose(calls[0] - calls[1], (raw - raw.mean()) / raw.std(), rtol=1e-4, atol=1e-4)


def test_fake_corpus_coder_caps_its_training_rows_without_depending_on_order(book, monkeypatch):
    from pipeline.coding import zero_shot
    from sklearn.linear_model import LogisticRegression

    fake = FakeEmbedder()
    texts = [f"{s} ({i})" for i in range(8) for s in STATEMENTS[:9]]  # 72 distinct statements
    sizes: list[int] = []
    fit = LogisticRegression.fit
    monkeypatch.setattr(LogisticRegression, "fit", lambda self, x, y: sizes.append(len(x)) or fit(self, x, y))
    monkeypatch.setattr(zero_shot, "CORPUS_SELF_TRAINING_MAX_ROWS", 10)
    coder = CorpusCoder(fake).fit(book)
    first = dict(zip(texts, coded(coder, texts, fake)))
    assert sizes == [10 + len(book.codes)]  # 10 confident rows and each code's centre, not the ~36 confident rows
    shuffled = [texts[i] for i in np.random.default_rng(5).permutation(len(texts))]
    assert dict(zip(shuffled, coded(coder, shuffled, fake))) == first


def test_fake_corpus_coder_scores_in_blocks_as_in_one(book, monkeypatch):
    """Issue 13: centred rows and n-gram counts a block at a time give the scores of one block."""
    from pipeline.coding import zero_shot

    fake = FakeEmbedder()
    texts = STATEMENTS + ["!!!"]  # distinct statements: near-copies would leave margins tied to float noise
    coder = CorpusCoder(fake).fit(book)
    whole = coder.score(texts, fake.encode(texts))
    monkeypatch.setattr(zero_shot, "CORPUS_BLOCK_ROWS", 5)
    blocked = coder.score(texts, fake.encode(texts))
    np.testing.assert_allclose(blocked.scores, whole.scores, atol=1e-6)
    np.testing.assert_array_equal(blocked.uncoded, whole.uncoded)


def test_corpus_coder_ngram_cosines_match_scikit_learns_tfidf(book, monkeypatch):
    """The blocked n-gram weighting is scikit-learn's TfidfVectorizer(sublinear_tf=True) weighting."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.coding import zero_shot
    from pipeline.defaults import CORPUS_NGRAMS

    coder = CorpusCoder(FakeEmbedder()).fit(book)
    corpus = STATEMENTS[:10] + ["grants grants grants and more grants"]
    texts = corpus + ["N/A", "No"]  # the last two are outside the corpus the weights come from
    monkeypatch.setattr(zero_shot, "CORPUS_BLOCK_ROWS", 4)
    ours = coder._lexical(corpus, texts)
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=CORPUS_NGRAMS, sublinear_tf=True)
    fitted = reference.fit(sorted(set(corpus)) + coder.documents_)
    expected = (fitted.transform(texts) @ fitted.transform(coder.documents_).T).toarray()
    np.testing.assert_allclose(ours, expected, atol=1e-12)
    assert ours.shape == (len(texts), len(book.codes)) and ours.max() > 0.1


def test_ngram_counts_from_forked_pieces_equal_those_of_one_process(monkeypatch):
    """Issue 13: a block's n-grams counted in pieces by forked workers give the same vocabulary, in the same
    column order, and the same counts to the bit as one process counting the block whole."""
    from pipeline.coding import zero_shot

    texts = sorted(set(STATEMENTS)) + ["", "!!!", "grants grants and more grants"]
    blocks = [texts[:7], texts[7:]]
    monkeypatch.setattr(zero_shot, "NGRAM_PARALLEL_FROM", 10 ** 9)
    whole_vocab: dict[str, int] = {}
    whole = zero_shot._count_blocks(blocks, whole_vocab)
    monkeypatch.setattr(zero_shot, "NGRAM_PARALLEL_FROM", 1)
    monkeypatch.setattr(zero_shot, "cores", lambda: 3)  # three pieces a block, from forked workers
    pieced_vocab: dict[str, int] = {}
    pieced = zero_shot._count_blocks(blocks, pieced_vocab)
    assert list(pieced_vocab.items()) == list(whole_vocab.items()) and len(whole_vocab) > 100
    for a, b in zip(pieced, whole):
        assert a.shape == b.shape
        for name in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
