"""Phrases: the word lists, clause splitting and parse helpers the wording rules share.

Everything here is plain text in, plain text out (or a spaCy Doc from `text.parse`). The rules live in
`rules`, except three readings of a wish that need nothing but the parse (`want_to`, `want_done`, `may_have`).
"""
from __future__ import annotations

import re

from .. import text as T
from . import parse as P
from ..themes.quotes import split_joins
from .style import (FUNCTION_END, MAX_WORDS, cut_infinitive, ends_on_place_letter, stranded_preposition, verb_particle,
                    words)


GENERIC_SUBJECTS = {"we", "you", "they", "us", "i", "everyone", "everybody", "one", "someone", "somebody", "people",
                    "organisations", "organizations", "groups", "communities", "partners", "stakeholders",
                    "agencies", "individuals", "all", "we all", "there", "all of us", "everyone involved"}
# verbs of having and knowing: "Funders should have training" asks that they have it, not that they act
STATE_VERBS = {"have", "get", "receive", "feel", "know", "understand", "be", "see", "hear", "gain", "reflect"}
PRONOUN_SUBJECTS = {"it", "this", "that", "these", "those", "they", "them"}
ACTOR_HEADS = {
    "council", "government", "authority", "landlord", "partnership", "organisation", "organization", "institution",
    "employer", "school", "college", "university", "agency", "provider", "commissioner", "funder", "police",
    "nhs", "board", "body", "leader", "officer", "staff", "member", "mayor", "department", "team", "partner",
    "group", "panel", "trust", "association", "charity", "vco", "company", "business", "manager", "politician",
    "councillor", "worker", "practitioner", "professional", "region", "city", "service", "sector", "infrastructure",
    "isos", "iso", "vcos", "vcs", "centre", "club", "network", "forum", "committee", "cabinet", "minister", "leadership",
    "community", "resident", "tenant", "parent", "volunteer", "funders", "commissioner", "institution", "hospital",
    "surgery", "practice", "gp", "pharmacy", "clinic",
}
STRONG_MODALS = {"must", "need", "needs", "needed", "have", "has", "require", "requires"}
SOFT_MODALS = {"should", "ought", "could", "might", "may", "shall", "would", "can"}
ABSTRACT_SUFFIX = re.compile(r"(ion|ment|ity|ness|ance|ence|ship|ism|acy|ing|age)s?$")
# heads of a problem named as a noun phrase: the ask is to tackle it, not to provide it
# nuisances named by an -ing noun ("flooding under the bridge", "speeding on the bypass"): problems, never orders
NUISANCE_INGS = {"flooding", "speeding", "littering", "fly-tipping", "flytipping", "dumping", "begging", "vaping",
                 "loitering"}
PROBLEM_HEADS = {"barrier", "problem", "issue", "racism", "discrimination", "inequality", "crisis", "assumption",
                 "perception", "misperception", "risk", "lack", "confusion", "fragmentation", "duplication",
                 "stigma", "prejudice", "myth", "misconception", "gap", "delay", "cut", "shortage", "isolation",
                 "poverty", "exclusion", "abuse", "harassment", "bias", "mistrust", "distrust", "fear", "damp",
                 "mould", "waiting", "wait", "cost", "fare", "rent", "hate", "violence", "bureaucracy", "vandalism",
                 "graffiti", "dealing"} | NUISANCE_INGS
ING_NOUNS = {"funding", "housing", "training", "meeting", "building", "wellbeing", "mentoring", "understanding",
             "being", "learning", "networking", "commissioning", "monitoring", "safeguarding", "schooling",
             "policing", "spending", "marketing", "thing", "something", "nothing", "everything", "evening",
             "morning", "feeling", "saying", "beginning"} | NUISANCE_INGS
MASS_NOUNS = {"advice", "support", "help", "funding", "money", "information", "training", "housing", "transport",
              "travel", "work", "research", "guidance", "time", "access", "investment", "resources", "staff",
              "leadership", "awareness", "understanding", "engagement", "representation", "evidence", "data",
              "outreach", "backfill", "childcare", "infrastructure", "capacity", "parking", "signage", "lighting",
              "seating", "fencing", "paving", "heating", "shelter", "security", "equipment", "furniture", "broadband",
              "wifi", "wi-fi", "cctv", "litter", "rubbish", "traffic", "noise", "healthcare", "software", "feedback"}
LEADING_ADVERBS = {"just", "please", "also", "simply", "then", "and", "so", "but", "maybe", "perhaps", "really",
                   "ideally", "finally", "instead", "further", "actually"}
