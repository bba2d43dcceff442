"""Issue 10 end to end, with the real model: every item coded, fit diagnostics and a drafted codebook,
.qdpx as gold and training, accented code ids, and nothing written when a command fails."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT.parent / "shared" / "cases"
FAIL_FILE = CASES / "reliability" / "FAIL_code_drops_short_answers.jsonl"
PLACEHOLDERS = ROOT / "tests" / "data" / "code-placeholders.csv"
EASTFIELD = CASES / "newcomer" / "eastfield-youth-housing-workshop.txt"


@pytest.fixture(autouse=True)
def shared_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("PLENARY_CACHE", str(cache_dir))


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def input_ids(path: Path) -> list[str]:
    if path.suffix == ".jsonl":
        return [json.loads(l)["id"] for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    import csv
    return [r["id"] for r in csv.DictReader(path.open(encoding="utf-8"))]


@pytest.mark.parametrize("path,non_answers", [(FAIL_FILE, 14), (PLACEHOLDERS, 12)])
def test_plenary_code_returns_every_item_once_in_input_order(tmp_path, path, non_answers):
    out = tmp_path / "coded.jsonl"
    result = run("code", path, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == input_ids(path)
    assert sum(r["non_answer"] for r in rows) == non_answers
    assert all(r["nearest"] and r["nearest"]["code"] for r in rows)  # nearest code always given
    assert all(not r["codes"] for r in rows if r["non_answer"])
    by_id = {r["id"]: r for r in rows}
    same = ("s6", "s7") if path == FAIL_FILE else ("r1", "r16")  # one text twice: coded alike, both kept
    assert by_id[same[0]]["codes"] == by_id[same[1]]["codes"] and by_id[same[0]]["text"] == by_id[same[1]]["text"]
    assert f"{len(rows)} items coded" in result.output


def test_plenary_code_leaves_junk_uncoded_but_codes_real_answers(tmp_path):
    out = tmp_path / "coded.jsonl"
    assert run("code", FAIL_FILE, "--out", out, "-q").exit_code == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["s23"]["codes"] == []  # a pasted script shares nothing with any code
    assert rows["s14"]["codes"][0]["code"] == "funding"  # "More funding"


def test_poor_fit_is_reported_and_a_drafted_codebook_fits(tmp_path):
    out = tmp_path / "run"
    result = run("run", EASTFIELD, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert "fits these notes poorly" in result.output and "plenary codebook draft" in result.output
    fit = json.loads((out / "run.json").read_text(encoding="utf-8"))["codebook_fit"]
    assert fit["poor_fit"] and fit["far_share"] >= 0.3 and set(fit["coverage"]) == {
        "partnership", "funding", "culture_change", "representation"}
    assert "Codebook fit" in (out / "report.html").read_text(encoding="utf-8")

    drafted = tmp_path / "youth-housing.yaml"
    result = run("codebook", "draft", out, "--out", drafted)  # from the finished run folder
    assert result.exit_code == 0, result.output
    text = drafted.read_text(encoding="utf-8")
    book = yaml.safe_load(text)
    assert 3 <= len(book["codes"]) <= 12
    assert all(c["id"] and c["label"] and c["description"] and c.get("examples") for c in book["codes"])
    assert "# eastfield-youth-housing-workshop.txt:" in text  # examples cited by file and line
    assert run("codebook", "validate", drafted).exit_code == 0
    labels = " ".join(c["label"].lower() for c in book["codes"])
    assert any(word in labels for word in ("housing", "landlord", "rent", "youth", "bus", "health", "consultation"))

    second = tmp_path / "run2"
    result = run("run", EASTFIELD, "--codebook", drafted, "--out", second, "-q")
    assert result.exit_code == 0 and "fits these notes poorly" not in result.output
    assert not json.loads((second / "run.json").read_text(encoding="utf-8"))["codebook_fit"]["poor_fit"]


def test_bundled_notes_fit_the_default_codebook(bundled_run):
    assert bundled_run.fit["statements"] > 1000 and not bundled_run.fit["poor_fit"]


def test_codebook_draft_from_notes_writes_nothing_over_an_existing_file(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("codebook", "draft", EASTFIELD, "--out", target)
    assert result.exit_code == 2 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "keep me\n"
    result = run("codebook", "draft", EASTFIELD)  # printed when no --out
    assert result.exit_code == 0 and "codes:" in result.output


def test_qdpx_with_coded_selections_is_gold_and_training(tmp_path):
    run_dir = tmp_path / "run"
    assert run("run", ROOT / "corpora" / "lcrca-race-equality-programme-2021.txt", "--out", run_dir, "-q").exit_code == 0
    project = tmp_path / "coded.qdpx"
    assert run("export", "qdpx", run_dir, "--out", project).exit_code == 0
    result = run("eval", project, "--out", tmp_path / "eval", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    assert "statements compared (gold" in result.output and "coded.qdpx" in result.output
    out = tmp_path / "coded.jsonl"
    result = run("code", ROOT / "tests" / "data" / "vs6-gold.jsonl", "--train", project, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 160


def test_accented_codebook_keeps_its_letters_and_gold_names_codes_by_label(tmp_path):
    book = CASES / "field" / "accented-codebook.qdc"
    shown = run("codebook", "show", book)
    assert shown.exit_code == 0
    for cid in ("éducation", "accès-à-l-école", "education", "交通", "住房", "santé-mentale",
                "housing-rent-arrears", "dept-of-health"):
        assert f"{cid}:" in shown.output
    result = run("eval", CASES / "field" / "accented-gold.csv", "--codebook", book, "--out", tmp_path / "e",
                 "--bootstrap", "0")
    assert result.exit_code == 0, result.output


def test_gold_naming_unknown_codes_lists_them_and_writes_nothing(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("id,text,labels\na,We need money,Resources and support\nb,Boards,Seats\nc,Talk,Chats\n",
                    encoding="utf-8")  # a label ("Resources and support") names a code; two name none
    out = tmp_path / "eval"
    result = run("eval", gold, "--out", out)
    assert result.exit_code == 2
    assert "'Seats' (line 3)" in result.output and "'Chats' (line 4)" in result.output
    assert "Resources and support" not in result.output and not out.exists()


def test_a_bad_codebook_fails_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - id: a\n    label: Same\n    description: d\n"
                   "  - id: b\n    label: Same\n    description: e\n", encoding="utf-8")
    out = tmp_path / "coded.jsonl"
    result = run("code", PLACEHOLDERS, "--codebook", bad, "--out", out)
    assert result.exit_code == 2 and "duplicate label 'Same'" in result.output and not out.exists()


def test_poor_fit_on_other_off_topic_notes_warns_and_drafts_headings(tmp_path):
    """A second notes file of the newcomer's kind (a leisure centre consultation, written here): the default
    codebook's race-equality headings fit it poorly too, so the run says so and drafts its own headings."""
    notes = ROOT / "benchmarks" / "data" / "notes" / "heldout2" / "wrenfield-leisure-engagement-summary.txt"
    out = tmp_path / "run"
    result = run("run", notes, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert "fits these notes poorly" in result.output
    fit = json.loads((out / "run.json").read_text(encoding="utf-8"))["codebook_fit"]
    assert fit["poor_fit"] and fit["far_share"] >= 0.3 and fit["drafted_headings"]["codes"]
