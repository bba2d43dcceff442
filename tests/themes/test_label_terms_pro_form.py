"""Drafted heading names: a pro-form ("ones") stands for a noun said elsewhere and names no topic."""
from __future__ import annotations

from pipeline import text as T
from pipeline.themes.codebook_draft import _phrases, _terms


def test_ones_is_no_heading_term_or_phrase_but_the_nouns_beside_it_are():
    doc = T.parse("We want new ones by the park and a bigger bus shelter")
    terms = _terms(doc)
    assert "one" not in terms and not any(t.endswith(" one") for t in terms)
    assert "shelter" in terms and "park" in terms
    keys = [key for key, _ in _phrases(doc)]
    assert all(key[-1] != "one" for key in keys) and any(key[-1] == "shelter" for key in keys)


def test_no_label_candidate_starts_or_ends_inside_a_hyphenated_word():
    """'co-ordinating and supporting ...' must not give the candidate 'ordinating and supporting ...'."""
    from pipeline.themes.label import label_candidates

    cands = label_candidates(["It was suggested as a way of co-ordinating and supporting community cohesion "
                              "action.", "We want a drop-in youth centre open at weekends"])
    assert cands and not any(c.lower().startswith(("ordinating", "in youth")) for c in cands)
    assert not any(c.lower().endswith((" co", " drop")) for c in cands)


def test_a_notes_lead_before_its_first_comma_is_a_label_candidate_and_a_misparsed_join_is_not():
    """'Damp and mould in flats, especially ...' gives its lead; '(take) months and tenants (are scared)' joins an
    object to the next clause's subject and is no phrase."""
    from pipeline.themes.label import label_candidates

    cands = label_candidates(["Damp and mould in flats, especially the estate, repairs take months and tenants are "
                              "scared to complain", "Better co-ordination between groups - we never hear about events"])
    assert "Damp and mould in flats" in cands and "Better co-ordination between groups" in cands
    assert "months and tenants" not in cands and not any(c.startswith("ordination") for c in cands)


def test_who_spoke_when_and_vague_nouns_are_no_heading_terms_but_the_topics_beside_them_are():
    doc = T.parse("10:05 Man with a dog said the work on the play park in July was a good time waste, stuff everywhere")
    terms = _terms(doc)
    assert not {"man", "July", "july", "work", "stuff", "good time"} & terms
    assert "park" in terms and "play park" in terms
    keys = [key for key, _ in _phrases(doc)]
    assert not any(key[-1] in ("man", "july", "July", "time") or key == ("work",) for key in keys)
    assert ("play", "park") in keys
