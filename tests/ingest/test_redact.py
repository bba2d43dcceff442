"""Privacy by default: contact details and personal names are replaced before anything is embedded or written."""
from __future__ import annotations

import re

import pytest

from pipeline.ingest import ingest, ingest_file
from pipeline.ingest.redact import Redactor, redact_text


@pytest.mark.parametrize("text, expected", [
    ("E: Karen.conway@vsnw.org.uk", "E: [EMAIL]"),
    ("Tel 0121 224 8210", "Tel [PHONE]"),
    ("Call +44 (0)151 227 5177 or 07700 900123 today", "Call [PHONE] or [PHONE] today"),
    ("W: www.vs6partnership.org.uk.", "W: [URL]."),
    ("See https://liverpool.gov.uk/council/strategies/ for more", "See [URL] for more"),
    ("Digbeth, Birmingham B9 4AA", "Digbeth, Birmingham [POSTCODE]"),
    ("NI number AB 12 34 56 C on the form", "NI number [NI] on the form"),
    ("Cllr Frank Hont - Cabinet Member for Housing", "Cllr [PERSON] - Cabinet Member for Housing"),
    ("Tracey Gore, Director, Steve Biko Housing", "[PERSON], Director, Steve Biko Housing"),
    ("Karen Conway, Partnerships Manager, VSNW", "[PERSON], Partnerships Manager, VSNW"),
    ("Dr A. Khan opened the session", "Dr [PERSON] opened the session"),
])
def test_each_kind_is_replaced(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [
    "In 2015 and 2016 about 0.5 to 1.5 per cent, 8,600 groups and 24,000 staff; see 01/02/2020",
    "Steve Biko Housing and Liverpool City Council both spoke for the Wirral Multicultural Organisation",
    "The Lord Mayor and the Metro Mayor attended with the COVID-19 and BAME leads",
    "Workshop A: What are the issues? Table 3 and Section 2.1 of the M62 corridor plan",
])
def test_ordinary_text_numbers_and_organisations_are_kept(text):
    assert redact_text(text) == text


def test_a_name_found_once_is_hidden_everywhere_in_the_run():
    redactor = Redactor().fit(["Karen Conway, Partnerships Manager, VSNW", "We thanked Karen Conway for the notes"])
    assert redactor.redact("We thanked Karen Conway for the notes")[0] == "We thanked [PERSON] for the notes"
    assert redactor.names_ == ["Karen Conway"]


def test_spacy_names_are_used_when_a_pipeline_is_given():
    """The optional English pipeline's PERSON entities (a fake pipeline stands in for it here)."""
    class FakeEnt:
        def __init__(self, doc, start, end, label):
            self.label_ = label
            self.end_char = end
            self._tokens = [type("Tok", (), {"text": w})() for w in doc.text[start:end].split()]

        def __iter__(self):
            return iter(self._tokens)

    class FakeDoc:
        def __init__(self, text):
            self.text = text
            i = text.find("Amara Obi")
            self.ents = [FakeEnt(self, i, i + len("Amara Obi"), "PERSON")] if i >= 0 else []

    class FakeNlp:  # a fake of spaCy's Language.pipe, for this unit test only
        def pipe(self, texts, batch_size=64):
            return (FakeDoc(t) for t in texts)

    texts = ["Amara Obi told the group about the food bank queues"]
    assert Redactor(names="rules").fit(texts).redact(texts[0])[0] == texts[0]  # no rule catches this name
    with_model = Redactor(nlp=FakeNlp()).fit(texts)
    assert with_model.backend_ == "spacy+rules"
    assert with_model.redact(texts[0])[0] == "[PERSON] told the group about the food bank queues"


def test_counts_go_to_each_files_report_and_no_redact_turns_it_off(corpora_dir):
    result = ingest([corpora_dir / "vs6-assemblies-2020.txt", corpora_dir / "wm-bme-engagement-2005.txt"])
    vs6, wm = result.reports
    assert vs6.redactions["EMAIL"] == 1 and vs6.redactions["URL"] == 1 and vs6.redactions["PERSON"] >= 3
    # (the office address above them, "601 Custard Factory / Gibb Street", may be redacted as an ADDRESS too)
    assert {k: v for k, v in wm.redactions.items() if k != "ADDRESS"} == {"PHONE": 1, "POSTCODE": 1}
    everything = " ".join([s.text for s in result.segments] + [d.text for r in result.reports for d in r.dropped])
    assert "Karen.conway@vsnw.org.uk" not in everything and "0121 224 8210" not in everything
    assert "Tracey Gore" not in everything
    plain = ingest([corpora_dir / "vs6-assemblies-2020.txt"], redact=False)
    assert plain.reports[0].redactions == {}
    assert any("Karen.conway@vsnw.org.uk" in d.text for d in plain.reports[0].dropped)


def test_survey_cells_and_attributes_are_redacted(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Area,Contact me,What should change?\n"
                    "North,jo@example.org,Ring me on 07700 900123 about the youth club closing early\n"
                    "South,,The bus to the hospital should run after six in the evening\n", encoding="utf-8")
    segments, report = ingest_file(path, text_column="What should change?")
    assert segments[0].text == "Ring me on [PHONE] about the youth club closing early"
    assert "jo@example.org" not in str(segments[0].attributes)
    assert report.redactions == {"PHONE": 1, "EMAIL": 1}
    assert not re.search(r"@|07700", str([s.__dict__ for s in segments]))


@pytest.mark.parametrize("text, hidden, kept", [
    ("Contact Jane at jane@example.org or call 0151 496 0000", "Jane", "Contact"),
    ("Speak to Ahmed Khan on Tuesday about the hub", "Ahmed Khan", "Tuesday"),
    ("Karen said the drop-in had closed", "Karen", "drop-in"),
    ("Contact Liverpool CVS for support", None, "Liverpool CVS"),
    ("Call Merseyside Police if you are worried", None, "Merseyside Police"),
])
def test_names_beside_contact_details_and_speakers_are_hidden(text, hidden, kept):
    from pipeline.ingest.redact import redact_text

    out = redact_text(text)
    assert kept in out
    if hidden:
        assert hidden not in out and "[PERSON]" in out
    else:
        assert "[PERSON]" not in out
