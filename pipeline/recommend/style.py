"""Style check for a drafted recommendation: the list of rules it breaks (empty = publishable).

Rules (names are stable, they are counted by the benchmark):
- not_imperative      the draft does not open with a base-form verb ("Provide ...", "Re-open ...")
- too_long / too_short more than MAX_WORDS words / fewer than 2, or two with an empty verb ("Do better")
- work_towards        opens with "Work towards" (the old drafter's fallback)
- dangling_end        ends on a function word, "e.g.", "such as", "including", ":" or a dash
- dangling_eg         "e.g."/"eg"/"i.e." followed by fewer than two words
- orphan_pronoun      a third-person pronoun ("their", "it", "they") with no noun before it in the draft
- unknown_word        a lower-case word that is neither in the English vocabulary nor in the notes' own vocabulary
- bare_be             "be" with no modal, "to" or imperative before it ("... also be made")
- agreement           a singular subject with a bare verb ("Ensure mapping ... happen")
- clause_as_object    a finite clause hung on a verb that takes no clause ("Work towards the Group approves ...")
- question            ends with a question mark
- stray_marker        bullet characters, "sub-point:", unbalanced quotes or brackets, an ellipsis
- first_person_singular "I"/"me"/"my" (a participant's voice, not an action)
"""
from __future__ import annotations

import re
from typing import Iterable

from .. import text as T
from . import parse as P
from .lexicon import MIND_VERBS

MAX_WORDS = 20
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
FUNCTION_END = {"a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "at", "by", "with", "against", "from",
                "into", "as", "that", "which", "who", "their", "its", "our", "but", "so", "if", "when", "where",
                "such", "including", "e.g.", "e.g", "eg", "i.e.", "i.e", "ie", "via", "than", "this", "about",
                "over", "under", "through", "between", "across", "around", "within", "without", "upon", "towards",
                "among", "like", "whether", "how", "what", "why", "not", "also", "can", "will", "would", "should"}
# verbs whose "to" opens an infinitive: "... and seek to" was cut short (a PDF's line lost), unlike "someone to
# talk to" or "if they want to"
CATENATIVE = {"seek", "want", "need", "try", "aim", "hope", "plan", "intend", "wish", "expect", "attempt", "begin",
              "start", "decide", "fail", "strive", "endeavour", "refuse", "promise", "choose", "manage", "learn"}


def cut_infinitive(ws: list[str]) -> bool:
    """The words end "and/or <verb> to": a coordinated infinitive whose verb was lost."""
    return len(ws) >= 3 and ws[-1].lower() == "to" and ws[-2].lower() in CATENATIVE and ws[-3].lower() in ("and", "or")


def verb_particle(ws: list[str]) -> bool:
    """The words end on a verb with its stranded particle ("someone to talk to")."""
    return len(ws) >= 2 and ws[-1].lower() in ("to", "with", "for", "about", "in", "on", "out", "up", "back", "off") and \
        T.is_verb_lemma(ws[-2].lower().strip(",;:")) and not cut_infinitive(ws)


THIRD_PERSON = {"they", "them", "their", "theirs", "themselves", "it", "its", "itself", "he", "she", "him", "her",
                "his"}
# verbs that take a finite clause as their object ("Ensure the council sets up ...")
CLAUSE_VERBS = {"ensure", "make", "check", "show", "ask", "recognise", "recognize", "realise", "realize", "accept",
                "acknowledge", "agree", "note", "understand", "demonstrate", "tell", "explain", "say", "see", "know",
                "consider", "decide", "find", "learn", "remember", "prove", "let", "help", "have", "hear", "feel",
                "believe", "think", "guarantee", "insist", "require", "recommend", "suggest", "propose", "monitor",
                "review", "explore", "establish", "identify", "confirm", "publicise", "publish", "communicate",
                "evaluate", "assess", "measure", "record", "report", "clarify", "agree"}


# verbs that open plan items; trusted even where the parser reads them as nouns ("Fund detached youth workers")
PLAN_VERBS = {
    "acknowledge", "address", "adopt", "amplify", "appoint", "build", "educate", "help", "identify", "inspire",
    "show", "capitalise", "celebrate", "challenge", "change", "collect", "commission", "consider", "consult",
    "continue", "create", "deliver", "develop", "embed", "empower", "enable", "encourage", "engage", "ensure",
    "establish", "fund", "give", "hold", "improve", "include", "increase", "introduce", "invest", "involve",
    "learn", "listen", "maintain", "make", "map", "mentor", "monitor", "offer", "open", "re-open", "reopen", "plan",
    "prioritise", "promote", "protect", "provide", "publish", "raise", "reach", "recognise", "recruit", "reduce",
    "remove", "resource", "respect", "review", "set", "share", "simplify", "start", "stop", "strengthen", "support",
    "tackle", "take", "talk", "target", "train", "use", "value", "work", "have", "hold", "pay", "run", "keep", "end",
    "contact", "consult", "visit", "review", "lobby", "campaign", "pilot", "design", "fix", "turn", "put", "let",
}


