"""Word, PDF and spreadsheet readers: the same statements, sections and questions as the plain-text source."""
from __future__ import annotations

import csv
import zipfile

import pytest

from ingest_fixtures import survey_rows, write_csv, write_docx, write_pdf, write_xlsx
from pipeline.ingest.dedupe import normalise
from pipeline.errors import InputError
from pipeline.ingest import ingest_file, parse_notes


@pytest.fixture(scope="module")
def vs6(corpora_dir):
    path = corpora_dir / "vs6-assemblies-2020.txt"
    return path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def vs6_reference(vs6):
    path, _ = vs6
    return ingest_file(path, redact=False)


def shape(segments, kinds=("bullet",)):
    """What must match across formats: each statement's kind, words, section path and question."""
    return [(s.kind, s.text, tuple(s.section), s.question, s.context) for s in segments if s.kind in kinds]


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_word_and_pdf_give_the_same_bullets_sections_and_questions(vs6, vs6_reference, tmp_path, writer):
    path, text = vs6
    ref_segments, ref_report = vs6_reference
    made = writer(text, tmp_path / f"vs6.{writer.__name__[6:]}", source=path.name)
    segments, report = ingest_file(made, redact=False)
    assert shape(segments) == shape(ref_segments)
    assert len(shape(ref_segments)) > 300  # the comparison covers the whole corpus, not an empty list
    assert report.sections == ref_report.sections
    assert report.questions == ref_report.questions
    # prose too: same sentences under the same headings
    assert shape(segments, ("sentence",)) == shape(ref_segments, ("sentence",))


def test_pdf_statements_say_their_page(vs6, tmp_path):
    path, text = vs6
    segments, report = ingest_file(write_pdf(text, tmp_path / "vs6.pdf", source=path.name), redact=False)
    pages = [s.attributes["page"] for s in segments]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] > 5
    # every page carries "Community assembly notes" at the top and "Page N" at the foot: all dropped
    furniture = [d for d in report.dropped if d.reason == "page_furniture"]
    assert sum(1 for d in furniture if d.text.startswith("Page ")) == pages[-1]
    assert not any("Community assembly notes" in s.text or s.text.startswith("Page ") for s in segments)
    assert report.lines["unaccounted"] == 0


def test_survey_export_columns_are_questions_and_cells_statements(vs6, vs6_reference, tmp_path):
    path, text = vs6
    header, rows = survey_rows(text, path.name)
    ref_segments, _ = vs6_reference
    for writer, name in ((write_csv, "survey.csv"), (write_xlsx, "survey.xlsx")):
        segments, report = ingest_file(writer(text, tmp_path / name, source=path.name), redact=False)
        questions = header[3:]
        assert report.questions == questions
        # each question's answers are exactly the bullets the text put under that question
        for q in questions:
            expected = [s.text for s in ref_segments if s.kind == "bullet" and s.question == q and not s.parent
                        or s.kind == "bullet" and s.question == q and s.parent]
            got = [s.text for s in segments if s.question == q]
            assert sorted(got) == sorted(expected), q
        first = segments[0]
        assert first.kind == "response" and first.attributes["Area"] == "Wirral"
        assert first.attributes["Respondent ID"] == "R001"
        assert any("picked automatically" in n for n in report.notes)
        assert report.dropped_by_reason().get("empty", 0) == sum(1 for r in rows for c in r[3:] if not c)


def test_text_column_can_be_named_and_repeated(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,Area,What works well?,What should change?\n"
                    "1,North,The library is a real hub for the estate,More buses in the evening please\n"
                    "2,South,Volunteers at the food bank,Longer opening hours at the youth club\n", encoding="utf-8")
    segments, report = ingest_file(path, text_column=["What should change?"])
    assert [s.text for s in segments] == ["More buses in the evening please", "Longer opening hours at the youth club"]
    assert segments[0].attributes == {"Area": "North", "What works well?": "The library is a real hub for the estate"}
    assert "as given with --text-column" in " ".join(report.notes)
    both, _ = ingest_file(path)  # automatic: both free-text columns, ids carry the column
    assert [s.id for s in both] == ["survey:2.3", "survey:2.4", "survey:3.3", "survey:3.4"]
    assert {s.question for s in both} == {"What works well?", "What should change?"}


