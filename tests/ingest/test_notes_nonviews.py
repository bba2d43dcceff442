"""Notes that are not participants' views (issue 11, item 1): title blocks, dates and venues,
note-takers, attendee and apology lists, welcome and ground rules, agenda, next steps, contact
lines, page furniture. Each is left out with its reason in the ingest report; nothing is lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.nonview import mark_non_views
from pipeline.ingest.notes import parse_notes

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "notes"


def parse(text: str):
    return parse_notes(text, "notes.txt", "notes")


def texts(segments) -> list[str]:
    return [s.text for s in segments]


def reasons(report) -> dict[int, str]:
    return {d.line: d.reason for d in report.dropped}


def test_every_line_is_a_statement_structure_or_dropped_with_a_reason():
    text = (DATA / "eastfield-youth-housing-workshop.txt").read_text(encoding="utf-8")
    segments, report = parse(text)
    in_statements = {n for s in segments for n in range(s.line_start, s.line_end + 1)}
    accounted = in_statements | set(report.structure_lines) | {d.line for d in report.dropped}
    nonblank = {i for i, line in enumerate(text.splitlines(), start=1) if line.strip()}
    assert nonblank <= accounted


@pytest.mark.parametrize("name, expected", [
    ("eastfield-youth-housing-workshop.txt", {
        1: "title", 2: "date_venue", 3: "note_taker", 5: "roster", 6: "roster", 15: "roster", 17: "welcome",
        18: "ground_rules", 75: "next_steps", 76: "contact"}),
    ("southmoor-age-friendly-workshop.txt", {
        1: "title", 2: "date_venue", 3: "note_taker", 5: "roster", 13: "roster", 15: "roster", 17: "welcome",
        18: "ground_rules", 60: "next_steps", 61: "next_steps", 62: "contact"}),
])
def test_workshop_notes_non_views_are_dropped_with_their_reason(name, expected):
    segments, report = parse((DATA / name).read_text(encoding="utf-8"))
    in_statements = {n for s in segments for n in range(s.line_start, s.line_end + 1)}
    assert not in_statements & set(expected), "a non-view line became (part of) a statement"
    got = reasons(report)
    assert {n: got.get(n) for n in expected} == expected


def test_newcomer_statements_are_the_participants_points_only():
    segments, _ = parse((DATA / "eastfield-youth-housing-workshop.txt").read_text(encoding="utf-8"))
    assert len(segments) == 28  # 11 + 12 + 1 sub-point + 4 post-its
    joined = " | ".join(texts(segments))
    for phrase in ("Notes taken by", "Northgate Housing Association St Mark", "Welcome and introductions",
                   "Ground rules", "Next steps", "for a copy", "Saturday 14 September"):
        assert phrase not in joined


def test_a_star_bullet_starts_its_own_statement_after_a_dash_bullet():
    text = "Issues:\n\n- Damp and mould in flats, repairs take months and\n  tenants are scared\n" \
           "* Some positive things: the football sessions are valued\n- Rents are too high for young people\n"
    segments, _ = parse(text)
    assert texts(segments) == ["Damp and mould in flats, repairs take months and tenants are scared",
                               "Some positive things: the football sessions are valued",
                               "Rents are too high for young people"]
    assert [(s.line_start, s.line_end) for s in segments] == [(3, 4), (5, 5), (6, 6)]


def test_star_emphasis_inside_a_line_is_still_removed():
    segments, _ = parse("Notes\n\n- We **really** need a youth club in the town centre\n")
    assert texts(segments) == ["We really need a youth club in the town centre"]


def test_decimal_numbering_gives_one_statement_per_paragraph_under_numbered_headings():
    text = ("3. What residents value\n3.1 The library is the only warm free space in the area.\n"
            "3.2 Parents valued the Rhyme Time sessions.\n\n4. Concerns\n4.1 Self-service machines do not work for everyone.\n")
    segments, _ = parse(text)
    assert texts(segments) == ["The library is the only warm free space in the area.",
                               "Parents valued the Rhyme Time sessions.",
                               "Self-service machines do not work for everyone."]
    assert segments[0].section == ["What residents value"] and segments[2].section == ["Concerns"]


BODY = "\nWhat would help?\n\n- Longer opening hours at the library on weekday evenings\n"


@pytest.mark.parametrize("head, reason", [
    ("Riverside Library Conversation\nTuesday 4 March 2025, 6pm, Riverside Library\n", "date_venue"),
    ("Riverside Library Conversation\nNotes typed up by the engagement team\n", "note_taker"),
    ("Attendees\nRiverside Friends Group\nAge Concern Riverside\nRiverside Tenants Association\n", "roster"),
    ("Present: Ann Smith (Chair), Tom Jones, 12 residents\n", "roster"),
    ("Apologies: Cllr Brown, Riverside Schools Partnership\n", "roster"),
    ("Welcome and introductions - 20 people came.\n", "welcome"),
    ("The Chair welcomed everyone and explained the purpose of the evening.\n", "welcome"),
    ("Ground rules agreed: one voice at a time, no names in the notes.\n", "ground_rules"),
    ("Agenda\n1. Welcome\n2. Presentation\n3. Table discussions\n", "agenda"),
    ("Minutes of the last meeting agreed as a true record.\n", "agenda"),
    ("OFFICIAL\n", "page_furniture"),
    ("Riverside Council | Library Conversation | Page 1 of 2\n", "page_furniture"),
])
def test_each_non_view_kind_before_the_views(head, reason):
    segments, report = parse(head + BODY)
    assert texts(segments) == ["Longer opening hours at the library on weekday evenings"]
    head_lines = range(1, head.count("\n") + 1)
    got = reasons(report)
    assert any(got.get(n) == reason for n in head_lines), got


@pytest.mark.parametrize("tail, reason", [
    ("Next steps: the team will share the notes with everyone by the end of May.\n", "next_steps"),
    ("What happens next\nThe Board will consider this summary in June.\n", "next_steps"),
    ("ACTION: Tom to write to Parks Services about the swings.\n", "next_steps"),
    ("Date of next meeting: Thursday 13th March, 7pm, Scout Hut.\n", "next_steps"),
    ("- KM to circulate the slides to everyone who came\n", "next_steps"),
    ("- Priya to book the hall for the next session\n", "next_steps"),
    ("- Me - chase the parks team about the swings\n", "next_steps"),
    ("Contact the partnership coordinator for a copy.\n", "contact"),
    ("For a copy in large print please ask at the library.\n", "contact"),
    ("If you would like this document in another format, please contact the team.\n", "contact"),
])
def test_each_non_view_kind_after_the_views(tail, reason):
    segments, report = parse("Library conversation\n" + BODY + "\n" + tail)
    assert texts(segments) == ["Longer opening hours at the library on weekday evenings"]
    assert reason in reasons(report).values()


@pytest.mark.parametrize("view", [
    "- Contact with the council is hard to get, nobody answers the phone",
    "- Thanks to the youth club my son has friends now",
    "- The welcome at the library is friendly but the building is cold",
    "- Next to the station there is nowhere safe to wait",
    "- Agenda items at council meetings never include young people",
    "- Someone to ring who actually answers the phone",            # no organiser's errand
    "- Council to book more skips for the spring clean",           # an ask of the council
])
def test_views_that_look_like_non_views_are_kept(view):
    segments, _ = parse("Workshop 1: What is it like here?\n\n" + view + "\n")
    assert texts(segments) == [view[2:]]


def test_mark_non_views_takes_plain_lines():
    marks = mark_non_views(["Bus Forum Drop-in", "Held at: Vale Hall, 2-5pm", "", "- No bus after 7pm"])
    assert marks == {1: "title", 2: "date_venue"}


def test_ingest_report_counts_the_non_views_by_reason_and_loses_no_line():
    from pipeline.ingest import ingest_file

    _, report = ingest_file(DATA / "eastfield-youth-housing-workshop.txt", redact=False)
    counts = report.to_dict()["dropped"]
    assert counts["roster"] == 11  # "Organisations attending:" and its ten organisations
    for reason in ("title", "date_venue", "note_taker", "welcome", "ground_rules", "next_steps", "contact"):
        assert counts[reason] == 1, reason
    assert report.lines["unaccounted"] == 0 and report.lines["in_statements"] == 47


def test_word_style_numbered_report_and_minutes():
    text = (DATA.parent.parent.parent / "benchmarks" / "data" / "notes" / "millbrook-park-residents-minutes.txt")
    segments, report = parse(text.read_text(encoding="utf-8"))
    got = reasons(report)
    assert got[4] == got[5] == "roster" and got[6] == "note_taker"  # Present:, Apologies:, Minutes:
    assert got[20] == got[29] == got[41] == "next_steps" and got[42] == "contact"  # ACTION lines, next meeting
    assert got[11] == got[12] == "agenda"  # minutes of last meeting, agreed as a true record
    assert segments[0].section == ["Item 3. Play area"] and segments[0].line_start == 16


ASSEMBLY_ACTIONS = """Breakout 2: Working together