PREFIX_RE = re.compile(r"^\s*((sub-?point|note|nb|comment|other|also|idea|suggestion|action|ask|proposal|"
                       r"recommendation|solution)s?\s*[:\-–—]\s*)", re.I)
REPORTED_RE = re.compile(r"^(it\s+(was|is|has\s+been)\s+(also\s+|further\s+|often\s+|widely\s+)?(suggested|proposed|recommended|agreed|felt|noted|"
                         r"recognised|acknowledged|accepted|said|argued)\s*,?\s+that\s+|"
                         r"(overall,?\s+|however,?\s+)*it\s+((would|does|did|might)\s+)?(seems?|appears?|is\s+(very\s+)?(probable|likely|"
                         r"clear|evident|apparent|fitting|recommended|suggested))(,?\s+(then|therefore|thus))?,?\s+that\s+|"
                         r"in\s+order\s+to\s+[^,]{3,80},\s+|"
                         r"(the\s+)?([\w-]+\s+)?(consensus|view|feeling|conclusion)\s+(was|is)\s+that\s+|"
                         r"there\s+(was|is)\s+(\w+\s+){0,2}?(agreement|consensus|feeling|sense|support)\s+that\s+|"
                         r"([\w'’,]+\s+){0,8}?(suggested|felt|said|agreed|stated|noted|proposed|recommended|"
                         r"believe[sd]?|thought|argued|recognised|recognized|acknowledged|accepted|emphasised|"
                         r"stressed|highlighted)\s+that\s+)", re.I)
DISCOURSE_RE = re.compile(r"^(in addition|also|however|therefore|equally|finally|further|furthermore|overall|"
                          r"ultimately|again|instead|as such|in particular|in practice|in short|in this respect|"
                          r"for (their|its|our) part|at the very least|on the contrary|nonetheless|similarly|likewise|"
                          r"across (the region|both sectors|the board)|above all|in the meantime|in future|as a minimum|"
                          r"in relation to [\w ]{1,40}|regardless of [\w ]{1,40}|currently|in (\w+ ){0,3}areas|"
                          r"as (noted|discussed|mentioned|shown|described|seen)( [\w ]{0,40}?)?)\s*,\s*", re.I)
# multi-word openers that are often written without a comma
OPENER_RE = re.compile(r"^(in this respect|across the region|across both sectors|for (their|its|our) part|"
                       r"at the very least|in (the|many|some) areas?|in the long term|in future|next time,?)\s+", re.I)
TOPIC_RE = re.compile(r"^(?P<topic>[\w&/' ]{2,30}?)\s*[:]\s+(?P<rest>\S.*)$")
THERE_BE_RE = re.compile(r"^there\s+(should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|will\s+need\s+to|"
                         r"could|would)\s+(also\s+)?be\s+(?P<rest>.+)$", re.I)
NEED_FOR_RE = re.compile(r"^(there\s+(is|was|remains)\s+(an?\s+)?(real\s+|clear\s+|urgent\s+|strong\s+|"
                         r"continuing\s+|ongoing\s+)?need\s+(for|of)\s+|(we\s+|they\s+|people\s+|i\s+)?(really\s+|also\s+|just\s+|"
                         r"still\s+)?(need|needs|want|wants|would\s+like|require|requires|call\s+for|ask\s+for)"
                         r"(\s+to\s+see)?\s+)(?P<rest>.+)$", re.I)
NEED_TO_RE = re.compile(r"^(there\s+(is|was)\s+(an?\s+)?(real\s+|clear\s+|urgent\s+)?need\s+to\s+|"
                        r"(need|needs|have|has)\s+to\s+)(?P<rest>.+)$", re.I)
LACK_RE = re.compile(r"^(there\s*(is|are|was|were|'s|’s|s)\s+)?(?P<kind>no|not\s+enough|not\s+(?:one|a\s+single)|a\s+lack\s+of|lack\s+of|"
                     r"insufficient|too\s+few|too\s+little|little|few|limited|poor|nowhere(\s+for)?|no\s+one\s+to)\s+"
                     r"(?P<rest>\w.+)$", re.I)
VALUED_RE = re.compile(r"^(?P<what>.+?)\s+(is|are|was|were|would\s+be|will\s+be)\s+(also\s+)?(seen\s+as\s+|felt\s+to\s+be\s+|"
                       r"considered\s+|thought\s+to\s+be\s+|really\s+|very\s+|particularly\s+)?(an?\s+)?"
                       r"(crucial|critical|paramount|essential|vital|key|important|needed|required|necessary|welcome|"
                       r"suggested|proposed|recommended|priority|must)\b.*$", re.I)
