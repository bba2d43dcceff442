"""`plenary eval`: agreement statistics, gold files and their bad inputs, outputs on disk."""
from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score, f1_score

from pipeline.coding.labelled import read_labelled
from pipeline.evaluate.agreement import (Prediction, cohen_kappa, evaluate, f1_scores, krippendorff_alpha,
                                         masi_distance, predictions_from_records)
from pipeline.render.evaluation import write_eval
from pipeline.cli import main
from pipeline.codebook import load_codebook
from pipeline.coding import LabelledItem
from pipeline.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "vs6-gold.jsonl"


@pytest.fixture(scope="module")
def book():
    return load_codebook()


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------- statistics
def test_kappa_matches_scikit_learn():
    rng = np.random.default_rng(1)
    a = list(rng.choice(["x", "y", "none"], 200))
    b = [v if rng.random() < 0.7 else rng.choice(["x", "y", "none"]) for v in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_nominal_alpha_matches_the_krippendorff_package():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 4, 150)
    b = np.where(rng.random(150) < 0.6, a, rng.integers(0, 4, 150))
    expected = krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")
    assert krippendorff_alpha(list(a), list(b)) == pytest.approx(expected)


def test_masi_distance():
    A, B = frozenset, frozenset
    assert masi_distance(A({"a"}), B({"a"})) == 0
    assert masi_distance(A({"a"}), B({"b"})) == 1
    assert masi_distance(A(), B({"a"})) == 1
    assert masi_distance(A({"a"}), B({"a", "b"})) == pytest.approx(1 - 0.5 * 0.67)
    assert masi_distance(A({"a", "c"}), B({"a", "b"})) == pytest.approx(1 - (1 / 3) * 0.33)


def test_f1_matches_scikit_learn():
    rng = np.random.default_rng(3)
    G = rng.random((100, 4)) < 0.3
    P = np.where(rng.random((100, 4)) < 0.7, G, ~G)
    got = f1_scores(G, P)
    assert got["macro_f1"] == pytest.approx(f1_score(G, P, average="macro"))
    assert got["micro_f1"] == pytest.approx(f1_score(G, P, average="micro"))


# ---------------------------------------------------------------- gold files
def test_reads_jsonl_and_csv_gold(tmp_path, book):
    items = read_labelled(GOLD, book)
    assert len(items) == 160 and all(it.text for it in items)
    assert items[0].id == "vs6-assemblies-2020:81" and items[0].labels == [] and items[0].primary is None
    csv = tmp_path / "gold.csv"
    csv.write_text('id,text,labels\n1,"Grants, please",funding;partnership\n2,Nothing to say,\n', encoding="utf-8")
    rows = read_labelled(csv, book)
    assert rows[0].labels == ["funding", "partnership"] and rows[0].primary == "funding" and rows[1].labels == []


@pytest.mark.parametrize("content, line, field, words", [
    ('{"id": "a", "text": "t", "labels": ["money"]}\n', 1, "labels", "not a code"),
    ('{"id": "a", "text": "t", "labels": []}\n{"id": "b", "text": "t", "labels": ["fundng"]}\n', 2, "labels",
     "fundng"),
    ('{"id": "a", "text": "t", "labels": null}\n', 1, "labels", "null"),
    ('{"id": "a", "text": "t", "labels": ["funding"], "primary": "partnership"}\n', 1, "primary", "not among"),
    ('{"id": "a", "text": "t", "labels": []}\n{"id": "a", "text": "u", "labels": []}\n', 2, "id", "also used"),
    ('{"id": "a", "text": "t"}\n', 1, "labels", "no 'labels'"),
    ('{"id": "a", "text": "t", "labels": []}\nnot json\n', 2, None, "not valid JSON"),
])
def test_bad_gold_rows_name_line_and_field(tmp_path, book, content, line, field, words):
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_labelled(path, book)
    assert err.value.line == line and err.value.field == field and words in err.value.message


def test_empty_gold_file(tmp_path, book):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="gold file is empty"):
        read_labelled(path, book)


def test_gold_ids_that_match_nothing(tmp_path, book):
    items = [LabelledItem("x:1", "t", [], line=1), LabelledItem("x:2", "t", [], line=2)]
    with pytest.raises(InputError) as err:
        predictions_from_records(tmp_path, [{"id": "other:1", "codes": []}], items, tmp_path / "gold.jsonl")
    assert "no gold id matches" in err.value.message and "x:1" in err.value.message and "other:1" in err.value.message
    with pytest.raises(InputError) as err:
        predictions_from_records(tmp_path, [{"id": "x:1", "codes": []}], items, tmp_path / "gold.jsonl")
    assert "1 of 2 gold ids" in err.value.message and err.value.line == 2


# ---------------------------------------------------------------- evaluate
def _items_and_preds(n=60, seed=0):
    rng = np.random.default_rng(seed)
    codes = ["partnership", "funding", "culture_change", "representation"]
    items, preds = [], []
    for i in range(n):
        g = [] if rng.random() < 0.3 else [str(rng.choice(codes))]
        t = g if rng.random() < 0.7 else ([] if rng.random() < 0.5 else [str(rng.choice(codes))])
        items.append(LabelledItem(f"s{i}", f"statement {i}", g, g[0] if g else None, line=i + 1))
        preds.append(Prediction(f"s{i}", t, scores={c: round(float(rng.random()), 3) for c in codes}))
    return items, preds


