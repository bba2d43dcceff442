"""Non-views and event feedback met in held-out part 7 (issue 11): the organisers' own replies and report-back
("You said: ... / We did: ...", "Council response:", "Change to plan:", an official reply under an export's entry
header), a section marked not for publication, a diary of coming dates, and feedback on the event itself (kept as
statements, marked `about: event`, never an ask for the plan). Each test names a form that recurs in notes in
general, in words other than the benchmark files'; each has a control that stays a participant's view."""
from __future__ import annotations

from pipeline.ingest.notes import parse_notes
from pipeline.records import Segment
from pipeline.recommend.proposals import segment_proposal_form, segment_proposes


def parse(text: str):
    return parse_notes(text, "notes.txt", "notes")


def kept(text: str) -> dict[int, Segment]:
    segments, _ = parse(text)
    return {n: s for s in segments for n in range(s.line_start, s.line_end + 1)}


def reasons(text: str) -> dict[int, str]:
    _, report = parse(text)
    return {d.line: d.reason for d in report.dropped}


def test_a_you_said_we_did_box_is_the_organisers_report_back_not_new_views():
    text = ("Parish news, spring 2026\n\n"
            "- The footbridge by the ford is slippery when it rains\n"
            "- More bins along the river path\n\n"
            "YOU TOLD US, WE LISTENED\n"
            "You told us the bus shelter on Green Lane had no seat.\n"
            "A bench was fitted in February.\n"
            "You asked for the allotment waiting list to be published; it is now on our website.\n")
    lines = kept(text)
    assert 3 in lines and 4 in lines  # controls: the residents' bullets
    assert not {7, 8, 9} & set(lines)
    assert reasons(text)[7] == "reply"


def test_labelled_replies_and_changes_are_left_out_and_the_comment_kept():
    text = ("Consultation on the village green: comments and responses\n\n"
            "Ref 12 (resident, Church Walk)\n"
            "Comment: Please keep the old oak trees on the green. Children have climbed them for generations.\n"
            "Council's response: Agreed. The trees are protected by an order made in 2019.\n"
            "Change to the plan: None.\n\n"
            "Ref 13 (resident, Mill Close)\n"
            "Comment: A bench by the pond would be lovely.\n"
            "Our response - we will look at this when the green is resurfaced.\n")
    lines = kept(text)
    assert 4 in lines and 9 in lines
    assert not {5, 6, 10} & set(lines)
    assert reasons(text)[5] == "reply"


def test_the_words_under_an_official_replys_entry_header_are_not_a_participants():
    text = ("Have your say: Elm Street library\n\n"
            "#301 reader_ray | 02/05/2025 18:22 | [+9]\n"
            "Open the library on Sunday afternoons, families would use it.\n\n"
            "    > Council response - Library Service | 04/05/2025 09:12\n"
            "    > Thank you. Sunday opening was reviewed in 2023 and is not affordable at present.\n\n"
            "#302 Amira K | 05/05/2025 20:01 | [+2]\n"
            "A study room for teenagers after school.\n")
    lines = kept(text)
    assert 4 in lines and 10 in lines
    assert 7 not in lines and reasons(text)[7] == "reply"


def test_a_section_marked_not_for_publication_is_left_out_up_to_the_next_gap():
    text = ("Youth forum notes\n\n"
            "- Cheaper bus fares for under 18s\n"
            "- The skate park needs lights\n\n"
            "Facilitator debrief (internal - not for circulation)\n"
            "Two of the quieter lads didn't get a word in, sit them nearer the front.\n"
            "Order more pizza next time.\n\n"
            "- A safe place to meet friends that isn't the park\n")
    lines = kept(text)
    assert {3, 4, 10} <= set(lines)
    assert not {6, 7, 8} & set(lines)
    assert reasons(text)[7] == "internal"


def test_a_diary_of_coming_dates_is_next_steps_not_views():
    text = ("- More litter picks on the estate\n\n"
            "COMING UP\n"
            "Residents' meeting: Wednesday 4 March, 7pm, the Old School Room.\n"
            "Repair surgery: first Monday of the month, 2-4pm.\n")
    lines = kept(text)
    assert 1 in lines and not {3, 4, 5} & set(lines)


def test_feedback_on_the_event_itself_stays_a_statement_but_is_never_an_ask():
    text = ("Community day evaluation cards\n\n"
            "How did today go for you?\n"
            "- The marquee was far too cold\n"
            "- Bring back the dog show next year\n\n"
            "What would make Moorside a better place to live?\n"
            "- Bring back the Saturday market\n")
    segments, report = parse(text)
    by_line = {s.line_start: s for s in segments}
    assert by_line[4].attributes.get("about") == "event" and by_line[5].attributes.get("about") == "event"
    assert not segment_proposes(by_line[5]) and segment_proposal_form(by_line[5]) is None
    assert "about" not in by_line[8].attributes and segment_proposes(by_line[8])  # control: a topic question
    assert any("feedback on the event itself" in n for n in report.notes)