SUBORDINATOR_RE = re.compile(r"\s+(?=(so|so that|because|which|where|as|since|whilst|while|although)\s)", re.I)
TO_INF_RE = re.compile(r"^to\s+(?P<rest>[a-z].+)$", re.I)
CUT_MARKS = [r"\s*\([^)]*\)", r",?\s+(e\.g\.|eg|i\.e\.|ie|such as|including|for example|for instance)\b.*$",
             r"\s+[-–—]\s+.*$", r";.*$", r",\s+(which|who|where|as|because|since|but|rather|especially|"
                                       r"particularly|so|while|whilst|although|though|otherwise)\b.*$",
             r"\s+(so that|so|because|in order to|rather than|as well as|whilst|while)\b.*$",
             r",(?!\s*[\w’'-]+\s+(and|or)\s).*$"]  # never inside a list: "national, regional and local"


# verbs of liking and wanting, which open notes with their subject left out far more often than orders
FEELING_VERBS = {"love", "loved", "like", "liked", "hate", "enjoy", "enjoyed", "prefer", "want", "wants", "reckon"}
IDEA_OF_RE = re.compile(r"^(love|like|welcome|support)s?\s+the\s+(idea|plan|proposal)\s+(of|to)\s+(?P<rest>\w.+)$", re.I)
IMPORTANT_TO_RE = re.compile(r"^it\s+(is|was|would\s+be)\s+(also\s+)?(felt\s+|seen\s+as\s+|considered\s+|thought\s+)?"
                             r"(very\s+|really\s+)?(important|essential|vital|crucial|key|necessary|imperative)"
                             r"(\s*,[^,]{1,60},)?\s+(for\s+[\w ]{1,40}\s+)?to\s+(?P<vp>\w.+)$", re.I)
IMPORTANT_THAT_RE = re.compile(r"^it\s+(is|was|would\s+be)\s+(also\s+)?(felt\s+|seen\s+as\s+|considered\s+)?(very\s+|really\s+)?"
                               r"(important|essential|vital|crucial|key|necessary|imperative)\s+that\s+(?P<clause>.+)$", re.I)
CHALLENGE_RE = re.compile(r"^(?!(there|it|this|that)\s)(?P<what>.+?)\s+(is|was|are|were|has\s+been|have\s+been)\s+(also\s+)?(seen\s+as\s+|highlighted\s+as\s+|"
                          r"cited\s+as\s+|reported\s+as\s+|identified\s+as\s+|raised\s+as\s+)?(an?\s+|the\s+)?"
                          r"(key\s+|major\s+|big\s+|real\s+|significant\s+|particular\s+)?"
                          r"(challenge|concern|barrier|problem|issue|difficulty|worry)\b", re.I)
RISE_RE = re.compile(r"\b(a|the)\s+(rise|increase|growth|spike)\s+in\s+(?P<what>[\w ,'’-]{3,80})", re.I)

ALWAYS_CUT = re.compile(r"(,?\s+(i\.e\.?|ie)\s.*$)|,\s+(like|feeling|saying|suggesting|arguing|noting|believing|as|because|since|although|though|"
                        r"whilst|while|one\s+where|otherwise|however)\b.*$", re.I)



# notes' shorthand, written out before sentences are split ("incl." ends no sentence) and drafts worded
SHORTHAND = [(re.compile(p, re.I), r) for p, r in ((r"\bw/o\b|\bw/out\b", "without"), (r"\bw/(?=\s)", "with"),
                                                   (r"\bincl\.?(?=\s)", "including"), (r"\besp\.?(?=\s)", "especially"),
                                                   (r"(?<=\w)\s+\+\s+(?=\w)", " and "), (r"\bappts?\b", "appointments"),
                                                   (r"\bmtgs?\b", "meetings"), (r"\bgovt\b", "government"),
                                                   (r"\b(\d+)\s*hrs\b", r"\1 hours"), (r"\b(\d+)\s*wks\b", r"\1 weeks"))]


def norm(text: str) -> str:
    for pattern, repl in SHORTHAND:
        text = pattern.sub(repl, text)
    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)  # footnote markers pasted from PDFs
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:])", r"\1", text)  # "landlords , like" from a parse's token spacing
    # words quoted at the start ("‘Proper’ access to funding") lose both marks, never only the opening one
    text = re.sub(r"^([‘“\"'])([^‘’“”\"']{1,40})([’”\"'])(?=\s)", r"\2", text)
    core = text.strip(" \t\"'“”‘’").strip()
    if text.endswith("”") and core.count("“") > core.count("”"):
        core += "”"  # "... not to “gatekeepers”": the closing mark of a quoted word stays
    return core


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def keeps_capital(word: str) -> bool:
    """Acronyms, names and 'I' keep their capital when they stop being the first word."""
    return len(word) > 1 and (word.isupper() or word[1:].lower() != word[1:]) or word == "I"


