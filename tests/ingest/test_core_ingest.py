"""Ingest of plain-text/Markdown notes, JSONL and CSV, and its bad-input messages."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.ingest import ingest, ingest_file, parse_notes

NOTES = """\
# Race equality assembly

## Workshop A: What are the issues?

What are the concerns of BAME organisations?

Prompts: funding, staff, premises

- Funding has become short term and organisations
  cannot plan ahead
- Smaller groups are put off by complicated bids
  - Bid writing support would help

1. Staff burnout is rising
2) Volunteers have left

## Workshop B: What needs to change?

The panel heard from many groups. They said that partnership work must continue after the event.

List of Organisations Represented

1. Anytown CVS
2. Example Housing Trust
3. Northside Mosque

Contact

E: someone@example.org
"""


@pytest.fixture()
def notes():
    return parse_notes(NOTES, "assembly.md", "assembly-2020")


def by_text(segments, start):
    return next(s for s in segments if s.text.startswith(start))


def test_bullet_is_one_segment_with_wrapped_lines_joined(notes):
    segments, _ = notes
    seg = by_text(segments, "Funding has become")
    assert seg.text == "Funding has become short term and organisations cannot plan ahead"
    assert (seg.line_start, seg.line_end) == (9, 10)
    assert seg.kind == "bullet"


def test_section_path_and_question_come_from_headings_and_prompts(notes):
    segments, report = notes
    seg = by_text(segments, "Smaller groups")
    assert seg.section == ["Race equality assembly", "Workshop A: What are the issues?"]
    assert seg.question == "What are the concerns of BAME organisations?"
    assert seg.context == "funding, staff, premises"  # the prompt line travels with its statements
    assert "What are the concerns of BAME organisations?" in report.questions


def test_sub_bullet_keeps_its_parent(notes):
    segments, _ = notes
    parent = by_text(segments, "Smaller groups")
    child = by_text(segments, "Bid writing support")
    assert child.parent == parent.id
    assert child.context == parent.text
    assert child.section == parent.section


def test_numbered_bullets_both_styles(notes):
    segments, _ = notes
    assert by_text(segments, "Staff burnout").kind == "bullet"
    assert by_text(segments, "Volunteers have left").kind == "bullet"


def test_prose_is_split_into_sentences(notes):
    segments, _ = notes
    first = by_text(segments, "The panel heard")
    second = by_text(segments, "They said that partnership")
    assert first.kind == second.kind == "sentence"
    assert first.id != second.id and first.line_start == second.line_start


def test_attendee_list_and_contact_details_are_left_out_and_counted(notes):
    segments, report = notes
    texts = " ".join(s.text for s in segments)
    assert "Anytown CVS" not in texts and "someone@example.org" not in texts
    dropped = report.dropped_by_reason()
    assert dropped.get("roster") == 3
    assert dropped.get("contact") == 1


def test_ids_are_stable_and_unique(notes):
    segments, _ = notes
    again, _ = parse_notes(NOTES, "assembly.md", "assembly-2020")
    assert [s.id for s in segments] == [s.id for s in again]
    assert len({s.id for s in segments}) == len(segments)


def test_every_segment_text_is_on_its_source_lines(corpora_dir):
    """Traceability: each statement can be found again on the lines it claims."""
    for path in sorted(corpora_dir.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        segments, _ = ingest_file(path)
        for seg in segments:
            span = " ".join(lines[seg.line_start - 1: seg.line_end])
            # a redacted name ([PERSON]) is not on the line; the first word that is not a placeholder is
            first_word = next(w for w in seg.text.split() if not w.startswith("[")).strip("“”\"'‘’*")
            assert first_word in span, (seg.id, seg.text[:60])


def test_bundled_assembly_structure(corpora_dir):
    segments, report = ingest_file(corpora_dir / "vs6-assemblies-2020.txt")
    questions = {s.question for s in segments}
    assert "What does better look like?" in questions
    assert any(s.section and s.section[0].startswith("Workshop B") for s in segments)
    # the 85-organisation attendee list is recognised, not analysed
    assert report.dropped_by_reason()["roster"] >= 80
    assert not any("ADDvanced Solutions" in s.text for s in segments)
    # a bullet broken across a page ("... lack of" / "understanding ...") is rejoined
    seg = next(s for s in segments if s.id == "vs6-assemblies-2020:104")
    assert seg.text.endswith("a lack of understanding of their population")


def test_gold_sample_ids_match_ingest(corpora_dir):
    """The hand-coded sample refers to segments by id; ingest must keep producing them."""
    from pathlib import Path

    gold = [json.loads(l) for l in (Path(__file__).parent.parent / "data" / "vs6-gold.jsonl").open(encoding="utf-8")]
    segments, _ = ingest_file(corpora_dir / "vs6-assemblies-2020.txt")
    ids = {s.id for s in segments}
    assert all(g["id"] in ids for g in gold)


def test_jsonl_keeps_ids_order_and_attributes(tmp_path):
    path = tmp_path / "responses.jsonl"
    rows = [{"id": "r1", "text": "More funding please", "area": "north"},
            {"id": "r2", "text": "Better buses", "area": "south"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    segments, _ = ingest_file(path)
    assert [s.id for s in segments] == ["r1", "r2"]
    assert segments[0].attributes == {"area": "north"}
    assert segments[1].line_start == 2


def test_csv_with_text_column(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("respondent,text,age band\n7,We need a youth forum,18-24\n8,,25-34\n9,Fund the hub,35-44\n",
                    encoding="utf-8")
    segments, report = ingest_file(path)
    assert [s.text for s in segments] == ["We need a youth forum", "Fund the hub"]
    assert segments[0].attributes["age band"] == "18-24"
    assert report.dropped_by_reason() == {"empty": 1}


@pytest.mark.parametrize("make, expected", [
    (lambda p: None, "file not found"),
    (lambda p: p.write_bytes(b""), "file is empty"),
    (lambda p: p.write_bytes(b"   \n\n"), "file is empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary"),
])
def test_bad_files_get_a_message_naming_the_file(tmp_path, make, expected):
    path = tmp_path / "notes.txt"
    make(path)
    with pytest.raises(InputError) as err:
        ingest_file(path)
    assert expected in str(err.value) and "notes.txt" in str(err.value)


def test_windows_1252_is_read_and_said(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("- We need \u201cproper\u201d funding for the caf\u00e9\n".encode("cp1252"))
    segments, report = ingest_file(path)
    assert segments[0].text == "We need \u201cproper\u201d funding for the caf\u00e9"
    assert report.encoding.startswith("cp1252")


def test_csv_without_text_column_names_the_columns(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("name,score\nA,3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_file(path)
    assert "survey.csv" in str(err.value) and "name, score" in str(err.value)


def test_bad_jsonl_line_is_named(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_file(path)
    assert err.value.line == 2


def test_one_bad_file_does_not_lose_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("- A real point about funding\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = ingest([good, bad])
    assert [s.source for s in result.segments] == ["good.txt"]
    assert len(result.failures) == 1 and "bad.txt" in str(result.failures[0])
