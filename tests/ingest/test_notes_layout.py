"""Layout cues of notes typed without list markers (issue 11, item 1): dot-vote boards typed one item a line,
headings typed straight above their text, numbered section headings, sibling headings, and the panel and
chair of a public question time. Statements are the participants' views; the rest is structure or dropped
with a reason."""
from __future__ import annotations

from pipeline.ingest.layout import TALLY_RE, line_cuts
from tests.ingest.test_notes_nonviews import parse, reasons, texts  # the same small helpers


BOARDS = """Open day boards

Board 1 - What's missing?
No GP surgery in the village ●●●●●●●● (8)
Not enough parking at the school ●●●● (4)
Nothing for teenagers ●●●●●● (6)

Board 2 - Priorities for the plan (3 dots each)
20mph through the village |||| |||| | (11)
Reopen the pub as a community pub x x x x x x (6)
More benches along Main St (0)
"""


def test_a_board_heading_is_not_joined_to_its_tallied_items():
    segments, report = parse(BOARDS)
    assert texts(segments) == [
        "No GP surgery in the village ●●●●●●●● (8)", "Not enough parking at the school ●●●● (4)",
        "Nothing for teenagers ●●●●●● (6)", "20mph through the village |||| |||| | (11)",
        "Reopen the pub as a community pub x x x x x x (6)", "More benches along Main St (0)"]
    assert [s.line_start for s in segments] == [4, 5, 6, 9, 10, 11]
    assert segments[0].section == ["Board 1 - What's missing?"] and segments[0].question == "Board 1 - What's missing?"
    assert segments[3].section == ["Board 2 - Priorities for the plan (3 dots each)"]  # a sibling, not nested


def test_an_untallied_list_typed_under_its_question_gives_one_statement_a_line():
    segments, _ = parse("Notes\n\nWhat would help?\nA youth club on Fridays\nFree buses for under 18s\n"
                        "Somewhere warm to sit\n")
    assert texts(segments) == ["A youth club on Fridays", "Free buses for under 18s", "Somewhere warm to sit"]
    assert all(s.question == "What would help?" for s in segments)


def test_wrapped_prose_with_capitals_at_line_starts_stays_one_paragraph():
    text = ("Summary\n\n- Opening hours are too short for working parents\n\n"
            "The group talked at length about the future of the\nNorthbridge Library and how the\n"
            "Council could keep it open on Saturdays for families.\n")
    segments, _ = parse(text)
    assert texts(segments)[1:] == ["The group talked at length about the future of the Northbridge Library and how "
                               "the Council could keep it open on Saturdays for families."]


def test_a_question_typed_straight_above_its_paragraph_is_the_question_not_a_statement():
    segments, report = parse("Notes\n\nWhat makes life harder?\nThe number 14 bus was the main worry. It no longer "
                             "goes to the hospital.\n")
    assert texts(segments) == ["The number 14 bus was the main worry.", "It no longer goes to the hospital."]
    assert segments[0].question == "What makes life harder?"
    assert 3 in report.structure_lines


def test_a_two_line_question_stays_whole():
    segments, report = parse("Findings\n\nB. Are the organisations engaged in the agenda?\nDo they feel informed?\n\n"
                             "Most said they were not kept informed about meetings at all.\n")
    assert segments[0].question == "B. Are the organisations engaged in the agenda? Do they feel informed?"


def test_a_markdown_table_is_not_read_as_board_items():
    assert line_cuts(["| code | items |", "| partnership | 34 |", "| funding | 12 |"]) is None
    assert not TALLY_RE.search("| partnership | 34 | 25 |")
    assert TALLY_RE.search("Solar panels on the village hall || (2)") and TALLY_RE.search("letters ✔✔✔ +2")


def test_numbered_section_headings_over_prose_or_dash_bullets_are_headings():
    text = ("Engagement summary\n\n1. Background\nThe council is reviewing the future of the leisure centre. "
            "212 people took part.\n\n2. What people value\n- The learner pool, especially for lessons\n"
            "- Staff are friendly\n\n3. Concerns raised\n- The changing rooms are cold.\n")
    segments, report = parse(text)
    assert "Background" not in " ".join(texts(segments))
    assert [s.section for s in segments if s.kind == "bullet"] == [["What people value"]] * 2 + [["Concerns raised"]]
    assert {3, 6, 10} <= set(report.structure_lines)


def test_a_numbered_list_of_proposals_stays_a_list_of_statements():
    text = ("Proposals\n\n1. Re-open a youth space\n2. Free bus travel for under 21s\n\n3. More one bed homes\n"
            "   - in the town centre\n")
    segments, _ = parse(text)
    assert texts(segments) == ["Re-open a youth space", "Free bus travel for under 21s", "More one bed homes",
                               "in the town centre"]


def test_a_plain_heading_after_flat_sections_is_their_sibling_not_a_sub_heading():
    text = ("STOP\n- Cancelling appointments the day before\n\nSTART\n- A single named contact for each family\n\n"
            "CONTINUE\n- The Friday coffee drop-in at the hub\n\nOpen discussion\n- Parents felt the website is out of date.\n")
    segments, _ = parse(text)
    assert segments[-1].section == ["Open discussion"]
    assert segments[-2].section == ["CONTINUE"]


