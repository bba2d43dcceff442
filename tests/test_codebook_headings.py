"""Issue 11 point 5: `heading: false` keeps a top-level code out of the action plan (it still codes
statements); bad values are refused naming file, line and field; REFI .qdc keeps the key; the Word export
shows the drafts' marks and the drafted-headings note. Fakes here are named as such."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from pipeline.cli import main
from pipeline.codebook import heading_value, parse_codebook
from pipeline.errors import InputError
from pipeline.exchange import docx as export
from pipeline.exchange.refi import codebook_xml, read_qdc
from pipeline.recommend import RecommendationDrafter, action_headings
from pipeline.records import CodeAssignment, Segment

BOOK = """name: Youth
codes:
  - id: homes
    label: Homes for young people
    description: Housing, rents and tenancies for young people.
  - id: background
    label: Background
    description: What the area is like; context, not an action.
    heading: false
  - id: youth
    label: Youth services
    description: Youth clubs, youth workers and places to go.
    heading: Give young people somewhere to go
  - id: detached
    label: Detached youth work
    description: Youth workers who go where young people are.
    parent: youth
"""


def seg(n: int, text: str, code: str) -> Segment:
    return Segment(id=f"doc:{n:02d}", text=text, source="doc.txt", line_start=n, line_end=n, event="e",
                   kind="bullet", codes=[CodeAssignment(code, 0.6)])


def test_heading_false_leaves_the_code_out_of_the_plan_but_keeps_it_a_code():
    book = parse_codebook(BOOK, "youth.yaml")
    assert [c.id for c in book.action_headings] == ["homes", "youth"] == [c.id for c in action_headings(book)]
    assert "background" in [c.id for c in book.codable]  # still codes statements
    assert book["background"].heading is None and not book["background"].is_heading
    assert book["background"].to_dict()["heading"] is False
    assert parse_codebook(book.to_yaml(), "again.yaml")["background"].is_heading is False  # round trip
    segments = [seg(1, "Build more one bed homes for young people", "homes"),
                seg(2, "Re-open the youth club on Carter Street", "youth"),
                seg(3, "Provide more background on the estate history", "background")]
    plans = RecommendationDrafter().draft(book, segments, np.eye(3, 8, dtype=np.float32), [])
    assert [p.code for p in plans] == ["homes", "youth"]
    assert [p.heading for p in plans] == ["Homes for young people", "Give young people somewhere to go"]


@pytest.mark.parametrize("raw, expected", [("false", (None, False)), ("No", (None, False)), ("off", (None, False)),
                                           ("true", (None, True)), ("", (None, True)), (None, (None, True)),
                                           (False, (None, False)), ("Better  homes", ("Better homes", True))])
def test_heading_values(raw, expected):
    assert heading_value(raw) == expected


@pytest.mark.parametrize("bad, line, words", [
    ("    heading: [a, b]", 9, "not a list"),
    ("    heading: 3", 9, "the number 3"),
])
def test_a_bad_heading_value_names_file_line_and_field(bad, line, words):
    text = BOOK.replace("    heading: false", bad)
    with pytest.raises(InputError) as err:
        parse_codebook(text, "youth.yaml")
    assert err.value.line == line and err.value.field == "heading" and words in str(err.value)
    assert "youth.yaml" in str(err.value)


def test_heading_false_on_a_sub_code_or_on_every_heading_is_refused():
    with pytest.raises(InputError, match="applies to a top-level code") as err:
        parse_codebook(BOOK.replace("    parent: youth", "    parent: youth\n    heading: false"), "youth.yaml")
    assert err.value.field == "heading" and err.value.line == 18
    everything_off = BOOK.replace("    heading: Give young people somewhere to go", "    heading: false") \
        .replace("    description: Housing, rents", "    heading: no\n    description: Housing, rents")
    with pytest.raises(InputError, match="no\\s+section"):
        parse_codebook(everything_off, "youth.yaml")


def test_validate_reports_the_plan_headings_and_refuses_a_bad_value(tmp_path):
    good = tmp_path / "youth.yaml"
    good.write_text(BOOK, encoding="utf-8")
    result = CliRunner().invoke(main, ["codebook", "validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "plan headings: Homes for young people, Give young people somewhere to go" in result.output
    assert "'heading: false': background" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(BOOK.replace("    heading: false", "    heading: {x: 1}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["codebook", "validate", str(bad)])
    assert result.exit_code == 2 and "bad.yaml, line 9, field 'heading'" in result.output


def test_refi_qdc_keeps_heading_false(tmp_path):
    book = parse_codebook(BOOK, "youth.yaml")
    path = tmp_path / "youth.qdc"
    path.write_bytes(codebook_xml(book))
    back = read_qdc(path)
    assert [c.id for c in back.action_headings] == ["homes", "youth"]
    assert not back["background"].is_heading and back["youth"].heading == "Give young people somewhere to go"
    plain = tmp_path / "plain.qdc"
    plain.write_bytes(codebook_xml(book, plain=True))  # other programs' view: every top-level code a heading
    assert [c.label for c in read_qdc(plain).action_headings] == ["Homes for young people", "Background",
                                                                   "Youth services"]


# --------------------------------------------------------------------------- Word export (fakes)
@dataclass
class FakeRec:
    """Stands in for the web app's Recommendation row: only what the export reads."""

    text: str
    flags: list[str] = field(default_factory=list)
    person_owned: bool = False
    evidence: list[str] = field(default_factory=lambda: ["doc:01"])
    support: int = 1
    sections: int = 1


