"""Layouts met in held-out part 7 (issue 11): a newsletter quoting residents one a line under short place headings,
labelled-field records exported from a consultation system ("Ref / Respondent / Comment / response" per comment),
a title typed over long lines closed by its version line, a legend of codes, and a question typed straight under
the last bullet of the list above it. Each test names a form that recurs in notes in general, in words other than
the benchmark files'; each has a control that stays a participant's view."""
from __future__ import annotations

from pipeline.ingest.layout import line_cuts
from pipeline.ingest.notes import parse_notes


def parse(text: str):
    return parse_notes(text, "notes.txt", "notes")


def by_line(text: str) -> dict[int, list]:
    segments, _ = parse(text)
    out: dict[int, list] = {}
    for s in segments:
        for n in range(s.line_start, s.line_end + 1):
            out.setdefault(n, []).append(s)
    return out


def reasons(text: str) -> dict[int, str]:
    _, report = parse(text)
    return {d.line: d.reason for d in report.dropped}


QUOTES = ("PARISH MAGAZINE\n\n"
          "Thank you to everyone who stopped by our stall at the summer fair. Here is what you told us.\n\n"
          "WHAT YOU TOLD US AT THE SUMMER FAIR\n"
          "Visit 1: the allotments off Quarry Lane\n"
          "\u201cThe water trough leaks and nobody has mended it since Easter.\u201d\n"
          "\u201cA shared shed for tools. Half of us carry everything on the bus.\u201d\n"
          "\"More plots for families, the waiting list is two years.\"\n"
          "Visit 2: the footpath along the brook\n"
          "\"Cut back the brambles, you can't get a buggy past.\"\n"
          "\"A handrail on the steps down to the water.\" (Mrs P, Brook Row)\n")


def test_a_newsletter_quoting_residents_one_a_line_gives_one_statement_per_quote():
    lines = by_line(QUOTES)
    for n in (7, 8, 9, 11, 12):
        assert len(lines[n]) == 1 and lines[n][0].line_start == lines[n][0].line_end == n, n
    assert lines[8][0].text.count("\u201c") == 1  # both sentences of one quote stay together, not joined to the next


def test_the_short_place_line_over_quotes_is_their_heading_not_a_view():
    lines = by_line(QUOTES)
    assert 6 not in lines and 10 not in lines
    assert lines[7][0].section[-1] == "Visit 1: the allotments off Quarry Lane"
    assert lines[12][0].section[-1] == "Visit 2: the footpath along the brook"


def test_quote_cuts_keep_a_quotation_wrapped_over_two_lines_whole_and_leave_prose_alone():
    found = line_cuts(["Down by the station", "\"Buses that run after 8pm so I can get", "home from my shift.\"",
                       "\"Somewhere to sit while you wait.\""])
    assert found == ([1, 3], [False, True, True])
    # control: a paragraph that merely contains a quotation is not a list of quotes
    assert line_cuts(["The chair said \"we will look at it\" and moved on.", "Nobody was happy with that."]) is None


RECORDS = ("CASTLEFORD VILLAGE DESIGN STATEMENT: REPRESENTATIONS\n\n"
           "SECTION 2: GREEN SPACES\n\n"
           "ID: 2/014\n"
           "Respondent: Resident, Orchard Close\n"
           "Representation: Please protect the field behind the church. It is the only open space we can walk to.\n"
           "Officer response: Noted. The field is proposed as Local Green Space.\n"
           "Action: None.\n\n"
           "ID: 2/015\n"
           "Respondent: Business, The Old Forge\n"
           "Representation: More litter bins on the green\n"
           "Officer response: Agree. Two bins will be added.\n"
           "Action: Amend para 2.3.\n\n"
           "ID: 2/016\n"
           "Respondent: Resident, Orchard Close\n"
           "Representation: Thank you for listening. Keep the hedges along Mill Way, the birds nest there.\n"
           "Officer response: Support welcomed.\n"
           "Action: None.\n")


def test_labelled_field_records_keep_the_comment_without_its_label_and_the_short_fields_as_attributes():
    segments, report = parse(RECORDS)
    texts = [s.text for s in segments]
    assert "Please protect the field behind the church." in texts
    assert "More litter bins on the green" in texts
    assert not any(t.startswith(("Representation", "ID", "Respondent")) for t in texts)
    first = next(s for s in segments if s.line_start == 7)
    assert first.attributes.get("ID") == "2/014" and first.attributes.get("Respondent") == "Resident, Orchard Close"
    assert first.section == ["SECTION 2: GREEN SPACES"]  # the record's id is no section heading
    assert "ID: 2/014" not in report.sections and "Respondent: Resident, Orchard Close" not in report.sections
    # control: question and answer turns, two lines an exchange, are no records (no attributes, the answer kept)
    text = ("Interview notes\n\n"
            "Q: What would make the park better?\n"
            "A: Toilets that are open in the evening.\n\n"
            "Q: Anything else?\n"
            "A: More bins near the swings, they overflow every weekend.\n")
    segments, _ = parse(text)
    assert any("Toilets that are open" in s.text for s in segments)
    assert all(not s.attributes.get("Q") for s in segments)


def test_a_records_metadata_fields_are_left_out_as_its_header_and_replies_stay_out():
    got = reasons(RECORDS)
    assert got[5] == got[6] == got[17] == "byline"  # the repeated "Respondent" line is the record's, not a footer
    assert got[8] == "reply"
    lines = by_line(RECORDS)
    assert 19 in lines  # control: a comment that opens with thanks is still the respondent's view
    assert not {5, 6, 8, 9, 11, 12, 14, 15} & set(lines)


def test_a_long_title_over_its_version_line_is_the_title_block():
    text = ("LOWER MARSH RESIDENTS' FORUM\n"
            "Lower Marsh Conservation Area Appraisal and Management Plan 2026: public engagement\n"
            "Annex B to the Engagement Report: summary of the comments made at the drop-in sessions and by post\n"
            "Version 2 - 14 March 2026\n\n"
            "- Keep the cobbles on Ferry Street\n"
            "- The shopfronts need a design guide, too many plastic signs\n")
    lines = by_line(text)
    assert not {1, 2, 3, 4} & set(lines)
    assert {6, 7} <= set(lines)
    assert reasons(text)[2] == reasons(text)[3] == "title"


def test_a_legend_of_codes_is_furniture_not_a_view():
    text = ("Comments on the play strategy\n\n"
            "Key to codes: P = parent, C = child, G = grandparent, W = youth worker.\n\n"
            "- A zip wire at Hollins Park (C)\n"
            "- Benches facing the toddler area so we can watch them (P)\n")
    lines = by_line(text)
    assert 3 not in lines and reasons(text)[3] == "page_furniture"
    assert {5, 6} <= set(lines)


def test_a_question_typed_under_the_last_bullet_starts_the_next_list():
    text = ("Feedback cards\n\n"
            "What did you enjoy?\n"
            "- The cakes, thanks to the scouts for baking\n"
            "What should we do differently?\n"
            "- Hold it somewhere with parking\n")
    segments, report = parse(text)
    first = next(s for s in segments if s.line_start == 4)
    assert first.text == "The cakes, thanks to the scouts for baking" and first.line_end == 4
    last = next(s for s in segments if s.line_start == 6)
    assert last.question == "What should we do differently?"
    assert "What should we do differently?" in report.questions
    # control: a wrapped line of a bullet that goes on in lower case is still that bullet
    segments, _ = parse("Notes\n\n- We asked why the buses\nstop at six, and why?\n")
    assert [(s.line_start, s.line_end) for s in segments] == [(3, 4)]