def test_evaluate_computes_what_it_reports(book):
    items, preds = _items_and_preds()
    r = evaluate(items, preds, book, bootstrap=200, seed=4)
    gold = [it.primary or "none" for it in items]
    tool = [p.primary for p in preds]
    assert r.summary["cohen_kappa"] == pytest.approx(cohen_kappa_score(gold, tool), abs=1e-4)
    assert sum(map(sum, r.confusion)) == len(items)
    assert r.confusion_labels[-1] == "none"
    lo, hi = r.intervals["cohen_kappa"]
    assert lo <= r.summary["cohen_kappa"] <= hi
    assert len(r.disagreements) == sum(1 for it, p in zip(items, preds) if set(it.labels) != set(p.codes))
    d = r.disagreements[0]
    assert d["scores"] and set(d["scores"]) >= set(d["tool"])
    for row in r.per_code:
        assert row["support"] == sum(1 for it in items if row["code"] in it.labels)
    # the same seed gives the same intervals; another seed gives others
    assert evaluate(items, preds, book, bootstrap=200, seed=4).intervals == r.intervals
    assert evaluate(items, preds, book, bootstrap=200, seed=5).intervals != r.intervals


def test_person_coded_statements_are_left_out_unless_asked(book):
    items, preds = _items_and_preds()
    preds[0].by = preds[1].by = "person"
    assert evaluate(items, preds, book, bootstrap=0).n_items == len(items) - 2
    assert evaluate(items, preds, book, bootstrap=0).n_excluded_person == 2
    assert evaluate(items, preds, book, bootstrap=0, include_person=True).n_items == len(items)


def test_write_eval_outputs(tmp_path, book):
    items, preds = _items_and_preds()
    out = write_eval(evaluate(items, preds, book, bootstrap=50), tmp_path / "ev")
    assert sorted(p.name for p in out.iterdir()) == ["confusion.png", "confusion.svg", "eval.json", "eval.md"]
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "confusion.svg").read_bytes()
    data = json.loads((out / "eval.json").read_text())
    assert {"summary", "intervals_95", "per_code", "confusion", "disagreements"} <= set(data)
    md = (out / "eval.md").read_text()
    assert "## Disagreements" in md and "| partnership |" in md
    again = write_eval(evaluate(items, preds, book, bootstrap=50), tmp_path / "ev2")
    assert (again / "confusion.svg").read_bytes() == (out / "confusion.svg").read_bytes()


# ---------------------------------------------------------------- CLI
def test_cli_eval_against_a_coded_file(tmp_path):
    gold = write(tmp_path / "gold.jsonl", [{"id": "a", "text": "t", "labels": ["funding"]},
                                           {"id": "b", "text": "u", "labels": []}])
    coded = write(tmp_path / "coded.jsonl", [{"id": "a", "codes": [{"code": "funding", "score": 0.5}]},
                                             {"id": "b", "codes": [{"code": "partnership", "score": 0.4}]}])
    result = CliRunner().invoke(main, ["eval", str(gold), "--predictions", str(coded), "--out", str(tmp_path / "ev"),
                                       "--bootstrap", "20"])
    assert result.exit_code == 0, result.output
    assert "Cohen's kappa" in result.output and "b: person none, tool partnership" in result.output
    assert json.loads((tmp_path / "ev" / "eval.json").read_text())["items"] == 2


@pytest.mark.parametrize("case", ["no-match", "bad-label", "empty", "cycle"])
def test_cli_eval_bad_input_exits_2_with_one_line(tmp_path, case):
    gold = write(tmp_path / "gold.jsonl", [{"id": "a", "text": "t", "labels": ["funding"]}])
    coded = write(tmp_path / "coded.jsonl", [{"id": "a", "codes": []}])
    args = ["eval", str(gold), "--predictions", str(coded), "--out", str(tmp_path / "ev")]
    expect = ""
    if case == "no-match":
        write(coded, [{"id": "zzz", "codes": []}])
        expect = "no gold id matches"
    elif case == "bad-label":
        write(gold, [{"id": "a", "text": "t", "labels": ["fundin"]}])
        expect = "label 'fundin' is not a code"
    elif case == "empty":
        gold.write_text("", encoding="utf-8")
        expect = "gold file is empty"
    else:
        book = tmp_path / "cycle.yaml"
        book.write_text("codes:\n  - id: a\n    label: A\n    description: d\n    parent: a\n", encoding="utf-8")
        args += ["--codebook", str(book)]
        expect = "cycle"
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert expect in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "ev").exists()


@pytest.mark.e2e
def test_cli_eval_codes_the_gold_texts_with_the_real_model(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("PLENARY_CACHE", str(cache_dir))
    runner = CliRunner()
    out = tmp_path / "ev"
    result = runner.invoke(main, ["eval", str(GOLD), "--out", str(out), "--bootstrap", "200", "--show", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "eval.json").read_text())
    assert data["items"] == 160 and data["coder"] == "zero-shot"
    # the reported kappa is the kappa of the reported confusion matrix
    labels, m = data["confusion"]["labels"], data["confusion"]["rows_gold_columns_tool"]
    gold = [g for i, g in enumerate(labels) for j in range(len(labels)) for _ in range(m[i][j])]
    tool = [t for i in range(len(labels)) for j, t in enumerate(labels) for _ in range(m[i][j])]
    assert data["summary"]["cohen_kappa"] == pytest.approx(cohen_kappa_score(gold, tool), abs=1e-4)
    lo, hi = data["intervals_95"]["cohen_kappa"]
    assert lo < data["summary"]["cohen_kappa"] < hi

    cv = runner.invoke(main, ["eval", str(GOLD), "--cv", "3", "--out", str(tmp_path / "cv"), "--bootstrap", "0"])
    assert cv.exit_code == 0, cv.output
    cv_data = json.loads((tmp_path / "cv" / "eval.json").read_text())
    assert "3-fold cross-fitted" in cv_data["coder"] and cv_data["items"] == 160
