"""Unit tests of `plenary compare` on small hand-built run folders.

The folders are written in the format `report.write_run` produces (run.json,
themes.json, segments.jsonl), with counts chosen so that each expected label
follows from the numbers; the end-to-end test with the real model is in
test_compare_e2e.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.compare import (LABELS, CompareSettings, ThemeMatcher, RunThemes, benjamini_hochberg,
                              compare_runs, date_key, event_date, load_run, share_test)
from pipeline.render.compare_report import OUTPUT_FILES, compare_record, write_compare
from pipeline.errors import InputError
from pipeline.records import Event

DIM = 16
CODES = ("funding", "partnership")


def unit(v) -> list[float]:
    v = np.asarray(v, dtype=float)
    return list(v / np.linalg.norm(v))


def axis(i: int, tilt: float = 0.0, towards: int | None = None) -> list[float]:
    """A unit vector along axis i, optionally tilted towards another axis (cosine = 1/sqrt(1+tilt^2))."""
    v = np.zeros(DIM)
    v[i] = 1.0
    if towards is not None:
        v[towards] = tilt
    return unit(v)


def write_run_folder(folder: Path, plan: dict[str, dict[str, int]], events: list[dict] | None = None,
                     centroids: dict[str, list[float]] | None = None, model: str = "fake-model@1",
                     codebook_sha: str = "sha-a", codes: dict[str, dict[str, int]] | None = None,
                     name: str | None = None, texts: dict[str, str] | None = None) -> Path:
    """A run folder. plan[theme][event] = statements; codes[code][event] = statements carrying it
    (given to the first statements of the event in order)."""
    folder.mkdir(parents=True)
    segments, themes, per_event = [], [], {}
    event_names = list(dict.fromkeys(e for counts in plan.values() for e in counts))
    for theme_id, counts in plan.items():
        ids = []
        for event, n in counts.items():
            for _ in range(n):
                k = per_event.get(event, 0) + 1
                per_event[event] = k
                sid = f"{event}:{k}"
                text = (texts or {}).get(theme_id) or f"{theme_id} statement {k} from {event}"
                segments.append({"id": sid, "text": text,
                                 "source": f"{event}.txt", "line_start": k, "line_end": k, "event": event,
                                 "codes": [], "primary": None, "theme": theme_id})
                ids.append(sid)
        themes.append({"id": theme_id, "label": f"Label of {theme_id}", "keywords": [theme_id], "size": len(ids),
                       "segments": ids, "quotes": [{"id": s} for s in ids[:1]],
                       "centroid": None if theme_id == "unclustered" else
                       (centroids or {}).get(theme_id, axis(len(themes) % DIM))})
    for code, counts in (codes or {}).items():
        for event, n in counts.items():
            for seg in [s for s in segments if s["event"] == event][:n]:
                seg["codes"].append({"code": code, "score": 0.5, "by": "tool"})
    with (folder / "segments.jsonl").open("w") as fh:
        for s in segments:
            fh.write(json.dumps(s) + "\n")
    (folder / "themes.json").write_text(json.dumps({"model": model, "themes": themes}))
    record = {"name": name or folder.name, "model": model,
              "events": events if events is not None else [{"name": e, "date": None, "sources": [f"{e}.txt"]}
                                                           for e in event_names],
              "codebook": {"name": "Test book", "sha256": codebook_sha, "path": None},
              "counts": {"codes": {c: 0 for c in CODES} | {"uncoded": 0}}}
    (folder / "run.json").write_text(json.dumps(record))
    (folder / "recommendations.json").write_text(json.dumps(
        {"headings": [{"code": c, "heading": f"More {c}"} for c in CODES]}))
    return folder


# One multi-event run: two events of 200 statements each; every label is earned by its counts.
PLAN = {
    "fades": {"a-2005": 40, "b-2010": 5},
    "emerges": {"a-2005": 5, "b-2010": 40},
    "persists": {"a-2005": 30, "b-2010": 30},
    "only-a": {"a-2005": 10},
    "sparse": {"a-2005": 2, "b-2010": 2},
    "filler": {"a-2005": 103, "b-2010": 113},
    "unclustered": {"a-2005": 10, "b-2010": 10},
}


@pytest.fixture
def multi_run(tmp_path) -> Path:
    return write_run_folder(tmp_path / "multi", PLAN, codes={"funding": {"a-2005": 100, "b-2010": 20},
                                                            "partnership": {"a-2005": 50, "b-2010": 55}})


def by_id(cmp) -> dict[str, dict]:
    return {t["id"]: t for t in cmp.themes}


# --------------------------------------------------------------------------- statistics
def test_share_test_uses_fisher_for_small_counts_and_flags_too_few():
    small = share_test(1, 100, 2, 100)
    assert small["test"] == "Fisher"
    assert small["too_few"] is True
    big = share_test(40, 200, 5, 200)
    assert big["test"] == "chi-square"
    assert big["too_few"] is False and big["p"] < 0.001


def test_share_test_interval_contains_difference_and_narrows_with_more_statements():
    few = share_test(10, 50, 20, 50)
    many = share_test(100, 500, 200, 500)
    for r in (few, many):
        assert r["ci"][0] < r["delta"] < r["ci"][1]
    assert pytest.approx(few["delta"]) == many["delta"] == pytest.approx(0.2)
    assert many["ci"][1] - many["ci"][0] < few["ci"][1] - few["ci"][0]


def test_benjamini_hochberg_by_hand():
    # sorted 0.01, 0.03, 0.04 with m = 3: q = min over later ranks of p * m / rank
    assert benjamini_hochberg([0.01, 0.04, 0.03, None]) == pytest.approx([0.03, 0.04, 0.04, None])


def test_event_dates_from_record_else_name():
    assert event_date(Event(name="spring", date="2024-03")) == "2024-03"
    assert event_date(Event(name="assembly-2019-notes")) == "2019"
    assert event_date(Event(name="notes", sources=["minutes 2011.docx"])) == "2011"
    assert event_date(Event(name="notes")) is None
    assert date_key("2020-07-14") > date_key("2020-07") > date_key("2020") > date_key("2019-12-31")


# --------------------------------------------------------------------------- one multi-event run
def test_labels_follow_the_counts(multi_run):
    cmp = compare_runs([multi_run])
    t = by_id(cmp)
    assert cmp.from_events == ["a-2005"] and cmp.to_events == ["b-2010"]
    assert t["fades"]["status"] == "fading"
    assert t["emerges"]["status"] == "emerging"
    assert t["persists"]["status"] == "persistent"
    assert t["only-a"]["status"] == "unique" and t["only-a"]["present"] == ["a-2005"]
    assert t["sparse"]["status"] == "too few to tell"
    assert "unclustered" not in t  # counted, never tested
    assert cmp.unclustered["counts"] == PLAN["unclustered"]
    for theme_id, counts in PLAN.items():
        if theme_id == "unclustered":
            continue
        assert t[theme_id]["counts"] == {"a-2005": counts.get("a-2005", 0), "b-2010": counts.get("b-2010", 0)}
        assert t[theme_id]["shares"]["a-2005"] == pytest.approx(counts.get("a-2005", 0) / 200)
    for row in cmp.themes:
        assert row["status"] in LABELS
        if row["status"] in ("emerging", "fading"):
            assert row["change"]["q"] < cmp.settings.alpha
            assert (row["change"]["delta"] > 0) == (row["status"] == "emerging")


def test_q_values_are_corrected_p_values(multi_run):
    cmp = compare_runs([multi_run])
    ps = [r["change"]["p"] for r in cmp.themes]
    assert [r["change"]["q"] for r in cmp.themes] == pytest.approx(benjamini_hochberg(ps))
    assert all(r["change"]["q"] >= r["change"]["p"] for r in cmp.themes if r["change"]["p"] is not None)


def test_quotes_come_from_each_side(multi_run):
    cmp = compare_runs([multi_run])
    row = by_id(cmp)["persists"]
    assert {q["event"] for q in row["quotes"]["from"]} == {"a-2005"}
    assert {q["event"] for q in row["quotes"]["to"]} == {"b-2010"}
    assert 1 <= len(row["quotes"]["to"]) <= cmp.settings.n_quotes
    assert set(by_id(cmp)["only-a"]["quotes"]) == {"only"}


def test_code_table_and_heading_view(multi_run):
    cmp = compare_runs([multi_run])
    assert cmp.codes["comparable"] is True
    rows = {r["code"]: r for r in cmp.codes["rows"]}
    assert rows["funding"]["counts"] == {"a-2005": 100, "b-2010": 20}
    assert rows["funding"]["change"]["significant"] and rows["funding"]["change"]["delta"] < 0
    assert not rows["partnership"]["change"]["significant"]
    # codes go to each event's first statements, so a statement is uncoded past the larger of the two
    assert rows["uncoded"]["counts"] == {"a-2005": 200 - max(100, 50), "b-2010": 200 - max(20, 55)}
    assert [h["heading"] for h in cmp.codes["headings"]] == ["More funding", "More partnership"]


def test_events_are_ordered_by_date_not_input_order(tmp_path):
    events = [{"name": "later", "date": "2021-05", "sources": []}, {"name": "earlier", "date": "2019", "sources": []}]
    run = write_run_folder(tmp_path / "r", {"t1": {"later": 30, "earlier": 30}, "t2": {"later": 10, "earlier": 40}},
                           events=events)
    cmp = compare_runs([run])
    assert [e["name"] for e in cmp.events] == ["earlier", "later"]
    assert cmp.from_events == ["earlier"] and cmp.order_note is None
    assert cmp.events[0]["date_from"] == "run.json"


def test_undated_events_keep_input_order_and_say_so(tmp_path):
    run = write_run_folder(tmp_path / "r", {"t1": {"north": 30, "south": 30}})
    cmp = compare_runs([run])
    assert [e["name"] for e in cmp.events] == ["north", "south"]
    assert "No date for north, south" in cmp.order_note


def test_sides_can_pool_events_and_unknown_events_are_refused(tmp_path):
    run = write_run_folder(tmp_path / "r", {"t1": {"e-2001": 30, "e-2002": 30, "e-2003": 30},
                                            "t2": {"e-2001": 5, "e-2002": 10, "e-2003": 40}})
    cmp = compare_runs([run], CompareSettings(from_events=["e-2001", "e-2002"], to_events=["e-2003"]))
    t2 = by_id(cmp)["t2"]["change"]
    assert (t2["from"], t2["from_n"], t2["to"], t2["to_n"]) == (5 + 10, 35 + 40, 40, 70)
    with pytest.raises(InputError, match="no event called 'e-1999'"):
        compare_runs([run], CompareSettings(from_events=["e-1999"]))
    with pytest.raises(InputError, match="share event"):
        compare_runs([run], CompareSettings(from_events=["e-2001"], to_events=["e-2001"]))


def test_small_events_are_flagged(tmp_path):
    run = write_run_folder(tmp_path / "r", {"t1": {"big": 100, "small": 8}, "t2": {"big": 50, "small": 4}})
    cmp = compare_runs([run], CompareSettings(min_statements=20))
    flagged = {e["name"]: e["flagged"] for e in cmp.events}
    assert flagged == {"big": False, "small": True}
    assert any("'small' has only 12 statements" in n for n in cmp.notes)


# --------------------------------------------------------------------------- bad input
def test_single_event_is_refused_with_a_clear_message(tmp_path):
    run = write_run_folder(tmp_path / "one", {"t1": {"only": 30}, "t2": {"only": 20}})
    with pytest.raises(InputError, match="only one event \\('only'\\)") as err:
        compare_runs([run])
    assert err.value.field == "events"
    res = CliRunner().invoke(main, ["compare", str(run), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "only one event" in res.output
    assert not (tmp_path / "out").exists()


def test_not_a_run_folder_and_broken_files(tmp_path):
    with pytest.raises(InputError, match="run folder not found"):
        load_run(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="run.json is missing"):
        load_run(tmp_path / "empty")
    run = write_run_folder(tmp_path / "r", {"t1": {"a": 5, "b": 5}})
    with (run / "segments.jsonl").open("a") as fh:
        fh.write("{not json\n")
    with pytest.raises(InputError) as err:
        load_run(run)
    assert err.value.line == 11 and err.value.path.endswith("segments.jsonl")


def test_theme_citing_an_unknown_statement_is_named(tmp_path):
    run = write_run_folder(tmp_path / "r", {"t1": {"a": 5, "b": 5}})
    doc = json.loads((run / "themes.json").read_text())
    doc["themes"][0]["segments"].append("ghost:1")
    (run / "themes.json").write_text(json.dumps(doc))
    with pytest.raises(InputError, match="'ghost:1'"):
        load_run(run)


def test_different_codebooks_compare_themes_but_refuse_codes(tmp_path):
    a = write_run_folder(tmp_path / "y1", {"t1": {"y-2001": 30}}, centroids={"t1": axis(0)}, codebook_sha="sha-a")
    b = write_run_folder(tmp_path / "y2", {"t1": {"y-2002": 30}}, centroids={"t1": axis(0)}, codebook_sha="sha-b")
    cmp = compare_runs([a, b])
    assert cmp.codes["comparable"] is False
    assert "different codebooks" in cmp.codes["reason"] and cmp.codes["rows"] == []
    assert len(cmp.themes) == 1 and cmp.themes[0]["counts"] == {"y-2001": 30, "y-2002": 30}


def test_different_models_match_by_wording_and_refuse_codes(tmp_path):
    texts = {"t1": "longer term funding for small community groups", "t2": "parks and green spaces",
             "t9": "potholes and traffic on the roads"}
    a = write_run_folder(tmp_path / "y1", {"t1": {"y-2001": 30}, "t2": {"y-2001": 10}}, model="model-a", texts=texts)
    b = write_run_folder(tmp_path / "y2", {"t1": {"y-2002": 30}, "t9": {"y-2002": 10}}, model="model-b", texts=texts)
    cmp = compare_runs([a, b])
    assert "different embedding models" in cmp.codes["reason"]
    assert cmp.matching["method"].startswith("TF-IDF")
    assert any("matched by their wording" in n for n in cmp.notes)
    # t1 says the same in both runs; t2 and t9 share no words
    members = {t["id"]: [m["theme"] for m in t["members"]] for t in cmp.themes}
    assert members["t1"] == ["t1", "t1"]
    assert {u["theme"] for u in cmp.matching["unmatched"]} == {"t2", "t9"}


# --------------------------------------------------------------------------- matching separate runs
def test_matcher_keeps_one_identity_and_lists_unmatched():
    first = [RunThemes("a1", "A1", [], ["x"], [], np.array(axis(0))),
             RunThemes("a2", "A2", [], ["y"], [], np.array(axis(1)))]
    second = [RunThemes("b1", "B1", [], ["z"], [], np.array(axis(1, 0.1, 5))),  # cos 0.995 with a2
              RunThemes("b2", "B2", [], ["w"], [], np.array(axis(0, 1.5, 6)))]  # cos 0.55 with a1
    groups = ThemeMatcher(threshold=0.8).match([first, second], ["one", "two"])
    ids = {g.id: [(r, t.id) for r, t in g.members] for g in groups}
    assert ids["a2"] == [(0, "a2"), (1, "b1")]
    assert ids["a1"] == [(0, "a1")] and ids["two/b2"] == [(1, "b2")]
    sim = {g.id: g.similarity for g in groups}["a2"][(1, "b1")]
    assert sim == pytest.approx(1 / np.sqrt(1.01), abs=1e-4)
    best = {g.id: g.best for g in groups}
    assert best["two/b2"][(1, "b2")] == (pytest.approx(1 / np.sqrt(1 + 1.5 ** 2), abs=1e-4), "a1")


def test_matcher_joins_a_split_theme():
    first = [RunThemes("a1", "A1", [], ["x"], [], np.array(axis(0)))]
    second = [RunThemes("b1", "B1", [], ["y"], [], np.array(axis(0, 0.2, 3))),
              RunThemes("b2", "B2", [], ["z"], [], np.array(axis(0, 0.3, 4)))]
    groups = ThemeMatcher(threshold=0.9).match([first, second], ["one", "two"])
    assert len(groups) == 1
    assert groups[0].how == {(0, "a1"): "seed", (1, "b1"): "matched", (1, "b2"): "split"}
    assert len(ThemeMatcher(threshold=0.9, join_splits=False).match([first, second], ["one", "two"])) == 2


def test_two_runs_compare_through_matched_themes(tmp_path):
    a = write_run_folder(tmp_path / "spring", {"money": {"spring-2023": 40}, "parks": {"spring-2023": 60}},
                         centroids={"money": axis(0), "parks": axis(1)})
    b = write_run_folder(tmp_path / "autumn", {"cash": {"autumn-2023": 90}, "roads": {"autumn-2023": 10}},
                         centroids={"cash": axis(0, 0.2, 7), "roads": axis(2)})
    cmp = compare_runs([a, b])
    t = by_id(cmp)
    assert [m["theme"] for m in t["money"]["members"]] == ["money", "cash"]
    assert t["money"]["counts"] == {"spring-2023": 40, "autumn-2023": 90}
    assert t["money"]["status"] == "emerging"
    assert t["parks"]["status"] == "unique" and t["autumn/roads"]["status"] == "unique"
    assert {u["theme"] for u in cmp.matching["unmatched"]} == {"parks", "roads"}
    assert cmp.matching["matched_groups"] == 1


def test_same_event_name_in_two_runs_is_told_apart(tmp_path):
    a = write_run_folder(tmp_path / "2023", {"t": {"notes": 30}}, events=[{"name": "notes", "date": "2023"}])
    b = write_run_folder(tmp_path / "2024", {"t": {"notes": 30}}, events=[{"name": "notes", "date": "2024"}])
    cmp = compare_runs([a, b])
    assert [e["name"] for e in cmp.events] == ["2023", "2024"]
    assert any("occurs in more than one run" in n for n in cmp.notes)


def test_ids_from_a_previous_run_keep_their_ids(tmp_path):
    prev = write_run_folder(tmp_path / "prev", {"theme-01": {"a-2001": 50}, "theme-02": {"a-2001": 30},
                                                "theme-03": {"a-2001": 20}},
                            centroids={"theme-01": axis(0), "theme-02": axis(1), "theme-03": axis(2)})
    # the new run found the same first two themes, numbered the other way round, and one new theme
    cur = write_run_folder(tmp_path / "cur", {"theme-01": {"a-2001": 30, "b-2002": 30},
                                              "theme-02": {"a-2001": 50, "b-2002": 10},
                                              "theme-03": {"a-2001": 20, "b-2002": 40}},
                           centroids={"theme-01": axis(1), "theme-02": axis(0), "theme-03": axis(9)})
    cmp = compare_runs([cur], CompareSettings(ids_from=str(prev)))
    members = {t["id"]: [m["theme"] for m in t["members"]] for t in cmp.themes}
    assert members == {"theme-01": ["theme-02"], "theme-02": ["theme-01"], "cur/theme-03": ["theme-03"]}
    ident = cmp.matching["identity"]
    assert (ident["previous_themes"], ident["kept_id"], ident["same_id_without_matching"], ident["new"]) == (3, 2, 0, 1)
    assert [g["theme"] for g in ident["not_found"]] == ["theme-03"]


# --------------------------------------------------------------------------- output
def test_write_compare_outputs_and_is_deterministic(multi_run, tmp_path):
    cmp = compare_runs([multi_run])
    out1 = write_compare(cmp, tmp_path / "c1")
    out2 = write_compare(compare_runs([multi_run]), tmp_path / "c2")
    assert sorted(p.name for p in out1.iterdir()) == sorted(OUTPUT_FILES)
    j1, j2 = (json.loads((o / "compare.json").read_text()) for o in (out1, out2))
    j1.pop("created"), j2.pop("created")
    assert j1 == j2
    assert (out1 / "compare.md").read_text() == (out2 / "compare.md").read_text()
    html = (out1 / "compare.html").read_text()
    assert html.count("<svg") >= 3  # heatmap, changes, headings
    assert "src=\"http" not in html and "href=\"http" not in html and "<link" not in html
    assert j1["summary"]["emerging"] == 1 and j1["summary"]["fading"] == 1
    assert {t["id"] for t in j1["themes"]} == set(PLAN) - {"unclustered"}


def test_failed_write_leaves_the_old_output_untouched(multi_run, tmp_path, monkeypatch):
    import pipeline.render.compare_report as cr

    cmp = compare_runs([multi_run])
    out = write_compare(cmp, tmp_path / "c")
    before = (out / "compare.json").read_text()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(cr, "compare_html", boom)
    with pytest.raises(RuntimeError):
        write_compare(cmp, out)
    assert (out / "compare.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_record_counts_add_up(multi_run):
    cmp = compare_runs([multi_run])
    rec = compare_record(cmp)
    total = sum(e["statements"] for e in rec["events"])
    tested = sum(t["size"] for t in rec["themes"]) + sum(rec["unclustered"]["counts"].values())
    assert total == tested == 400


def test_cli_compare_writes_the_report(multi_run, tmp_path):
    out = tmp_path / "cmp"
    res = CliRunner().invoke(main, ["compare", str(multi_run), "-o", str(out), "--min-statements", "250"])
    assert res.exit_code == 0, res.output
    assert "1 emerging" in res.output and "1 fading" in res.output
    assert "has only 200 statements" in res.output  # flagged on stderr (mixed into output by CliRunner)
    assert all((out / name).is_file() for name in OUTPUT_FILES)


def test_no_change_is_said_plainly(tmp_path, multi_run):
    run = write_run_folder(tmp_path / "r", {"t1": {"a-2001": 30, "b-2002": 31}, "t2": {"a-2001": 20, "b-2002": 19}})
    out = write_compare(compare_runs([run]), tmp_path / "c")
    said = "No theme's share changed significantly from a-2001 to b-2002"
    assert said in (out / "compare.md").read_text()
    assert said.replace("'", "&#39;") in (out / "compare.html").read_text()  # autoescaped
    changed = write_compare(compare_runs([multi_run]), tmp_path / "c2")
    assert "No theme's share changed" not in (changed / "compare.md").read_text()
