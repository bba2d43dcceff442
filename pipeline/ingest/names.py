"""Personal names that statistical NER misses, found by rules, cue words and a list of first names.

Used by `pii` (as a Presidio recogniser) beside spaCy's NER. A capitalised word or run of words
("Siobhán O'Neill", "Łukasz", "D'Arcy Fitzgerald", "Jean-Luc Mbappé") is a name when

- today's rules find it (`redact`: after a title, before a role, "contact X", "X said");
- its first word is a known first name (gender-guesser's list of about 45,000 names from many countries;
  only the names are used) and, alone, is not also an English word ("Grace", "May", "Will");
- a cue word stands beside it: "told X", "rang X", "my son X", "X's", "X thinks", "X and I";
- in text typed all in lower case, a known first name that is no English word ("it was jamal from ...").

Never a name: a country or a UK/Irish county, district or city (pycountry), a run that follows "in", "near", "from"... (a place), a run with an organisation word
(`redact.ORG_WORDS`), or ordinary words (spaCy's English lookups, stop words, or words the run also
writes in lower case).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .. import text as T
from . import namerules as rules

# a word in any cased script: "Łukasz", "O'Neill", "D'Arcy", "Jean-Luc" ("Marguerite's" stops before 's)
NAME_TOKEN = r"(?:[OD]['’])?[^\W\d_][^\W\d_]*(?:-[^\W\d_]+)*"
WORD_TOKEN_RE = re.compile(rf"(?<![\w@.]){NAME_TOKEN}")
CAPITAL_RE = re.compile(r"(?<![\w])[^\W\d_a-zß-ÿ][^\W\d_]+")
LOWER_TOKEN_RE = re.compile(r"(?<![\w@.])[a-zß-öø-ÿ]+(?![\w@])(?!['’](?:t|re|ve|ll|d)\b)")  # "aren't" holds no name
KIN_RE = re.compile(r"\b(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is|[Tt]heir)\s+(?:son|daughter|mum|mother|dad|father|husband|wife|"
                    r"partner|neighbour|carer|friend|brother|sister|nan|gran|grandson|granddaughter|cousin|niece|"
                    r"nephew|boss|colleague|key worker|support worker|social worker|teacher|tutor)\s+$")
CUE_BEFORE_RE = re.compile(r"\b(?:[Rr]ang|[Cc]alled|[Tt]exted|[Ee]-?mailed|[Pp]honed|[Mm]essaged|[Aa]sked|[Tt]old|"
                           r"[Tt]hank|[Tt]hanks to|[Aa]sk|[Rr]ing|[Cc]all|[Tt]ext|[Mm]essage|[Ss]poke (?:to|with)|"
                           r"[Ss]peak (?:to|with)|[Tt]alk(?:ed)? (?:to|with)|[Pp]ass this on to|[Hh]elped|[Mm]et|"
                           r"[Ww]hen|[Ll]ed by|[Ii] am|[Ii]'m|[Mm]y name is|[Nn]amed|[Ll]et)\s+$")
CUE_AFTER_RE = re.compile(r"^(?:['’]s\b|\s+(?:said|says|told|asked|thinks|thought|wants|wanted|explained|mentioned|"
                          r"suggested|added|complained|runs|ran|helps|helped|lost|and I\b))")
LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|near|around|across|throughout|outside|inside|towards|to|from|of|at|on|via)"
                                r"\s+$", re.I)
MONTHS = frozenset({"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
                    "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
                    "december"})
DATE_BEFORE_RE = re.compile(r"(\b(in|on|by|from|until|till|since|of|early|late|mid|end|next|last|before|after|this)\s+|"
                            r"\d\s*)$", re.I)
SENTENCE_START_WORDS = frozenset("""the a an we i it this that there they our my you he she his her their if when
in on at for to of and but or so please more less need needs make keep stop no not yes all some most many every
people young older local what why how who where which would should could can will do does did have has had
better""".split())
CUE_WORDS = frozenset({"when", "ask", "thank", "thanks", "call", "ring", "text", "message", "met", "dear", "hi",
                       "hello", "ms", "mr", "mrs", "dr", "cllr"})
# words before a name that stay readable: titles, cue words, sentence openers ("Mrs Okonkwo" -> "Okonkwo")
LEADING_NOT_NAME_RE = re.compile(
    r"(?:(?:" + rules.TITLES + r"|PC|DC|Sgt)\.?\s+|(?:" + "|".join(sorted(CUE_WORDS | SENTENCE_START_WORDS)) +
    r")\s+)+", re.I)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """About 45,000 first names from many countries (gender-guesser's name list; gender is not used)."""
    import gender_guesser.detector as gd

    return frozenset(n.lower() for n in gd.Detector(case_sensitive=False).names)


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Country names and the UK's and Ireland's counties, districts and cities (pycountry): never names."""
    import pycountry

    out = {"Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "UK", "Ireland"}
    for c in pycountry.countries:
        out.update(getattr(c, k) for k in ("name", "common_name", "official_name") if hasattr(c, k))
    for code in ("GB", "IE"):
        for sub in pycountry.subdivisions.get(country_code=code):
            name = re.sub(r"\s*\[.*?\]", "", sub.name)
            out.add(name.split(",")[0].strip())
    return frozenset(out)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def common(word: str, ordinary: Iterable[str] = frozenset()) -> bool:
    """An ordinary word: English (spaCy lookups), a stop word, or written in lower case elsewhere in the run."""
    lw = word.lower().rstrip("'’")
    forms = {lw, lw[:-1] if lw.endswith("s") else lw, lw[:-3] + "y" if lw.endswith("ies") else lw}
    english = rules._english_words()
    # an inflected form counts too ("men" of "man", "said" of "say"): the word list holds base forms
    return any(f in english or f in stop_words() or f in ordinary for f in forms) or T.lemma(lw) != lw


def is_first_name(word: str, strict: bool) -> bool:
    """A known first name ("Jean-Luc": either part); `strict` also refuses English words (Grace, May, Will)."""
    lw = word.lower()
    if not any(p in first_names() or p.title() in rules.FIRST_NAMES for p in [lw, *lw.split("-")]):
        return False
    return not (strict and (lw in rules._english_words() or lw in stop_words()))


def has_cue(before: str, after: str) -> bool:
    return bool(KIN_RE.search(before) or CUE_BEFORE_RE.search(before) or CUE_AFTER_RE.match(after))


def might_name(text: str) -> bool:
    """Cheap test before NER: a capitalised word that is neither an acronym, an ordinary English word
    ('The', 'Council', 'Park') nor an organisation word."""
    for m in CAPITAL_RE.finditer(text):
        w = m.group(0)
        if w.isupper():
            continue
        lw = w.lower().rstrip("'’")
        if lw not in SENTENCE_START_WORDS and lw not in rules._english_words() and w not in rules.ORG_WORDS:
            return True
    return False


SPACE_TOKEN_RE = re.compile(r"\S+")


def ner_could_keep(text: str, ordinary: Iterable[str] = frozenset(), memo: dict | None = None) -> bool:
    """Whether spaCy could find a person in `text` that `pii.PiiFinder._keep` would keep, so NER is worth
    running (on NHS comments about 5% of texts, against 36% for `might_name` alone).

    A kept NER person has a word that starts with a capital, has no digit, is no organisation, role or
    acronym word, and is not `common` (English, a stop word, or written in lower case in the run:
    `ordinary`); and that word is either one of several (so a neighbouring whitespace token has a
    capital) or alone, when it must be a first name or have a cue word beside it. Span words are pieces
    of a whitespace token cut where spaCy can cut one (at a letter / non-letter boundary: "Thanks.",
    "Sunderland's"), so every such piece is tried. `memo`: a dict reused across calls (word -> common?)."""
    memo = {} if memo is None else memo

    def plain(word: str) -> bool:
        hit = memo.get(word)
        if hit is None:
            bare = word.strip(".,")
            hit = memo[word] = (common(word, ordinary) or bare in rules.ORG_WORDS or bare in rules.ROLE_WORDS
                                or bare.isupper() and len(bare) > 1)
        return hit

    def joins(word: str) -> bool:  # can be a word of a kept span (`_is_name`, no digit)
        bare = word.strip(".,")
        return not (any(c.isdigit() for c in word) or bare in rules.ORG_WORDS or bare in rules.ROLE_WORDS
                    or bare.isupper() and len(bare) > 1)

    def cuts(tok: str) -> list[int]:
        return [j for j in range(1, len(tok) + 1) if j == len(tok) or not (tok[j - 1].isalpha() and tok[j].isalpha())]

    def starts(tok: str) -> list[int]:
        return [i for i in range(len(tok)) if tok[i].isupper() and not (i and tok[i - 1].isalpha())]

    def run_beside(k: int) -> bool:
        """A span word could sit next to token k: the previous word ends a token where a capitalised piece
        starts, the next word begins a token with a capital."""
        before = tokens[k - 1].group(0) if k > 0 else ""
        after = tokens[k + 1].group(0) if k + 1 < len(tokens) else ""
        return any(joins(before[i:]) for i in starts(before)) or \
            bool(after[:1].isupper() and any(joins(after[:j]) for j in cuts(after)))

    tokens = list(SPACE_TOKEN_RE.finditer(text))
    for k, m in enumerate(tokens):
        tok = m.group(0)
        if tok == tok.lower():
            continue  # no capital letter
        ends = cuts(tok)
        for i in starts(tok):
            for j in ends:
                if j <= i:
                    continue
                word = tok[i:j]
                if any(c.isdigit() for c in word):
                    break  # a longer piece has the digit too
                if plain(word):
                    continue
                # kept in a run of capitalised words, or alone as a first name or beside a cue word
                start, end = m.start() + i, m.start() + j
                if run_beside(k) or is_first_name(word, strict=False) or has_cue(text[:start], text[end:]):
                    return True
    return False


def capitalised_runs(text: str):
    """(start, end) of each run of capitalised words separated by single spaces ("Siobhán O'Neill")."""
    run = None
    for m in WORD_TOKEN_RE.finditer(text):
        w = m.group(0)
        cap = w[0].isupper() or w[:2] in ("O'", "D'", "O’", "D’") and w[2:3].isupper()
        if cap and run and text[run[1]:m.start()] == " ":
            run[1] = m.end()
            continue
        if run:
            yield run[0], run[1]
        run = [m.start(), m.end()] if cap else None
    if run:
        yield run[0], run[1]


def find_names(text: str, known: Iterable[str] = (), ordinary: Iterable[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of personal names in `text` by rules, cues and first names; `known`: names found elsewhere
    in the run; `ordinary`: words the run writes in lower case."""
    spans = []
    for name in set(rules.rule_names(text)) | set(known):
        spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    for start, end in capitalised_runs(text):
        words = text[start:end].split()
        if any(not p[:1].isupper() for w in words for p in w.split("-")):
            continue  # "Anti-discriminatory", "Co-development"
        while words and words[0].lower() in SENTENCE_START_WORDS | CUE_WORDS:
            start += len(words[0]) + 1
            words = words[1:]
        if not words or not rules._is_name(words) or rules._org_follows(text, end) or " ".join(words) in places() or \
                len(words) == 1 and len(words[0]) < 2:  # "E" of "A&E told us ..."
            continue
        before, after = text[:start], text[end:]
        if len(words) == 1 and words[0].lower().rstrip(".") in MONTHS and (DATE_BEFORE_RE.search(before) or
                                                                          re.match(r"\s*\d", after)):
            continue  # "the Board in Jan", "23 Jan": a month
        cue = has_cue(before, after)
        locative = bool(LOCATIVE_BEFORE_RE.search(before))
        first = words[0]
        sentence_start = not before.strip() or before.rstrip()[-1:] in '.!?:;"(-•*'
        if len(words) >= 2 and is_first_name(first, strict=False) and not all(common(w, ordinary) for w in words):
            spans.append((start, end))  # "Precious Adeyemi", "Siobhán O'Neill"
        elif is_first_name(first, strict=True) and not (locative and len(words) == 1) \
                and not common(first, ordinary):
            spans.append((start, end))  # "Aoife", "Łukasz"
        elif cue and not locative and (not sentence_start or CUE_AFTER_RE.match(after)) \
                and first.lower() not in SENTENCE_START_WORDS and not common(first, ordinary):
            spans.append((start, end))  # "When Nkechi complained"
        elif cue and is_first_name(first, strict=False) and not (
                common(first, ordinary) and re.match(r"['’]s\b", after) and not has_cue(before, "")):
            spans.append((start, end))  # "I told Grace"; not "Men's shed", a word whose only cue is its 's
    if text == text.lower():  # someone who types everything in lower case: "it was jamal from ..."
        for m in LOWER_TOKEN_RE.finditer(text):
            w = m.group(0)
            if len(w) > 3 and w in first_names() and not common(w) and T.lemma(w) == w:  # "said" is of "say"
                spans.append(m.span())
    return spans
