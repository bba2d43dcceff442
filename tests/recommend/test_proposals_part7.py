"""Proposal rules added after held-out part 7 (issue 11): a report of what happened or of the thing just named
("the marquee was far too cold", "They have 40 names on the list") is no answer under a prompt for solutions; a
thing named with what it should (not) be like is a wish ("Council homes at social rent, not shared ownership",
"counselling that doesnt need a GP letter"); "somewhere/something ...", "X back at ...", "would want", and a
hyphenated modifier that names people ("Residents-only bays") are read as asks. Each rule has a control that keeps
its verdict. Real spaCy model (en_core_web_sm); no fakes; wording differs from the benchmark files."""
from __future__ import annotations

import pytest

from pipeline.recommend.proposals import proposal_form, proposes

IDEAS = "Ideas for the recreation ground"
BETTER = "What could we improve next time?"
WALL = "Post-it wall"


def form(text: str, prompt: str, kind: str = "response") -> str | None:
    question = prompt if prompt.endswith("?") else None
    out = proposal_form(text, [prompt], question, kind=kind)
    assert (out is not None) == proposes(text, [prompt], question, kind=kind)  # the fast path agrees
    return out


@pytest.mark.parametrize("text, prompt", [
    ("the marquee was far too cold", BETTER),
    ("It went on for three hours and the speeches dragged", BETTER),
    ("They have 40 names on the list already.", IDEAS),
    ("The changing rooms were locked when we got there", IDEAS),
])
def test_a_report_of_what_happened_is_no_answer(text, prompt):
    assert form(text, prompt) is None


@pytest.mark.parametrize("text, prompt", [
    ("A covered area by the pavilion", IDEAS),            # controls: answers still count
    ("Shorter speeches and more time at the tables", BETTER),
])
def test_answers_under_the_same_prompts_still_count(text, prompt):
    assert form(text, prompt) is not None


@pytest.mark.parametrize("text", [
    "Council homes at social rent, not shared ownership.",
    "Goalposts for the juniors, not just the adult pitch",
    "Council houses, not more flats",
    "counselling drop in that doesnt need a GP letter",
    "Streetlights that stay on past midnight",
    "Somewhere dry for the under 12s to play in winter",
    "Lollipop lady back at the Fenby Road junction",
    "Residents-only bays with permits",
    "The Parish Council would want the hedge on Mill Lane kept.",
])
def test_a_thing_named_with_what_it_should_be_like_is_asked_for(text):
    assert form(text, WALL, kind="bullet") is not None


@pytest.mark.parametrize("text", [
    "Parents who work can't come to daytime sessions",     # a main verb after the relative clause
    "Young carers not getting any breaks",                  # no comma: a finding, not a contrast
    "Evening classes, not as popular as last year",         # what it should not be is no thing
    "Residents who park on the verge",                      # a person named, a problem
    "I would want to know who decides",                     # wanting to know asks nothing
])
def test_controls_that_name_no_provision_stay_non_asks(text):
    assert form(text, WALL, kind="bullet") is None


def test_a_lead_in_asking_for_actions_makes_its_bullets_answers():
    from pipeline.records import Segment
    from pipeline.recommend.proposals import segment_proposal_form

    text = "One link officer for the voluntary sector"  # a thing named, no ask of its own under a question on barriers
    base = dict(id="n:9", source="n.txt", line_start=9, line_end=9, event="n", text=text,
                question="What gets in the way?", kind="bullet")
    assert segment_proposal_form(Segment(**base, context="Actions:")) == "answer"
    assert segment_proposal_form(Segment(**base, context="Notes from the table:")) is None  # no ask in the lead-in
    assert segment_proposal_form(Segment(**base, context="Actions:", parent="n:8")) is None  # a parent bullet's text


@pytest.mark.parametrize("text", [
    "Council to set up a Youth Assembly that meets twice a year",          # a body asked to act, in shorthand
    "Town Centre Board to include a youth seat",
    "Residents want one simple page listing every open consultation",       # people want a thing
    "Women-only sessions in familiar venues would make a big difference",  # a thing named bare, with its benefit
    "The young people asked that the network set up a youth forum",        # a base form that looks past
])
def test_more_forms_of_ask_in_plain_sentences(text):
    assert proposal_form(text, kind="sentence") is not None


@pytest.mark.parametrize("text", [
    "Partnership to date has been weak", "Staff to patient ratios are too low", "The hall would be lovely",
    "Lots of people would make a difference",
])
def test_their_look_alikes_stay_non_asks(text):
    assert proposal_form(text, kind="sentence") is None


@pytest.mark.parametrize("text, expected", [
    ("Data sharing - we are asked for data but never get any back", None),    # asked of the speakers
    ("Don't know who to talk to at the council anymore", None),              # a state of mind
    ("Need to ensure it meets the needs of the communities", "modal"),        # "the needs of" hides only itself
    ("Council & NHS to offer placements both ways", "request"),
])
def test_asked_of_us_a_state_of_mind_and_the_needs_of(text, expected):
    assert proposal_form(text) == expected


def test_a_table_cell_under_a_column_asking_for_solutions_is_an_answer():
    from pipeline.records import Segment
    from pipeline.recommend.proposals import segment_proposal_form

    base = dict(id="n:13.2", source="n.txt", line_start=13, line_end=13, event="n", kind="response",
                text="Shared map of services, kept up to date")
    assert segment_proposal_form(Segment(**base, context="What would help")) == "answer"
    assert segment_proposal_form(Segment(**base, context="Issue")) is None
