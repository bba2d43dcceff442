"""Labelled-field records: comments exported from a consultation system or typed up as a schedule of comments,
each a group of "Label: value" lines, the same labels record after record (issue 11, item 1):

    Ref: 4/017
    Respondent: Resident, Orchard Close
    Representation: Please protect the field behind the church. It is the only open space we can walk to.
    Officer response: Noted. The field is proposed as Local Green Space.

Read by layout, not by the labels' words: a field whose values are short and unpunctuated record after record (a
reference, who sent it, a support/object tick) is the record's metadata; a field of sentences is what the respondent
said; a field the non-view rules call the organisers' reply ("Officer response:", "Change to plan:") stays for them
to leave out. So `read_records(blocks, report, drop_non_views)`, run by the notes parser before its non-view pass:

- splits each record into one block a field (a value wrapped over lines stays with its field);
- leaves the metadata lines out as the record's header (reason "byline", like an export's entry header) and keeps
  their values as the attributes of the record's statements (`Block.attrs`: {"Ref": "4/017", "Respondent": ...});
- after the non-view pass, reads each respondent's field as that person's words (`Block.entry`), its label cut off.

A layout is only read as records when at least two records open with the same label, each has two fields or more,
and the labels include a field of sentences and either a metadata field or a reply: question and answer turns
("Q: ... / A: ...") and a meeting's speakers' turns are left to the parser, as are forms whose answers are keyed to
listed questions ("Q3: ...").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Callable, Sequence

from .. import text as T
from ..records import DroppedLine, IngestReport
from .layout import ANSWER_KEY_RE
from .nonview import REPLY_LABEL_RE

# "Label: value" with a label of one to four words, the first capitalised: "Ref:", "From:", "Steering Group response:"
# ("Comment:" alone, its value on the lines under it, is a field too)
FIELD_RE = re.compile(r"^(?P<label>[A-Z][\w'’/&.()-]*(?:\s+[\w'’/&.()-]+){0,3}?)\s*:(?:\s+(?P<value>\S.*))?\s*$")
META_MAX_WORDS = 8  # a metadata value (a reference, a name and a street, a tick) is short
META_SHARE = 0.8  # ... in this share of the records at least
MIN_RECORDS = 2


def _fields(lines: list[tuple[int, str]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The "Label: value" fields of consecutive lines, a line that is no field going on the field above it; a
    first line that is no field is a field of its own with the empty label."""
    out: list[tuple[str, list[tuple[int, str]]]] = []
    for number, piece in lines:
        m = FIELD_RE.match(piece.strip())
        if m or not out:
            out.append((m.group("label").strip() if m else "", [(number, piece)]))
        else:
            out[-1][1].append((number, piece))
    return out


def _value(label: str, lines: list[tuple[int, str]]) -> str:
    text = T.normalise_space(" ".join(piece.strip() for _, piece in lines))
    return text[text.index(":") + 1:].strip() if label else text


def _groups(blocks: list) -> list[list[int]]:
    """Runs of text blocks on consecutive lines (no blank line between): the candidates for records."""
    runs: list[list[int]] = []
    for i, block in enumerate(blocks):
        if block.kind != "text" or not block.lines:
            continue
        if runs and block.first == blocks[runs[-1][-1]].last + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _kinds(records: list[list[tuple[str, list]]]) -> dict[str, str] | None:
    """{label: "meta" | "prose" | "reply"} over the records, or None when they are not a records layout."""
    values: dict[str, list[str]] = {}
    for record in records:
        for label, lines in record:
            values.setdefault(label, []).append(_value(label, lines))
    kinds: dict[str, str] = {}
    for label, vals in values.items():
        if any(REPLY_LABEL_RE.match(f"{label}: {v}") for v in vals):
            kinds[label] = "reply"
        elif sum(T.word_count(v) <= META_MAX_WORDS and v[-1:] not in ".!?" for v in vals) >= META_SHARE * len(vals):
            kinds[label] = "meta"
        else:
            kinds[label] = "prose"
    prose = [label for label, kind in kinds.items() if kind == "prose"]
    if not prose or any(ANSWER_KEY_RE.match(f"{label}: x") for label in prose):
        return None  # nothing said, or a form's answers keyed to its listed questions
    if not any(kind in ("meta", "reply") for kind in kinds.values()):
        return None  # turns of speech ("Q: ... / A: ..."), not records
    return kinds