def test_tick_box_and_personal_columns_are_not_statements(tmp_path):
    path = tmp_path / "consultation.csv"
    rows = [["Name", "Email", "Organisation name", "How satisfied are you?", "Tell us more"],
            ["Ann Lee", "ann@example.org", "Northside Trust", "Neither agree nor disagree",
             "The drop-in sessions helped my family settle"],
            ["Bob Roy", "bob@example.org", "Eastfield CVS", "Neither agree nor disagree",
             "Nobody told us the centre was closing"],
            ["Cy Dee", "cy@example.org", "Westway Group", "Neither agree nor disagree",
             "Translation at the GP surgery would help a lot"],
            ["Di Fox", "di@example.org", "Southgate Trust", "Strongly agree with this",
             "Please keep the Saturday club going"]]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    segments, report = ingest_file(path)
    assert {s.question for s in segments} == {"Tell us more"}
    assert segments[0].attributes == {"Organisation name": "Northside Trust",
                                      "How satisfied are you?": "Neither agree nor disagree"}
    assert "columns left out as personal data: Name, Email" in report.notes


def test_docx_styles_lists_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Spring assembly", level=1)
    # a long, sentence-case heading the text heuristics would never take as one: only its style says so
    document.add_heading("What the group at table three said about housing in the north of the borough", level=2)
    document.add_paragraph("Repairs take months and nobody answers the phone", style="List Bullet")
    document.add_paragraph("Damp in the flats above the shops", style="List Bullet 2")
    document.add_paragraph("", style="List Bullet")  # an empty bullet
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Area", "What was said", "Votes"),
                                       ("Kirkby", "We need a youth club that opens at weekends", "12"),
                                       ("Halewood", "The bus to the hospital stops at six in the evening", "7")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    path = tmp_path / "assembly.docx"
    document.save(path)

    segments, report = ingest_file(path)
    repairs, damp = segments[0], segments[1]
    assert repairs.section == ["Spring assembly",
                               "What the group at table three said about housing in the north of the borough"]
    assert repairs.kind == damp.kind == "bullet" and damp.parent == repairs.id
    rows = [s for s in segments if s.kind == "response"]
    assert [s.text for s in rows] == ["We need a youth club that opens at weekends",
                                      "The bus to the hospital stops at six in the evening"]
    assert rows[0].context == "What was said" and rows[0].attributes == {"Area": "Kirkby", "Votes": "12"}
    assert report.dropped_by_reason() == {"empty_bullet": 1}
    assert report.lines["unaccounted"] == 0