What gets in the way?
- Groups compete for the same small pots

Actions:
- Set up a shared calendar of funding deadlines across the network
- Council to name one link officer for the voluntary sector
- Hold the networking lunch on Saturdays so volunteers can come
- Sarah to circulate the notes to the group
- JB / MO to book the room for next time
- Draft terms of reference by 30 April
- The team will write to the council
"""


def test_an_actions_list_keeps_its_proposals_and_drops_only_the_organisers_errands():
    segments, report = parse(ASSEMBLY_ACTIONS)
    assert texts(segments) == [
        "Groups compete for the same small pots",
        "Set up a shared calendar of funding deadlines across the network",
        "Council to name one link officer for the voluntary sector",
        "Hold the networking lunch on Saturdays so volunteers can come",  # a weekday asked for is no deadline
    ]
    got = reasons(report)
    assert [got.get(n) for n in range(10, 14)] == ["next_steps"] * 4  # a name, initials, a date, "will"
    assert 6 not in got  # the head of a list of proposals stays their heading
    actions = [s for s in segments if s.line_start >= 7]
    assert all(s.context == "Actions:" for s in actions)


def test_an_actions_list_of_errands_only_is_next_steps_head_and_all():
    text = "What would help?\n- A bench by the bus stop\n\nActions\n- Jo to send the notes to the Head of SEND\n" \
           "- Next forum: 8 July, same venue\n"
    segments, report = parse(text)
    assert texts(segments) == ["A bench by the bus stop"]
    assert [reasons(report).get(n) for n in (4, 5, 6)] == ["next_steps"] * 3


TABLES = """Northgate VCFSE Assembly

