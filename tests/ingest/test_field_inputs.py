"""Issue 12, field inputs and reliability: each case file (tests/data/cases/, copied from shared/cases) and a
second file of the same kind (tests/data/field/, or built here) is read as a person would expect."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import InputError
from pipeline.ingest import ingest, ingest_file
from pipeline.ingest.dedupe import merge_duplicates
from pipeline.ingest.language import detect
from pipeline.ingest.split import count_tokens
from pipeline.records import IngestReport, Segment

DATA = Path(__file__).resolve().parent.parent / "data"
FIELD, RELIABILITY, MINE = DATA / "cases" / "field", DATA / "cases" / "reliability", DATA / "field"


def by_text(segments):
    return {s.text: s for s in segments}


# --------------------------------------------------------------------------- transcripts
def test_interview_turns_give_answers_with_speaker_and_question():
    segs, report = ingest_file(FIELD / "interview-turns.txt")
    assert {s.attributes["speaker"] for s in segs} == {"Respondent"}  # the interviewer is never a statement
    assert not any(s.text.startswith(("Thanks for coming", "What has changed")) for s in segs)
    no = next(s for s in segs if s.text == "No.")  # kept, as a non-answer
    assert no.question == "Anything else?" and no.attributes["non_answer"] is True
    lunch = next(s for s in segs if s.text.startswith("The lunch club went"))
    assert lunch.question == "What has changed since the funding cut last year?"
    assert lunch.text == "The lunch club went from three days a week to one. A lot of the older members just " \
                         "stopped coming because they could not manage the bus on the one day."  # no question in it
    assert report.lines["unaccounted"] == 0


@pytest.mark.parametrize("make", ["text", "docx"])
def test_focus_group_with_bracketed_names_in_text_and_word(make, tmp_path):
    lines = (MINE / "focus-group.txt").read_text(encoding="utf-8").splitlines()
    if make == "text":
        path = MINE / "focus-group.txt"
    else:
        import docx

        path = tmp_path / "focus-group.docx"
        document = docx.Document()
        for line in lines:
            if line.strip():
                document.add_paragraph(line)
        document.save(path)
    segs, _ = ingest_file(path)
    assert [s.attributes["speaker"] for s in segs] == ["Amina", "Joe", "Amina", "Joe", "Joe"]
    assert segs[2].question == "What would you change first?"
    assert segs[3].text == "Don't know." or segs[3].attributes.get("non_answer")


def test_notes_with_workshop_labels_are_not_a_transcript(corpora_dir):
    segs, _ = ingest_file(corpora_dir / "vs6-assemblies-2020.txt")
    assert not any("speaker" in s.attributes for s in segs)


# --------------------------------------------------------------------------- non-answers
@pytest.mark.parametrize("name, real", [("survey-nonanswers.csv", 4), ("survey-nonanswers-2.csv", 2)])
def test_placeholders_are_kept_marked_and_counted(name, real):
    path = FIELD / name if (FIELD / name).exists() else MINE / name
    segs, report = ingest_file(path)
    marked = [s for s in segs if s.attributes.get("non_answer")]
    assert len(segs) - len(marked) == real and len(marked) >= 9
    assert any(f"non-answers kept and marked (no theme, no code): {len(marked)}" in n for n in report.notes)


def test_a_second_question_with_few_real_answers_is_analysed():
    segs, report = ingest_file(RELIABILITY / "FAIL_survey_second_question_unpicked.csv")
    q2 = [s for s in segs if s.question == "Q2 Anything else?"]
    assert len([s for s in q2 if not s.attributes.get("non_answer")]) == 10
    assert "Better buses to the hospital at night" in {s.text for s in q2}


def test_a_column_left_out_is_listed_with_its_count(tmp_path):
    path = tmp_path / "two-questions.csv"
    rows = ["id,What would help?,Anything else?"]
    rows += [f"{i},We need better services for residents of every age in area {i},Keep area {i} tidy" for i in range(8)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, report = ingest_file(path, text_column="What would help?")
    assert any("column 'Anything else?' not analysed: 8 answers" in n for n in report.notes)


# --------------------------------------------------------------------------- languages
@pytest.mark.parametrize("name, languages", [
    ("multilingual-responses.csv", {"zh": 2, "ja": 1, "ar": 1, "pl": 1, "cy": 1}),
    ("multilingual-2.csv", {"pl": 1, "zh": 1, "es": 1, "so": 1}),
])
def test_every_statement_keeps_its_language_and_the_run_warns(name, languages):
    path = FIELD / name if (FIELD / name).exists() else MINE / name
    result = ingest([path])
    found = {}
    for s in result.segments:
        lang = s.attributes.get("language", "en")
        if lang not in ("en", "und"):
            found[lang] = found.get(lang, 0) + 1
    assert found == languages
    (warning,) = result.warnings
    assert warning.startswith(f"{sum(languages.values())} statements not in English (") and "English only" in warning


def test_chinese_and_japanese_bullets_are_not_fragments():
    segs, report = ingest_file(FIELD / "multilingual-notes.txt")
    assert {s.attributes.get("language") for s in segs} >= {"zh", "ja"}
    assert len(segs) == 5 and "fragment" not in report.dropped_by_reason()


def test_short_english_and_emoji_are_not_called_foreign():
    assert detect("More youth clubs please") == "en" and detect("👍👍") == "und"
    assert detect("Mwy o lyfrau Cymraeg i blant a grŵp darllen ar nos Fercher") == "cy"


# --------------------------------------------------------------------------- long answers
def test_a_long_answer_is_split_into_parts_the_model_reads_whole():
    segs, _ = ingest_file(FIELD / "survey-long-response.csv")
    parts = [s for s in segs if s.attributes.get("split_from")]
    assert len(parts) >= 2 and all(count_tokens(s.text) <= 256 for s in segs)
    assert {s.attributes["respondent"] for s in parts} == {"R1"}  # the respondent link is kept
    assert "short-term project money" in parts[-1].text  # the funding point at the end is not lost


def test_a_one_megabyte_line_is_split_safely(tmp_path):
    sentence = "We need longer term funding for small community groups because short grants make planning hard "
    path = tmp_path / "one-line.txt"
    path.write_text((sentence * 11000)[:1_050_000], encoding="utf-8")  # over spaCy's 1,000,000 (E088)
    segs, report = ingest_file(path, redact=False)
    assert segs and all(count_tokens(s.text) <= 256 for s in segs)
    assert report.lines["unaccounted"] == 0


# --------------------------------------------------------------------------- survey exports
@pytest.mark.parametrize("name, question, ids", [
    ("qualtrics-export.csv", "What one change would most improve the youth service? - Text", "R_1AbCdEfGhIjKlMn"),
    ("qualtrics-export-2.csv", "What would change about the library? - Your answer", "R_9ZyXwVuTsRqPoNm"),
])
def test_qualtrics_question_row_and_metadata(name, question, ids):
    path = FIELD / name if (FIELD / name).exists() else MINE / name
    segs, report = ingest_file(path)
    texts = " ".join(s.text for s in segs)
    assert "ImportId" not in texts and "Response ID" not in texts
    assert {s.question for s in segs} == {question.replace("would change", "would you change")}
    assert segs[0].id == ids
    everything = json.dumps([s.to_dict() for s in segs]) + json.dumps(report.to_dict())
    assert not re.search(r"\b(?:203\.0\.113|198\.51\.100|192\.0\.2)\.\d+", everything)  # no IP address
    assert not re.search(r"5[13]\.\d{4}|-2\.\d{4}", everything)  # no latitude/longitude
    assert any(n.startswith("Qualtrics export") for n in report.notes)


@pytest.mark.parametrize("name, tool, question, leak", [
    ("surveymonkey-export.csv", "SurveyMonkey", "What would improve the park?", "203.0.113.5"),
    ("msforms-export.csv", "Microsoft Forms", "What would make the library better for you?", "Jo Bloggs"),
    ("googleforms-export.csv", "Google Forms", "What one thing would help your street?", "L8 1AA"),
])
def test_other_survey_tools(name, tool, question, leak):
    segs, report = ingest_file(MINE / name)
    assert question in {s.question for s in segs}
    assert any(n.startswith(f"{tool} export") for n in report.notes)
    assert leak not in json.dumps([s.to_dict() for s in segs]) + json.dumps(report.to_dict())
    assert not any(s.text in ("Open-Ended Response", "Response") for s in segs)


def test_personal_columns_are_never_copied():
    segs, report = ingest_file(RELIABILITY / "FAIL_web_docview_phone_leak.csv")
    out = json.dumps([s.to_dict() for s in segs])
    for leak in ("07700 900123", "sarah.jenkins@example.org", "Sarah Jenkins", "943 476 5919", "12/03/1984",
                 "14 Acacia Avenue", "L1 8JQ", "AB 12 34 56 C", "+447700900124", "Mohammed Ali"):
        assert leak not in out, leak
    assert {"Name", "Email", "Phone", "Postcode"} & set(segs[0].attributes) == set()
    assert segs[0].attributes["Area"] == "Kirkby"


def _title_rows_book(path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Export"
    ws.append(["Bins consultation"])
    ws.append([])
    ws.append(["Exported by the parks team", None, None])
    ws.append(["Respondent", "Area", "Comment on the new bins"])
    ws.append(["1", "North", "The new bins are too small for a family of six"])
    ws.append(["2", "South", "Collections should be weekly in the summer months"])
    ws.append([])
    ws.append(["Total", 2, None])
    book.save(path)


@pytest.mark.parametrize("name", ["xlsx-title-rows.xlsx", "built"])
def test_a_title_above_the_header_and_a_summary_below(name, tmp_path):
    path = FIELD / name
    if name == "built":
        path = tmp_path / "bins.xlsx"
        _title_rows_book(path)
    segs, report = ingest_file(path)
    questions = {s.question for s in segs}
    assert len(questions) == 1 and not any(q.startswith("column ") for q in questions)
    assert not any(s.text.startswith(("Riverside consultation", "Ref", "Bins consultation", "Total")) for s in segs)
    assert len(segs) == (5 if name != "built" else 2)
    assert report.lines["unaccounted"] == 0


def test_header_row_can_be_given(tmp_path):
    path = tmp_path / "bins.xlsx"
    _title_rows_book(path)
    segs, _ = ingest_file(path, header_row=4)
    assert {s.question for s in segs} == {"Comment on the new bins"}


@pytest.mark.parametrize("name", ["FAIL_xlsx_formulas_nocache.xlsx", "built"])
def test_formula_cells_give_their_values_or_are_named(name, tmp_path):
    path = RELIABILITY / name
    if name == "built":  # openpyxl saves formulas without cached values, like the case file
        path = tmp_path / "formulas.xlsx"
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["id", "What would help?"])
        ws.append([1, '="Longer opening hours at the library on Saturdays"'])
        ws.append([2, "=A2&B9"])  # a formula of cell references: no saved value, nothing to work out
        ws.append([3, "More benches along the river path for older people"])
        book.save(path)
    segs, report = ingest_file(path)
    if name == "built":
        assert [s.id for s in segs] == ["1", "3"]
        assert any("cell B3: a formula with no saved value" in n for n in report.notes)
    else:
        assert len(segs) == 4 and "Councils should consult people before decisions are made" in by_text(segs)


@pytest.mark.parametrize("name", ["FAIL_xlsx_two_sheets_same_ids.xlsx", "built"])
def test_same_ids_on_two_sheets_are_two_respondents(name, tmp_path):
    path = RELIABILITY / name
    if name == "built":
        path = tmp_path / "wards.xlsx"
        book = openpyxl.Workbook()
        for title in ("Abbey", "Castle", "Docks"):
            ws = book.create_sheet(title)
            ws.append(["id", "What would help?"])
            ws.append(["7", f"More street lighting on the back lanes of {title} ward please"])
        del book["Sheet"]
        book.save(path)
    result = ingest([path])
    assert not result.failures and len({s.id for s in result.segments}) == len(result.segments) >= 3
    files = result.reports[0].to_dict()
    assert files["lines"]["unaccounted"] == 0


def test_same_ids_in_two_files_are_namespaced():
    result = ingest([RELIABILITY / "FAIL_two_files_same_ids"])
    assert not result.failures and len(result.segments) == 8
    assert len({s.id for s in result.segments}) == 8 and "b:1" in {s.id for s in result.segments}


@pytest.mark.parametrize("name, groups", [("survey-duplicates.csv", [4, 3]), ("survey-duplicates-2.csv", [6])])
def test_campaign_texts_are_flagged_and_the_column_found(name, groups):
    path = FIELD / name if (FIELD / name).exists() else MINE / name
    segs, report = ingest_file(path)
    assert {s.kind for s in segs} == {"response"} and len(segs) == sum(1 for _ in path.open()) - 1
    sizes = sorted({s.attributes["campaign"] for s in segs if "campaign" in s.attributes}, reverse=True)
    assert sizes == groups
    assert any(n.startswith("identical answers (campaign or template texts)") for n in report.notes)


# --------------------------------------------------------------------------- messages
def test_size_limit_is_said_in_the_unit_it_is_set_in(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("- a point about the library\n" * 60000, encoding="utf-8")  # about 1.6 MB
    with pytest.raises(InputError, match=r"over the 1 MB limit"):
        ingest_file(path, max_bytes=1024 * 1024)


@pytest.mark.parametrize("value, kind", [("42", "a number"), ('["a", "b"]', "a list"), ('{"a": 1}', "an object")])
def test_jsonl_text_that_is_not_a_string_is_refused(value, kind, tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": "1", "text": "Fine words about the bus"}\n{"id": "2", "text": ' + value + "}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=f'"text" is {kind}') as err:
        ingest_file(path)
    assert err.value.line == 2


# --------------------------------------------------------------------------- near-duplicates at scale
def test_two_hundred_thousand_repeated_lines_merge_in_near_linear_time(corpora_dir):
    """The issue's case: about 4,000 distinct bullets repeated to 200,000 lines (here across two files of one
    event, so copies really merge); quadratic merging took 46 s for 40,000 lines."""
    sentences = []
    for path in sorted(corpora_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [x.strip(" -•*") for x in re.split(r"(?<=[.!?])\s+", line) if len(x.split()) >= 5]
    bullets = list(dict.fromkeys(sentences))
    bullets = bullets[:len(bullets) // 2 * 2 - 1]  # an odd count: every bullet lands in both files
    segs = [Segment(id=f"f{i % 2}:{i}", text=bullets[i % len(bullets)], source=f"f{i % 2}.txt", line_start=i,
                    line_end=i, event="e") for i in range(200_000)]
    reports = [IngestReport(source="f0.txt", event="e", segments=100_000),
               IngestReport(source="f1.txt", event="e", segments=100_000)]
    seen = []
    start = time.perf_counter()
    kept = merge_duplicates(segs, reports, progress=lambda done, total: seen.append(done))
    assert time.perf_counter() - start < 120
    assert seen[-1] == 200_000 and len(seen) >= 10  # progress told as it goes
    assert sum(s.attributes.get("copies", 1) for s in kept) == 200_000  # every line stands somewhere
    assert len(kept) <= 100_500  # each line's twin from the other file merged into it
    assert sum(r.segments for r in reports) == len(kept)
