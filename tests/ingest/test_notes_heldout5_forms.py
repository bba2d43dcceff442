"""Layouts met in held-out part 5 (issue 11): tenants' minutes with an action-point table and AOB, an online
consultation's free-text export, a citizens' jury's deliberation notes. Each test names a form that recurs in
notes in general, written here in words other than the benchmark files'."""
from __future__ import annotations

from pipeline.ingest.nonview import mark_non_views
from pipeline.ingest.notes import outline, parse_notes


def parse(text: str):
    return parse_notes(text, "notes.txt", "notes")


def kept_lines(text: str) -> set[int]:
    segments, _ = parse(text)
    return {n for s in segments for n in range(s.line_start, s.line_end + 1)}


def test_minutes_business_is_not_a_view():
    text = ("ALDER WAY RESIDENTS' GROUP\nMinutes of the meeting, Tuesday 3 June 2025\nChurch hall, Alder Way\n\n"
            "Present: J. Bloggs (Chair), 12 residents\nMinute taker: A. Smith\n\n"
            "2. Minutes of the last meeting\nApproved as a correct record. Proposed K. Lee, seconded T. Ojo.\n\n"
            "4. Treasurer's report\nBalance £310.22. £100 grant received from the ward budget.\n\n"
            "5. Play area\n- The swings are broken again and nobody has come out.\n"
            "Resolved: the Chair to write to the parks team.\n\n"
            "ACTION POINTS\n| 1 | Write to parks | JB |\n| 2 | Book the hall | AS |\n\nMeeting closed 9.05pm.\n")
    marks = mark_non_views(text.splitlines())
    assert 3 in marks  # the venue line of the title block, above the "Present:" line
    assert {n: marks.get(n) for n in (6, 9, 12, 16, 18, 19, 20, 22)} == {
        6: "note_taker", 9: "agenda", 12: "agenda", 16: "next_steps", 18: "next_steps",
        19: "next_steps", 20: "next_steps", 22: "welcome"}
    assert kept_lines(text) == {15}


def test_a_housekeeping_heading_takes_its_paragraph_and_a_committee_thanks_is_not_a_view():
    text = ("Housekeeping\nToilets are by the lift. Lunch at 1pm.\n\nOpen discussion\n- The youth club shut in May.\n"
            "- M. Khan thanked the committee for the litter pick.\n")
    assert kept_lines(text) == {5}


def test_any_other_business_stays_a_section_heading():
    text = "3. Parking\n- Vans parked on the verge every night.\n\n8. AOB\n- The noticeboard is out of date.\n"
    segments, _ = parse(text)
    assert [s.section for s in segments] == [["Parking"], ["AOB"]]


def test_a_session_line_under_the_title_over_its_date_is_part_of_the_title_block():
    text = ("DOWNFIELD CITIZENS' ASSEMBLY\nSession 3 - Weighing the options\nSunday 4 May 2025, Downfield Library\n"
            "Facilitated by Open Circle. Note-takers: Sam and Jo.\n\nMembers present: 31 of 35.\n\n"
            "Reflections\n- We need more time with the evidence.\n")
    marks = mark_non_views(text.splitlines())
    assert set(marks) >= {1, 2, 3, 4, 6}
    assert kept_lines(text) == {9}


def test_a_note_takers_line_then_a_gap_ends_the_title_block():
    text = ("Oakridge Carers Group\nMonday 5 May 2025, Oakridge Hub\nNotes: Priya. 9 carers.\n\n"
            "Icebreaker: what got you here today\nTired but hopeful about the new respite beds\n")
    marks = mark_non_views(text.splitlines())
    assert set(marks) == {1, 2, 3}


