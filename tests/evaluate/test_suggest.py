"""`plenary suggest`: candidate codes, confused pairs, thin codes, and what to code next (fake embedder)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.coding.labelled import read_labelled
from pipeline.codebook import parse_codebook
from pipeline.coding import CodebookCoder, LabelledItem
from pipeline.errors import InputError
from pipeline.records import Segment
from pipeline.evaluate.suggest import suggest
from pipeline.render.suggestions import write_suggestions
from tests.fakes import FakeEmbedder

BOOK = parse_codebook("""\
codes:
  - id: money
    label: Money
    description: grants funding budget
    examples: ["grants funding budget", "funding grants money", "budget money grants"]
  - id: voice
    label: Voice
    description: boards seats decisions
    examples: ["boards seats decisions"]
""", "book.yaml")

TEXTS = (["grants funding budget money"] * 1 + [f"funding grants money {w}" for w in "abcdefgh"]
         + [f"boards seats decisions funding grants {w}" for w in "ab"]
         + [f"parking buses transport roads {w}" for w in "abcdefg"]
         + [f"weather rain sunshine cold {w}" for w in "abcdef"])


def run_suggest(gold=(), train=(), n_next=5):
    embedder = FakeEmbedder(dimensions=512)  # wide, so unrelated words rarely share a dimension
    segments = [Segment(id=f"n:{i}", text=t, source="n.txt", line_start=i, line_end=i, event="e")
                for i, t in enumerate(TEXTS, start=1)]
    vectors = embedder.encode(TEXTS)
    coder = CodebookCoder(embedder, threshold=0.5).fit(BOOK)
    segments = coder.transform(segments, vectors)
    scores = coder.score(TEXTS, vectors)
    return suggest(segments, vectors, scores, coder.assign(scores), BOOK, coder, gold=gold, train=train,
                   n_next=n_next), segments


def test_uncovered_statements_become_candidate_codes():
    result, segments = run_suggest()
    assert result.uncoded == sum(1 for s in segments if not s.codes) >= 13
    covered = {sid for c in result.candidates for sid in c.statements}
    by_id = {s.id: s for s in segments}
    assert covered and all(not by_id[sid].codes for sid in covered)
    transport = [c for c in result.candidates if any("transport" in q["text"] for q in c.quotes)]
    assert transport and all("weather" not in by_id[s].text for s in transport[0].statements)
    stub = transport[0].stub()
    assert stub["examples"] and stub["description"].startswith("TODO")


def test_thin_codes_are_listed():
    result, _ = run_suggest()
    thin = {r["code"]: r for r in result.low_support}
    assert "voice" in thin and "1 example" in thin["voice"]["why"]
    assert "money" not in thin


def test_statements_to_code_next_are_nearest_a_boundary_and_distinct():
    result, _ = run_suggest(n_next=6)
    margins = [r["margin"] for r in result.to_code_next]
    assert margins == sorted(margins)
    vectors = FakeEmbedder(dimensions=512).encode([r["text"] for r in result.to_code_next])
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(sims), dtype=bool)] < 0.85).all()


def test_confused_pairs_come_from_gold_when_given():
    gold = [LabelledItem(f"n:{i}", TEXTS[i - 1], ["voice"]) for i in (2, 3)]
    result, segments = run_suggest(gold=gold)
    assert result.confused and result.confused[0].source == "gold"
    assert {result.confused[0].a, result.confused[0].b} == {"money", "voice"}
    assert {e["id"] for e in result.confused[0].examples} == {"n:2", "n:3"}
    # statements the person already coded are not proposed again
    assert not {"n:2", "n:3"} & {r["id"] for r in result.to_code_next}


def test_written_template_cannot_be_mistaken_for_no_code(tmp_path):
    result, _ = run_suggest()
    out = write_suggestions(result, tmp_path / "sug")
    assert {p.name for p in out.iterdir()} == {"suggestions.md", "suggestions.json", "to-code.jsonl"}
    assert json.loads((out / "suggestions.json").read_text())["to_code_next"]
    with pytest.raises(InputError, match="null"):
        read_labelled(out / "to-code.jsonl", BOOK)
    filled = [dict(json.loads(l), labels=["money"]) for l in (out / "to-code.jsonl").read_text().splitlines()]
    (out / "to-code.jsonl").write_text("".join(json.dumps(r) + "\n" for r in filled))
    assert all(it.labels == ["money"] for it in read_labelled(out / "to-code.jsonl", BOOK))


@pytest.mark.e2e
def test_cli_suggest_on_a_finished_run(bundled_outputs, cache_dir, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline.cli import main

    monkeypatch.setenv("PLENARY_CACHE", str(cache_dir))
    out = tmp_path / "sug"
    result = CliRunner().invoke(main, ["suggest", "--run", str(bundled_outputs), "--out", str(out), "--next", "8"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "suggestions.json").read_text())
    segments = [json.loads(l) for l in (bundled_outputs / "segments.jsonl").read_text().splitlines()]
    ids = {s["id"] for s in segments}
    assert data["statements"] == len(segments)
    assert len(data["to_code_next"]) == 8 and all(r["id"] in ids for r in data["to_code_next"])
    assert data["candidate_codes"] and all(set(c["statements"]) <= ids for c in data["candidate_codes"])
    assert "Statements to code next" in result.output