Table 1 - Funding
Host: Dave Lister

What's working?
- Some 3 year grants from the foundation

What would help?
- Multi year funding as the norm

Table 2 - Volunteers
Host: Tom Hardcastle

Working:
- Volunteer passport pilot in the North

What would help?
- Free DBS checks for volunteers
- "Nothing about us without us"

Plenary - Key asks
Each table fed back their top 2 and people voted with stickers:
- Multi year funding with full cost recovery
"""


def test_prompts_asked_at_every_table_and_table_headings_are_kept():
    segments, report = parse(TABLES)
    got = reasons(report)
    for line in (6, 9, 18):  # "What's working?" / "What would help?" repeat, yet are prompts, not a running header
        assert line not in got, got
    assert 12 not in got and 22 not in got  # "Table 2 - ..." over a lead-in; "Plenary - Key asks" after a quote
    by_line = {s.line_start: s for s in segments}
    assert by_line[10].question == "What would help?" and by_line[19].question == "What would help?"
    assert by_line[16].section[-1] == "Table 2 - Volunteers"
    assert by_line[24].section[-1] == "Plenary - Key asks" and by_line[24].question is None
    assert "Plenary - Key asks" not in texts(segments)


@pytest.mark.parametrize("item", [
    "- Fatima & Tom to draft a one page who's who and circulate it",  # two owners
    "- Draft the leaflet before Xmas",                                 # a deadline
    "- Book room for next locality meeting",                           # the group's logistics
    "- Ask council comms team for updated staff contact list",
    "- Update the flyer (Jo)",                                         # an owner named last
])
def test_an_actions_list_drops_more_kinds_of_errand(item):
    segments, report = parse("What would help?\n- A bench by the bus stop\n\nActions:\n" + item + "\n")
    assert texts(segments) == ["A bench by the bus stop"]
    assert reasons(report).get(5) == "next_steps"


def test_the_organisers_welcome_paragraph_is_no_view_but_an_agenda_item_stays_an_agenda_item():
    text = ("Northgate VCFSE Assembly\n\nWelcome & context\nChair welcomed 74 people. Idea of today is to be honest about "
            "what's working and agree some asks.\n\nWhat would help?\n- A bench by the bus stop\n")
    segments, report = parse(text)
    assert texts(segments) == ["A bench by the bus stop"]
    assert reasons(report).get(4) == "welcome"
    marks = mark_non_views(["Agenda", "2.1 Welcome and introductions", "2.2 Table discussions", "", "- More buses"])
    assert marks == {1: "agenda", 2: "agenda", 3: "agenda"}


CHAT = """Youth mental health online assembly

