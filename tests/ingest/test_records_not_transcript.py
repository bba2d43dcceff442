"""A schedule of labelled-field comment records read through the text reader (as `plenary run` reads it) is
records, not an interview transcript: its "Ref:" and "Officer response:" lines are fields, not speakers."""
from __future__ import annotations

from pipeline.api import Settings, read_corpus

RECORDS = """Parish plan: comments received and responses

Ref: 7/01
Sender: Resident, Church Lane
Comment: The village needs a safe crossing by the school. Children cross between parked cars every morning.
Officer response: Noted. Highways have been asked to assess the site.

Ref: 7/02
Sender: Resident, Mill Row
Comment: Please keep the allotments. They are the only green space at this end of the village.
Officer response: Agreed. The allotments are protected in policy E1.

Ref: 7/03
Sender: Parish Council
Comment: We support the plan but would like more parking at the surgery.
Officer response: Support welcomed.
"""

INTERVIEW = """Interview with a tenant, March

Interviewer: How long have you lived on the estate?
Tenant: Twelve years, in the same flat.
Interviewer: What would you change first?
Tenant: The damp. Every winter the bedroom walls go black.
Interviewer: Anything else?
Tenant: A bus that runs after seven would help.
"""


def _statements(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    corpus = read_corpus([path], Settings(redact=False))
    return list(corpus.segments), corpus.reports[0]


def test_labelled_field_records_are_read_as_records_not_as_speaker_turns(tmp_path):
    segments, report = _statements(tmp_path, "schedule.txt", RECORDS)
    texts = [s.text for s in segments]
    assert not any(t.startswith(("7/0", "Resident", "Parish Council")) for t in texts)  # metadata, not statements
    assert not any(t.startswith(("Noted", "Agreed", "Support welcomed")) for t in texts)  # the officer's replies
    assert any("safe crossing by the school" in t for t in texts)
    crossing = next(s for s in segments if "safe crossing" in s.text)
    assert crossing.attributes.get("Ref") == "7/01" and "speaker" not in crossing.attributes
    assert not any(note.startswith("transcript") for note in report.notes)


def test_an_interview_is_still_read_as_a_transcript(tmp_path):
    segments, report = _statements(tmp_path, "interview.txt", INTERVIEW)
    assert any(note.startswith("transcript") for note in report.notes)
    assert all(s.attributes.get("speaker") == "Tenant" for s in segments)