def test_an_editors_note_in_brackets_under_a_question_is_not_a_view():
    text = ("Q2. How did you hear about us?\n(closed question - answers counted in the tables)\n\n"
            "Q3. What should the service do differently? (Please give reasons)\n1. Open on Saturdays\n2. Thank you for asking.\n")
    segments, report = parse(text)
    assert [s.text for s in segments] == ["Open on Saturdays"]
    assert segments[0].question == "Q3. What should the service do differently? (Please give reasons)"
    assert {d.line: d.reason for d in report.dropped}.get(2) == "note_taker"


def test_a_heading_over_speaker_turns_and_group_labels_over_indented_bullets_are_headings():
    text = ("Day two notes\nTuesday 6 May 2025\n\nMembers' first thoughts\nM4: I did not know how bad the waiting lists were.\n"
            "M9: The evidence session changed my mind.\n\n"
            "Breakout work - shaping the asks\nTable A (host Ruth): housing\n  - more social rent homes\n"
            "  - \"Why do empty flats stay empty for years?\"\nTable B (host Ade): transport\n  - a later last bus\n")
    roles = {tuple(b["lines"]): b["role"] for b in outline(text)}
    assert roles[(4,)].startswith("heading") and roles[(8,)] == "heading:1"
    assert roles[(9,)] == "heading:2" and roles[(12,)] == "heading:2"
    segments, _ = parse(text)
    assert [s.section[-1] for s in segments if s.kind == "bullet"] == [
        "Table A (host Ruth): housing", "Table A (host Ruth): housing", "Table B (host Ade): transport"]


def test_lettered_recommendation_numbers_start_statements_with_their_vote_line():
    text = ("Votes on the recommendations\nR1. Build more social rent homes.\nFor 20 / Against 2 - AGREED\n"
            "R2. Keep the library open on Sundays.\nFor 9 / Against 12 - NOT AGREED\n")
    segments, _ = parse(text)
    assert [s.text for s in segments] == ["Build more social rent homes. For 20 / Against 2 - AGREED",
                                          "Keep the library open on Sundays. For 9 / Against 12 - NOT AGREED"]


def test_a_title_or_an_initial_does_not_end_a_sentence():
    text = "Background\nThe session was led by Fr. Michael and Cllr. Jones. People said the hall is too cold in winter.\n"
    segments, _ = parse(text)
    assert [s.text for s in segments] == ["The session was led by Fr. Michael and Cllr. Jones.",
                                          "People said the hall is too cold in winter."]


def test_a_one_word_answer_to_a_question_is_kept_but_not_a_stray_word():
    text = "What is missing round here?\n- Wifi\n- Toilets!\n- etc\n\nThemes\n- Vision\n- Cultural change\n"
    segments, report = parse(text)
    assert [s.text for s in segments] == ["Wifi", "Toilets!", "Cultural change"]
    assert {d.line: d.reason for d in report.dropped} == {4: "fragment", 7: "fragment"}


def test_a_chairs_welcome_paragraph_next_meeting_and_response_deadline_are_not_views():
    text = ("BROOKSIDE TOWN COUNCIL\nLibrary consultation drop-in, Saturday 5 April 2025\n\n"
            "Mayor's welcome. The library has lost a third of its opening hours and the council\n"
            "wants to know what matters most before the budget is set.\n\n"
            "WHAT WOULD HELP\n- Open on Saturday afternoons\n- Feedback from parents before 2020 was ignored\n"
            "- Responses were due by March but nobody told us\n\n"
            "Next meeting of the Town Council: 14 May 2025. Comments to the town clerk by 30 April.\n"
            "Please send any further views by Friday 25 April.\n")
    marks = mark_non_views(text.splitlines())
    assert marks.get(4) == "welcome" and marks.get(5) == "welcome"  # the paragraph wraps onto line 5
    assert marks.get(12) == "next_steps" and marks.get(13) == "contact"
    assert not {8, 9, 10} & set(marks)  # participants' bullets, one naming a year, one a past deadline
    assert {s.text for s in parse(text)[0]} == {"Open on Saturday afternoons",
                                                "Feedback from parents before 2020 was ignored",
                                                "Responses were due by March but nobody told us"}
