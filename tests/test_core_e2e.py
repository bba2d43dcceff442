"""End to end with the real model over the bundled corpora, and the CLI as a user runs it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.codebook import load_codebook
from pipeline.defaults import HEADING_MARGIN

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def write(folder, files):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def plenary(*args, cache_dir, cwd=None):
    env = {**os.environ, "PLENARY_CACHE": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd or ROOT, timeout=600)


def test_run_writes_every_output(bundled_outputs):
    for name in ("segments.jsonl", "themes.json", "recommendations.json", "recommendations.md", "summary.md",
                 "report.html", "run.json", "ingest.json"):
        assert (bundled_outputs / name).stat().st_size > 0, name
    assert not list(bundled_outputs.parent.glob(".*partial*"))


def test_segments_contract_and_traceability(bundled_outputs, corpora_dir):
    segments = read_jsonl(bundled_outputs / "segments.jsonl")
    assert len(segments) > 500
    themes = {t["id"] for t in json.loads((bundled_outputs / "themes.json").read_text())["themes"]}
    sources = {p.name: p.read_text(encoding="utf-8").splitlines() for p in corpora_dir.glob("*.txt")}
    for s in segments:
        for key in ("id", "text", "source", "event", "section", "question", "codes", "theme"):
            assert key in s
        assert s["theme"] in themes  # every statement is in a theme or the explicit unclustered group
        lines = sources[s["source"]][s["line_start"] - 1: s["line_end"]]
        first_word = next(w for w in s["text"].split() if not w.startswith("["))  # skip a redacted [PERSON]
        assert first_word.strip("“”\"'‘’") in " ".join(lines)
        if not s["codes"]:
            assert s["nearest"]["code"] and isinstance(s["nearest"]["score"], float)


def test_themes_contract_ranking_and_quotes(bundled_outputs):
    data = json.loads((bundled_outputs / "themes.json").read_text())
    assert "formula" in data["ranking"]
    segments = {s["id"]: s for s in read_jsonl(bundled_outputs / "segments.jsonl")}
    ranked = [t for t in data["themes"] if t["rank"]]
    assert len(ranked) >= 10
    assert [t["rank"] for t in ranked] == list(range(1, len(ranked) + 1))
    for t in ranked:
        for key in ("id", "label", "keywords", "size", "rank", "score", "codes", "quotes", "segments"):
            assert key in t
        assert t["size"] == len(t["segments"]) and t["label"] and t["keywords"]
        assert 3 <= len(t["quotes"]) <= 5 and t["label"].lower() != "miscellaneous"
        for q in t["quotes"]:
            assert q["id"] in t["segments"] and segments[q["id"]]["text"] == q["text"]
        c = t["components"]
        assert t["score"] == pytest.approx(0.5 * c["support"] + 0.3 * c["breadth"] + 0.2 * c["fit"], abs=1e-3)
    assert sum(t["size"] for t in data["themes"]) == len(segments)


def test_action_plan_under_all_four_headings_traceable_to_statements(bundled_outputs):
    plan = json.loads((bundled_outputs / "recommendations.json").read_text())
    segments = {s["id"]: s for s in read_jsonl(bundled_outputs / "segments.jsonl")}
    book = load_codebook()
    assert [h["code"] for h in plan["headings"]] == [c.id for c in book.codes if not c.parent]
    drafted = [sid for h in plan["headings"] for r in h["recommendations"] + h["more"] for sid in r["evidence"]]
    assert len(drafted) == len(set(drafted))  # every proposal once, under one heading
    for heading in plan["headings"]:
        recs = heading["recommendations"]
        assert len(recs) <= 10
        assert len(recs) >= 3 or heading["note"]
        for rec in recs:
            assert rec["text"] and len(rec["text"].split()) <= 20
            assert not rec["text"].lower().startswith("work towards")
            assert rec["support"] == len(rec["evidence"]) >= 1 and all(sid in segments for sid in rec["evidence"])
            # the heading is the coder's choice for the whole group, marked when it was a close call
            assert rec["heading_margin"] >= 0 and ("check heading" in rec["flags"]) == (rec["heading_margin"] < HEADING_MARGIN)


def test_report_is_self_contained(bundled_outputs):
    html = (bundled_outputs / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "<svg" in html  # the charts are inline
    plan = json.loads((bundled_outputs / "recommendations.json").read_text())
    first = plan["headings"][0]["recommendations"][0]
    assert f'href="#seg-{first["evidence"][0]}"' in html
    assert f'id="seg-{first["evidence"][0]}"' in html


def test_run_json_records_settings_versions_and_timings(bundled_outputs):
    run = json.loads((bundled_outputs / "run.json").read_text())
    assert run["codebook"]["sha256"] == load_codebook().sha256
    assert run["model"].startswith("all-MiniLM-L6-v2@53aa51172d14")
    assert run["versions"]["torch"].startswith("2.13.0")
    assert set(run["timings_seconds"]) >= {"ingest", "embed", "code", "themes", "rank", "recommend"}
    assert run["counts"]["segments"] == len(read_jsonl(bundled_outputs / "segments.jsonl"))
    assert run["counts"]["events"] == 5


def test_same_input_same_themes_and_codes(bundled_run, cache_dir):
    from pipeline.api import Settings, run_pipeline

    again = run_pipeline([], Settings(cache_dir=str(cache_dir)))
    assert [(t.id, t.label, t.segments) for t in again.themes] == \
        [(t.id, t.label, t.segments) for t in bundled_run.themes]
    assert [[(c.code, c.score) for c in s.codes] for s in again.segments] == \
        [[(c.code, c.score) for c in s.codes] for s in bundled_run.segments]


def test_a_failed_write_leaves_the_previous_run_intact(bundled_run, tmp_path, monkeypatch):
    from pipeline.render import report

    out = tmp_path / "run"
    report.write_run(bundled_run, out)
    before = (out / "run.json").read_text()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "report_html", broken)
    with pytest.raises(RuntimeError):
        report.write_run(bundled_run, out)
    assert (out / "run.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_cli_run_on_a_users_notes(tmp_path, cache_dir):
    notes = tmp_path / "forum.md"
    notes.write_text(
        "# Community forum\n\n## What would help?\n\n"
        "- We need longer-term funding for small community groups\n"
        "- Funders should make applications simpler for grassroots groups\n"
        "- The council must involve residents in decisions from the start\n"
        "- More interpreters at advice sessions\n"
        "- Board members should reflect the communities they serve\n"
        "- Training on unconscious bias for all staff\n", encoding="utf-8")
    out = tmp_path / "out"
    done = plenary("run", notes, "--out", out, "--quiet", cache_dir=cache_dir)
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout
    segments = read_jsonl(out / "segments.jsonl")
    assert len(segments) == 6 and {s["question"] for s in segments} == {"What would help?"}
    plan = json.loads((out / "recommendations.json").read_text())
    assert sum(len(h["recommendations"]) for h in plan["headings"]) >= 1


def test_cli_code_contract(tmp_path, cache_dir):
    items = [{"id": "a1", "text": "Funding is so short term, we need sustainable core funding"},
             {"id": "b2", "text": "The weather on the day was lovely"},
             {"id": "c3", "text": "Senior managers and boards do not reflect the community"}]
    src = tmp_path / "items.jsonl"
    src.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    out = tmp_path / "coded.jsonl"
    done = plenary("code", src, "--codebook", ROOT / "codebooks" / "vcfse-action-plan.yaml", "--out", out,
                   "--quiet", cache_dir=cache_dir)
    assert done.returncode == 0, done.stderr
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a1", "b2", "c3"]
    for row in rows:
        assert set(row) >= {"id", "text", "codes", "primary"}
        scores = [c["score"] for c in row["codes"]]
        assert scores == sorted(scores, reverse=True)
        assert row["primary"] == (row["codes"][0]["code"] if row["codes"] else None)
    assert rows[0]["primary"] == "funding" and rows[2]["primary"] == "representation"
    assert rows[1]["codes"] == []


@pytest.mark.parametrize("setup, args, expected", [
    (lambda d: None, ["run", "missing.txt"], "missing.txt: file not found"),
    (lambda d: (d / "empty.txt").write_text(""), ["run", "empty.txt"], "empty.txt: file is empty"),
    (lambda d: (d / "x.txt").write_bytes(b"\x00\x01" * 50), ["run", "x.txt"], "x.txt: looks like a binary file"),
    (lambda d: (d / "s.csv").write_text("a,b\n1,2\n"), ["run", "s.csv"], "s.csv, line 1, field 'text': no text column"),
    (lambda d: write(d, {"book.yaml": "codes:\n  - id: a\n    label: A\n    description: d\n    foo: 1\n",
                         "n.txt": "- a point\n"}), ["run", "n.txt", "--codebook", "book.yaml"],
     "book.yaml, line 5, field 'foo': unknown key 'foo'"),
    (lambda d: write(d, {"book.yaml": "codes: [\n", "n.txt": "- a point\n"}),
     ["run", "n.txt", "--codebook", "book.yaml"], "book.yaml, line 2: YAML error"),
])
def test_cli_bad_input_one_clear_line_and_nonzero_exit(tmp_path, cache_dir, setup, args, expected):
    setup(tmp_path)
    done = plenary(*args, "--out", tmp_path / "out", cache_dir=cache_dir, cwd=tmp_path)
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
