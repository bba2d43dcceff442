"""Privacy with Presidio (issue 12): the UK recognisers, our own recognisers for what Presidio lacks (one test
each), the case file of lower-case NI numbers and postcodes, and names in ordinary sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.redact import Redactor

CASES = Path(__file__).resolve().parent.parent / "data" / "cases" / "reliability"


def redact(text: str) -> str:
    return Redactor(engine="presidio").fit([text]).redact(text)[0]


@pytest.mark.parametrize("text, expected", [
    # Presidio's own recognisers
    ("My NHS number is 943 476 5919 and it was lost", "My NHS number is [NHS] and it was lost"),
    ("NI number ab123456c on the form", "NI number [NI] on the form"),
    ("Forms asked for jg 10 37 59 a twice", "Forms asked for [NI] twice"),
    ("Residents near l18 1ab want bins", "Residents near [POSTCODE] want bins"),
    ("Call 0151 496 0732 after four", "Call [PHONE] after four"),
    ("Mail KAREN.SMITH@EXAMPLE.COM today", "Mail [EMAIL] today"),
    ("The log showed 203.0.113.17 beside my name", "The log showed [IP] beside my name"),
    # our recognisers: obfuscated e-mail, address, date of birth, handle, phone shape
    ("Write to jane at example dot com for the rota", "Write to [EMAIL] for the rota"),
    ("email me: tom.price [at] example [dot] org", "email me: [EMAIL]"),
    ("I live at 14 Acacia Avenue and the damp is worse", "I live at [ADDRESS] and the damp is worse"),
    ("The leak is at Flat 3, 27 Brook Street now", "The leak is at [ADDRESS] now"),
    ("I was born on 3 May 1961 and never asked", "I was born on [DOB] and never asked"),
    ("DOB: 07-11-1990", "DOB: [DOB]"),
    ("Follow @SpekeYouthHub for updates", "Follow [HANDLE] for updates"),
    ("Text 07700 900461 if the minibus is late", "Text [PHONE] if the minibus is late"),  # a drama-range number
])
def test_each_recogniser(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text, name", [
    ("Karen thinks the buses to the hospital are too expensive", "Karen"),
    ("We asked Mohammed about the youth centre", "Mohammed"),
    ("Siobhán O'Neill runs the homework club", "Siobhán O'Neill"),
    ("Zoë Kowalczyk's grant application was turned down", "Zoë Kowalczyk"),
    ("My neighbour D'Arcy Fitzgerald has waited a year", "D'Arcy Fitzgerald"),
    ("Łukasz and Agnieszka want Polish classes", "Łukasz"),
    ("When Nkechi complained, the officer laughed", "Nkechi"),
    ("the person who helped me was jamal from the advice centre", "jamal"),
])
def test_names_in_ordinary_sentences_possessives_accents(text, name):
    out = redact(text)
    assert name not in out and "[PERSON]" in out


@pytest.mark.parametrize("text", [
    "Liverpool City Council and Halton Housing both spoke at the meeting",
    "Everyone in Everton knows the youth club has gone",
    "The bus shelter on Mill Road has no roof",
    "Children and young people need more support in Nottinghamshire",
    "Asylum Seekers - isolation",
    "15 different policies in place across the region",
    "Covid 19 closed the day centre in Britain and in Wales",
])
def test_organisations_places_and_ordinary_words_survive(text):
    assert redact(text) == text


def test_the_case_file_lower_case_ni_and_postcodes_and_names():
    lines = (CASES / "FAIL_privacy_lowercase_ni_postcode.txt").read_text(encoding="utf-8").splitlines()
    red = Redactor(engine="presidio").fit(lines)
    out = "\n".join(red.redact(line)[0] for line in lines)
    for detail in ("AB123456C", "jg 10 37 59 a", "JG 10 37 59 A", "ab123456c", "l18 1ab", "sw1a 1aa", "L18 1AB",
                   "SW1A 1AA", "Tariq", "Karen", "Mohammed"):
        assert detail not in out, detail
    assert red.redact_document("\n".join(lines)) == out  # the whole file, as exports and views show it


def test_a_name_found_once_is_hidden_everywhere():
    red = Redactor(engine="presidio").fit(["Priya Patel, Partnerships Manager", "Thanks to Priya Patel for the notes"])
    assert red.redact("Thanks to Priya Patel for the notes")[0] == "Thanks to [PERSON] for the notes"


def test_rules_engine_is_still_there_for_the_benchmark():
    red = Redactor(engine="rules").fit(["Call 0151 496 0732"])
    assert red.backend_ in ("rules", "spacy+rules") and red.redact("Call 0151 496 0732")[0] == "Call [PHONE]"


def test_labelled_set_recall_stays_high():
    """The held-out labelled set of benchmarks/redaction.py: at least 90% of its details redacted."""
    import sys

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "benchmarks"))
    import redaction

    items = redaction.load(root / "benchmarks" / "data" / "privacy" / "heldout.txt")
    red = Redactor(engine="presidio").fit([i.text for i in items])
    result = redaction.score(items, [red.redact(i.text)[0] for i in items])
    assert sum(result["hit"].values()) >= 0.9 * sum(result["total"].values())
    assert result["keep"][0] >= result["keep"][1] - 2


def _sample_texts() -> list[str]:
    """Lines of both labelled privacy sets (markup removed), the case file, bundled sentences and odd ids."""
    import re

    root = Path(__file__).resolve().parents[2]
    texts = []
    for name in ("labelled.txt", "heldout.txt"):
        for line in (root / "benchmarks" / "data" / "privacy" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(re.sub(r"\[\[[A-Z]+:(.*?)\]\]", r"\1", line))
    texts += (CASES / "FAIL_privacy_lowercase_ni_postcode.txt").read_text(encoding="utf-8").splitlines()
    corpus = (root / "corpora" / "vs6-assemblies-2020.txt").read_text(encoding="utf-8").splitlines()
    texts += [line for line in corpus if line.strip()][:300]
    texts += ["R0000001", "ID 2024-0117", "ab 12 34 56 c", "sw1a1aa", "10.0.0.1", "2001:db8::1", "see x.com",
              "Thanks. Brilliant!", "Thanks, Darlington.", "I told Thanks.", "Dr Thanks.", "born 1/2/83",
              "GIR 0AA", "w1a0ax", "fe80::1 in the log", ":: alone", "9 larch close", "Flat 2b, 7 Elm Mews.",
              'see "www.example.org/x" and https://a.b.co.uk/p?q=1, or x.com.', "arrived at 11.00 p.m",
              "10:30 at 5pm on 2nd May"]
    return texts


def test_entity_hints_are_implied_by_every_recogniser():
    """`entities_for` leaves a recogniser out only when it could not match: on every sample text, each
    recogniser run on its own finds nothing (that would be kept) which entities_for did not ask for."""
    from pipeline.ingest import pii

    analyzer, engine = pii._analyzer()
    nlp = engine.nlp["en"]
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    # Presidio's own URL recogniser, not our per-token one (which uses the hint itself)
    recognisers = [r for r in analyzer.registry.recognizers if r.name not in ("SpacyRecognizer", "TokenUrl")]
    recognisers.append(UrlRecognizer())
    missed = []
    for text in _sample_texts():
        asked = set(pii.entities_for(text))
        art = engine._doc_to_nlp_artifact(nlp.make_doc(text), "en")
        for rec in recognisers:
            for entity in rec.supported_entities:
                found = [r for r in rec.analyze(text, [entity], art)
                         if r.score >= pii.MIN_SCORE.get(entity, pii.DEFAULT_MIN_SCORE)]
                if entity not in asked and found:
                    missed.append((text, entity))
    assert not missed


def test_url_per_token_finds_what_presidio_finds():
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    from pipeline.ingest import pii

    analyzer, _ = pii._analyzer()
    ours = next(r for r in analyzer.registry.recognizers if r.name == "TokenUrl")
    texts = _sample_texts() + ["a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.com/a\u00a0b.org", "good.Make it"]

    def spans(rec, text):
        return sorted((r.start, r.end, r.score) for r in rec.analyze(text, ["URL"], None))

    assert [spans(ours, t) for t in texts] == [spans(UrlRecognizer(), t) for t in texts]
    assert spans(ours, "see www.example.org/x today") == [(4, 21, 0.5)]


def test_ner_only_where_it_could_matter_changes_nothing(monkeypatch):
    """NER run on every text and NER run only where `names.ner_could_keep` says so give the same details."""
    from pipeline.ingest import names, pii

    texts = _sample_texts()
    gated = pii.PiiFinder(KINDS_ALL).fit(texts)
    monkeypatch.setattr(names, "might_name", lambda text: True)
    monkeypatch.setattr(names, "ner_could_keep", lambda text, ordinary=(), memo=None: True)
    everywhere = pii.PiiFinder(KINDS_ALL).fit(texts)
    assert [gated.redact(t)[0] for t in texts] == [everywhere.redact(t)[0] for t in texts]
    assert gated.names_ == everywhere.names_


KINDS_ALL = ("EMAIL", "URL", "IP", "NHS", "NI", "POSTCODE", "PHONE", "ADDRESS", "DOB", "HANDLE", "PERSON")


def test_analysis_in_worker_processes_gives_what_one_process_gives(monkeypatch):
    """A large run analyses its texts in one worker process per core (`PARALLEL_FROM`); here forced on a
    small sample cut into many chunks: the same details, names and redactions, in the same order."""
    from pipeline.ingest import pii

    texts = _sample_texts()
    alone = pii.PiiFinder(KINDS_ALL).fit(texts)
    monkeypatch.setattr(pii, "PARALLEL_FROM", 2)
    monkeypatch.setattr(pii, "PARALLEL_CHUNK", max(1, len(texts) // 5))
    spawned: list[int] = []
    real = pii.PiiFinder._analyze_in_workers
    monkeypatch.setattr(pii.PiiFinder, "_analyze_in_workers",
                        lambda self, t, workers: spawned.append(workers) or real(self, t, 2))
    workers = pii.PiiFinder(KINDS_ALL).fit(texts)
    assert spawned  # the worker path ran
    assert list(workers._cache) == list(alone._cache)
    key = lambda finder: [[(r.entity_type, r.start, r.end, r.score) for r in finder._cache[t]] for t in finder._cache]  # noqa: E731
    assert key(workers) == key(alone) and any(key(alone))
    assert workers.names_ == alone.names_
    assert [workers.redact(t)[0] for t in texts] == [alone.redact(t)[0] for t in texts]


def test_a_month_and_a_contraction_are_not_names_but_a_first_name_still_is():
    texts = ["reps aren't paid, so only people with salaried jobs can do it", "Plan to go to the Board 23 Jan",
             "agree some asks to take to the Health & Wellbeing Board in Jan", "it was jamal from the housing office"]
    redactor = Redactor().fit(texts)
    out = [redactor.redact(t)[0] for t in texts]
    assert out[:3] == texts[:3]
    assert out[3] == "it was [PERSON] from the housing office"


def test_a_title_makes_a_person_and_organisations_and_inflected_words_are_not_names():
    texts = ["Mrs Doreen Pickles at no.14 goes days without seeing anyone",   # NER calls it an organisation
             "-> people said that's exactly the problem",                   # "said" is of "say", not Said
             "Men's shed for the Fell End area",                           # "men" is of "man"
             "social prescriber at the surgery (Wensley Surgery) really helpful",
             "I told Grace about the bus"]
    redactor = Redactor().fit(texts)
    out = [redactor.redact(t)[0] for t in texts]
    assert out[0] == "Mrs [PERSON] at no.14 goes days without seeing anyone"
    assert out[1:4] == texts[1:4]
    assert out[4] == "I told [PERSON] about the bus"


def test_a_single_letter_is_no_name():
    text = "As a parent, the GP told us to go to A&E. A&E told us to go to the GP."
    assert Redactor().fit([text]).redact(text)[0] == text
