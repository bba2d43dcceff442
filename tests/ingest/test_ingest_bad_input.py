"""Bad input: each gets a one-line message naming the file, and the other files of the run still load."""
from __future__ import annotations

import pytest

from ingest_fixtures import write_docx, write_pdf, write_xlsx
from pipeline.errors import InputError
from pipeline.ingest import ingest, ingest_file

NOTES = "# Youth forum\n\n## What would help?\n\n- A youth club that opens at weekends\n- Cheaper buses after six\n"


def message(path, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        ingest_file(path, **kwargs)
    text = str(err.value)
    assert path.name in text and "\n" not in text  # one line, naming the file
    return text


def truncated(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_truncated_docx(tmp_path):
    assert "is damaged" in message(truncated(write_docx(NOTES, tmp_path / "notes.docx")))


def test_truncated_xlsx(tmp_path):
    assert "is damaged" in message(truncated(write_xlsx(NOTES, tmp_path / "survey.xlsx")))


def test_password_protected_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "minutes.pdf"
    c = canvas.Canvas(str(path), encrypt="s3cret")
    c.drawString(72, 720, "Confidential minutes of the steering group meeting")
    c.save()
    assert "password-protected" in message(path)


def test_pdf_with_an_owner_password_only_is_read(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked-printing.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0))
    c.drawString(72, 720, "Residents asked for a safer crossing outside the school.")
    c.save()
    segments, report = ingest_file(path)
    assert [s.text for s in segments] == ["Residents asked for a safer crossing outside the school."]
    assert any("owner password" in n for n in report.notes)


def test_scanned_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for k in range(40):  # strokes where a scan would have its picture of the text
        c.rect(72, 700 - 12 * k, 300 + (k * 37) % 150, 8, fill=1)
    c.showPage()
    c.save()
    assert "no text layer" in message(path) and "OCR" in message(path)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx", ".pdf", ".csv", ".xlsx", ".jsonl"])
def test_zero_byte_upload(tmp_path, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(b"")
    assert "file is empty (0 bytes)" in message(path)


def test_empty_files_of_each_kind(tmp_path):
    import docx
    import openpyxl

    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n \t\n", encoding="utf-8")
    assert "file is empty" in message(blank)
    word = tmp_path / "blank.docx"
    docx.Document().save(word)
    assert "no text" in message(word)
    book = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(book)
    assert "no sheet with data" in message(book)
    header_only = tmp_path / "header.csv"
    header_only.write_text("id,comment\n", encoding="utf-8")
    assert "no rows" in message(header_only)


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("- " + "word " * 400 + "\n", encoding="utf-8")
    text = message(path, max_bytes=1000)
    assert "over the" in text and "limit" in text and "--max-mb" in text
    assert ingest_file(path)[0]  # the default limit (50 MB) takes it


def test_csv_with_a_ragged_row(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,area,comment\n1,north,We need a youth club that opens at weekends\n"
                    "2,south,Cheaper buses, and later ones, after six in the evening\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_file(path)
    assert err.value.line == 3 and "ragged row" in str(err.value) and "survey.csv" in str(err.value)


def test_short_rows_are_padded_not_refused(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,comment,area\n1,We need a youth club that opens at weekends\n", encoding="utf-8")
    segments, _ = ingest_file(path, text_column="comment")
    assert segments[0].text == "We need a youth club that opens at weekends"


def test_spreadsheet_with_no_free_text_column(tmp_path):
    import openpyxl

    path = tmp_path / "scores.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Area", "Satisfaction (1-5)"])
    for k in range(6):
        sheet.append([f"R{k}", ["North", "South"][k % 2], k % 5 + 1])
    book.save(path)
    text = message(path)
    assert "no text column" in text and "Respondent, Area, Satisfaction (1-5)" in text and "--text-column" in text


@pytest.mark.parametrize("real, named, expected", [
    ("pdf", "notes.docx", "rename it to '.pdf'"),
    ("docx", "survey.csv", "rename it to '.docx'"),
    ("xlsx", "notes.txt", "rename it to '.xlsx'"),
    ("text", "report.pdf", "rename it to '.txt'"),
    ("text", "survey.xlsx", "rename it to '.txt'"),
])
def test_extension_that_lies_about_the_content(tmp_path, real, named, expected):
    source = {"pdf": lambda p: write_pdf(NOTES, p), "docx": lambda p: write_docx(NOTES, p),
              "xlsx": lambda p: write_xlsx(NOTES, p),
              "text": lambda p: p.write_text(NOTES, encoding="utf-8") and p}[real](tmp_path / f"real.{real}")
    path = tmp_path / named
    path.write_bytes(source.read_bytes())
    assert expected in message(path)


def test_old_office_formats_are_named(tmp_path):
    path = tmp_path / "minutes.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "save it as .docx" in message(path)
    locked = tmp_path / "locked.docx"  # Office encrypts a password-protected .docx into an OLE container
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "password-protected" in message(locked)


def test_bad_files_do_not_stop_the_good_ones(tmp_path):
    good_docx = write_docx(NOTES, tmp_path / "a-notes.docx")
    good_pdf = write_pdf(NOTES, tmp_path / "b-notes.pdf")
    bad = truncated(write_docx(NOTES, tmp_path / "c-broken.docx"))
    empty = tmp_path / "d-empty.csv"
    empty.write_bytes(b"")
    result = ingest([tmp_path])
    assert sorted({s.source for s in result.segments}) == [good_docx.name, good_pdf.name]
    assert sorted(f.path.rsplit("/", 1)[-1] for f in result.failures) == [bad.name, empty.name]
    assert [r.source for r in result.reports] == [good_docx.name, good_pdf.name]


def test_lock_files_and_sidecars_in_a_folder_are_not_read_as_notes(tmp_path):
    write_docx(NOTES, tmp_path / "notes.docx")
    (tmp_path / "~$notes.docx").write_bytes(b"\x00" * 162)  # Word's lock file while the document is open
    (tmp_path / "event.yaml").write_text("name: Youth forum\ndate: 2024-05\n", encoding="utf-8")
    result = ingest([tmp_path])
    assert not result.failures and {s.source for s in result.segments} == {"notes.docx"}
