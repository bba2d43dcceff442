"""Event metadata from sidecars and the command line, and duplicate statements across files of one event."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.ingest.events import parse_event, resolve_event
from pipeline.ingest import ingest
from pipeline.records import Event


def notes(folder, name, bullets):
    path = folder / name
    path.write_text("## What would help?\n\n" + "".join(f"- {b}\n" for b in bullets), encoding="utf-8")
    return path


def test_folder_sidecar_then_file_sidecar_then_command_line(tmp_path):
    (tmp_path / "event.yaml").write_text("name: Spring assembly\ndate: 2024-03-16\nplace: Kirkby\ntype: Assembly\n",
                                         encoding="utf-8")
    a = notes(tmp_path, "tables.md", ["A youth club that opens at weekends"])
    b = notes(tmp_path, "survey.md", ["Cheaper buses after six"])
    (tmp_path / "survey.event.yaml").write_text("type: survey\n", encoding="utf-8")
    assert resolve_event(a) == Event("Spring assembly", "2024-03-16", "Kirkby", "assembly")
    assert resolve_event(b) == Event("Spring assembly", "2024-03-16", "Kirkby", "survey")
    assert resolve_event(b, Event("", place="Huyton")).place == "Huyton"
    assert resolve_event(tmp_path / "elsewhere" / "x.md").name == "x"  # no sidecar: the file's name


def test_segments_and_events_carry_date_place_and_type(corpora_dir):
    result = ingest([corpora_dir / "vs6-assemblies-2020.txt", corpora_dir / "wm-bme-engagement-2005.txt"])
    vs6 = next(e for e in result.events if e.name == "vs6-assemblies-2020")
    assert (vs6.date, vs6.place, vs6.type, vs6.sources) == ("2020-07", "Liverpool City Region", "assembly",
                                                            ["vs6-assemblies-2020.txt"])
    seg = next(s for s in result.segments if s.source == "wm-bme-engagement-2005.txt")
    assert seg.attributes["event_date"] == "2005-02" and seg.attributes["event_place"] == "West Midlands"


def test_every_bundled_corpus_has_a_dated_sidecar(corpora_dir):
    for path in sorted(corpora_dir.glob("*.txt")):
        event = resolve_event(path)
        assert event.name == path.stem and event.date and event.place and event.type, path.name


@pytest.mark.parametrize("text, line, field, words", [
    ("name: A\ndate: 16/03/2024\n", 2, "date", "not YYYY"),
    ("name: A\nvenue: Kirkby\n", 2, "venue", "unknown key"),
    ("name: [A, B]\n", 1, "name", "single value"),
    ("- a list\n", 1, None, "must be a mapping"),
])
def test_bad_sidecars_name_the_line_and_field(text, line, field, words):
    with pytest.raises(InputError) as err:
        parse_event(text, "event.yaml")
    assert err.value.line == line and err.value.field == field and words in str(err.value)


def test_a_bad_sidecar_fails_only_its_files(tmp_path):
    good = notes(tmp_path, "good.md", ["A youth club that opens at weekends"])
    sub = tmp_path / "other"
    sub.mkdir()
    bad = notes(sub, "bad.md", ["Cheaper buses after six"])
    (sub / "event.yaml").write_text("date: soon\n", encoding="utf-8")
    result = ingest([good, bad])
    assert {s.source for s in result.segments} == {"good.md"}
    assert "event.yaml" in str(result.failures[0]) and "date" in str(result.failures[0])


def test_a_point_pasted_into_two_files_of_one_event_counts_once(tmp_path):
    (tmp_path / "event.yaml").write_text("name: Spring assembly\n", encoding="utf-8")
    a = notes(tmp_path, "a-table1.md", ["We need a youth club that opens at weekends", "Cheaper buses after six"])
    b = notes(tmp_path, "b-table2.md", ["We need a youth club that opens at weekends!",  # pasted, punctuation added
                                        "We need a youth club that open at weekends",  # and again with a typo
                                        "More benches in the park"])
    result = ingest([a, b])
    texts = [s.text for s in result.segments]
    # the pasted copy merges; the typo'd one is table 2's own second raising of the point, so it stays
    assert texts == ["We need a youth club that opens at weekends", "Cheaper buses after six",
                     "We need a youth club that open at weekends", "More benches in the park"]
    kept = result.segments[0]
    assert kept.attributes["copies"] == 2 and kept.attributes["duplicates"] == ["b-table2:3"]
    report_b = result.reports[1]
    assert [d.reason for d in report_b.dropped] == ["duplicate"] and "kept as a-table1:3" in report_b.dropped[0].text
    assert report_b.segments == 2 and report_b.lines["unaccounted"] == 0


def test_near_duplicates_merge_and_the_same_point_at_two_events_counts_twice(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, name in ((one, "March assembly"), (two, "June assembly")):
        folder.mkdir()
        (folder / "event.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    a = notes(one, "a.md", ["We need a youth club that opens at weekends"])
    b = notes(one, "b.md", ["We need a youth club that open at weekends"])  # a typo: near-exact, same event
    c = notes(two, "c.md", ["We need a youth club that opens at weekends"])  # the same point, another event
    result = ingest([a, b, c])
    assert [(s.source, s.event) for s in result.segments] == [("a.md", "March assembly"), ("c.md", "June assembly")]
    assert result.segments[0].attributes["copies"] == 2
    assert "copies" not in result.segments[1].attributes
    assert len(ingest([a, b, c], dedupe=False).segments) == 3
