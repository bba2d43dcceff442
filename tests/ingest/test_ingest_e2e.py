"""Done when: a facilitator drops a Word file, a PDF and a survey CSV of one event into `plenary run`.

Real model, real CLI, small inputs. Checks that the run is one coherent event with
the right sections and questions, that no email or phone number appears in any
output file, and that the ingest report accounts for every line it did not use.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest_fixtures import write_docx, write_pdf

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\d.])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}(?!\d)")

TABLE_NOTES = """\
# Kirkby community assembly

## Workshop A: What are the issues?

What worries people most about the estate?

- Youth provision has been cut and young people have nowhere to go in the evenings
- We need a youth club that opens at weekends
- Older residents feel isolated since the day centre closed
  - Some have not left the house since the winter
- Repairs to the flats take months and nobody answers the phone

Notes taken by Jo Bloggs, Community Organiser (jo.bloggs@example.org, 0151 496 0000).
"""

PLENARY_NOTES = """\
# Kirkby community assembly

## Workshop B: What needs to change?

What should the council and partners do first?

- We need a youth club that opens at weekends
- A drop-in hub with advice on debt, housing and benefits in one place
- Ring the hub on 0151 496 0123 to book a slot was suggested as the way to reach people
- Bus routes to the hospital should run after six in the evening
- Residents should sit on the board that decides how the regeneration money is spent
"""

SURVEY = [
    ["Respondent ID", "Name", "Email", "Area", "Age band", "What would make the biggest difference to you?",
     "Anything else?"],
    ["R1", "Ann Lee", "ann@example.org", "Northwood", "18-24",
     "Somewhere safe for teenagers to meet after school", "The park lights have been broken for a year"],
    ["R2", "Bob Roy", "bob@example.org", "Southdene", "65+",
     "A lunch club so older people are not alone all week", ""],
    ["R3", "Cy Dee", "cy@example.org", "Tower Hill", "25-44",
     "Cheaper and later buses to the hospital and the shops", "Email me at cy.dee@example.org about the plans"],
    ["R4", "Di Fox", "di@example.org", "Northwood", "45-64",
     "Getting repairs done on time by the housing association", "n/a"],
    ["R5", "Ed Gee", "ed@example.org", "Westvale", "18-24",
     "Training and apprenticeships for local young people", "Call me on 07700 900123"],
]


def plenary(*args, cache_dir):
    env = {**os.environ, "PLENARY_CACHE": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=900)


@pytest.fixture(scope="module")
def event_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kirkby-assembly")
    (folder / "event.yaml").write_text("name: Kirkby community assembly\ndate: 2024-03-16\nplace: Kirkby\n"
                                       "type: assembly\n", encoding="utf-8")
    write_docx(TABLE_NOTES, folder / "table-notes.docx")
    write_pdf(PLENARY_NOTES, folder / "plenary-notes.pdf", header="Kirkby assembly, 16 March")
    with open(folder / "survey.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(SURVEY)
    return folder


@pytest.fixture(scope="module")
def facilitator_run(event_folder, tmp_path_factory, cache_dir):
    out = tmp_path_factory.mktemp("runs") / "kirkby"
    done = plenary("run", event_folder, "--out", out, cache_dir=cache_dir)
    assert done.returncode == 0, done.stderr
    segments = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, done, segments


def test_one_coherent_event_from_three_formats(facilitator_run):
    out, _, segments = facilitator_run
    assert {s["source"] for s in segments} == {"table-notes.docx", "plenary-notes.pdf", "survey.csv"}
    assert {s["event"] for s in segments} == {"Kirkby community assembly"}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["failed_files"] == [] and run["counts"]["events"] == 1
    (event,) = run["events"]
    assert (event["date"], event["place"], event["type"]) == ("2024-03-16", "Kirkby", "assembly")
    assert sorted(event["sources"]) == ["plenary-notes.pdf", "survey.csv", "table-notes.docx"]


def test_sections_and_questions_are_right_in_each_format(facilitator_run):
    _, _, segments = facilitator_run
    by_source = {}
    for s in segments:
        by_source.setdefault(s["source"], []).append(s)
    word = [s for s in by_source["table-notes.docx"] if s["kind"] == "bullet"]
    assert len(word) == 4  # five bullets, one of them also in the PDF and kept there
    assert {s["section"] for s in word} == {"Kirkby community assembly > Workshop A: What are the issues?"}
    assert {s["question"] for s in word} == {"What worries people most about the estate?"}
    child = next(s for s in word if s["text"].startswith("Some have not left"))
    assert child["parent"] == next(s["id"] for s in word if s["text"].startswith("Older residents"))
    pdf = [s for s in by_source["plenary-notes.pdf"] if s["kind"] == "bullet"]
    assert {s["section"] for s in pdf} == {"Kirkby community assembly > Workshop B: What needs to change?"}
    assert {s["question"] for s in pdf} == {"What should the council and partners do first?"}
    assert all(s["attributes"]["page"] == 1 for s in pdf)
    survey = by_source["survey.csv"]
    assert {s["question"] for s in survey} == {"What would make the biggest difference to you?", "Anything else?"}
    assert all({"Area", "Age band", "Respondent ID"} <= set(s["attributes"]) for s in survey)
    assert not any({"Name", "Email"} & set(s["attributes"]) for s in survey)


def test_a_point_in_two_files_of_the_event_counts_once(facilitator_run):
    _, _, segments = facilitator_run
    club = [s for s in segments if s["text"] == "We need a youth club that opens at weekends"]
    assert len(club) == 1 and club[0]["attributes"]["copies"] == 2
    assert club[0]["source"] == "plenary-notes.pdf"  # files are read in name order
    assert len(club[0]["attributes"]["duplicates"]) == 1


def test_no_email_or_phone_number_anywhere_in_the_outputs(facilitator_run):
    out, done, _ = facilitator_run
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"segments.jsonl", "ingest.json", "report.html", "run.json", "summary.md"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not EMAIL.search(text), (path.name, EMAIL.search(text))
        unhashed = re.sub(r"\b[0-9a-f]{64}\b", "", text)  # run.json's sha256 of each input can hold 10 digits in a row
        assert not PHONE.search(unhashed), (path.name, PHONE.search(unhashed))
        assert "Jo Bloggs" not in text
    assert not EMAIL.search(done.stderr + done.stdout) and not PHONE.search(done.stderr + done.stdout)


def test_ingest_report_explains_every_line_and_is_printed(facilitator_run):
    out, done, _ = facilitator_run
    report = json.loads((out / "ingest.json").read_text(encoding="utf-8"))
    files = {f["source"]: f for f in report["files"]}
    for f in files.values():
        assert f["lines"]["unaccounted"] == 0, f["source"]
        assert all(d["reason"] for d in f["dropped_lines"])
    assert files["table-notes.docx"]["dropped"].get("duplicate") == 1
    assert files["table-notes.docx"]["redactions"] == {"EMAIL": 1, "PERSON": 1, "PHONE": 1}
    assert files["plenary-notes.pdf"]["redactions"] == {"PHONE": 1}
    assert files["plenary-notes.pdf"]["segments"] == 5  # the five bullets, nothing from the page furniture
    assert [d["text"] for d in files["plenary-notes.pdf"]["dropped_lines"] if d["reason"] == "page_furniture"] \
        == ["Kirkby assembly, 16 March", "Page 1"]  # the running header and the page number
    assert files["survey.csv"]["redactions"] == {"EMAIL": 1, "PHONE": 1}
    # "n/a" is a non-answer: kept as a statement and marked (issue 10/12), never dropped; the blank cell is empty
    assert files["survey.csv"]["dropped"] == {"empty": 1}
    assert any("non-answers kept and marked" in n and n.endswith(": 1") for n in files["survey.csv"]["notes"])
    segments = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["attributes"].get("non_answer") for s in segments if s["text"] == "n/a"] == [True]
    assert any("picked automatically" in n for n in files["survey.csv"]["notes"])
    for name in ("table-notes.docx (docx", "plenary-notes.pdf (pdf", "survey.csv (csv", "redacted"):
        assert name in done.stderr


def test_a_broken_file_fails_the_run_unless_keep_going(event_folder, tmp_path, cache_dir):
    folder = tmp_path / "with-broken"
    shutil.copytree(event_folder, folder)
    data = (folder / "table-notes.docx").read_bytes()
    (folder / "photo-of-flipchart.docx").write_bytes(data[: len(data) // 3])
    out = tmp_path / "out"
    failed = plenary("run", folder, "--out", out, "--quiet", cache_dir=cache_dir)
    assert failed.returncode != 0 and "photo-of-flipchart.docx" in failed.stderr and "damaged" in failed.stderr
    assert "Traceback" not in failed.stderr and not out.exists()
    kept = plenary("run", folder, "--out", out, "--quiet", "--keep-going", cache_dir=cache_dir)
    assert kept.returncode == 0, kept.stderr
    assert "skipped: " in kept.stderr and "photo-of-flipchart.docx" in kept.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [Path(f["path"]).name for f in run["failed_files"]] == ["photo-of-flipchart.docx"]
    assert run["counts"]["documents"] == 3


def test_no_email_or_phone_number_in_the_bundled_run(bundled_outputs):
    for path in sorted(p for p in bundled_outputs.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for leak in ("Karen.conway@vsnw.org.uk", "0121 224 8210", "Tracey Gore", "www.vs6partnership.org.uk"):
            assert leak not in text, (path.name, leak)
        assert not EMAIL.search(text), (path.name, EMAIL.search(text))
        unhashed = re.sub(r"\b[0-9a-f]{64}\b", "", text)  # run.json's sha256 of each input can hold 10 digits in a row
        assert not PHONE.search(unhashed), (path.name, PHONE.search(unhashed))
