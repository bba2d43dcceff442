"""Wording on forms met in tenants' newsletters, schedules of comments and e-mailed table notes (held-out
notes, part 7).

Each case is written in other words than the held-out notes, so it tests the rule, not the file. The
packaged spaCy model is used, not a fake: the rules read its parse.
"""
from __future__ import annotations

import pytest

from pipeline.recommend.rules import shape_clause
from pipeline.recommend.style import style_problems
from pipeline.recommend.wording import CHECK_WORDING, shape


@pytest.mark.parametrize("statement,expected", [
    # a thing wished for whose relative clause the parser made the main clause (not "Ask wifi to work")
    ("Wifi that actually works. The signal in the hall drops every few minutes", "Provide wifi that actually works"),
    # a plural the parser did not take as the head takes no article ("a benches")
    ("Swings for teenagers, not just little kids stuff", "Provide swings for teenagers, not just little kids stuff"),
    # a body's wish that something be so is the ask, not the wanting ("Ask the fire service to want ...")
    ("The fire service would want every new block to have a sprinkler system",
     "Ensure every new block has a sprinkler system"),
    # "Why can't X be done?" asks that it be done
    ("Why can't the bridleway behind the school be resurfaced? Horses slip on the loose stones",
     "Resurface the bridleway behind the school"),
    # a participle before its noun, then a chat word and a comma splice in the speaker's voice
    ("Raised kerb at the bus stop please, I can't step up onto the bus", "Provide a raised kerb at the bus stop"),
    # something lost and wanted again
    ("a bobby back on the beat like the old days", "Bring a bobby back on the beat like the old days"),
    # a thing wished done: a subject and a bare past participle
    ("the car park behind the church locked overnight", "Lock the car park behind the church overnight"),
    ("the side gate behind the flats locked at night", "Lock the side gate behind the flats at night"),
    # ... and after a thing wished for
    ("brighter lights on the stairs, and the broken door fixed",
     "Provide brighter lights on the stairs and fix the broken door"),
    ("a ramp at the front, and the handrail fixed", "Provide a ramp at the front and fix the handrail"),
    # a two-word order before a comma splice
    ("Open earlier, 9 is too late for people who work", "Open earlier"),
    # "next time" opens the order, it is not the thing to do
    ("Next time hold the meeting in the evening", "Hold the meeting in the evening"),
])
def test_part7_forms(statement, expected):
    draft = shape(statement)
    assert draft.text == expected, (draft.text, draft.rule, draft.problems)
    assert CHECK_WORDING not in draft.flags
    assert style_problems(draft.text) == []


@pytest.mark.parametrize("clause", [
    "Residents moved to the estate in the sixties",   # people who acted: a report, not a wish
    "The hall closed last year",                      # past time: a finding
    "Support welcomed",                               # nothing after the participle
    "the bench made of wood",                         # a description, not a thing to do
    "The hall run by volunteers from the church",     # an agent: a description
])
def test_done_wish_leaves_reports_alone(clause):
    out = shape_clause(clause)
    assert out is None or out[1] != "done", out


def test_collective_noun_is_a_they():
    # "the police ... they": British English refers to a body in the plural
    draft = "Invite the police so they can see the problem first hand"
    assert "orphan_pronoun" not in style_problems(draft)
    assert shape(draft).text == draft
