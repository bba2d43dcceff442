"""REFI-QDA exchange: .qdc codebooks (export valid against Codebook.xsd, import, round trip) and .qdpx projects."""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.codebook import load_codebook, parse_codebook
from pipeline.errors import InputError
from pipeline.exchange.qdpx import export_run_qdpx, read_qdpx
from pipeline.exchange.refi import PROJECT_NS, SCHEMA, ImportNotes, codebook_xml, read_qdc, write_qdc

ROOT = Path(__file__).resolve().parents[2]
# copies of the REFI-QDA sample exchange files from the project's shared specs (specs/refi-qda/samples)
SAMPLES = ROOT / "tests" / "data" / "refi-qda"
# SHA-256 of the REFI-QDA Codebook.xsd in the project's shared specs
SHARED_XSD_SHA256 = "afedac5a7df37fe92467255e6f82d1f846e041f665d4c70baf1fbf0f5835b5ee"

NESTED_BOOK = """\
name: nested
version: "1"
codes:
  - id: barriers
    label: Barriers
    description: Obstacles.
    codable: false
    color: "#abc"
  - id: digital
    label: Digital exclusion
    description: No device or data.
    parent: barriers
    examples: ["No wifi at home"]
    keywords: [wifi]
    threshold: 0.4
  - id: funding
    label: Funding
    description: Money.
    include: [grants]
sets:
  - name: Plan
    description: Feeds the plan
    codes: [digital, funding]
"""


def schema():
    return xmlschema.XMLSchema(str(SCHEMA))  # the vendored copy, checked against the shared one above


def normalised(book):
    return book.to_dict()


@pytest.mark.parametrize("plain", [False, True])
def test_exported_qdc_is_valid_against_the_schema(tmp_path, plain):
    for book in (load_codebook(), parse_codebook(NESTED_BOOK, "nested.yaml")):
        path = write_qdc(book, tmp_path / "out.qdc", plain=plain)
        schema().validate(str(path))  # raises when invalid


def test_vendored_schema_is_the_shared_one():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SHARED_XSD_SHA256


def test_codebook_round_trip(tmp_path):
    for book in (load_codebook(), parse_codebook(NESTED_BOOK, "nested.yaml")):
        again = read_qdc(write_qdc(book, tmp_path / "rt.qdc"))
        original = normalised(book)
        # colours come back in the six-digit form REFI-QDA prefers
        for code in original["codes"]:
            if code.get("color") == "#abc":
                code["color"] = "#aabbcc"
        assert normalised(again) == original


def test_plain_export_keeps_what_the_format_carries(tmp_path):
    book = parse_codebook(NESTED_BOOK, "nested.yaml")
    again = read_qdc(write_qdc(book, tmp_path / "plain.qdc", plain=True))
    assert [c.label for c in again.codes] == [c.label for c in book.codes]
    assert [c.description for c in again.codes] == [c.description for c in book.codes]
    # without Plenary's fields, ids are made from the names
    assert again["digital-exclusion"].parent == "barriers" and not again["barriers"].codable
    assert again.sets[0].codes == ["digital-exclusion", "funding"]
    assert again["digital-exclusion"].examples == []


def test_export_is_deterministic():
    book = load_codebook()
    assert codebook_xml(book) == codebook_xml(load_codebook())
    guids = re.findall(rb'guid="([^"]+)"', codebook_xml(book))
    assert len(guids) == len(set(guids)) == len(book.codes)


def test_import_atlas_ti_style_with_a_set():
    notes = ImportNotes()
    book = read_qdc(SAMPLES / "atlasti-style.qdc", notes)
    assert [c.label for c in book.codes] == ["Longer-term funding", "Representation in decision making",
                                             "Language barriers"]
    assert book.codes[0].color == "#46AA00" and "multi-year" in book.codes[0].description
    assert book.sets[0].name == "Action plan"
    assert [book[c].label for c in book.sets[0].codes] == ["Longer-term funding", "Representation in decision making"]
    assert notes.origin == "ATLAS.ti Win 23.4.0"
    assert any("Language barriers" in m for m in notes.messages)  # no description: said, not hidden


def test_import_nested_categories():
    book = read_qdc(SAMPLES / "nested.qdc")
    barriers = next(c for c in book.codes if c.label == "Barriers")
    assert not barriers.codable
    children = [c.label for c in book.children(barriers.id)]
    assert children == ["Digital exclusion", "Short-term funding"]
    assert {c.label for c in book.codable} == {"Digital exclusion", "Short-term funding", "Good practice"}