def test_a_sub_heading_under_the_first_section_still_nests():
    text = ("Bus users' workshop notes\n\nWORKSHOP A\n- The buses are late every morning\n\nKey issues\n- Fares are too high for families\n")
    segments, _ = parse(text)
    assert segments[-1].section == ["WORKSHOP A", "Key issues"]


QUESTION_TIME = """Estate Regeneration - Public Question Time
Community Centre, Wednesday 19 March 2025, 7pm
Panel: Cllr Rita Hughes (Cabinet Member for Housing), Dan Moss (Regeneration Manager)
Chair: Sue Patel, Tenants' and Residents' Association
Transcribed from the audio recording and lightly edited.

Q1 (resident, Block C): The lifts have been broken three times since Christmas. When are they going to be replaced?
DM: The lift replacement is in the programme for 2026.
Q1 follow-up: Four hours is not good enough. There should be a standby engineer on site.
SP: Thank you, next question please.

Q2 (resident, Linden Walk): Will existing tenants get the right to return at the same rent?
RH: Yes. Every secure tenant will have the right to return.
Comment from the floor: Nobody answers 101.

Closing remarks
The Chair thanked the panel and everyone who came.
"""


def test_question_time_keeps_the_participants_turns_and_drops_the_panel_and_chair():
    segments, report = parse(QUESTION_TIME)
    joined = " | ".join(texts(segments))
    assert "Will existing tenants get the right to return at the same rent?" in joined  # a question, kept
    assert "There should be a standby engineer on site." in joined
    assert "Nobody answers 101." in joined
    for phrase in ("lift replacement", "Every secure tenant", "next question", "Cllr Rita Hughes", "Transcribed",
                   "thanked the panel"):
        assert phrase not in joined
    got = reasons(report)
    assert got[3] == "roster" and got[5] == "note_taker"
    assert got[8] == "panel" and got[13] == "panel" and got[10] == "agenda"
    assert got[17] == "welcome"


def test_speaker_labels_not_named_as_panel_or_chair_are_kept():
    text = "Meeting notes\n\nQ1 (resident): The park is not safe at night.\nDM: We will look at the lighting.\n"
    segments, _ = parse(text)
    assert texts(segments) == ["Q1 (resident): The park is not safe at night.", "DM: We will look at the lighting."]


def test_every_bullet_marker_still_starts_a_statement_after_an_item_list():
    text = "What's missing?\nAllotments for the estate\nA bus shelter\nDropped kerbs\n\n- Benches\n* A crossing please\n" \
           "• More bins on the high street\n1. Free swimming for over 65s\n"
    segments, report = parse(text)
    assert texts(segments) == ["Allotments for the estate", "A bus shelter", "Dropped kerbs", "Benches", "A crossing please",
                               "More bins on the high street", "Free swimming for over 65s"]
    assert 6 not in reasons(report)  # a one-word answer to "What's missing?" is a view (held-out part 5 work)


STICKIES = """Youth forum wall

Table 2 - what should change?
more stuff to do
a bmx track by the river not just grass
lights on the canal path
cheaper buses
bins
somewhere dry to hang out thats not the bus station
"""


def test_sticky_notes_typed_one_a_line_in_lower_case_are_one_statement_each():
    segments, _ = parse(STICKIES)
    assert texts(segments) == ["more stuff to do", "a bmx track by the river not just grass", "lights on the canal path",
                               "cheaper buses", "bins", "somewhere dry to hang out thats not the bus station"]
    assert all(s.question == "Table 2 - what should change?" for s in segments)


def test_a_paragraph_wrapped_at_a_narrow_width_stays_whole():
    text = ("Notes\n\nthe group said the buses\nfrom the estate stop too\nearly in the evening and\n"
            "nobody can get home from\nwork in town after six\n")
    segments, _ = parse(text)
    assert len(segments) == 1 and segments[0].text.startswith("the group said the buses from the estate")


def test_a_thank_you_typed_one_a_line_above_other_notes_drops_only_itself():
    segments, report = parse("Wall\n\nAnything else?\nthanks for the cake\nmore trips like this\n"
                             "a safe place for lgbt young people\nban vapes outside the school\n")
    assert texts(segments) == ["more trips like this", "a safe place for lgbt young people", "ban vapes outside the school"]
    assert [d.reason for d in report.dropped].count("welcome") == 1


def test_lines_of_fifty_characters_or_more_are_not_taken_for_notes_one_a_line():
    text = ("Notes\n\nThe group talked about the library and the buses, and\nwhat the council might do about both of them\n"
            "over the coming year. Several people\nsaid they would come to another meeting on it.\n")
    segments, _ = parse(text)
    assert len(segments) == 2


def test_walkabout_notes_typed_one_a_line_under_times_are_one_statement_each():
    text = ("Walkabout notes\n\n09:10 Station Rd\nStation Rd - 2 street lights out by the bakery\n"
            "bus shelter roof leaking\nresident at no 9 wants a dropped kerb for her scooter\n"
            "09:40 Canal path\nCanal path - flooding under the bridge again\nbench by the lock broken\n"
            "cyclists going too fast, maybe signs?\n")
    segments, _ = parse(text)
    assert [s.line_start for s in segments if not s.text.startswith("09:")] == [4, 5, 6, 8, 9, 10]
