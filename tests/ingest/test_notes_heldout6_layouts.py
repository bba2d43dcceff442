"""Layouts met in held-out part 6 (issue 11): an online portal's comments export (entry header lines with user,
time and likes, quoted replies, moderation notes), a street stall's log (capitals headings with a note, timed
entries, tallies right after the title block) and feedback forms typed up (questions listed once, answers keyed
"Q3: ..."). Each test names a form that recurs in notes in general, in words other than the benchmark files'."""
from __future__ import annotations

from pipeline.ingest.layout import caps_lead, ruled_heading
from pipeline.ingest.notes import parse_notes, split_blocks


def parse(text: str):
    return parse_notes(text, "notes.txt", "notes")


def kept_lines(text: str) -> set[int]:
    segments, _ = parse(text)
    return {n for s in segments for n in range(s.line_start, s.line_end + 1)}


def test_a_heading_between_rules_is_a_section_not_a_statement():
    assert ruled_heading("~~~~ Topic 2: Parking ~~~~") == "Topic 2: Parking"
    assert ruled_heading("----------") is None and ruled_heading("- a bullet -") is None
    text = "Open day notes\n\n==== Topic 2: Parking near the school ====\n\n- Double yellow lines on Ash Road\n"
    segments, _ = parse(text)
    assert [(s.line_start, s.section) for s in segments] == [(5, ["Topic 2: Parking near the school"])]


def test_an_exports_entry_headers_and_furniture_are_left_out_and_the_words_under_them_kept():
    text = ("Have your say: Elm Street library\n\n"
            "Entries shown: 3 (sorted by: newest first)\n"
            "Posts are checked against our community rules before they go live.\n\n"
            "#204 bookworm_bea | 12/05/2025 08:10 | [+4]\n"
            "Why does the library shut at 5pm on weekdays when everyone is at work?\n\n"
            "#205 [post hidden by a moderator]\n\n"
            "#206 Dev P | 13/05/2025 17:41 | [+1]\n"
            "Thank you for the pop-up session, the staff explained the plans really well.\n\n"
            "    > Staff reply - Library Service | 14/05/2025 09:00\n"
            "    > Thanks Dev, glad it helped.\n\n"
            "The discussion has now closed.\n")
    segments, report = parse(text)
    assert {s.line_start for s in segments} == {7, 12}  # since part 7 the staff reply (line 15) is no participant's
    question = next(s for s in segments if s.line_start == 7)
    assert question.kind == "response" and question.question is None  # a comment, not a prompt for what follows
    reasons = {d.line: d.reason for d in report.dropped}
    assert reasons[15] == "reply"
    assert reasons[6] == reasons[11] == reasons[14] == "byline"
    assert reasons[9] == reasons[17] == "page_furniture" and reasons[4] == "ground_rules" and 3 in reasons


def test_a_thank_you_typed_as_its_own_paragraph_is_still_a_welcome():
    text = "Residents' forum\n\n- Bins are not collected on time.\n\nThank you to everyone for coming tonight.\n"
    assert kept_lines(text) == {3}


def test_a_capitals_heading_with_a_note_heads_a_log_of_timed_entries():
    assert caps_lead("VISITOR BOOK (copied out by the warden)")
    assert caps_lead('QUICK POLL: "Which day suits you best?"')
    assert not caps_lead("IDEAS: more benches") and not caps_lead("ALL IN CAPITALS (SHOUTING)")
    text = ("Library van visit\n\nVISITOR NOTES (typed up from the clipboard)\n"
            "14:10 Older man. Said the van never comes to Hill End any more and he cannot get to town.\n"
            "14:25 Student. Wants wifi on the van, needs it for coursework.\n"
            "    Came back later with a friend.\n"
            "14:40 Mum with twins. Loves the story time, asked for it on Saturdays too.\n")
    segments, _ = parse(text)
    assert [(s.line_start, s.line_end) for s in segments] == [(4, 4), (5, 6), (7, 7)]
    assert {s.kind for s in segments} == {"bullet"}
    assert all(s.section == ["VISITOR NOTES (typed up from the clipboard)"] for s in segments)


def test_the_title_block_ends_at_a_voted_item_and_setup_lines_are_not_views():
    text = ("MARKET STALL - PARKS SURVEY\nSat 3 May 2025, Market Cross\nStaffed by: Parks team and two volunteers\n"
            "Weather: showers all morning\nSet-up: a map of the park and a voting board\n\n"
            "Favourite improvement |||| || (7)\nNew toilets by the cafe |||| (4)\n"
            "Around 40 people took part over the morning.\n")
    assert kept_lines(text) == {7, 8}


def test_answers_keyed_to_a_list_of_questions_answer_them():
    text = ("Coffee morning feedback\n\nThe card asked:\nQ1 What did you enjoy?\nQ2 What would make it better?\n\n"
            "--- CARD 1 ---\nQ1: the homemade cakes and the chat\nQ2: a bigger room, we were squashed in\n\n"
            "--- CARD 2 ---\nQ1: 5\nQ2: music in the background please\n")
    segments, _ = parse(text)
    got = [(s.line_start, s.text, s.question, s.kind, s.section) for s in segments]
    assert got == [
        (8, "the homemade cakes and the chat", "Q1 What did you enjoy?", "response", ["CARD 1"]),
        (9, "a bigger room, we were squashed in", "Q2 What would make it better?", "response", ["CARD 1"]),
        (13, "music in the background please", "Q2 What would make it better?", "response", ["CARD 2"])]


def test_key_value_lines_one_after_another_are_separate_statements():
    lines = ["Tenant: the boiler has failed twice this winter and the engineer has not been back since",
             "Neighbour: the stairwell light is out again",
             "and has been for a week"]
    blocks, _ = split_blocks(enumerate(lines, start=1))
    assert [[n for n, _ in b.lines] for b in blocks] == [[1], [2, 3]]  # the second turn keeps its wrapped line