def indefinite(word: str) -> str:
    """'a' or 'an' for the sound `word` starts with ("a use", "an hour", "a one-stop shop", "an NHS clinic")."""
    if re.match(r"(uni|use|usu|uti|ure|eu|ewe|one\b|once\b)", word, re.I):
        return "a"
    if re.match(r"(hour|honest|honou?r|heir)", word, re.I) or re.match(r"[FHLMNRSX][A-Z]", word):
        return "an"
    return "an" if re.match(r"[aeiou]", word, re.I) else "a"


def lower_first(text: str, doc=None) -> str:
    if not text:
        return text
    parts = text.split(" ", 2)
    first = parts[0]
    comparative = doc is not None and len(doc) and doc[0].tag_ in ("JJR", "JJS") and not doc[0].ent_type_
    if keeps_capital(first) or (not comparative and len(parts) > 1 and first[:1].isupper() and parts[1][:1].isupper()
                                  and first not in ("A", "An", "The", "This", "These", "Our", "Their", "More")):
        return text
    if doc is not None and len(doc) and (doc[0].ent_type_ in ("ORG", "GPE", "PERSON", "NORP", "FAC", "LOC")
                                         or (doc[0].tag_ == "NNP" and len(doc) > 1 and doc[1].tag_ == "NNP")):
        return text
    return text[:1].lower() + text[1:]


def the_actor(actor: str) -> str:
    """A body named in notes' shorthand takes its article back: "Council to name ..." -> "the council"."""
    low = actor.lower()
    bare = " " not in actor and low in ACTOR_HEADS and (not low.endswith("s") or low in ("nhs", "police"))
    return f"the {lower_first(actor)}" if bare else lower_first(actor)


