"""Theme labels a person understands (a phrase people used, never "Miscellaneous") and quotes that are
whole statements (never a join across bullets, cells or a page break).

The phrase chooser uses the fake bag-of-words embedder here (named as a fake) and the real spaCy parse.
"""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.records import Segment
from pipeline.themes import CTfidfLabeller, KMeansClusterer, PhraseLabeller, ThemeFinder, diverse_quotes, quotable
from pipeline.themes.label import label_candidates
from tests.fakes import FakeEmbedder

YOUTH = ["The youth club closed and there is nowhere warm and free for young people after school",
         "Nowhere for young people to go after school since the youth club closed",
         "Young people hang around the park because there is nowhere else to go",
         "Re-open a youth space in the town centre for young people"]
BUSES = ["Bus fares are too high for young people to get to college",
         "Make bus travel free or half price for under 21s",
         "The bus to the leisure centre costs too much for teenagers"]


def seg(i, text):
    return Segment(id=f"doc:{i:02d}", text=text, source="doc.txt", line_start=i, line_end=i, event="e")


def test_a_label_is_a_phrase_people_used():
    groups = [YOUTH, BUSES]
    fake = FakeEmbedder()
    centres = []
    for texts in groups:
        c = fake.encode(texts).mean(axis=0)
        centres.append(c / np.linalg.norm(c))
    labels = PhraseLabeller(fake).labels(groups, centres, [["youth"], ["bus"]])
    for label, texts in zip(labels, groups):
        joined = " ".join(texts).lower()
        assert label.lower() != "miscellaneous" and "," not in label
        assert 2 <= len(label.split()) <= 10
        assert all(w.strip(".,").lower() in joined for w in label.split())  # words people used
    assert labels[0] != labels[1]


def test_the_finder_keeps_keywords_beside_the_phrase_label():
    segments = [seg(i, t) for i, t in enumerate(YOUTH + BUSES)]
    vectors = FakeEmbedder().encode([s.text for s in segments])
    finder = ThemeFinder(clusterer=KMeansClusterer(2), labeller=PhraseLabeller(FakeEmbedder()), min_size=1,
                         min_similarity=0.0).fit(segments, vectors)
    real = [t for t in finder.themes_ if not t.is_unclustered]
    assert real and all(t.label and t.label.lower() != "miscellaneous" for t in real)
    assert any(t.keywords for t in real if t.size >= 3)


def test_no_theme_is_ever_called_miscellaneous():
    assert CTfidfLabeller().labels([["Statements with no shared words at all"]], [np.zeros(4)], [[]]) == \
        ["Statements with no shared words at all"]
    chooser = PhraseLabeller(FakeEmbedder())
    assert chooser.choose(["ok"], np.zeros(64), np.zeros((0, 64)), set()).lower() != "miscellaneous"


def test_label_candidates_are_tidy_phrases_without_misspellings():
    cands = label_candidates(["Better joined up working between housing, youth services and the colleg"])
    assert cands and not any("colleg " in c + " " for c in cands)
    assert not any(c.split()[0].lower() in ("and", "of", "between", "the") for c in cands)


@pytest.mark.parametrize("text,ok", [
    ("Young people feel they are talked about not talked with", True),
    ("guidances issued Developing outcome targets and strategies Providing or commissioning support", False),
    ("more informed BME engagement;", False),
    ("Contribution to delivery, particularly with regard to – • Developing infrastructure support", False),
    ("Meeting the diverse needs across BME VCOs will require –", False),
    ("Too short", False),
    ("more youth workers on the estates", True),
])
def test_only_whole_statements_are_quotable(text, ok):
    assert quotable(text) is ok


def test_quotes_never_pick_a_join_even_when_it_is_the_most_central():
    texts = ["guidances issued Developing outcome targets Providing or commissioning support",
             "Outcome targets should show how communities benefit from the programme",
             "Partnerships need outcome targets for engagement"]
    vectors = FakeEmbedder().encode(texts)
    centre = vectors[0]  # the join is the most central statement
    quotes = diverse_quotes(["a", "b", "c"], vectors, centre, texts, n=3)
    assert "a" not in quotes and quotes
