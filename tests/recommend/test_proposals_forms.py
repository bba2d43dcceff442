"""Proposal forms found without a modal or a known wish opener: a thing or service named with where or what
for ("Covered cycle shelter by the library entrance"), and an action verb the tagger hangs off the reason or
finds no object for ("Repaint the railings, ...", "Liaise with ..."). Near-misses name a problem, a topic or
praise and stay non-proposals. Real spaCy model (en_core_web_sm); no fakes.
"""
from __future__ import annotations

import pytest

from pipeline.recommend.proposals import proposal_form, proposes

NEUTRAL = "Group 2 - The park and the library"  # a topic heading: no prompt asking for ideas or problems

NAMED_PROVISIONS = [
    "Covered cycle shelter by the library entrance",
    "Weekly youth club with a pool table and games console",
    "Water refill station in the park so runners can fill their bottles",
    "Defibrillator outside the post office, the nearest one is two miles away",
    "Parcel lockers at the station instead of queuing at the depot",
    "Raised beds in the community garden to grow vegetables",
    "A display screen in the foyer with what's happening this week",
]

ACTIONS = [
    "Liaise with the school about parking at pick-up time",
    "Repaint the railings, the rust is spreading along the fence",
]

NEAR_MISSES = [
    "Poor lighting on the footpath",
    "Long queues at the desk",
    "Dog mess by the swings",
    "Cars parked on the pavement outside the school",
    "The bins by the flats",
    "Parking on the estate",
    "Toilets in the park closed last year, people have nowhere to go",
    "Motorbikes on the field, a danger to the children",
    "Thanks for organising the evening",
    "Fear over cuts to the library",
]


@pytest.mark.parametrize("text", NAMED_PROVISIONS)
def test_a_named_provision_with_place_or_purpose_is_a_wish(text):
    assert proposal_form(text, NEUTRAL) == "wish"
    assert proposes(text, NEUTRAL)


@pytest.mark.parametrize("text", ACTIONS)
def test_an_action_verb_the_tagger_mislabels_is_an_imperative(text):
    assert proposal_form(text, NEUTRAL) == "imperative"
    assert proposes(text, NEUTRAL)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_problem_topic_or_praise_is_not_a_proposal(text):
    assert proposal_form(text, NEUTRAL) is None
    assert not proposes(text, NEUTRAL)


@pytest.mark.parametrize("section", ["What works well at the library?", "Concerns raised", "What makes it hard?"])
def test_a_thing_named_under_a_prompt_for_descriptions_is_not_a_wish(section):
    text = "Covered cycle shelter by the library entrance"
    assert proposal_form(text, section) is None
    assert not proposes(text, section)


def test_love_is_not_an_action_asked_for():
    assert proposal_form("Love the new reading corner, the children adore it", NEUTRAL) is None


@pytest.mark.parametrize("text", NAMED_PROVISIONS + ACTIONS + NEAR_MISSES)
def test_proposes_agrees_with_proposal_form(text):
    for section in (NEUTRAL, "Concerns raised", ()):
        assert proposes(text, section) == (proposal_form(text, section) is not None)


@pytest.mark.parametrize("text", [
    "Newsletter due to be published next month.",
    "Training for volunteers expected early March",
    "Second drop-in session scheduled for the spring",
    "Actions for each partner are set out below, with a lead for each.",
    "A community hub is proposed in the following section of the plan.",
])
def test_progress_reported_and_a_report_pointing_at_its_own_pages_are_not_asks(text):
    assert proposal_form(text) is None


@pytest.mark.parametrize("text", [
    "More support for carers due to increased demand",  # "due to" giving a cause, not a date
    "A newsletter in plain English for every household",
    "A community hub was proposed by several residents",
])
def test_a_wish_or_reported_ask_keeps_its_form_beside_those_words(text):
    assert proposal_form(text) is not None


@pytest.mark.parametrize("text", [
    "Participants were first asked to identify the three things that matter most to them.",
    "Residents at the drop-in were asked to rate each of the options.",
    "We would like to thank everyone who gave up an evening to come along.",
    "The steering group wishes to record its gratitude to the volunteers.",
    "It was suggested that several groups have already lost their funding.",
    "Lastly, we thank the tenants who, week in and week out, keep the garden going.",
])
def test_the_method_thanks_and_a_finding_after_suggested_that_are_not_asks(text):
    assert proposal_form(text) is None


@pytest.mark.parametrize("text", [
    "The housing officer was asked to chase the repairs.",
    "It was suggested that a second bus could run on Sundays.",
    "It was suggested that the council fund a youth worker.",
])
def test_a_reported_ask_of_someone_or_with_a_modal_or_base_form_is_still_an_ask(text):
    assert proposal_form(text) == "request"