CHAT EXPORT
18:02:41 From Priya Shah (Youth Space) to Everyone: Hi all, Priya from Youth Space
18:02:55 From Mark Ellis (Carers Centre) to Everyone: evening! can you hear me? my audio keeps dropping
18:11:48 From Mark Ellis (Carers Centre) to Everyone: We need a proper waiting well offer for families
18:17:39 From Grace Okafor (parent) to Everyone: +1
18:24:10 From Danny Cole (Schools) to Everyone: Would welcome a single directory of local support
18:33:02 From Fatima Hussain (NVA) to Everyone: Breakout rooms opening now

BREAKOUT ROOM 2 - Working together
Issue | What would help | Who should act
Referrals not accepted by CAMHS | Accept referrals from trusted VCFSE organisations | ICB
Nobody knows who does what | Shared map of services, kept up to date | Council
"""


def test_a_chat_export_gives_one_statement_a_message_and_drops_the_chatter():
    segments, report = parse(CHAT)
    by_line = {s.line_start: s.text for s in segments}
    assert by_line[6] == "We need a proper waiting well offer for families"  # no time, no sender
    assert by_line[8] == "Would welcome a single directory of local support"
    assert {reasons(report).get(n) for n in (4, 5, 7, 9)} == {"welcome"}
    assert not any("From" in s.text or "18:" in s.text for s in segments)


def test_a_pipe_table_gives_its_prose_cells_with_their_column_and_keeps_the_rest_as_attributes():
    segments, report = parse(CHAT)
    rows = [s for s in segments if s.line_start in (13, 14)]
    assert [(s.context, s.text) for s in rows if s.context == "What would help"] == [
        ("What would help", "Accept referrals from trusted VCFSE organisations"),
        ("What would help", "Shared map of services, kept up to date")]
    assert all(s.attributes.get("Who should act") for s in rows)
    assert reasons(report).get(12) == "table"  # the header names the columns
    assert next(s for s in segments if s.line_start == 14 and s.context == "What would help").section[-1] == \
        "BREAKOUT ROOM 2 - Working together"


def test_sticky_notes_typed_one_a_line_after_a_bullet_and_plus_bullets_are_separate_statements():
    text = ("Brackby community assembly\n\nSHEET 1 - GETTING ABOUT\n"
            "no bus after 6pm from Wensley back to Fell End ***\n"
            "+ Dales Link drivers are brilliant **\n"
            "- Dales Link has to be booked 48 hrs ahead ****\n"
            "taxi to hospital = £45 each way\n"
            "Need a bus that connects with the train at Thirsk\n"
            "mobility scooter can't get on the 72, ramp broken since June\n"
            "More volunteer drivers - most are over 70 **\n")
    segments, _ = parse(text)
    assert [s.line_start for s in segments] == [4, 5, 6, 7, 8, 9, 10]


def test_a_bullet_wrapped_at_a_page_width_stays_one_statement():
    text = ("- Granby Toxteth Partnership. This was a model on how to work with BAME communities. It was members\n"
            "of the community that represented the community. That model should be used again and needs to be\n"
            "funded properly. No problem in recruiting people who want to be involved and change things but these\n"
            "make an impact on communities\n")
    segments, _ = parse("Notes\n\n" + text)
    assert len(segments) == 1 or len({s.line_start for s in segments}) == 1


def test_at_a_q_and_a_with_officers_the_answers_are_theirs_not_views():
    text = ("Rural assembly\n\nSHEET 4 - Q&A WITH COUNCIL (Community Development Officer)\n"
            "Q: Is the 72 going to be cut altogether?\nA: No decision yet, contract up for renewal in April\n"
            "Q: Could the council put the community buildings list online?\nA: Yes think so - will check with comms\n")
    segments, report = parse(text)
    assert not any(s.text.startswith(("A:", "No decision", "Yes think")) for s in segments)
    assert reasons(report).get(5) == "panel" and reasons(report).get(7) == "panel"


def test_an_interviews_q_and_a_keeps_its_answers():
    text = ("Interview notes\n\nQ&A with residents\nQ: What would make the park better?\n"
            "A: Toilets that are open in the evening.\n")
    segments, report = parse(text)
    assert any("Toilets that are open" in s.text for s in segments)
    assert "panel" not in reasons(report).values()
