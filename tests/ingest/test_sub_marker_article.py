"""A bullet opening with the article "a" before a capitalised word keeps it: "a" is a word, not a list letter."""
from __future__ import annotations

from pipeline.ingest.notes import parse_notes

NOTES = """What would make the estate safer?
- a PCSO we actually see, not just at election time
- b) Better lighting on the footpath
- iv CCTV by the garages
- a. Fewer parked vans on the corner
"""


def test_an_article_before_a_capital_is_kept_and_real_sub_markers_are_dropped():
    segments, _ = parse_notes(NOTES, "notes.txt", "ev")
    texts = [s.text for s in segments]
    assert "a PCSO we actually see, not just at election time" in texts
    assert "Better lighting on the footpath" in texts and "CCTV by the garages" in texts
    assert "Fewer parked vans on the corner" in texts
