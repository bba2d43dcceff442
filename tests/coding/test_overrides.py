"""Human overrides: a person's codes always win, survive re-runs, and are marked as theirs."""
from __future__ import annotations

import json

import pytest

from pipeline.codebook import load_codebook
from pipeline.errors import InputError
from pipeline.coding.overrides import apply_overrides, is_person_coded, read_overrides, save_override
from pipeline.records import CodeAssignment, Segment


@pytest.fixture(scope="module")
def book():
    return load_codebook()


def seg(i, codes=()):
    return Segment(id=f"f:{i}", text=f"statement {i}", source="f.txt", line_start=i, line_end=i, event="e",
                   codes=[CodeAssignment(c, 0.5) for c in codes])


def test_overrides_replace_tool_codes_and_are_marked(tmp_path, book):
    path = tmp_path / "overrides.jsonl"
    path.write_text('{"id": "f:1", "codes": ["funding", "partnership"], "primary": "partnership"}\n'
                    '{"id": "f:2", "codes": []}\n{"id": "gone:9", "codes": ["funding"]}\n', encoding="utf-8")
    segments = [seg(1, ["representation"]), seg(2, ["funding"]), seg(3, ["culture_change"])]
    segments, report = apply_overrides(segments, read_overrides(path, book), str(path))
    assert report.applied == 2 and report.unmatched == ["gone:9"]
    assert [(c.code, c.by) for c in segments[0].codes] == [("partnership", "person"), ("funding", "person")]
    assert segments[1].codes == [] and is_person_coded(segments[1])  # "no code" is the person's answer too
    assert [(c.code, c.by) for c in segments[2].codes] == [("culture_change", "tool")]
    assert not is_person_coded(segments[2])


def test_override_with_an_unknown_code_names_the_line(tmp_path, book):
    path = tmp_path / "overrides.jsonl"
    path.write_text('{"id": "f:1", "codes": ["funding"]}\n{"id": "f:2", "codes": ["fundng"]}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_overrides(path, book)
    assert err.value.line == 2 and err.value.field == "codes" and "fundng" in err.value.message


def test_save_override_upserts(tmp_path, book):
    path = tmp_path / "o" / "overrides.jsonl"
    save_override(path, "f:1", ["funding"], book)
    save_override(path, "f:2", [], book)
    save_override(path, "f:1", ["representation"], book)
    rows = [json.loads(l) for l in path.read_text().splitlines()]
    assert rows == [{"id": "f:2", "codes": []}, {"id": "f:1", "codes": ["representation"]}]
    with pytest.raises(InputError):
        save_override(path, "f:3", ["nope"], book)
    assert len(path.read_text().splitlines()) == 2


@pytest.mark.e2e
def test_overrides_survive_re_runs_end_to_end(tmp_path, cache_dir):
    from pipeline.coding.labelled import read_labelled
    from pipeline.evaluate.agreement import predictions_from_records, read_coded
    from pipeline.render.report import write_run
    from pipeline.api import Settings, run_pipeline

    notes = tmp_path / "notes.md"
    notes.write_text("# Workshop\n\n"
                     "- We need longer term funding for small groups.\n"
                     "- Boards should reflect the communities they serve.\n"
                     "- Councils should consult us before deciding, not after.\n"
                     "- The weather on the day was lovely and sunny.\n", encoding="utf-8")
    overrides = tmp_path / "overrides.jsonl"
    overrides.write_text('{"id": "notes:3", "codes": ["culture_change"]}\n'
                         '{"id": "notes:6", "codes": []}\n', encoding="utf-8")
    settings = Settings(cache_dir=str(cache_dir), overrides=str(overrides), n_themes=2)
    for attempt in range(2):  # the same overrides file on every run: the person's coding holds
        result = run_pipeline([notes], settings)
        out = write_run(result, tmp_path / f"run{attempt}")
        rows = {r["id"]: r for r in read_coded(out)}
        assert rows["notes:3"]["codes"] == [{"code": "culture_change", "score": 1.0, "by": "person"}]
        assert rows["notes:6"]["codes"] == [] and rows["notes:6"]["attributes"]["coded_by"] == "person"
        assert all(c["by"] == "tool" for r in rows.values() if r["id"] not in ("notes:3", "notes:6")
                   for c in r["codes"])
        assert result.overrides["applied"] == 2
        assert json.loads((out / "run.json").read_text())["settings"]["overrides"] == str(overrides)
    # eval leaves the person-coded statements out
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": i, "labels": []}) + "\n" for i in rows), encoding="utf-8")
    items = read_labelled(gold, result.codebook)
    preds = predictions_from_records(out, list(rows.values()), items, gold)
    assert sorted(p.id for p in preds if p.by == "person") == ["notes:3", "notes:6"]
