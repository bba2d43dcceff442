"""Wording of recommendations: each rewriting rule, the style check, pronouns, typos, fallbacks.

These use the packaged spaCy model (en_core_web_sm), not a fake: the rules read its parse.
"""
from __future__ import annotations

import pytest

from pipeline.recommend.style import MAX_WORDS, style_problems
from pipeline.recommend.phrases import trim
from pipeline.recommend.wording import CHECK_WORDING, shape

RULES = [
    # (statement, expected draft, rule)
    ("Re-open a youth space in the town centre", "Re-open a youth space in the town centre", "imperative"),
    ("Fund detached youth workers who go to where young people already are",
     "Fund detached youth workers who go to where young people already are", "imperative"),
    ("Holding organisations to account", "Hold organisations to account", "gerund"),
    ("We need to work together across the sector", "Work together across the sector", "modal_generic"),
    ("The council should set up a rent deposit guarantee scheme for care leavers",
     "Ask the council to set up a rent deposit guarantee scheme for care leavers", "modal_actor"),
    ("Landlords need to fix damp and mould within a set time, and the council should enforce it properly",
     "Require landlords to fix damp and mould within a set time", "modal_actor"),
    ("Funding should be made simpler for small groups", "Make funding simpler for small groups", "modal_passive"),
    ("Mapping of BME community should happen around whole LCR",
     "Ensure mapping of BME community happens around whole LCR", "modal_thing"),
    ("there should be more youth workers on the estates", "Provide more youth workers on the estates", "wish"),
    ("Need training for housing officers on how to talk to young people with respect",
     "Provide training for housing officers on how to talk to young people with respect", "need"),
    ("no testing kits in other languages", "Provide testing kits in other languages", "lack"),
    ("More one bed homes for young people", "Provide more one bed homes for young people", "wish"),
    ("Better joined up working between housing and youth services",
     "Improve joined up working between housing and youth services", "wish"),
    ("Could empty shops on the high street be turned into youth space or homes?",
     "Turn empty shops on the high street into youth space or homes", "question"),
    ("To enhance the impact of support on small groups", "Enhance the impact of support on small groups", "infinitive"),
    ("Proper training and support for people in difficult conversations was seen as essential.",
     "Provide proper training and support for people in difficult conversations", "valued"),
    ("Across both sectors there is a need to strengthen approaches to learning from other partnerships.",
     "Strengthen approaches to learning from other partnerships", "need_to"),
]


@pytest.mark.parametrize("statement,expected,rule", RULES)
def test_each_rewriting_rule(statement, expected, rule):
    draft = shape(statement)
    assert draft.text == expected
    assert draft.rule == rule
    assert draft.problems == () and draft.flags == ()


def test_a_pronoun_takes_its_noun_from_the_context():
    draft = shape("Increase their penetration into BME VCOs",
                  context=["Generalist infrastructure support organisations have few BME members"])
    assert "their" not in draft.text.split()
    assert "organisations" in draft.text
    assert not style_problems(draft.text)


def test_an_unresolved_pronoun_falls_back_to_the_source_words_flagged():
    draft = shape("They need to be resourced properly")
    assert draft.rule.startswith("own_words")
    assert CHECK_WORDING in draft.flags
    assert draft.text.startswith("They need to be resourced properly")


def test_no_rule_means_own_words_flagged_never_work_towards():
    draft = shape("The Steering Group approved the minutes of the last meeting in March")
    assert not draft.text.lower().startswith("work towards")
    if draft.rule.startswith("own_words"):
        assert CHECK_WORDING in draft.flags


def test_typos_are_repaired_and_recorded():
    draft = shape("Mental health drop in at the youth space so young people dont have to wait 18 months")
    assert "don't" in draft.text and "dont" not in draft.text.split()
    assert any("dont" in e for e in draft.edits)
    draft = shape("Better joined up working between housing, youth services and the colleg")
    assert "college" in draft.text and "colleg " not in draft.text + " "
    assert any(e.startswith("colleg") for e in draft.edits)