# words that can be verbs but open noun-phrase notes far more often ("Race equality outcomes", "Place based
# care"); read as verbs only when a determiner, pronoun or preposition follows ("Place the hub in ...")
NOUN_LEADS = {"race", "place", "structure", "class", "age", "cost", "lack", "issue", "people", "staff", "equality",
              "school", "case", "youth", "pressure", "language"}


REFLEXIVES = {"themselves", "itself", "himself", "herself"}  # point back inside their own clause
# nouns British English refers back to as "they" as well as "it": "have the police there so they can hear it"
COLLECTIVES = {"police", "council", "team", "government", "public", "committee", "family", "group", "board", "panel"}


def stranded_preposition(text: str) -> bool:
    """Does `text` end on a preposition left at the end of its relative clause ("support that you don't have
    to wait 6 months for")? That ending is English, not a draft cut short."""
    doc = P.parse(text.rstrip(" .!"), ner=False)
    toks = [t for t in doc if not t.is_punct]
    if len(toks) < 4:
        return False
    last = toks[-1]
    # the relative word must stand for the preposition's object, so it is not the relative clause's subject
    return last.tag_ == "IN" and not any(True for _ in last.children) and any(
        (t.tag_ in ("WDT", "WP") or t.lower_ == "that") and t.dep_ in ("dobj", "pobj", "mark", "npadvmod")
        for t in toks[1:-1])


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def probe(text: str):
    """Parse the draft behind "You should ", which makes spaCy tag an opening imperative as a verb
    (alone it tags "Fund detached youth workers" as a noun phrase). Returns (doc, offset)."""
    lowered = text[:1].lower() + text[1:] if not _keeps_capital(text) else text
    return P.parse("You should " + lowered, ner=False), 2


def _keeps_capital(text: str) -> bool:
    first = text.split(" ", 1)[0]
    return len(first) > 1 and (first.isupper() or first[1:].lower() != first[1:])


EMPTY_VERBS = {"do", "be", "get", "go", "make", "have"}  # "Do better", "Be more": no action named


def ends_on_place_letter(ws: list[str]) -> bool:
    """Whether the words end on a capital "A" that names something with the word before it ("Block A", "Plan A"),
    not the article."""
    return len(ws) > 1 and ws[-1] == "A" and ws[-2][:1].isupper()


def verb_like(base: str) -> bool:
    """A verb's base form: in the word list, or made with -ise/-ize ("pedestrianise"), which no list holds whole."""
    return T.is_verb_lemma(base) or bool(re.search(r"[^aeiou](is|iz)e$", base)) and len(base) >= 7


def opens_with_verb(text: str) -> bool:
    negative = re.match(r"^(do\s+not|don['’]t|never)\s+(?P<rest>\S.*)$", text, re.I)
    if negative:  # "Do not put all communities in one block", "Don't forget the carers"
        # "Don't know who to talk to": the speaker's "I" left out, a state of mind, not an order
        return negative.group("rest").split(" ", 1)[0].lower() not in MIND_VERBS and opens_with_verb(negative.group("rest"))
    first = text.split(" ", 1)[0].strip(",.;:").lower()
    if not first or not verb_like(first.replace("’", "'")):
        return False
    doc, k = probe(text)
    if len(doc) <= k:
        return False
    tok = doc[k]
    nxt = text.split(" ", 2)[1].lower() if " " in text else ""
    if nxt in ("of", "is", "are", "was", "were", "could", "should", "would", "must", "can", "will", "might", "may") and \
            not (nxt == "of" and first in ("think", "dispose", "approve", "speak", "hear", "beware", "rid")):
        return False  # "Use of these guidances ...", "Work could be done ...": a noun phrase, the subject
    if first in NOUN_LEADS and len(tok.doc) > k + 1 and tok.doc[k + 1].pos_ not in ("DET", "PRON", "ADP", "PART"):
        return False
    # the probe must make the first word the main verb: in "You should place based care needs to be
    # reviewed" the parser keeps "needs" as the main verb, so "Place based care ..." is a subject
    head = tok
    while head.dep_ in ("conj", "xcomp") and head.head is not head:
        head = head.head
    if head.dep_ != "ROOT" and first not in PLAN_VERBS:
        return False
    return tok.tag_ in ("VB", "VBP")