@dataclass
class FakeItem:
    rec: FakeRec
    number: int
    quotes: list = field(default_factory=list)


@dataclass
class FakeHeading:
    code: str
    heading: str
    note: str | None
    items: list


def _plan():
    return [FakeHeading("bus", "Bus", None, [
        FakeItem(FakeRec("Make bus travel free for under 21s", ["check heading"]), 1),
        FakeItem(FakeRec("Use whatsapp groups not just posters", ["check wording"], person_owned=True), 2)])]


def test_word_export_shows_marks_on_untouched_drafts_and_the_drafted_headings_note():
    note = "Headings drafted from the themes because the codebook fits poorly — edit with `plenary codebook draft`."
    doc = WordDocument(io.BytesIO(export.to_docx("Eastfield", _plan(), None, headings_note=note)))
    texts = [p.text for p in doc.paragraphs]
    assert note in texts
    assert "1.\tMake bus travel free for under 21s [check heading]" in texts
    assert "2.\tUse whatsapp groups not just posters" in texts  # a person accepted or edited it
    plain = WordDocument(io.BytesIO(export.to_docx("Eastfield", _plan())))
    assert note not in [p.text for p in plain.paragraphs]
    md = export.to_markdown("Eastfield", _plan(), headings_note=note)
    assert "_(check heading)_" in md and "check wording" not in md and "Headings drafted from the themes" in md


# --------------------------------------------------------------------------- drafting headings (fake vectors)
def test_drafted_groups_do_not_depend_on_the_input_order():
    from pipeline.themes.codebook_draft import draft_groups

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    fake_vectors = np.vstack([c + 0.05 * rng.normal(size=(6, 16)) for c in centres]).astype(np.float32)
    fake_vectors /= np.linalg.norm(fake_vectors, axis=1, keepdims=True)
    segments = [seg(n, f"statement {n}", "homes") for n in range(1, 19)]
    groups = draft_groups(segments, fake_vectors, n_codes=3)
    order = rng.permutation(18)
    shuffled = draft_groups([segments[i] for i in order], fake_vectors[order], n_codes=3)
    assert [sorted(g["segments"]) for g in groups] == [sorted(g["segments"]) for g in shuffled]
    assert sorted(len(g["segments"]) for g in groups) == [6, 6, 6]  # the three planted topics


def test_drafted_labels_are_unique_and_never_a_redaction_placeholder():
    from pipeline.themes.codebook_draft import draft_codebook

    texts = ["Thanks to [PERSON] for the bus timetable", "[PERSON] said the bus timetable is confusing",
             "The bus timetable changed again", "[PERSON] wants a bus timetable at the stop"]
    segments = {f"s{i}": {"id": f"s{i}", "text": t, "source": "notes.txt", "line": i + 1}
                for i, t in enumerate(texts * 2)}
    ids = sorted(segments)
    themes = [{"id": "t1", "segments": ids[:4], "size": 4, "rank": 1, "keywords": [], "label": ""},
              {"id": "t2", "segments": ids[4:], "size": 4, "rank": 2, "keywords": [], "label": ""}]
    book = parse_codebook(draft_codebook(themes, segments, "notes", "notes.txt"), "<draft>")
    labels = [c.label for c in book.codes]
    assert len(labels) == 2 and len({label.casefold() for label in labels}) == 2
    assert not any("PERSON" in label for label in labels)


def test_drafted_heading_count_comes_from_the_data_and_stays_within_bounds():
    from pipeline.themes.codebook_draft import DRAFT_MAX_HEADINGS, DRAFT_MIN_HEADINGS, draft_groups

    rng = np.random.default_rng(1)
    for planted in (4, 5):
        centres = rng.normal(size=(planted, 32))
        fake_vectors = np.vstack([c + 0.05 * rng.normal(size=(5, 32)) for c in centres]).astype(np.float32)
        fake_vectors /= np.linalg.norm(fake_vectors, axis=1, keepdims=True)
        segments = [seg(n, f"statement {n}", "homes") for n in range(1, 5 * planted + 1)]
        groups = draft_groups(segments, fake_vectors)
        assert DRAFT_MIN_HEADINGS <= len(groups) <= DRAFT_MAX_HEADINGS
        assert sorted(len(g["segments"]) for g in groups) == [5] * planted  # the planted topics, no more


def test_drafted_heading_is_a_phrase_the_statements_use_not_a_join_of_keywords():
    from pipeline.themes.codebook_draft import phrase_label, term_counts

    group = ["Make bus fares cheaper for students", "Bus fares are too high for under 18s",
             "Half price bus fares at weekends", "Put a shelter at the bus stop"]
    others = ["Re-open the youth club", "Fix the damp in the flats", "More mental health support"] * 3
    all_terms, n_all = term_counts(group + others)
    label = phrase_label(group, all_terms, n_all)
    assert label == "bus fares"  # the shared noun phrase, as the notes write it
    assert phrase_label(["[PERSON] and [PERSON]", "[PERSON] said so"], all_terms, n_all) == ""
