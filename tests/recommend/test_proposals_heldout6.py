"""Proposal rules added after held-out part 6 (issue 11): thanks and "nothing, it was fine" under a prompt asking
what could be better are not asks; a "why ... only / still ...?" question carries one; a negative inside a relative
clause describes the thing wanted, not a complaint; a past form the tagger calls a base form opens no imperative.
Each rule has a control that keeps its verdict. Real spaCy model (en_core_web_sm); no fakes; wording differs from
the benchmark files."""
from __future__ import annotations

import pytest

from pipeline.recommend.proposals import proposal_form, proposes

IDEAS = "Share your ideas for the market square"
BETTER = "What could we do better next time?"
ASK_COUNCIL = "What should the council do for older people?"


@pytest.mark.parametrize("text, prompt", [
    ("Thanks for the walkabout, the officer answered every question", IDEAS),
    ("Many thanks to the organisers", BETTER),
    ("Nothing, it was great", BETTER),
    ("nothing really", BETTER),
])
def test_thanks_and_satisfied_non_answers_under_a_prompt_are_not_asks(text, prompt):
    assert proposal_form(text, [prompt], prompt if prompt.endswith("?") else None, kind="response") is None
    assert not proposes(text, [prompt], prompt if prompt.endswith("?") else None, kind="response")


@pytest.mark.parametrize("text, prompt", [
    ("A covered seating area", IDEAS),                      # controls: the same prompts still take answers
    ("Nothing for people who work shifts", BETTER),         # "nothing" naming a gap is not satisfaction
    ("Shorter speeches and more time at the tables", BETTER),
])
def test_answers_under_the_same_prompts_still_count(text, prompt):
    assert proposal_form(text, [prompt], prompt if prompt.endswith("?") else None, kind="response") is not None


@pytest.mark.parametrize("text, expected", [
    ("why is the swimming club only open in term time?", "question"),
    ("Why are the lifts still out of order?", "question"),
    ("Why is the bus late so often?", None),  # a why-question with no restriction or persistence: no ask read
])
def test_a_why_question_about_a_restriction_carries_an_ask(text, expected):
    assert proposal_form(text, ["Comments board"], None, kind="bullet") == expected


def test_a_negative_in_a_relative_clause_describes_the_provision_wanted():
    text = "counselling at school that you dont have to wait a term for"
    # since part 7 the words alone name the thing wanted (a thing and what it should be like): a wish, read before
    # the prompt makes it an answer
    assert proposal_form(text, [ASK_COUNCIL], ASK_COUNCIL, kind="response") == "wish"
    # control: the same negative in the main clause is a complaint, not an answer
    assert proposal_form("the dentist dont take new patients", [ASK_COUNCIL], ASK_COUNCIL, kind="response") is None


@pytest.mark.parametrize("text, expected", [
    ("Found the forms confusing, gave up halfway through", None),  # a note's dropped subject, past tense
    ("Lost her bus pass last month, doesn't know how to get a new one", None),
    ("Find a bigger room for the Tuesday group", "imperative"),     # control: a base form still opens an action
])
def test_a_past_form_read_as_a_base_form_is_no_imperative(text, expected):
    assert proposal_form(text, ["Conversation log"], None, kind="bullet") == expected
