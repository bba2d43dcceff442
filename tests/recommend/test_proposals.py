"""Find every proposal (issue 11, item 2): imperatives, modals, wishes, statements of lack, reported
requests, questions that carry an ask, and answers under a solutions prompt."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.notes import parse_notes
from pipeline.recommend.proposals import is_proposal, proposal_form, segment_proposal_form

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "notes"
ISSUES = "Workshop 1: What is it like living here?"
HELP = "What would make the biggest difference?"


@pytest.mark.parametrize("text, form", [
    ("Re-open a youth space in the town centre, open evenings and weekends", "imperative"),
    ("Fund detached youth workers who go to where young people already are", "imperative"),
    ("Limit rent rises to once a year and give at least six months' notice", "imperative"),
    ("BRING BACK THE 14 EVERY HALF HOUR", "imperative"),
    ("Don't forget the traveller community when planning services", "imperative"),
    ("The council should set up a rent deposit guarantee scheme for care leavers", "modal"),
    ("Landlords need to fix damp and mould within a set time", "modal"),
    ("Volunteers could support but must not replace paid staff.", "modal"),
    ("Need training for housing officers on how to talk to young people", "modal"),
    ("More one bed and shared homes for young single people", "wish"),
    ("A young persons housing advice drop in, one place where you can get help", "wish"),
    ("Pharmacy to stay open until 8pm.", "wish"),
    ("A bus stop outside Greenfield care home please", "wish"),
    ("No testing kits in different languages", "lack"),
    ("Not enough support for people with long COVID.", "lack"),
    ("There is a lack of accessible private lets anywhere in Oakfield.", "lack"),
    ("Could empty shops on the high street be turned into youth space or homes?", "question"),
    ("Why not open the Central Library cafe space to local groups free of charge?", "question"),
    ("why does the 82 not stop at the new health centre?", "question"),
    ("Free swimming for over 65s at the leisure centre?", "question"),
    ("Young mums asked for the baby weighing clinic to move to the hub too.", "request"),
    ("Translation of the consultation documents into Polish was requested.", "request"),
    ("P8 wants a simple online form to report a landlord to the council.", "request"),
])
def test_each_form_is_found_without_any_prompt(text, form):
    assert proposal_form(text, [ISSUES]) == form


@pytest.mark.parametrize("text", [
    "Sitting service for carers so they can get a break",
    "Home visits from the social prescriber for people who are housebound",
    "Appointments in the evening and on Saturday mornings.",
])
def test_a_plain_answer_under_a_solutions_prompt_is_a_proposal(text):
    assert proposal_form(text, [HELP]) == "answer"
    assert proposal_form(text, [ISSUES]) is None


@pytest.mark.parametrize("text, section", [
    ("Bus fares are too high for under 18s to get to the college", ISSUES),
    ("Landlords ask for guarantors and six months rent up front which care leavers dont have", ISSUES),
    ("The home library service for housebound readers was described as a lifeline.", ISSUES),
    ("Worried that this will be another talking shop with no money behind it", HELP),
    ("Bus tracker app is rubbish, crashes all the time", "Any other ideas"),
    ("P2: not sure the council has any power to do this.", "What could the council do?"),
    ("How many black judges are there in the criminal justice system?", ISSUES),
])
def test_descriptions_complaints_and_asides_are_not_proposals(text, section):
    assert proposal_form(text, [section]) is None


def test_report_prose_needs_explicit_wording_even_under_a_solutions_heading():
    sentence = "Several interviewees stated that the strategies were hard to keep up with."
    assert proposal_form(sentence, ["C. What do they need to be better informed?"], kind="sentence") is None
    assert proposal_form("Backfill was recommended to support groups engaging in meetings.",
                         ["C. What do they need?"], kind="sentence") == "request"


def test_the_nearest_prompt_decides():
    text = "Making assumptions about people is common"
    assert proposal_form(text, ["Workshop B: What needs to change"], question="What hasn't worked up to now?") is None


def test_is_proposal_matches_proposal_form():
    assert is_proposal("Make bus travel free or half price for under 21s")
    assert not is_proposal("Private rents have gone up a lot")


@pytest.mark.parametrize("name, proposal_lines, other_lines", [
    ("eastfield-youth-housing-workshop.txt",
     [46, 48, 50, 52, 54, 56, 58, 59, 61, 62, 64, 66, 67, 70, 71, 72],  # 12 numbered, the sub-point, 3 post-it asks
     [22, 24, 26, 28, 30, 32, 33, 35, 37, 39, 41, 73]),
    ("southmoor-age-friendly-workshop.txt",
     [38, 39, 40, 41, 43, 44, 45, 47, 48, 49, 50, 53, 54, 55, 56, 57, 58],
     [22, 24, 26, 27, 29, 30, 32, 34]),
])
def test_workshop_files_every_numbered_proposal_and_post_it_ask_is_found(name, proposal_lines, other_lines):
    segments, _ = parse_notes((DATA / name).read_text(encoding="utf-8"), name, "e")
    by_line = {s.line_start: s for s in segments}
    assert set(proposal_lines) | set(other_lines) == set(by_line)
    found = {n for n, s in by_line.items() if segment_proposal_form(s)}
    assert found == set(proposal_lines)


@pytest.mark.parametrize("text", [
    "The underpass by the station, no lighting and people sleeping there",
    "Several people said there is no changing places toilet, so disabled adults cannot use the pool.",
    "there's no mobile signal at the bottom of the village",
    "The new estate has no play area at all",
    "Ten per cent of the homes is not enough",
    "Parents felt the website is out of date and missing half the clubs.",
])
def test_a_lack_named_anywhere_in_the_sentence_is_an_ask(text):
    assert proposal_form(text, [ISSUES]) == "lack"


@pytest.mark.parametrize("text", [
    "TIMETABLES ONLY ONLINE. MY MUM HAS NO SMART PHONE",  # a person's circumstance, not a missing provision
    "Partnerships have no money",  # an agent's means
    "No, I have no idea who runs the hall",
    "There is no point asking, no-one replies",
])
def test_a_possession_or_idiom_with_no_is_not_a_lack(text):
    assert proposal_form(text, [ISSUES]) is None


@pytest.mark.parametrize("text", [
    "Free buses for under 18s ●●●● (4)",
    "20mph through the village |||| |||| | (11)",
    "Lighting - 31",
    "Named PCSO - 24 dots",
    "Youth provision x x x (3)",
])
def test_a_voted_item_on_a_priorities_board_is_a_proposal_however_short(text):
    assert proposal_form(text, ["Priorities (sticky dots)"]) is not None
    assert proposal_form(text, ["What do you love about the village?"]) in (None, "wish")  # a tally alone asks nothing


def test_a_tally_on_a_board_of_successes_does_not_make_a_proposal():
    assert proposal_form("Village green and the duck pond ●●●●●● (6)", ["What do you love about Ashby Cross?"]) is None


@pytest.mark.parametrize("heading", ["STOP", "Start", "CONTINUE", "Board 2 - What's missing?"])
def test_retrospective_and_whats_missing_boards_are_solution_prompts(heading):
    assert proposal_form("Cancelling appointments the day before", [heading]) == "answer"
    assert proposal_form("Cancelling appointments the day before", ["Open discussion"]) is None


@pytest.mark.parametrize("text, form", [
    ("Q1 (resident, Block C): The lifts keep breaking. When are they going to be replaced?", "question"),
    ("Q2 (resident, Linden Walk): Will existing tenants get the right to return at the same rent?", "question"),
    ("Q8 (shopkeeper): How long will the parade be closed? We need compensation for lost trade.", "modal"),
    ("Why were we not told about the quarry extension?", "question"),
    ("There was strong support for keeping the learner pool.", "request"),
])
def test_a_speakers_question_or_need_in_a_transcript_is_an_ask(text, form):
    assert proposal_form(text, []) == form


@pytest.mark.parametrize("text", [
    "DM: The lift replacement is in the programme for 2026.",
    "Q9 (resident, Block D): I'd like to know how many of the new homes will be for sale.",
    "Fly tipping in the alleys makes it feel like nobody cares",
    "A number of respondents worried that prices would rise if an outside operator took over.",
    "When is the next meeting?",
])
def test_answers_information_questions_and_complaints_in_a_transcript_are_not_asks(text):
    assert proposal_form(text, []) is None


@pytest.mark.parametrize("text, form", [
    ("It would be good if the coffee morning could carry on over the summer.", "modal"),
    ("It would be nice to have a bench outside the pharmacy.", "modal"),
    ("We'd love a lunch club that runs on a Sunday as well as in the week.", "request"),
    ("One member wished the council would come and listen to people in person.", "request"),
    ("Someone suggested that the two congregations hold a joint summer fair.", "request"),
])
def test_polite_wishes_and_reported_suggestions_are_asks(text, form):
    assert proposal_form(text, []) == form


@pytest.mark.parametrize("text", [
    "I'd love to say how much the coffee morning means to me.",
    "Some suggested that the partnership arrangements are too complex.",
])
def test_wishes_to_speak_or_know_are_not_asks(text):
    assert proposal_form(text, []) is None