def conjugate3(lemma: str) -> str:
    """Third person singular present: 'happen' -> 'happens', 'reach' -> 'reaches', 'be' -> 'is'."""
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if lemma in irregular:
        return irregular[lemma]
    if re.search(r"(s|sh|ch|x|z|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


def trim(text: str, max_words: int = MAX_WORDS) -> str:
    """Cut at the latest clause boundary that brings the draft to `max_words`, keeping at least 4 words;
    never end on a function word."""
    text = norm(text).rstrip(" .;,:–-")
    # reasons and asides never belong in an action, whatever its length
    m = ALWAYS_CUT.search(text)
    if m and len(words(text[: m.start()])) >= 3:
        text = text[: m.start()].rstrip(" ,;:–-")
    text = _whole_purpose(text)
    for pattern in CUT_MARKS:
        if len(words(text)) <= max_words:
            break
        m = re.search(pattern, text[nth_word_end(text, 4):], re.I)
        if m:
            cut = text[: nth_word_end(text, 4) + m.start()].rstrip(" ,;:–-")
            if len(words(cut)) >= 4:
                text = _whole_purpose(cut, "so that|so|because|in order that|where|when")
    ws = text.split(" ")
    cut_short = len(words(text)) > max_words
    if cut_short:
        ws = ws[:max_words]
        # a coordination begun in the last few words would be left unfinished: "... local policy and need to have"
        tail = next((i for i in range(len(ws) - 1, len(ws) - 5, -1) if ws[i].lower() in ("and", "or")
                     or ws[i - 1].endswith(",")), None)
        if tail is not None and tail >= 4:
            ws = ws[:tail]
    if len(ws) > 5 and cut_infinitive(ws):
        ws = ws[:-2]  # "... and seek to": the verb whose infinitive was lost goes with its "to"; then the "and"
    while len(ws) > 3 and ws[-1].lower().strip(",;:.") in FUNCTION_END and not ends_on_place_letter(ws) and not \
            verb_particle(ws) and (cut_short or not stranded_preposition(" ".join(ws))):
        ws.pop()  # never end on "the", "and", "of" ...; "someone to talk to" keeps its "to"
    out = " ".join(ws).rstrip(" .;,:–-")
    # a tail "e.g. X" with less than two words says nothing
    out = re.sub(r",?\s+(e\.?g\.?|i\.?e\.?|such as|including)\s*(\S+)?$", "", out, flags=re.I)
    return out


def _whole_purpose(cut: str, marks: str = "so that|so|because|in order that") -> str:
    """A draft that ends on a purpose or reason without its verb ("... images so that disabled people": the list of
    who, and what they would do, cut off) ends before "so that"/"because" instead."""
    m = list(re.finditer(rf"\s+({marks})\s+(?!of\b)", cut, re.I))
    if m and len(words(cut[: m[-1].start()])) >= 4 and not any(
            t.tag_ in ("MD", "VBZ", "VBP", "VBD") for t in P.parse(cut[m[-1].end():], ner=False)):
        return cut[: m[-1].start()]
    return cut


def nth_word_end(text: str, n: int) -> int:
    ms = list(re.finditer(r"\S+", text))
    return ms[min(n, len(ms)) - 1].end() if ms else 0


# ------------------------------------------------------------------ clause choice
def clauses(text: str) -> list[str]:
    out = []
    for piece in split_joins(text):
        out.extend(sentence_parts(piece))
    return out or [text]


def sentence_parts(text: str) -> list[str]:
    doc = P.parse(text, ner=False)
    out = []
    for sent in doc.sents:
        for part in re.split(r"\s[–—-]\s|;\s", sent.text):
            part = norm(part)
            if words(part):
                out.append(part)
    return out or [text]


# a dot-vote or tally line's leader dots, tally marks and count: "Cheaper buses ...... |||| || (7)"
TALLY_TAIL_RE = re.compile(r"(\s*(\.{3,}|…+|_{3,}))?(\s*[|/]{1,5})*\s*(\(\d+\)|=\s*\d+)?\s*$")
# a count of votes after an item: "(23 votes)", "(8 dots)", "(12)", "- 9 ticks"; the support is counted elsewhere
VOTES_TAIL_RE = re.compile(r"\s*(\(\s*\d{1,4}(\s*(votes?|dots?|ticks?|stickers?|likes?|people|mentions?|%))?\s*\)|"
                           r"[-–—:]\s*\d{1,4}\s*(votes?|dots?|ticks?|stickers?)|"
                           r"(?<!\bby)(?<!\bto)(?<!\bof)(?<!\bat)(?<!\bup)\s+\d{1,3}(\.\d)?\s*%)\s*$", re.I)  # a poll's share
# a log entry's clock time: "10:05 Two mums with buggies"
CLOCK_RE = re.compile(r"^\(?\d{1,2}[:.]\d{2}\s*(am|pm)?\)?\s*[-–—:]?\s+(?=\S)", re.I)
# sign-offs and chat words that carry no part of an ask: "... please", "more food lol"
CHAT_RE = re.compile(r"\s+(lol|lmao|haha+)\b(?=\s|$)|[,\s]+(please|pls|plz|thanks|thank you|cheers|x+)$", re.I)


def speaker_label(raw: str, prepared: str) -> bool:
    """A log entry's opening: a clock time and a verbless description of who spoke ("10:05 Two mums with
    buggies", "12:45 Man, 60s, wheelchair user"); what they asked for follows in the entry's later sentences."""
    return bool(CLOCK_RE.match(norm(raw))) and not any(
        t.tag_ in ("VB", "VBZ", "VBP", "VBD", "MD") for t in P.parse(prepared, ner=False))


# a reported ask, rewritten as the ask itself: "Mr X asked if the gardens could be made into raised beds" ->
# "the gardens could be made into raised beds"; "Sue asked that the noticeboard be replaced" -> "the noticeboard
# should be replaced"; "Would it be possible to reopen the room?" -> "reopen the room"
WHO = r"^([\w'’,.\[\]-]+\s+){0,8}?"
# someone's wish with its subject ("Residents want", "They'd like"); with the subject left out ("Want the bins
# emptied ...") `rules` reads it
LIKE = r"^(([\w'’,.\[\]-]+\s+){1,8}?(would\s+(really\s+)?(like|welcome)|wants?|wanted)|\w+['’]d\s+(like|welcome))\s+"
REPORTED_ASKS = [(re.compile(pattern, re.I), repl) for pattern, repl in (
    (WHO + r"(asked|wondered|queried)\s+(if|whether)\s+(?=\S)", ""),
    (WHO + r"(asked|requested|proposed|urged|insisted)\s+that\s+(?P<x>[^,;]{3,80}?)\s+be\s+", r"\g<x> should be "),
    (WHO + r"(asked|called|pressed|argued)\s+for\s+(?P<x>[^,;]{3,80}?)\s+to\s+be\s+", r"\g<x> should be "),
    (WHO + r"(asked|called|pressed)\s+for\s+(?P<x>(the|their|her|his|our|its)\s[^,;]{1,60}?)\s+to\s+(?!be\b)(?=[a-z])",
     r"\g<x> should "),  # "She asked for her GP surgery to stop sending letters only by text"
    (r"^it\s+would\s+be\s+(really\s+|very\s+)?(good|great|nice|helpful|useful|better|ideal|lovely)\s+if\s+", ""),
    (r"^(would|is)\s+it\s+(be\s+)?possible\s+to\s+(?P<vp>\w.*?)\s*\??$", r"\g<vp>"),
    (r"^(an?\s+|the\s+)?(request|call|plea)s?\s+(was|were)\s+(also\s+)?made\s+for\s+", ""),
    (r"^there\s+(was|is|were)\s+(\w+\s+){0,2}?(support|demand|appetite|calls?)\s+for\s+", ""),
    (WHO + r"(said|told\s+us|mentioned|commented|agreed|felt|thought|believed)(\s+(very\s+)?(strongly|firmly))?\s+that\s+",
     ""),
    (WHO + r"(said|told\s+us|mentioned|commented|agreed|felt|thought|believed)(\s+(very\s+)?(strongly|firmly))?\s+"
     r"(?=(the|a|an|this|these|those|there|it|they|we|people|more|no)\b)", ""),
    (WHO + r"suggested\s+(?=(a|an|more|some|the)\s)", ""),
    (LIKE + r"(?P<x>(the|their|our|a|an)(\s(?!to\b)[\w'’-]+){1,6}?)\s+(?=(\w+ed|made|done|kept|put|set|built|cut|"
                  r"sent|shut)\s)", r"\g<x> should be "),  # "Residents want the collection moved to Monday"
    (LIKE + r"(?P<x>(the|their|our)\s[^,;]{1,60}?)\s+to\s+(?!be\b)(?=\w)", r"\g<x> should "),  # not "a form to report"
    (LIKE + r"(?=(a|an|more|some|the)\s)", ""),
    (WHO + r"told\s+(us|me|them|the\s+\w+)\s+that\s+", ""),
    # a thing named as what people asked for: "More seating was a frequent request", "Support for X was high"
    (r"^(?P<x>[^,;]{3,80}?)\s+(was|were)\s+(a|an|the)\s+(\w+\s+){0,2}?(request|ask|suggestion|demand|priority)\b.*$",
     r"\g<x>"),
    (r"^(strong\s+|broad\s+|general\s+)?support\s+for\s+(?P<x>[^,;]{3,80}?)\s+(was|is)\s+(very\s+)?(high|strong|"
     r"widespread|clear|overwhelming)\b.*$", r"\g<x>"),
    # a thing that needs doing, as the doing: "Dog poo bins full, need emptying more often" -> "emptying dog poo bins
    # more often" (read by the gerund rule)
    (r"^(?P<x>[^,;]{3,60}?)(\s+(full|broken|blocked|overflowing|missing|again|too))*(,\s*|\s+)(and\s+)?"
     r"(really\s+|urgently\s+|badly\s+|still\s+)?needs?\s+(?!(some|no|any|every)thing\b|funding\b|housing\b|training\b)(?P<ving>[a-z]{3,}ing)\b(?P<rest>.*)$",
     lambda m: f"{m.group('ving')} {lower_first(m.group('x'))}{m.group('rest')}"),
    # a matter raised, as the matter to address: "Damp and mould in the flats was raised by several people"
    (r"^(\w+\s+){0,2}?(concerns?|issues?|questions?|points?|worries)\s+(was|were)\s+(also\s+)?raised\s+"
     r"(about|over|regarding|around)\s+(?P<x>\w.*)$", lambda m: "address " + lower_first(m.group("x"))),
    (r"^(?P<x>[^,;]{3,80}?)\s+(was|were)\s+(also\s+)?raised(\s+again)?(\s+(by|at|with)\s+[^,;]{1,40})?$",
     lambda m: "address " + lower_first(m.group("x"))),
)]


def prepare(clause: str) -> str:
    clause = norm(clause).rstrip(" .!")
    m = TALLY_TAIL_RE.search(clause)
    if m and m.start() < len(clause) and re.search(r"\.{3}|…|_{3}|\|", m.group(0)):
        clause = clause[: m.start()].rstrip(" .!")
    clause = VOTES_TAIL_RE.sub("", CHAT_RE.sub("", CLOCK_RE.sub("", clause)).rstrip(" .!,")).rstrip(" .!,")
    clause = PREFIX_RE.sub("", clause)
    clause = re.sub(r"\b(ha(s|ve))\s+(a|the)\s+(responsibility|duty|role)\s+to\b", r"\1 to", clause, flags=re.I)
    for _ in range(2):
        clause = OPENER_RE.sub("", DISCOURSE_RE.sub("", REPORTED_RE.sub("", clause.strip())))
        for pattern, repl in REPORTED_ASKS:
            clause = pattern.sub(repl, clause, count=1)
    m = TOPIC_RE.match(clause)
    if m and len(words(m.group("topic"))) <= 4 and len(words(m.group("rest"))) >= 3:
        clause = m.group("rest")
    return clause.strip(" ,")


# ------------------------------------------------------------------ rules
def subtree_right(tok, doc, skip_conj_clauses: bool = True, host=None) -> tuple[int, int]:
    """Token span of `tok` and what follows it in its subtree, leaving out coordinated clauses with their
    own subject ("..., and the council should enforce it"). An adverb or prepositional phrase right after
    it that the parser hung on `host` belongs to it ("needed to publish its minutes online": on "needed")."""
    end = tok.right_edge.i + 1
    while host is not None and end < len(doc) and doc[end].head.i == host.i and \
            doc[end].dep_ in ("advmod", "npadvmod", "prep"):
        end = doc[end].right_edge.i + 1
    if skip_conj_clauses:
        for child in tok.children:
            if child.dep_ == "conj" and child.i > tok.i and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
                cut = child.left_edge.i
                while cut > tok.i + 1 and doc[cut - 1].dep_ in ("cc", "punct"):
                    cut -= 1
                end = min(end, cut)
    return tok.i, end



def has_main_finite_verb(doc) -> bool:
    for t in doc:
        if t.tag_ not in ("VBZ", "VBP", "VBD", "MD"):
            continue
        chain = [t] + list(t.ancestors)
        if any(a.dep_ in ("relcl", "acl", "advcl", "ccomp", "pcomp") for a in chain):
            continue
        if t.tag_ == "VBD" and t.dep_ in ("amod", "compound", "ROOT") and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            continue  # "joined up working": a participle the tagger read as past tense
        return True
    return False


def np_head(doc):
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if roots and roots[0].pos_ in ("NOUN", "PROPN"):
        return roots[0]
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN")]
    return nouns[0] if nouns else None


def noun_phrase_only(doc) -> bool:
    """No finite verb heads the clause: a wish written as a noun phrase."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return bool(roots) and roots[0].pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and not any(
        t.tag_ in ("VBZ", "VBP", "VBD", "MD") and t.dep_ in ("ROOT", "ccomp") for t in doc)


def is_actor(doc) -> bool:
    head = np_head(doc)
    return head is not None and (head.lemma_.lower() in ACTOR_HEADS or head.ent_type_ in ("ORG", "GPE", "NORP"))


def first_word_in_noun_phrase(doc) -> bool:
    """The clause's own parse reads its first word as part of a noun phrase, not as a verb: an adjective
    before its noun ("Free bus travel for under 18s", "Open space standards ..."), or the start of the
    subject of a finite verb ("Care leavers should get ..."). The style probe ("You should ...") alone
    reads all three as imperatives."""
    if not len(doc):
        return False
    first = doc[0]
    # the tagger also calls a capitalised verb an adjective ("Tackle/JJ systemic injustice"): only a word the
    # dictionary knows as an adjective, right before its noun phrase, counts
    if first.tag_ in ("JJ", "JJR", "JJS") and first.dep_ == "amod" and first.head.i > 0 and \
            first.head.pos_ in ("NOUN", "PROPN") and first.head.dep_ in ("ROOT", "nsubj", "nsubjpass") and \
            first.lower_ in T._pos_index().get("adj", ()) and \
            all(t.pos_ in ("ADJ", "NOUN", "PROPN", "CCONJ", "PUNCT") for t in doc[1: first.head.i]):
        return True

    def finite(verb) -> bool:
        # a lone "-s" verb that is also a plural noun ("Limit rent rises to ...") proves nothing
        return verb.tag_ in ("VBP", "VBD") or (verb.tag_ == "VBZ" and not T.is_noun_lemma(verb.lemma_ or verb.lower_)) or \
            any(c.tag_ in ("MD", "VBZ", "VBP", "VBD") and c.dep_ in ("aux", "auxpass") for c in verb.children)
    if any(t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == 0 and t.i > 0 and finite(t.head) for t in doc):
        return True
    # the first word heads the subject itself ("Damp and mould in the flats was raised ..."): only with an
    # auxiliary on its verb, since the tagger calls many a bare order's verb a subject
    return first.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ in ("conj", "prep") for c in first.children) and \
        (any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in first.head.children) or
         first.head.lemma_ == "be" and first.head.tag_ in ("VBD", "VBZ", "VBP"))  # "Support for X was high"


def first_of_coordination(clause: str) -> str | None:
    """The clause before "and/but" + a clause with its own subject and finite verb, or None."""
    doc = P.parse(clause, ner=False)
    for cc in doc:
        if cc.dep_ != "cc" or cc.i < 3:
            continue
        if any(t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == cc.i + 1 and
               (t.head.tag_ in ("VBZ", "VBP", "VBD", "MD") or any(c.tag_ in ("MD", "VBZ", "VBP", "VBD") and
                                                                  c.dep_ in ("aux", "auxpass") for c in t.head.children))
               for t in doc[cc.i + 1:]):
            return doc[: cc.i].text.rstrip(" ,")
    return None


# ------------------------------------------------------------------ wishes read straight off the parse
def want_to(doc) -> tuple[str, str] | None:
    """'Wants the skate park lights to stay on later' -> 'Ensure the skate park lights stay on later': a wish
    that something do something (the object of want/need/would like is the subject of a to-infinitive)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_ not in ("want", "need", "like", "require"):
        return None
    verb = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.tag_ == "VB"
                 and any(a.lower_ == "to" for a in c.children)), None)
    done = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.tag_ in ("VBN", "VBD")
                 and not any(a.dep_ in ("aux", "auxpass") for a in c.children)), None) if verb is None else None
    if done is not None:
        return want_done(doc, done)
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    if subj is None or subj.i < root.i or subj.lower_ in GENERIC_SUBJECTS | PRONOUN_SUBJECTS | {"me", "him", "her"}:
        return None
    _, end = subtree_right(verb, doc)
    if subj.lemma_.lower() in ACTOR_HEADS and verb.lemma_.lower() not in STATE_VERBS:
        return f"ask {lower_first(doc[subj.left_edge.i: end].text)}", "need"  # "... the council to listen"
    plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
    finite = verb.lemma_.lower() if plural else conjugate3(verb.lemma_.lower())
    return f"ensure {lower_first(doc[subj.left_edge.i: subj.right_edge.i + 1].text)} {finite} " \
           f"{doc[verb.i + 1: end].text}".strip(), "need"