def _records(split: dict) -> tuple[dict, dict[str, str]] | None:
    """({run key: (fields above its first record, [each record's fields])}, {label: kind}) for the fields of each
    run of lines (`_fields`), cut into records at the label most runs open with; None when they are no records."""
    firsts = Counter(fields[0][0] for fields in split.values() if len(fields) >= 2 and fields[0][0])
    if not firsts or (start := firsts.most_common(1)[0])[1] < MIN_RECORDS:
        return None
    records: dict = {}
    for key, fields in split.items():
        cuts = [k for k, (label, _) in enumerate(fields) if label == start[0]]
        if cuts:
            bounds = cuts + [len(fields)]
            records[key] = (fields[:cuts[0]], [fields[a:b] for a, b in zip(bounds, bounds[1:])])
    whole = [rec for _, recs in records.values() for rec in recs if len(rec) >= 2]
    kinds = _kinds(whole) if len(whole) >= MIN_RECORDS else None
    return (records, kinds) if kinds is not None else None


def is_records(lines: Sequence[tuple[int, str]]) -> bool:
    """Do these (line number, text) lines hold labelled-field records, read as `read_records` reads them (runs of
    lines between blank lines)? The transcript reader leaves such a file to the notes parser: "Ref:", "From:" and
    "Steering Group response:" are a record's fields, not speakers taking turns."""
    runs: list[list[tuple[int, str]]] = [[]]
    for number, text in lines:
        if text.strip():
            runs[-1].append((number, text))
        elif runs[-1]:
            runs.append([])
    return _records({k: _fields(run) for k, run in enumerate(runs) if run}) is not None


def read_records(blocks: list, report: IngestReport, drop_non_views: Callable[[list], list]) -> list:
    """The notes parser's blocks (`notes.Block`, duck-typed) with labelled-field records read (see the module
    docstring), passed through `drop_non_views`; metadata lines are added to `report.dropped` as "byline"."""
    runs = _groups(blocks)
    found = _records({run[0]: _fields([line for i in run for line in blocks[i].lines]) for run in runs})
    if found is None:
        return drop_non_views(blocks)
    records, kinds = found
    out: list = []
    labelled: dict[int, tuple[str, int, bool]] = {}  # id(block) -> (label to cut off after the non-view pass, its
    # line, whether that line is the label alone)
    in_run = {i: run for run in runs for i in run}
    for i, block in enumerate(blocks):
        run = in_run.get(i)
        if run is None or run[0] not in records:
            out.append(block)
            continue
        if i != run[0]:
            continue  # the run was rebuilt at its first block
        lead, recs = records[run[0]]
        out += [replace(block, lines=lines, role="", item=False, entry=False) for _, lines in lead]
        for rec in recs:
            attrs = {label: _value(label, lines) for label, lines in rec if kinds.get(label) == "meta"}
            for label, lines in rec:
                if kinds.get(label) == "meta" and len(rec) >= 2:
                    report.dropped += [DroppedLine(n, "byline", piece.strip()) for n, piece in lines]
                    continue
                new = replace(block, lines=list(lines), role="", item=False, entry=False,
                              attrs=attrs if kinds.get(label) == "prose" else {})
                if kinds.get(label) == "prose":
                    labelled[id(new)] = (label, lines[0][0], not FIELD_RE.match(lines[0][1].strip()).group("value"))
                out.append(new)
    kept = drop_non_views(out)
    for block in kept:
        label, number, bare = labelled.get(id(block), ("", 0, False))
        if not label or not block.lines:
            continue
        first = block.lines[0][1].strip()
        if block.lines[0][0] == number and (m := FIELD_RE.match(first)) and m.group("label").strip() == label:
            block.lines[0] = (number, first[first.index(":") + 1:].strip())
            block.entry = True  # the respondent's words: statements whatever their shape
        elif block.lines[0][0] != number and bare:
            block.entry = True  # a bare "Comment:" line the non-view pass took: the value under it is still theirs
    return kept
