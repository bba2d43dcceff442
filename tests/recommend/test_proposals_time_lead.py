"""A time before the ask ("Next time", "In future") does not hide the imperative after it."""
from __future__ import annotations

import pytest

from pipeline.recommend.proposals import proposal_form


@pytest.mark.parametrize("text, form", [
    ("Next time bring someone from the housing team who can answer questions.", "imperative"),
    ("In future, publish the minutes within a fortnight.", "imperative"),
    ("Going forward, keep the library open on Saturdays.", "imperative"),
    ("Next time was much better organised.", None),  # no ask after the time
    ("Next year the centre closes for good.", None),
])
def test_a_time_lead_is_read_past(text, form):
    assert proposal_form(text, section=["Any other comments"]) == form