def style_problems(draft: str, vocabulary: Iterable[str] = ()) -> list[str]:
    """Rules `draft` breaks, in a fixed order; [] when it passes. `vocabulary`: the notes' own words
    (lower case), so local names and jargon ("VCOs", "CAMHS") are not called typos."""
    text = draft.strip()
    problems: list[str] = []
    ws = words(text)
    low = text.lower()
    if low.startswith("work towards"):
        problems.append("work_towards")
    if not opens_with_verb(text):
        problems.append("not_imperative")
    if len(ws) > MAX_WORDS:
        problems.append("too_long")
    if len(ws) < 2 or len(ws) == 2 and ws[0].lower() in EMPTY_VERBS:
        problems.append("too_short")
    last = low.rstrip(" .!").split(" ")[-1] if low else ""
    label = ends_on_place_letter(text.rstrip(" .!").split(" "))
    particle = verb_particle(low.rstrip(" .!").split(" "))
    if (last in FUNCTION_END and not particle and not label and not stranded_preposition(text)) or \
            re.search(r"(such as|for example|e\.g\.?|i\.e\.?|[:\-–—,])\s*$", low):
        problems.append("dangling_end")
    for m in re.finditer(r"\b(e\.g\.|eg\b|i\.e\.|ie\b)", low):
        if len(words(low[m.end():])) < 2:
            problems.append("dangling_eg")
            break
    if re.search(r"[•▪●]|sub-?point|\.\.\.|…", low) or text.count("(") != text.count(")") or \
            text.count('"') % 2 or (text.count("“") != text.count("”")):
        problems.append("stray_marker")
    if text.rstrip().endswith("?"):
        problems.append("question")
    if re.search(r"\b(I|me|my|mine)\b", text):
        problems.append("first_person_singular")
    # entities are read only to find a pronoun's noun (`_orphan_pronoun`): without a pronoun, no entities
    pronoun = any(t.lower_ in THIRD_PERSON or t.lower_ in ("this", "these", "those") for t in P.unparsed(text))
    doc = P.parse(text, ner=pronoun)
    if _orphan_pronoun(doc):
        problems.append("orphan_pronoun")
    vocab = {v.lower() for v in vocabulary}
    for tok in doc:
        w = tok.text
        if w.isalpha() and w.islower() and len(w) >= 3 and w not in vocab and not T.known_word(w):
            problems.append("unknown_word")
            break
    if _bare_be(doc):
        problems.append("bare_be")
    if _agreement(doc):
        problems.append("agreement")
    if _clause_as_object(text):
        problems.append("clause_as_object")
    return problems


def _orphan_pronoun(doc) -> bool:
    for tok in doc:
        if tok.lower_ not in THIRD_PERSON and not (tok.lower_ in ("this", "these", "those") and tok.pos_ == "PRON"):
            continue
        if tok.lower_ in REFLEXIVES:
            continue  # "build it themselves": its noun is the clause's own subject
        plural = tok.lower_ in ("they", "them", "their", "theirs", "themselves", "these", "those")
        before = [t for t in doc[: tok.i] if t.pos_ in ("NOUN", "PROPN") or t.ent_type_]
        if tok.lower_ == "it" and tok.dep_ in ("expl", "nsubj") and any(t.lemma_ == "be" for t in tok.head.children):
            continue  # "make it easier": dummy "it" before a complement
        if not any((t.tag_ in ("NNS", "NNPS") or t.lemma_ in ("people", "staff", "community", "youth")) == plural
                   or t.ent_type_ in ("ORG", "NORP") or t.lemma_.lower() in COLLECTIVES for t in before):
            return True
    return False


def _bare_be(doc) -> bool:
    for tok in doc:
        if tok.lower_ != "be" or tok.i == 0:
            continue
        prev = [t.lower_ for t in doc[max(0, tok.i - 3): tok.i]]
        if not any(p in ("to", "will", "should", "must", "can", "could", "would", "may", "might", "not", "and", "or")
                   for p in prev):
            return True
    return False


def _agreement(doc) -> bool:
    for tok in doc:
        if tok.i == 0 or tok.tag_ != "VB" or tok.dep_ in ("xcomp", "aux", "auxpass"):
            continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        has_aux = any(c.dep_ in ("aux", "auxpass") for c in tok.children)
        if subj and not has_aux and subj[0].tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in subj[0].children):
            if tok.head.lemma_ in ("make", "let", "help", "have", "see", "hear", "watch") and tok.dep_ == "ccomp":
                continue  # "Make young people feel", "Help the council decide": bare infinitive is right
            return True
    return False


def _clause_as_object(text: str) -> bool:
    """A finite verb with its own subject governed by the opening verb (or made the main verb), when the
    opening verb takes no clause: "Work towards the Steering Group approves ...". Read on the probe parse
    ("You should ..."), where the opening verb is the main verb, so "Limit rent rises to once a year"
    is not misread as "rent rises"."""
    doc, k = probe(text)
    if len(doc) <= k:
        return False
    first = doc[k]
    for tok in doc[k + 1:]:
        if tok.tag_ not in ("VBZ", "VBD", "VBP") or not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            continue
        if any(t.tag_ in ("WP", "WDT", "WRB") or t.lower_ == "that" for t in doc[max(k + 1, tok.i - 4): tok.i]):
            continue  # a relative clause: "a named PCSO who we actually see"
        if tok.dep_ == "ROOT":
            if first.lower_ not in CLAUSE_VERBS:
                return True
            continue
        node, ok = tok, True
        while node.dep_ != "ROOT":
            if node.dep_ in ("relcl", "acl", "advcl", "conj", "appos", "csubj") or \
                    (node.dep_ == "xcomp" and node is not tok):
                ok = False
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
                break
        if ok and node.i == k and node.lower_ not in CLAUSE_VERBS and tok.dep_ in ("ccomp", "pcomp"):
            return True
    return False
