"""End to end: `plenary compare` over the real pipeline's run of the five bundled corpora.

Every expected number is computed from the run's own files (segments.jsonl,
themes.json), never written down here.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.codebook import load_codebook
from pipeline.compare import LABELS, CompareSettings, compare_runs
from pipeline.render.compare_report import OUTPUT_FILES

pytestmark = pytest.mark.e2e


def _year(name: str) -> int:
    return int(re.search(r"(19|20)\d{2}", name).group(0))


def test_compare_bundled_events(bundled_outputs, tmp_path):
    out = tmp_path / "compare"
    res = CliRunner().invoke(main, ["compare", str(bundled_outputs), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)

    segments = [json.loads(line) for line in (bundled_outputs / "segments.jsonl").open()]
    themes = json.loads((bundled_outputs / "themes.json").read_text())["themes"]
    event_of = {s["id"]: s["event"] for s in segments}
    per_event = Counter(event_of.values())
    data = json.loads((out / "compare.json").read_text())

    # one event per bundled document, counted from the statements
    assert {e["name"]: e["statements"] for e in data["events"]} == dict(per_event)
    assert len(data["events"]) == len({s["source"] for s in segments})
    years = {e: _year(e) for e in per_event}
    assert data["sides"] == {"from": [min(years, key=years.get)], "to": [max(years, key=years.get)]}
    assert [e["name"] for e in data["events"]] == sorted(per_event, key=years.get)

    # every theme of the run, with its statements counted per event
    ranked = [t for t in themes if t["id"] != "unclustered"]
    assert {t["id"] for t in data["themes"]} == {t["id"] for t in ranked}
    rows = {t["id"]: t for t in data["themes"]}
    for t in ranked:
        assert rows[t["id"]]["counts"] == {e: Counter(event_of[s] for s in t["segments"]).get(e, 0) for e in per_event}
    for row in data["themes"]:
        assert row["status"] in LABELS
        if row["status"] in ("emerging", "fading"):
            assert row["change"]["q"] < data["settings"]["alpha"]
        if row["status"] == "unique":
            assert len(row["present"]) == 1 and set(row["quotes"]) == {"only"}
        for side, quotes in row["quotes"].items():
            wanted = {"from": data["sides"]["from"], "to": data["sides"]["to"], "only": row["present"]}[side]
            assert all(q["event"] in wanted for q in quotes)
            assert all(event_of[q["id"]] == q["event"] for q in quotes)

    # one codebook for every event: codes compared, headings shown per event
    book = load_codebook(None)
    assert data["codes"]["comparable"] is True
    assert [h["heading"] for h in data["codes"]["headings"]] == [c.heading for c in book.headings]
    for row in data["codes"]["rows"]:
        if row["code"] != "uncoded":
            assert row["counts"] == {e: sum(1 for s in segments if s["event"] == e and
                                            row["code"] in {c["code"] for c in s["codes"]}) for e in per_event}

    html = (out / "compare.html").read_text()
    assert html.count("<svg") >= 3
    assert all(e in html for e in per_event)
    assert not re.search(r"""(src|href)=["']https?:""", html) and "<link" not in html and "<script" not in html
    md = (out / "compare.md").read_text()
    assert "## Themes by event" in md and all(e in md for e in per_event)


def test_a_run_compared_with_itself_matches_every_theme_and_finds_no_change(bundled_outputs):
    events = [json.loads(line)["event"] for line in (bundled_outputs / "segments.jsonl").open()]
    names = list(dict.fromkeys(events))
    run = bundled_outputs.name
    cmp = compare_runs([bundled_outputs, bundled_outputs],
                       CompareSettings(from_events=[f"{run}/{e}" for e in names],
                                       to_events=[f"{run}#2/{e}" for e in names]))
    n_themes = sum(1 for t in json.loads((bundled_outputs / "themes.json").read_text())["themes"]
                   if t["id"] != "unclustered")
    assert len(cmp.themes) == n_themes and cmp.matching["unmatched"] == []
    for row in cmp.themes:
        assert [m["run"] for m in row["members"]] == [run, f"{run}#2"]
        assert row["members"][1]["similarity"] == pytest.approx(1.0, abs=1e-3)
        assert row["change"]["delta"] == 0 and row["status"] not in ("emerging", "fading")
