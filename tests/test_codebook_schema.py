"""Codebook schema: every field, line-numbered errors, show, diff, and the `plenary codebook` commands."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.codebook import (CODE_FIELDS, diff_codebooks, diff_text, load_codebook, parse_codebook,
                               show_text)
from pipeline.errors import InputError

FULL = """\
name: Test book
version: "2"
description: A codebook that uses every field.
codes:
  - id: barriers
    label: Barriers
    description: Obstacles people met.
    codable: false
  - id: digital
    label: Digital exclusion
    description: No device, no data or no skills.
    parent: barriers
    heading: Close the digital gap
    include: [no internet at home]
    exclude: [phone scams (code safety)]
    examples: ["We have no wifi at home."]
    counter_examples: ["The website is nice."]
    keywords: [wifi, internet, laptop]
    color: "#aa3366"
    threshold: 0.4
  - id: funding
    label: Funding
    description: Money for groups.
    examples: ["Grants are too short."]
sets:
  - name: Action plan
    description: Codes that feed the plan
    codes: [digital, funding]
"""


def test_every_field_is_read():
    book = parse_codebook(FULL, "full.yaml")
    assert (book.name, book.version, book.description) == ("Test book", "2", "A codebook that uses every field.")
    digital = book["digital"]
    assert digital.parent == "barriers" and digital.heading == "Close the digital gap"
    assert digital.include == ["no internet at home"] and digital.exclude == ["phone scams (code safety)"]
    assert digital.counter_examples == ["The website is nice."] and digital.keywords == ["wifi", "internet", "laptop"]
    assert digital.color == "#aa3366" and digital.threshold == 0.4
    assert not book["barriers"].codable
    assert [c.id for c in book.codable] == ["digital", "funding"]
    assert book.sets[0].name == "Action plan" and book.sets[0].codes == ["digital", "funding"]
    assert book.ancestors("digital") == ["barriers"]
    assert [(d, c.id) for d, c in book.walk()] == [(0, "barriers"), (1, "digital"), (0, "funding")]


def test_yaml_round_trip_keeps_everything():
    book = parse_codebook(FULL, "full.yaml")
    again = parse_codebook(book.to_yaml(), "again.yaml")
    assert again.to_dict() == book.to_dict()


def test_default_codebook_is_valid_and_documented_fields_exist():
    book = load_codebook()
    assert len(book.codable) == 4
    assert set(CODE_FIELDS) <= set(vars(book.codes[0]))


@pytest.mark.parametrize("snippet, line, field, words", [
    ("  - id: a\n    label: A\n    description: d\n    parent: b\n"
     "  - id: b\n    label: B\n    description: d\n    parent: a\n", None, "parent", "cycle"),
    ("  - id: a\n    label: A\n    description: d\n    parent: a\n", 2, "parent", "cycle"),
    ("  - id: a\n    label: A\n    description: d\n    parent: nobody\n", 2, "parent", "not a code"),
    ("  - id: a\n    label: A\n    description: d\n    color: red\n", 5, "color", "hex colour"),
    ("  - id: none\n    label: A\n    description: d\n", 2, "id", "reserved"),
    ("  - id: two words\n    label: A\n    description: d\n", 2, "id", "one word"),
    ("  - id: a\n    label: A\n", 2, "description", "missing"),
    ("  - id: a\n    label: A\n    description: d\n    colour: '#fff'\n", 5, "colour", "unknown key"),
    ("  - id: a\n    label: A\n    description: d\n    threshold: high\n", 5, "threshold", "number"),
])
def test_errors_name_line_and_field(snippet, line, field, words):
    with pytest.raises(InputError) as err:
        parse_codebook("codes:\n" + snippet, "bad.yaml")
    assert err.value.field == field
    assert words in err.value.message
    if line is not None:
        assert err.value.line == line
    else:
        assert err.value.line is not None


def test_set_naming_an_unknown_code_is_an_error():
    text = FULL.replace("codes: [digital, funding]", "codes: [digital, fundng]")
    with pytest.raises(InputError) as err:
        parse_codebook(text, "sets.yaml")
    assert err.value.field == "codes" and "fundng" in err.value.message
    assert err.value.line == text.splitlines().index("    codes: [digital, fundng]") + 1


def test_diff_lists_added_removed_and_changed_fields():
    old = parse_codebook(FULL, "old.yaml")
    new_text = (FULL.replace('version: "2"', 'version: "3"')
                .replace("description: Money for groups.", "description: Money and capacity for groups.")
                .replace('examples: ["Grants are too short."]', 'examples: ["Grants are too short.", "No core funding."]')
                .replace("  - id: barriers\n    label: Barriers\n    description: Obstacles people met.\n"
                         "    codable: false\n", "  - id: barriers\n    label: Barriers\n    description: Obstacles "
                                                  "people met.\n    codable: false\n  - id: voice\n    label: Voice\n"
                                                  "    description: Being heard.\n"))
    new = parse_codebook(new_text, "new.yaml")
    diff = diff_codebooks(old, new)
    assert diff.added == ["voice"] and diff.removed == []
    assert diff.meta["version"] == ("2", "3")
    assert set(diff.changed["funding"]) == {"description", "examples"}
    text = diff_text(diff)
    assert "+ code voice" in text and "examples: + No core funding." in text
    assert diff_codebooks(old, parse_codebook(FULL, "same.yaml")).empty


def test_show_draws_the_tree():
    text = show_text(parse_codebook(FULL, "full.yaml"), verbose=True)
    lines = text.splitlines()
    assert any(l.startswith("barriers: Barriers") and "not codable" in l for l in lines)
    assert any(l.startswith("  digital: Digital exclusion") for l in lines)
    assert "We have no wifi at home." in text


def test_cli_validate_show_diff(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(FULL, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["codebook", "validate", str(good)])
    assert ok.exit_code == 0 and ok.output.startswith("ok:") and "3 codes (2 codable)" in ok.output

    shown = runner.invoke(main, ["codebook", "show", str(good), "--format", "yaml"])
    assert shown.exit_code == 0
    assert parse_codebook(shown.output, "shown.yaml").to_dict() == parse_codebook(FULL, "x").to_dict()

    changed = tmp_path / "changed.yaml"
    changed.write_text(FULL.replace("label: Funding", "label: Money"), encoding="utf-8")
    out = runner.invoke(main, ["codebook", "diff", str(good), str(changed), "--format", "json"])
    assert out.exit_code == 0
    assert json.loads(out.output)["changed"]["funding"]["label"] == {"old": "Funding", "new": "Money"}
    assert runner.invoke(main, ["codebook", "diff", str(good), str(changed), "--exit-code"]).exit_code == 1


def test_cli_reports_a_parent_cycle_on_one_line(tmp_path):
    bad = tmp_path / "cycle.yaml"
    bad.write_text("codes:\n  - id: a\n    label: A\n    description: d\n    parent: b\n"
                   "  - id: b\n    label: B\n    description: d\n    parent: a\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["codebook", "validate", str(bad)])
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "cycle.yaml, line 2, field 'parent'" in message and "a -> b -> a" in message
