"""'X would help / make a difference / be great': X is the ask, and what it would do is kept when it names an aim."""
from __future__ import annotations

import pytest

from pipeline.recommend.wording import shape


@pytest.mark.parametrize("text, draft", [
    ("More buses in the evening would make a real difference.", "Provide more buses in the evening"),
    ("Opening the library on Sundays would help families.", "Open the library on Sundays to help families"),
    ("Improving the bus service and extending opening hours at the library would make a real difference.",
     "Improve the bus service and extend opening hours at the library"),
    ("Being able to book appointments online would be great.", "Let people book appointments online"),
    ("Having a named contact at the council would help a lot.", "Have a named contact at the council"),
    ("A youth club on the estate would really help.", "Provide a youth club on the estate"),
    ("Free parking would encourage more people to visit the market.",
     "Provide free parking to encourage more people to visit the market"),
    ("Wifi would be good.", "Provide wifi"),
])
def test_what_would_help_is_drafted_as_the_ask(text, draft):
    out = shape(text)
    assert (out.text, out.rule, out.flags) == (draft, "benefit", ())


@pytest.mark.parametrize("text", ["It would help.", "The council would help if you asked.", "Staff said it would help."])
def test_a_pronoun_a_body_or_a_report_is_not_read_as_the_thing_that_would_help(text):
    assert shape(text).rule != "benefit"


@pytest.mark.parametrize("text, form", [
    ("More buses in the evening would make a real difference.", "wish"),
    ("Being able to book appointments online would be great.", "wish"),
    ("Better lighting in the underpass would make people feel safer.", "wish"),
    ("A youth club would really help.", "wish"),
    ("More houses would make traffic worse.", None),  # an objection: a bad result foreseen
    ("The new hall would be lovely for weddings.", None),  # the thing is there already
    ("The staff would be great if they listened.", None),
])
def test_a_thing_not_yet_there_said_to_help_is_a_proposal_anywhere(text, form):
    from pipeline.recommend.proposals import proposal_form

    assert proposal_form(text, section=["Any other comments"]) == form


@pytest.mark.parametrize("text, form, draft", [
    ("There is not a single bench between the shops and the surgery.", "lack",
     "Provide a bench between the shops and the surgery"),
    ("The kids said there's not one swing for the older ones on the whole estate.", "lack", None),
    ("Not one of us was asked about the new road.", None, None),
    ("There's not one person on the board who lives here.", None, None),
])
def test_not_one_and_not_a_single_name_a_lack_but_not_of_people(text, form, draft):
    from pipeline.recommend.proposals import proposal_form

    assert proposal_form(text, section=["Stop 2: the play area"]) == form
    if draft:
        assert shape(text).text == draft


@pytest.mark.parametrize("text", ["The bus came late again", "The bins emptied onto the path by the foxes"])
def test_a_past_that_is_never_a_participle_or_a_deed_with_its_doer_is_no_wish_that_it_be_done(text):
    from pipeline import text as T
    from pipeline.recommend.rules import _done_wish

    assert _done_wish(T.parse(text)) is None