def want_done(doc, done) -> tuple[str, str] | None:
    """'Want it swept before school and a bin that gets emptied' -> 'Sweep it before school and provide a bin
    that gets emptied': the thing wanted done, then any further thing wanted (a coordinated noun phrase)."""
    subj = next((c for c in done.children if c.dep_ in ("nsubj", "dobj")), None)
    if subj is None or subj.i > done.i:
        return None
    lemma = P.parse(f"It was {done.text}")[-1].lemma_.lower()
    if not T.is_verb_lemma(lemma):
        return None
    _, end = subtree_right(done, doc)
    tail = doc[done.i + 1: end]
    more = next((t for t in tail if t.dep_ == "cc" and t.i + 1 < end and doc[t.i + 1].tag_ == "DT"
                 and doc[t.i + 1].head.pos_ == "NOUN" and doc[t.i + 1].head.dep_ == "conj"), None)
    text = tail.text if more is None else f"{doc[done.i + 1: more.i].text} and provide {doc[more.i + 1: end].text}"
    return f"{lemma} {doc[subj.left_edge.i: subj.right_edge.i + 1].text} {text}".strip(), "need"


def may_have(doc) -> tuple[str, str] | None:
    """'Could the market have a fruit and veg stall ...?' -> 'Ensure the market has a fruit and veg stall ...':
    a question asking that its subject have something."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lower_ != "have" or not len(doc) or doc[0].tag_ != "MD" or doc[0].head.i != root.i:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in root.children if c.dep_ == "dobj"), None)
    if subj is None or obj is None or subj.left_edge.i != 1 or subj.right_edge.i != root.i - 1 or \
            subj.lower_ in GENERIC_SUBJECTS | PRONOUN_SUBJECTS or any(c.dep_ == "neg" for c in root.children):
        return None
    plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
    rest = doc[root.i + 1:].text.rstrip(" ?")
    return f"ensure {lower_first(doc[1: root.i].text)} {'have' if plural else 'has'} {rest}", "question"