def _docx_with_tracked_changes_and_comment(path):
    """A minimal Word package: one paragraph with an insertion, a deletion and a comment."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>'
                '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>'
                '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">We need </w:t></w:r>'
                '<w:del w:id="1" w:author="A"><w:r><w:delText>more </w:delText></w:r></w:del>'
                '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">longer-term </w:t></w:r></w:ins>'
                '<w:r><w:t>funding for small groups</w:t></w:r><w:commentRangeEnd w:id="0"/>'
                '<w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>')
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{w}"><w:comment w:id="0" w:author="A">'
                '<w:p><w:r><w:t>Check this with Karen on 0151 227 5177</w:t></w:r></w:p></w:comment></w:comments>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{w}"><w:style w:type="paragraph" '
              'w:styleId="ListBullet"><w:name w:val="List Bullet"/></w:style></w:styles>')
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                    '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
                    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.comments+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{rels_ns}">'
                                   f'<Relationship Id="rId1" Type="{office}/officeDocument" '
                                   'Target="word/document.xml"/></Relationships>')
        zf.writestr("word/_rels/document.xml.rels",
                    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{rels_ns}">'
                    f'<Relationship Id="rId1" Type="{office}/styles" Target="styles.xml"/>'
                    f'<Relationship Id="rId2" Type="{office}/comments" Target="comments.xml"/></Relationships>')
        zf.writestr("word/document.xml", document)
        zf.writestr("word/styles.xml", styles)
        zf.writestr("word/comments.xml", comments)
    return path


def test_docx_reads_text_as_it_now_stands_without_comments(tmp_path):
    segments, _ = ingest_file(_docx_with_tracked_changes_and_comment(tmp_path / "edited.docx"), redact=False)
    assert [(s.kind, s.text) for s in segments] == [("bullet", "We need longer-term funding for small groups")]


def test_pdf_two_columns_are_read_in_order_with_hyphenation_joined(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "columns.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    left = ["The first column starts here and the", "partnership work with local commu-",
            "nity groups must continue after the", "event ends.", "", "Co-production was valued by every-",
            "one at the tables."]
    right = ["The second column follows on with a", "separate point about funding for small", "groups."]
    for k, line in enumerate(left):
        c.drawString(60, 760 - 12 * k, line)
    for k, line in enumerate(right):
        c.drawString(320, 760 - 12 * k, line)
    c.save()
    segments, report = ingest_file(path, redact=False)
    assert [s.text for s in segments] == [
        "The first column starts here and the partnership work with local community groups must continue after "
        "the event ends.",
        "Co-production was valued by everyone at the tables.",
        "The second column follows on with a separate point about funding for small groups."]
    assert report.lines["unaccounted"] == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings(tmp_path, encoding):
    text = "# Caf\u00e9 meeting\n\n- We need \u201cproper\u201d funding for the caf\u00e9 \u2013 now\n"
    path = tmp_path / "notes.md"
    path.write_bytes(text.encode(encoding))
    segments, report = ingest_file(path)
    assert segments[0].text == "We need \u201cproper\u201d funding for the caf\u00e9 \u2013 now"
    assert segments[0].section == ["Caf\u00e9 meeting"]
    assert report.encoding.split()[0] == {"utf-8-sig": "utf-8", "utf-16-le": "utf-16-le",
                                          "utf-16-be": "utf-16-be"}.get(encoding, encoding)


def test_plain_text_ids_are_unchanged_by_the_new_readers(corpora_dir):
    """The text parser still gives the vs6 ids the hand-coded gold sample refers to."""
    import json
    from pathlib import Path

    text = (corpora_dir / "vs6-assemblies-2020.txt").read_text(encoding="utf-8")
    segments, _ = parse_notes(text, "vs6-assemblies-2020.txt", "vs6")
    gold = [json.loads(line) for line in (Path(__file__).parent.parent / "data" / "vs6-gold.jsonl").open()]
    by_id = {s.id: s for s in segments}
    # the gold text is the raw line; the segment has Markdown links cleaned and a bullet broken by a page rejoined
    assert all(normalise(by_id[g["id"]].text).startswith(normalise(g["text"])[:40]) for g in gold)


def test_every_line_of_every_bundled_corpus_is_accounted_for(corpora_dir):
    """The ingest report explains every non-blank line: statement, structure, or dropped with a reason."""
    for path in sorted(corpora_dir.glob("*.txt")):
        _, report = ingest_file(path)
        assert report.lines["unaccounted"] == 0, path.name
        assert report.lines["read"] == sum(1 for line in path.read_text(encoding="utf-8").splitlines()
                                           if line.strip())
        assert all(d.reason for d in report.dropped)


def test_a_lying_extension_is_named(tmp_path, vs6):
    _, text = vs6
    pdf = write_pdf(text[:3000], tmp_path / "notes.pdf")
    disguised = tmp_path / "notes.docx"
    disguised.write_bytes(pdf.read_bytes())
    with pytest.raises(InputError) as err:
        ingest_file(disguised)
    assert "notes.docx" in str(err.value) and "holds a PDF" in str(err.value) and "'.pdf'" in str(err.value)