def test_an_unknown_word_without_a_correction_is_flagged():
    draft = shape("Provide more zqxwvbn for young people")
    assert any(f.startswith("check spelling") for f in draft.flags)


def test_drafts_are_short():
    long = ("Provide a young persons housing advice drop in, one place where you can get help with deposits, "
            "benefits and tenancy rights, ideally at the college, open every evening and on weekends for everyone")
    draft = shape(long)
    assert len(draft.text.split()) <= MAX_WORDS
    assert not draft.text.endswith((" and", " the", " of", " e.g."))


def test_trim_never_leaves_a_dangling_eg():
    assert trim("Provide support for small groups e.g.") == "Provide support for small groups"
    assert not trim("Create local hubs in every ward, e.g. libraries, community centres and schools, "
                    "so that everyone can reach one within a short walk of home").endswith("e.g.")


@pytest.mark.parametrize("draft,rule", [
    ("Work towards the Steering Group approves the Objectives", "work_towards"),
    ("Increase their penetration into BME VCOs", "orphan_pronoun"),
    ("Ensure a commitment to continue providing grant funding also be made", "bare_be"),
    ("Ensure mapping of BME community happen around whole LCR", "agreement"),
    ("Provide support e.g.", "dangling_eg"),
    ("Young people need more space", "not_imperative"),
    ("Provide " + "more " * 25 + "homes", "too_long"),
    ("Could we have more buses?", "question"),
    ("Provide help • more buses", "stray_marker"),
])
def test_the_style_check_names_the_rule_a_draft_breaks(draft, rule):
    assert rule in style_problems(draft)


@pytest.mark.parametrize("draft", [
    "Provide testing kits in other languages",
    "Ask the council to set up a rent deposit guarantee scheme for care leavers and under 25s",
    "Make funding simpler for small groups",
    "Pay young people on the allocations panel for their time",
])
def test_good_drafts_pass_the_style_check(draft):
    assert style_problems(draft) == []


def test_local_words_are_not_called_typos():
    assert "unknown_word" in style_problems("Fund the qwertyplex youth hub")
    assert "unknown_word" not in style_problems("Fund the qwertyplex youth hub", vocabulary={"qwertyplex"})


@pytest.mark.parametrize("statement,expected", [
    ("Funders should have unconscious bias training", "Ensure funders have unconscious bias training"),
    ("Mentoring by people from BAME communities should be encouraged",
     "Encourage mentoring by people from BAME communities"),
    ("Funding is so short term – racism is still here – need longer term funding", "Provide longer term funding"),
    ("Place based care needs to be reviewed", "Review place based care"),
    ("On the contrary, BME organisations want to be able to access high quality services.",
     "Enable BME organisations to access high quality services"),
    ("Some contributors felt that there was little focus on the positive contributions of minority communities "
     "and these should be highlighted", "Highlight the positive contributions of minority communities"),
])
def test_more_wordings(statement, expected):
    assert shape(statement).text == expected


@pytest.mark.parametrize("statement", [
    "What needs to change",  # a prompt
    "Applies to other groups too",  # a sentence missing its subject
    "Can you give some examples of successful projects please?",  # asks the reader for information
])
def test_what_is_not_an_ask_is_kept_in_its_own_words_and_flagged(statement):
    draft = shape(statement)
    assert draft.rule.startswith("own_words") and CHECK_WORDING in draft.flags


def test_a_stated_challenge_is_read_as_the_action_that_meets_it():
    from pipeline.recommend.wording import shape_challenge_draft

    d = shape_challenge_draft("There has been a rise in reported hate crime in Liverpool in the last 12 months")
    assert d is not None and d.text == "Tackle the rise in reported hate crime in Liverpool" and d.rule == "challenge"
    d = shape_challenge_draft("Countering the speed of information circulated on social media was seen as a challenge.")
    assert d is not None and d.text == "Counter the speed of information circulated on social media"
    assert shape_challenge_draft("The panel met six times in 2016") is None