def test_broken_qdc_is_refused_with_its_line(tmp_path):
    with pytest.raises(InputError) as err:
        read_qdc(SAMPLES / "broken.qdc")
    assert err.value.line is not None and "not a well-formed" in err.value.message
    result = CliRunner().invoke(main, ["import", "qdc", str(SAMPLES / "broken.qdc"), "--out", str(tmp_path / "b.yaml")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "b.yaml").exists()


def test_schema_violations_are_refused(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n  <Codes>\n'
                   '    <Code guid="not-a-guid" name="x" isCodable="true"/>\n  </Codes>\n</CodeBook>\n')
    with pytest.raises(InputError) as err:
        read_qdc(bad)
    assert "not a valid REFI-QDA codebook" in err.value.message and err.value.line == 4
    other = tmp_path / "other.qdc"
    other.write_text('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"/>')
    with pytest.raises(InputError, match="expected <CodeBook>"):
        read_qdc(other)


def test_cli_export_and_import_qdc(tmp_path):
    runner = CliRunner()
    qdc = tmp_path / "book.qdc"
    assert runner.invoke(main, ["export", "qdc", "--out", str(qdc)]).exit_code == 0
    yaml_out = tmp_path / "book.yaml"
    result = runner.invoke(main, ["import", "qdc", str(qdc), "--out", str(yaml_out)])
    assert result.exit_code == 0, result.output
    assert normalised(load_codebook(yaml_out)) == normalised(load_codebook())
    # a .qdc works wherever a codebook is asked for
    assert runner.invoke(main, ["codebook", "validate", str(qdc)]).exit_code == 0


# ---------------------------------------------------------------- .qdpx
def small_run(tmp_path: Path) -> Path:
    """A finished run folder, written by hand, over a notes file with tidied and wrapped statements."""
    notes = tmp_path / "notes.md"
    notes.write_text("# Day one\r\n\r\n- We need *longer-term* funding for groups.\r\n"
                     "- Boards should reflect the\r\n  communities they serve.\r\n- Nothing to add.\r\n",
                     encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    segments = [
        {"id": "notes:3", "text": "We need longer-term funding for groups.", "source": "notes.md", "line_start": 3,
         "line_end": 3, "codes": [{"code": "funding", "score": 0.61, "by": "tool"}]},
        {"id": "notes:4", "text": "Boards should reflect the communities they serve.", "source": "notes.md",
         "line_start": 4, "line_end": 5, "codes": [{"code": "representation", "score": 1.0, "by": "person"},
                                                   {"code": "partnership", "score": 1.0, "by": "person"}]},
        {"id": "notes:6", "text": "Nothing to add.", "source": "notes.md", "line_start": 6, "line_end": 6,
         "codes": []},
    ]
    (run / "segments.jsonl").write_text("".join(json.dumps(s) + "\n" for s in segments))
    (run / "run.json").write_text(json.dumps({"name": "day-one", "created": "2024-05-01T10:00:00+00:00",
                                              "inputs": [str(notes)], "settings": {"redact": False},
                                              "codebook": {"path": None}}))
    return run


def test_qdpx_selections_point_at_the_statements(tmp_path):
    run = small_run(tmp_path)
    result = export_run_qdpx(run, tmp_path / "day.qdpx")
    assert (result.sources, result.selections, result.codings, result.unplaced) == (1, 2, 3, [])
    with zipfile.ZipFile(tmp_path / "day.qdpx") as z:
        assert "project.qde" in z.namelist() and any(n.startswith("sources/") for n in z.namelist())
    project = read_qdpx(tmp_path / "day.qdpx")
    source = project.sources["notes.md"]
    assert source == (tmp_path / "notes.md").read_bytes().decode("utf-8")  # the original text, CRLF and all
    by_name = {s.name: s for s in project.selections}
    assert by_name["notes:3"].text == "We need *longer-term* funding for groups."
    assert re.sub(r"\s+", " ", by_name["notes:4"].text) == "Boards should reflect the communities they serve."
    assert sorted(by_name["notes:4"].codes) == ["partnership", "representation"]
    assert set(by_name["notes:4"].users) == {"Researcher (overrides)"}
    assert by_name["notes:3"].users == ["Plenary (automatic coding)"]
    assert "notes:6" not in by_name  # uncoded statements are not selections


def test_qdpx_is_reproducible(tmp_path):
    run = small_run(tmp_path)
    a = export_run_qdpx(run, tmp_path / "a.qdpx").path.read_bytes()
    b = export_run_qdpx(run, tmp_path / "b.qdpx").path.read_bytes()
    assert a == b


def test_qdpx_codebook_part_is_a_valid_codebook(tmp_path):
    run = small_run(tmp_path)
    export_run_qdpx(run, tmp_path / "day.qdpx")
    with zipfile.ZipFile(tmp_path / "day.qdpx") as z:
        root = etree.fromstring(z.read("project.qde"))
    assert root.tag == f"{{{PROJECT_NS}}}Project"
    # the project's CodeBook holds the same Codes as a .qdc; validate it under the codebook namespace
    book_el = root.find(f"{{{PROJECT_NS}}}CodeBook")
    text = etree.tostring(book_el).decode().replace(PROJECT_NS, "urn:QDA-XML:codebook:1.0")
    schema().validate(etree.fromstring(text))
    refs = {r.get("targetGUID") for r in root.iter(f"{{{PROJECT_NS}}}CodeRef")}
    guids = {c.get("guid") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    assert refs <= guids


@pytest.mark.e2e
def test_bundled_run_to_qdpx_and_back(bundled_outputs, bundled_run, tmp_path):
    result = export_run_qdpx(bundled_outputs, tmp_path / "bundled.qdpx")
    coded = [s for s in bundled_run.segments if s.codes]
    assert result.selections + len(result.unplaced) == len(coded)
    project = read_qdpx(tmp_path / "bundled.qdpx")
    by_id = {s.id: s for s in bundled_run.segments}
    letters = lambda t: re.sub(r"[^a-z0-9]", "", re.sub(r"<[^<>\n]{1,40}>", "", t.lower()))
    exact = 0
    for sel in project.selections:
        seg = by_id[sel.name]
        assert sorted(sel.codes) == sorted(c.code for c in seg.codes)
        assert 0 <= sel.start < sel.end <= len(project.sources[seg.source])
        exact += letters(sel.text) == letters(seg.text)
    # nearly every selection is exactly the statement (a few run across a footnote and keep their lines)
    assert exact >= 0.97 * len(project.selections)
    # the run redacted personal names, so the exported sources do too
    if any("[PERSON]" in s.text for s in bundled_run.segments):
        assert any("[PERSON]" in text for text in project.sources.values())


def test_cli_checks_an_exported_project(tmp_path):
    run = small_run(tmp_path)
    runner = CliRunner()
    out = tmp_path / "day.qdpx"
    exported = runner.invoke(main, ["export", "qdpx", str(run), "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    checked = runner.invoke(main, ["import", "qdpx", str(out)])
    assert checked.exit_code == 0 and "2 coded selections, 3 codings" in checked.output
    # a project whose Coding points at no code is refused
    with zipfile.ZipFile(out) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    first_ref = re.search(rb'targetGUID="([^"]+)"', entries["project.qde"]).group(1)
    entries["project.qde"] = entries["project.qde"].replace(first_ref, b"00000000-0000-0000-0000-000000000000", 1)
    broken = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(broken, "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)
    result = runner.invoke(main, ["import", "qdpx", str(broken)])
    assert result.exit_code == 2 and "names no code" in result.output


# --------------------------------------------------------------------------- issue 12: real exports bend the schema
FIELD_QDC = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("path, children", [
    (FIELD_QDC / "cases" / "field" / "taguette-codebook.qdc", {"interesting.places": "interesting"}),
    (FIELD_QDC / "field" / "taguette-codebook-2.qdc",
     {"transport.buses": "transport", "transport.buses.fares": "transport.buses"}),
])
def test_taguette_codebook_with_empty_sets_imports_with_a_warning(path, children):
    notes = ImportNotes()
    book = read_qdc(path, notes)
    assert any("empty <Sets/>" in m for m in notes.messages)
    by_label = {c.label: c for c in book.codes}
    for child, parent in children.items():
        assert by_label[child].parent == by_label[parent].id  # dotted names are a hierarchy
    assert any("dotted code names" in m for m in notes.messages)


def test_taguette_import_on_the_command_line(tmp_path):
    out = tmp_path / "taguette.yaml"
    done = CliRunner().invoke(main, ["import", "qdc", str(FIELD_QDC / "cases" / "field" / "taguette-codebook.qdc"),
                                     "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "empty <Sets/>" in done.output and out.exists()


def test_moved_or_changed_sources_are_named(tmp_path):
    from pipeline.exchange.rundir import source_status

    kept, changed = tmp_path / "kept.txt", tmp_path / "changed.txt"
    kept.write_text("- a point\n", encoding="utf-8")
    changed.write_text("- another point\n", encoding="utf-8")
    record = {"sources": [
        {"name": "kept.txt", "path": str(kept), "sha256": hashlib.sha256(kept.read_bytes()).hexdigest()},
        {"name": "changed.txt", "path": str(changed), "sha256": "0" * 64},
        {"name": "moved.txt", "path": str(tmp_path / "elsewhere" / "moved.txt"), "sha256": "0" * 64}]}
    status = source_status(record)
    assert status == [f"changed.txt: changed since the run ({changed})",
                      f"moved.txt: not found at {tmp_path / 'elsewhere' / 'moved.txt'} (moved or deleted since the run)"]
