"""Proposals: does a statement propose a change? (and, below, the wording rules drafting uses today)

`proposal_form(text, section, question, prompt, context, kind) -> form | None` reads one statement with
the prompt it answers and names the form in which it asks for a change; `is_proposal` and
`segment_proposal_form` wrap it. Forms, checked sentence by sentence (and in the clauses of a
dash-joined note, for explicit wording only):

- "imperative": the clause opens with a base-form verb and has no subject ("Re-open a youth space",
  "Fund detached youth workers"): spaCy's parse (en_core_web_sm, `text.parse`), with a verb lexicon
  for the words the small model tags as nouns at the start of a fragment ("Fund", "Limit"), and a word that can only
  be a verb, tagged as one, with a place ("Apply to the lottery for ...") or before its reason ("Insulate the loft,
  the hall is freezing");
- "modal": obligation or need ("should", "must", "need(s) to", "needs investment", "required",
  "it is vital that", "X is seen as crucial");
- "request": a reported ask ("asked for", "was requested", "P8 wants a...", "proposed that the group
  apply...");
- "question": a question carrying an ask ("Could empty shops be turned into...?", "Why not open...?",
  "Free swimming for over 65s?");
- "wish": a verbless request for provision ("More one bed homes...", "A young persons housing advice
  drop in...", "Pharmacy to stay open until 8pm", "...please"), an action as a gerund in a list
  ("Celebrating diversity & promoting understanding"), or a thing or service named with where or what for
  ("Secure bike racks by the entrance", "Online booking calendar so you can see ...": `_np_wish`, not under a
  prompt for descriptions or problems, not when the phrase names a problem: "Poor lighting on the footpath"), or a
  thing not yet there said to help ("More buses would make a real difference", "Being able to book online would be
  great"; not "The new hall would be lovely");
- "lack": a clause that names what is missing, at its start ("No testing kits in different languages",
  "Not enough dropped kerbs") or inside it ("Several people said there is no changing places toilet",
  "The underpass by the station, no lighting and ...", "signage is missing", "The new estate has no play
  area"; not a person's or an agent's "has no": "My mum has no smart phone", "Partnerships have no money");
- "answer": any other note under a prompt that asks for solutions ("What would help?", "If you ran the
  buses", an ideas wall, "What's missing?", a Stop / Start / Continue board, dot voting), unless its main
  clause is a complaint or an aside. A voted item ("Lighting - 31", "Free buses ●●●● (4)") counts however
  short; the tally itself is read off first. Report prose (kind "sentence") needs explicit wording: a
  prompt alone does not make it a proposal.

A speaker's label ("Q1 (resident, Block C):", "DM:", "Comment from the floor:") is read off before the
sentence, so a transcript's questions are judged like any other.

Statements in capitals (flipcharts) are read in sentence case. Measured in
`benchmarks/views_proposals.py` against hand-labelled statements of 11 notes files (and 6 held out,
in three later parts).
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from .. import text as T
from ..records import Segment
from . import parse as P
from .lexicon import (BARE_NOT_WISHED, BENEFIT_RE, DESCRIBE_PROMPT_RE, IMPERATIVE_VERBS, LACK_EXCLUDE_RE,  # noqa: F401
                      LACK_INNER_RE, LACK_NOT_ASK, LACK_OPEN_RE, MIND_VERBS, NOT_ACTION_VERBS, NOT_REQUEST_RE,
                      NP_NOT_WISH_OPEN_RE, NP_PROBLEM_RE, OBLIGATION_EXCLUDE_RE, OBLIGATION_RE, PASSIVE_ASKED_RE,
                      PERSON_WORDS, REQUEST_RE, SIGNPOST_RE, SOLUTION_PROMPT_RE, STATUS_RE, WISHED_RE)
from .phrases import ACTOR_HEADS

# --------------------------------------------------------------------------- the proposal detector
GROUP_LABEL_RE = re.compile(r"^\W*(group|table|station|breakout( group| room)?|room|team|syndicate)\s+[\w.]{1,4}\b", re.I)
# a label in the sentence itself that asks for solutions: "Ideas from the floor: face painting, a bouncy castle"
INLINE_PROMPT_RE = re.compile(r"^(?P<label>[^:.!?]{2,40}):\s+\S")
# satisfaction, thanks or an aside, not an ask: "I think the fund already does this fine", "happy with it as it is",
# "Thank you for the drop-in ...", "Nothing it was good" (under "What could we do better?")
ASIDE_RE = re.compile(r"\b(nobody|no[- ]one)\b|\bfine\b|\bas (it|they) (is|are)\b|\bhappy with\b|\bno changes?\b|\bleave it\b|"
                      r"^\W*(many )?(thanks|thank you)\b|^\W*(nothing|none|not really)\s*([.,!-]|$|(it|it'?s|everything|really|"
                      r"at all|to add|else|much)\b)", re.I)
# a report of what happened, or of the thing just named, is no answer even under a prompt for solutions: "the room
# was way too hot", "It was too long ...", "They have a waiting list of 40 people" (a later sentence of a comment)
REPORT_RE = re.compile(r"^\W*(?:(?:it|they|he|she|this|that|these|those|we|i|you)\s+|(?:the|this|that|these|those|our|my|"
                       r"their|his|her)\s+(?:[\w'’-]+\s+){0,3}?)(?:was|were|wasn'?t|weren'?t|had|did|went|got)\b|"
                       r"^\W*(?:it|they|he|she)\s+(?:is|are|has|have)\b|^\W*(?:it|they|he|she)['’](?:s|re)\b", re.I)
# "Social rent, not 'affordable' at 80% ...", "Swings for older kids, not just toddler stuff": the thing wanted, then
# what it should not be
CONTRAST_RE = re.compile(r"^(?P<x>[^,;:.!?]{2,60}?),\s+not\s+(?:just\s+|only\s+|even\s+)?[\"“'‘]?(?P<y>[\w£$%-]+)", re.I)
# a relative clause after a named thing says what it should be like: "support in school that you dont have to wait for"
RELATIVE_RE = re.compile(r"^(?P<head>(?:(?!\b(?:is|are|was|were|has|have|had|do|does|did|i|we|they|he|she|it)\b)[\w'’-]+\s+)"
                         r"{1,6}?)(?:that|which|where|who)\b", re.I)
ASK_QUESTION_RE = re.compile(
    r"^(could|can|couldn'?t|can'?t|would|will|should|shouldn'?t|is it possible|what about|how about)\b|"
    r"^why (not|no|can'?t|cant|couldn'?t|don'?t|dont|doesn'?t|does\b.{0,60}\bnot|do\b.{0,60}\bnot|isn'?t|is there no|aren'?t|"
    r"won'?t|haven'?t|hasn'?t)\b|\b(can|could) (we|they|you|the council|there)\b.*\?$", re.I)
# a question after when something will be put right carries the ask: "When are the lifts going to be replaced?"
WHEN_FIX_RE = re.compile(r"^(when|how soon)\b.{0,80}\b(fix|fixed|replace|replaced|repair|repaired|re-?open|re-?opened|"
                         r"restore|restored|install|installed|mend|mended|clean|cleaned|sort|sorted|resolve|resolved|"
                         r"improve|improved|bring back|brought back|put back)\b", re.I)
SUBJUNCTIVE_RE = re.compile(r"\b(suggest(ed|s)?|propos(ed|es)|recommend(ed|s)?|urged?|asked|agreed)\s+that\b\s*(?P<rest>.*)$", re.I)
WISH_START_RE = re.compile(
    r"^(more|better|improved|greater|fewer|less|free|cheaper|extra|new|longer|shorter|proper|enough|regular|genuine|"
    r"dedicated|affordable|safer|clearer|simpler|faster|quicker|easier|independent|someone|somebody|somewhere|something|"
    r"a|an|joint|continued|ongoing|sustained|tailored|bespoke|"
    r"fairer|stronger|long[- ]term|longer[- ]term|at least)\b", re.I)
# a bullet naming a thing or service wanted, then where or what for (a verbless wish without a WISH_START word):
# "Secure bike racks by the entrance", "Online booking calendar so you can see ...", "Key safe by the door instead of ..."
NP_WISH_RE = re.compile(
    r"^(?P<np>(?:an?\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3}?)\s+(?P<tail>back\b|(?:on|by|outside|at|near|in|inside|for|with|next to|"
    r"behind|along|opposite|beside|around|across|between)\s+\S|to\s+(?P<verb>[a-z-]+)\b|so(?: that)?\s+[^,]{0,60}?"
    r"\b(?:can|could|will|would)\b|instead of\b)", re.I)
COMPLAINT_RE = re.compile(r"\b(rubbish|stuck|worried|worries|worry|crash(es|ed)?|not sure|hate|awful|terrible|useless|"
                          r"no point|fed up|sick of|tired of|scared|afraid|doesn'?t work|don'?t work|never|can'?t|cant|"
                          r"didn'?t|dont|don'?t)\b", re.I)
WH_RE = re.compile(r"^(how|what|where|who|whom|whose|why|when|which|is|are|was|were|has|have|does|do|did)\b", re.I)
GERUND_RE = re.compile(r"^(\w+)ing\b", re.I)
# a speaker or item label: "P3:", "Q1 (resident, Block C):", "Q1 follow-up:", "Comment from the floor:", "DM:"
LEAD_LABEL_RE = re.compile(r"^(?:(?:sub-?point|note|p\d{1,2}|r\d{1,2}|participant \d+|respondent \d+|comment|idea|ask|"
                           r"suggestion|post-?it|q\d{1,2}|question \d{1,2}|(?:comment|question)s? from the floor)"
                           r"(?:\s+follow-?up)?(?:\s*\([^()]{1,60}\))?\s*[:–-]|(?-i:[A-Z]{1,3})(?:\s*\([^()]{1,60}\))?\s*:)\s*",
                           re.I)
# a time before the ask: "Next time bring someone who can answer", "In future, hold it somewhere with parking"
TIME_LEAD_RE = re.compile(r"^(?:next time|in (?:the )?future|from now on|going forward|next year)\b,?\s+(?=[a-z])", re.I)
# a vote tally after an item on a dot-voting board: "●●●● (4)", "|||| || (7)", "x x x", "- 23 dots", "- 31", "(0)"
TALLY_RE = re.compile(r"(?:\s*[-–—:=]\s*|\s+|^)(?:(?:[●•◉○✓✔✗✘]\s*)+(?:\(\d+\))?|(?:\|+\s*)+(?:\(\d+\))?|"
                      r"(?:x\s+){2,}x?\s*(?:\(\d+\))?|\(\d+(?:\s*(?:dots?|votes?|ticks?|stickers?))?\)|"
                      r"\d+\s*(?:dots?|votes?|ticks?|stickers?))(?:\s*\+\s*\d+)?\s*$|\s*[-–—:=]\s*\d+\s*$", re.I)
TOPIC_LABEL_RE = re.compile(r"^(?P<topic>[\w&/' ]{2,30}?)\s*[–—:-]\s+(?P<rest>\S.*)$")
QUOTE_RE = re.compile(r"^[\"“'‘]+|[\"”'’]+$")


def _inner_lack(clause: str, doc) -> bool:
    """A missing provision named after the clause's start (see LACK_INNER_RE); "has no X" only when the
    possessor is not a person."""
    for m in LACK_INNER_RE.finditer(clause):
        nxt = (m.group("next") or m.group("next2") or m.group("next3") or m.group("next4") or "").lower()
        if nxt in LACK_NOT_ASK:
            continue
        if m.group("have"):
            verb = [t for t in doc if t.idx == m.start("have")]
            subj = [c for v in verb for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].text.lower() in PERSON_WORDS or P.full(doc)[subj[0].i].pos_ == "PRON":
                continue
        return True
    return False


def _sentence_case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        text = text.lower()
        return text[:1].upper() + text[1:]
    return text


def _clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, whole) pairs: sentences (whole), then the pieces of a note line joined by dashes
    ("Jobs – loss of jobs – ..."), which only count for explicit wording (modal, request, lack)."""
    text = TIME_LEAD_RE.sub("", LEAD_LABEL_RE.sub("", QUOTE_RE.sub("", text.strip())).strip())
    pieces: list[tuple[str, bool]] = []
    for sent in re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", text):
        sent = sent.strip()
        if not sent:
            continue
        pieces.append((sent, True))
        m = TOPIC_LABEL_RE.match(sent)
        if m and len(m.group("topic").split()) <= 3:
            pieces.append((m.group("rest"), True))  # "Funding – need longer term funding"
        parts = [p.strip() for p in re.split(r"\s[–—-]\s|;\s", sent) if p.strip()]
        if len(parts) > 1:
            pieces.extend((p, False) for p in parts[1:])
    return pieces


def _imperative(doc) -> bool:
    toks = [t for t in doc if not t.is_punct and not t.is_space]
    if not toks:
        return False
    first = toks[0]
    word = first.text.lower()
    if word in ("please", "just", "also", "and", "then", "so"):
        toks = toks[1:]
        if not toks:
            return False
        first, word = toks[0], toks[0].text.lower()
    if word == "do" and len(toks) > 2 and toks[1].text.lower() in ("not", "n't"):
        return toks[2].lower_ not in MIND_VERBS  # "Don't know who to talk to": the speaker's "I" left out
    if word in ("re", "re-open", "reopen"):
        return True
    nxt = toks[1] if len(toks) > 1 else None
    if first.tag_ == "VB" and word not in IMPERATIVE_VERBS and not T.is_verb_lemma(word) and \
            T.lemma(word) != word and T.is_verb_lemma(T.lemma(word)):
        return False  # a past form the tagger calls a base form: "Lost his job last year, ..." (a note's dropped "he")
    only_verb = word not in NOT_ACTION_VERBS and T.is_verb_lemma(word) and not T.is_noun_lemma(word)
    if nxt is not None and (nxt.text.lower() in ("of", "is", "are", "was", "were", "has", "have", "'s", "’s")
                            or nxt.text.lower() == "to" and not only_verb
                            or (word in ("have", "had", "get", "got") and nxt.tag_ in ("VBN", "VBD"))):
        return False  # "Use of ...", "Access to ...", "Support is ..." : a noun subject
    if nxt is not None and nxt.text.lower().endswith("ing") and nxt.tag_ == "NN" and nxt.dep_ in ("nsubj", "nsubjpass"):
        return False  # "Fly tipping in the alleys makes ...": a compound noun subject, not a verb and its object
    has_subject = any(t.dep_ in ("nsubj", "nsubjpass", "expl") and t.i > first.i and t.head.i != first.i
                      and t.head.dep_ == "ROOT" for t in doc)
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in first.children)
    if first.tag_ == "VB" and first.dep_ == "ROOT" and not has_subject and not own_subject and \
            any(c.dep_ in ("dobj", "ccomp", "xcomp", "oprd", "prt") for c in first.children):
        return True
    # a word that can only be a verb ("Apply", "Insulate"; not "Fear", "Rise", "Knock"), tagged as a base form
    if first.tag_ == "VB" and not own_subject and only_verb and \
            not any(c.dep_ in ("mark", "aux", "auxpass", "neg") for c in first.children):
        # "Apply to the lottery for ...": a verb and where it acts, no object
        if first.dep_ == "ROOT" and not has_subject and any(c.dep_ == "prep" for c in first.children):
            return True
        # "Insulate the loft, the hall is freezing": the action, then the reason (the parse hangs it off the reason)
        if first.dep_ == "advcl" and first.head.i > first.i and any(c.dep_ == "dobj" for c in first.children) and \
                any(t.text == "," for t in doc[first.i:first.head.i]):
            return True
    return word in IMPERATIVE_VERBS and not (first.tag_ in ("VBG", "VBD", "VBZ", "VBN"))


def _comma_imperative(sentence: str) -> bool:
    """A clause after a comma that opens with an action verb the parse tags as a base form and has no subject."""
    parts = sentence.split(",")
    for k, piece in enumerate(x.strip() for x in parts[1:]):
        first = piece.split(" ", 1)[0].lower() if piece else ""
        if first not in IMPERATIVE_VERBS or len(piece.split()) < 2:
            continue
        before = ",".join(parts[:k + 1])
        if not _finite_verb(P.parse(before, ner=False)) or re.search(r"\b(who|which|that)\b[^,]*,[^,]*$", before, re.I):
            continue  # after a verbless label ("Muslim community – changing ..., continue"), or inside "who, ..., work"
        doc = P.parse(piece, ner=False)
        toks = [t for t in doc if not t.is_punct]
        if toks and toks[0].tag_ == "VB" and not any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in doc):
            return True
    return False


def _gerund_action(doc) -> bool:
    """'Celebrating diversity & promoting understanding', 'Removing perceived barriers': an action as a gerund."""
    toks = [t for t in doc if not t.is_punct]
    if not toks or toks[0].tag_ != "VBG":
        return False
    # a finite verb inside a relative clause ("issues that create tension") leaves the gerund the main action
    main_finite = [t for t in doc if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.dep_ not in ("amod", "compound")
                   and not any(a.dep_ in ("relcl", "acl") for a in [t, *t.ancestors])]
    return not main_finite and P.full(doc)[toks[0].i].lemma_.lower() in IMPERATIVE_VERBS


def _finite_verb(doc) -> bool:
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.dep_ not in ("amod", "compound") for t in doc)


def _wish(clause: str, doc) -> bool:
    """A verbless request: 'More one bed homes ...', 'A bus stop outside X please', 'Police to do more patrols'."""
    if re.search(r"\bplease\b", clause, re.I):
        return True
    head = re.split(r",|\s[–—-]\s|\bso that\b|\bso\b|\bwhich\b|\bwho\b|\bwhere\b|\bthat\b", clause, maxsplit=1)[0]
    hdoc = [t for t in doc if t.idx < len(head) and not any(a.dep_ in ("relcl", "acl") for a in [t, *t.ancestors])]
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in hdoc) or any(
        t.dep_ == "ROOT" and t.tag_ in ("VBN", "VBD") and any(c.dep_ == "nsubj" for c in t.children) for t in hdoc)
    if re.match(r"^[\w' ]{2,60}?\s+to\s+(be\s+)?\w+", head) and not finite and \
            re.match(r"^[\w' ]{2,60}?\s+to\s+(be|stay|do|have|run|open|restart|move|start|keep|get|go|provide|offer|work|"
                     r"become|remain|continue|use|take|give|make|come|visit|help|include|return|ensure)\b", head, re.I):
        return True  # "Pharmacy to stay open until 8pm", "Litter pick ... to restart"
    return bool(WISH_START_RE.match(head)) and not finite


_NP_TAGS = {"", "NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "DT", "CD", "HYPH", "RB", "VBG", "VBN", "POS"}
_NP_NOUN_TAGS = {"", "NN", "NNS", "NNP", "NNPS"}


def _np_wish_words(clause: str):
    """The `NP_WISH_RE` match of a clause whose words may make it a named provision (`_np_wish`), else None."""
    m = NP_WISH_RE.match(clause)
    if not m or ":" in clause or len(clause.split()) > 18:
        return None  # "Door entry system at Kestrel House: GL confirmed ...": a label before a report
    np = m.group("np")
    words = np.split()
    content = words[1:] if words[0].lower() in ("a", "an") else words
    if not content or NP_NOT_WISH_OPEN_RE.match(np) or NP_PROBLEM_RE.search(_modified(np)) or \
            COMPLAINT_RE.search(clause) or content[-1].lower().endswith("ing") or any(T.is_stop(w) for w in content):
        return None  # "Parking on the estate": a topic
    verb = m.group("verb")
    if verb and (T.is_stop(verb) or not T.is_verb_lemma(verb)):
        return None
    after = clause.split(",", 1)[1] if "," in clause else ""
    if re.search(r"\b(danger|dangerous|nuisance|eyesore|nightmare|disgrace|unsafe|scary|intimidating|shut|closed)\b",
                 after, re.I):
        return None  # "Motorbikes on the field, a danger to ...": the comment says it is a problem
    return m


def _np_wish(clause: str, doc) -> bool:
    """A thing or service named, then where or what for: 'Secure bike racks by the entrance', 'Online booking
    calendar so you can see ...', 'Key safe by the door instead of ...', 'Solar panels on the roof to cut ...'.
    Not a problem named ('Poor lighting on the footpath', 'Long queues at the desk', 'Dog mess in the park'),
    a topic ('The bins by the flats', 'Parking on the estate'), or a head (before a comma, a dash, "so", "to <verb>"
    or "instead of") with a verb outside a relative or wh-clause ('Car park floods after rain', 'Toilets in the
    precinct shut in 2021'). `doc` is the clause's parse."""
    m = _np_wish_words(clause)
    if m is None:
        return False
    np_end = m.end("np")
    cuts = [k.start() for k in re.finditer(r",|\s[–—-]\s|\bso\b|\binstead of\b", clause)]
    cuts += [t.idx for t in doc if t.lower_ == "to" and t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "VB"]
    end = min([len(clause)] + cuts)
    toks = [t for t in doc if t.idx < end]
    last = clause[:np_end].split()[-1].lower()
    if not any(t.tag_ in _NP_NOUN_TAGS for t in toks if t.idx < np_end) and \
            not (T.is_noun_lemma(last) or last.endswith("s") and T.is_noun_lemma(last[:-1])):
        return False  # "Easy to assume ...": no thing named (the tagger calls a noun RB or JJ now and then: "Streetlight")
    for t in toks:
        if t.idx < np_end and t.tag_ not in _NP_TAGS:
            return False
        if t.tag_.startswith("VB") or t.tag_ == "MD":
            if t.tag_ in ("VBG", "VBN") and t.dep_ in ("amod", "compound"):
                continue  # "south facing roof"
            # a wh-clause after a preposition or a relative clause with its pronoun: "with what's on each week"
            if any(a.dep_ in ("relcl", "pcomp", "pobj") and any(c.tag_ in ("WP", "WDT", "WRB") for c in a.children)
                   for a in [t, *t.ancestors]):
                continue
            return False
    return True


def _np_wish_statement(clauses: list[tuple[str, bool]], described: bool) -> bool:
    """Does a whole clause name a provision (`_np_wish`), under a prompt that does not ask for descriptions?"""
    return not described and any(whole and _np_wish_words(c) is not None and _np_wish(c, P.lazy(c, lite=True))
                                 for c, whole in clauses)


def _all_reports(text: str) -> bool:
    """Every sentence reports what happened or what the thing just named is like (`REPORT_RE`): no answer."""
    return all(REPORT_RE.match(x) for x in re.split(r"(?<=[.!?])\s+", text) if x.strip())


def _modified(np: str) -> str:
    """A phrase without its hyphenated modifiers: in "Residents-only parking bays" the bays are named, not residents."""
    words = np.split()
    return " ".join(w for k, w in enumerate(words) if "-" not in w or k == len(words) - 1)


def _named_wish(clause: str) -> tuple[str, int] | None:
    """(the named thing, where what it should be like starts) when a clause may name a thing wanted with how it
    should be: "X, not Y" (`CONTRAST_RE`) or "X that/which/who ..." (`RELATIVE_RE`). Words only: the parse decides
    (`_named_thing_wish`), and is made only for such clauses. Not an opening that names a problem, a person or a topic
    (`NP_NOT_WISH_OPEN_RE`, `NP_PROBLEM_RE`), nor a complaint."""
    m = CONTRAST_RE.match(clause) or RELATIVE_RE.match(clause)
    if m is None or len(clause.split()) > 18:
        return None
    head = m.group(1)
    if NP_NOT_WISH_OPEN_RE.match(head) or NP_PROBLEM_RE.search(_modified(head)) or COMPLAINT_RE.search(head):
        return None
    return head, m.end(1)


def _named_thing_wish(clause: str, doc) -> bool:
    """A thing named, then what it should (not) be like: 'Social rent, not "affordable" at 80% ...', 'CCTV that
    actually works', 'mental health drop in that doesnt need a referral', 'Lockable bin stores that the council
    empties twice a week'. The named part has a noun and no verb but a modifier's; a relative clause has one finite
    verb (so no main verb follows it: not 'Parents who work can't come') or the parse hangs it off the named noun."""
    head, cut = _named_wish(clause)
    before = [t for t in doc if t.idx < cut]
    after = [t for t in doc if t.idx > cut]
    if not any(t.tag_ in ("NN", "NNS", "NNP", "NNPS") for t in before) or any(
            (t.tag_.startswith("VB") or t.tag_ == "MD") and t.dep_ not in ("amod", "compound") for t in before):
        return False
    contrast = CONTRAST_RE.match(clause)
    if contrast:  # what it should not be is a thing too: 'not "affordable" at 80%', not 'not as vociferous as ...'
        y = next((t for t in doc if t.idx >= contrast.start("y")), None)
        return y is not None and y.tag_ in ("DT", "JJ", "JJR", "NN", "NNS", "NNP", "NNPS", "CD", "PRP$", "$") and \
            y.lower_ not in ("as", "so", "too", "that", "this", "very", "enough", "much")
    if sum(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in after) == 1:
        return True
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return root is not None and root.idx < cut and root.tag_.startswith("NN") and any(
        c.dep_ == "relcl" for c in root.children)


_LEAD_WORDS = ("please", "just", "also", "and", "then", "so")


def _parse_can_matter(clause: str, whole: bool) -> bool:
    """False when no rule below can read a different verdict from the parse than from the bare tokens
    (`P.unparsed`): the parse is then skipped (most survey answers: "I was seen quickly", "The staff ...").
    The rules read the parse for: questions, an inner lack ("... has no ..."), a wish or an "X to do Y"
    (only to rule one out: `_wish` on the bare tokens says whether it can be one), and a clause whose first
    word (after "please", "just" ...) the tagger may call a verb or a gerund (`_imperative`,
    `_gerund_action`): anything but a function word or an -ly adverb that cannot be a verb.
    Keep in step with the rules that read `doc`; tests/recommend/test_parse.py checks the verdicts against
    the full parse (added by the drafting-speed work, issue 13)."""
    c = clause.strip().rstrip(".!;")
    if c.endswith("?") or any(m.group("have") for m in LACK_INNER_RE.finditer(c)):
        return True
    if not whole:
        return False
    bare = P.unparsed(c)
    if _wish(c, bare) or _named_wish(c) is not None:  # with no tags nothing is finite: a wish unless its words rule it out, parse or not
        return True
    words = [t.lower_ for t in bare if not t.is_punct and not t.is_space][:2]
    if words and words[0].endswith("ing") and {words[0][:-3], words[0][:-3] + "e", words[0][:-4]} & IMPERATIVE_VERBS:
        return True  # a gerund of an action verb ("Doing ...", "Celebrating ...", "Stopping ...")
    for w in words[:2] if words and words[0] in _LEAD_WORDS else words[:1]:
        # the small tagger calls a noun at a clause's start VB now and then ("Proportionate representation",
        # "and engagement with"): only function words and -ly adverbs are trusted never to be
        if not (w.isnumeric() or (T.is_stop(w) or w.endswith("ly") and w.isalpha()) and not T.is_verb_lemma(w)) or \
                w in IMPERATIVE_VERBS or w in ("re", "re-open", "reopen", "do"):
            return True
    return False


def _clause_tests(clause: str, whole: bool) -> list[tuple[str, bool, Callable[[], bool]]]:
    """(form, reads a parse, test) for one clause, in the order the clause's form is looked for: its form is
    that of the first test that passes, none when none does. Tests of one form are adjacent, so splitting a
    form's test in two (the part read off the words, then the part that needs the parse) changes nothing.
    The clause's Doc is made when a test first reads it, parsed only when the parse can change the verdict
    (`_parse_can_matter`), else tokenised only."""
    made: list = []

    def doc():
        if not made:
            # tags and dependencies only: the two rules that read POS or a lemma ask for them (`P.full`)
            made.append(P.lazy(clause, lite=True) if _parse_can_matter(clause, whole) else P.unparsed(clause))
        return made[0]

    c = clause.strip().rstrip(".!;")
    if c.endswith("?"):
        return [("question", False, lambda: bool(
                    ASK_QUESTION_RE.search(c) or WHEN_FIX_RE.match(c) or
                    re.match(r"^why (does|do|did|is|are|was|were|has|have|had|will|would|can|could|should)\b.*"
                             r"\b(not|only|still|always|never)\b", c, re.I))),  # "why is the walks group only on weekdays?"
                ("question", True, lambda: len(c.split()) >= 3 and not WH_RE.match(c) and not _finite_verb(doc()))]
    sub = SUBJUNCTIVE_RE.search(c)
    return [
        # "Mark proposed that the group apply to ..."
        ("request", True, lambda: bool(sub) and not NOT_REQUEST_RE.search(c) and any(
            t.tag_ in ("VB", "MD") or t.tag_ in ("VBP", "VBD") and t.lower_ == t.lemma_ and t.dep_ != "aux"
            for t in P.parse(sub.group("rest"), ner=False))),
        ("request", False, lambda: bool(REQUEST_RE.search(c)) and not SIGNPOST_RE.search(c) and
         not NOT_REQUEST_RE.search(c) and not PASSIVE_ASKED_RE.search(c) and not re.search(
            r"\basked (why|whether|if|how|what)\b|\b(don'?t|not) want|\b(like|love|want) to (know|ask|hear|say|thank|add|"
            r"understand|find out|mention|point out|comment|echo|share)\b", c, re.I)),
        ("question", False, lambda: bool(re.search(r"\basked (why|whether|if|how)\b", c, re.I))),
        ("modal", False, lambda: _obligation(c)),
        ("imperative", True, lambda: whole and _imperative(doc())),
        # "No, I ...": an answer, not a lack
        ("lack", False, lambda: bool(LACK_OPEN_RE.search(c)) and not re.match(r"no\s*[,.!?]", c, re.I)
         and not LACK_EXCLUDE_RE.search(c)),
        ("lack", True, lambda: _inner_lack(c, doc()) and not LACK_EXCLUDE_RE.search(c)),
        ("wish", False, lambda: whole and _benefit_wish(c)),  # "More buses would make a real difference"
        ("wish", True, lambda: whole and not STATUS_RE.search(c) and (_wish(c, doc()) or _gerund_action(doc()) or
                                          _named_wish(c) is not None and _named_thing_wish(c, doc()))),
        # "Why cant the council use the empty bank building" (no '?')
        ("question", False, lambda: whole and bool(ASK_QUESTION_RE.match(c)) and bool(re.match(r"^why\b", c, re.I))),
        ("request", False, lambda: whole and _actor_to(c)),  # "Council to set up a Youth Assembly ..."
        # an action after a comma, tried last: "The online map is great, keep updating it"
        ("imperative", True, lambda: whole and "," in c and _comma_imperative(c)),
    ]


def _obligation(c: str) -> bool:
    """Says what must or should be done; "the needs of" hides only itself ("need to ensure it meets the needs of")."""
    c = re.sub(r"\bneeds of\b", " ", c, flags=re.I)
    return bool(OBLIGATION_RE.search(c)) and not OBLIGATION_EXCLUDE_RE.search(c)


ACTOR_TO_RE = re.compile(r"^(?:the\s+|our\s+|local\s+|all\s+)?(?:(?:[A-Z][\w'’&-]*|&|and)\s+){0,3}?(?P<head>[A-Za-z]+)\s+to\s+"
                         r"(?!date\b)(?P<verb>[a-z]+)\b")


def _actor_to(c: str) -> bool:
    """Notes' shorthand for an ask of a body: "Council to set up ...", "Schools to open their halls ..."."""
    m = ACTOR_TO_RE.match(c)
    if not m:
        return False
    head = m.group("head").lower()
    return (head in ACTOR_HEADS or head.rstrip("s") in ACTOR_HEADS) and T.is_verb_lemma(m.group("verb"))


def _benefit_wish(c: str) -> bool:
    """Something not yet there (an indefinite, comparative or gerund phrase: `WISHED_RE`) said to help, make a
    difference or be great (`BENEFIT_RE`): 'Being able to book online would be great'; not 'The hall would be lovely'."""
    m = BENEFIT_RE.match(c)
    if not m or re.search(r"\b(if|when|whether)\b", m.group("what"), re.I):
        return False
    what = m.group("what").split()
    # or a thing named without an article and with what it is like: "Women-only sessions in familiar venues ..."
    bare = len(what) >= 3 and what[0].lower() not in BARE_NOT_WISHED and what[0].lower().rstrip(",") not in PERSON_WORDS
    return bool(WISHED_RE.match(m.group("what"))) or bare and what[0].lower().endswith("s") and not what[0][:1].isupper() \
        or bare and "-" in what[0]


def _clause_form(clause: str, whole: bool) -> str | None:
    """The clause's form (the first of its tests that passes), once per clause and whole-ness in a session."""
    return P.remember(("form", clause, whole),
                      lambda: next((form for form, _, test in _clause_tests(clause, whole) if test()), None))


def _clause_passes(clause: str, whole: bool, parsed: bool) -> bool:
    """Does any of the clause's tests that read a parse (`parsed`), or of those that do not, pass?"""
    return P.remember(("passes", parsed, clause, whole),
                      lambda: any(test() for _, p, test in _clause_tests(clause, whole) if p == parsed))


def _read(text: str, section: Sequence[str] | str | None, question: str | None, prompt: str | None,
          kind: str) -> tuple[list[tuple[str, bool]], bool, bool] | None:
    """((clause, whole) pairs, whether the statement counts as an answer when no clause has a form, whether its
    prompt asks for descriptions: what works, concerns, what is hard), or None for an empty statement. Nothing is
    parsed here."""
    text = (text or "").strip()
    tally = TALLY_RE.search(text)
    if tally and tally.start() > 0:
        text = text[:tally.start()].strip()  # "Free buses ●●●● (4)": the item voted for
    if not text:
        return None
    # the nearest prompt governs: a question under a heading, else a lead-in line, else the last heading
    path = [section] if isinstance(section, str) else list(section or [])
    asked = question or prompt or (path[-1] if path else "")
    clauses = [(_sentence_case(c), whole) for c, whole in _clauses(text)]
    # a break-out group's own heading ("Group A (Ollie): safer routes to school", "Table 2") says who, the heading
    # above it what they were asked ("Small group work - drafting recommendations")
    group = not (question or prompt) and len(path) >= 2 and GROUP_LABEL_RE.match(path[-1])
    solution_prompt = any(SOLUTION_PROMPT_RE.search(x) for x in ([asked, path[-2]] if group else [asked, prompt]) if x)
    inline = INLINE_PROMPT_RE.match(text)  # "Ideas from the floor: face painting, a bouncy castle"
    inline_prompt = bool(inline and SOLUTION_PROMPT_RE.search(inline.group("label")))
    # the main clause of the first sentence: what follows gives reasons ("Feedback when you are turned down! We
    # never found out why.")
    first = re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", text, maxsplit=1)[0]
    main = re.split(r"\bso\b|\bbecause\b|\bso that\b", first, maxsplit=1, flags=re.I)[0]
    # a short answer counts too ("Paper forms", "Wifi"), but not a non-answer ("N/A", "Don't know")
    complaint = COMPLAINT_RE.search(main)
    if complaint and (rel := RELATIVE_RE.match(main)) and complaint.start() >= rel.end():
        complaint = None  # the "dont" describes the thing wanted: "support in school that you dont have to wait for"
    answer = ((solution_prompt and kind != "sentence") or inline_prompt) and not complaint and \
        not ASIDE_RE.search(main) and not _all_reports(text) and not T.is_non_answer(text) and bool(
            re.search(r"[A-Za-z]{3}", text) and (len(re.findall(r"[A-Za-z]+", text)) >= 2 or kind != "sentence")
            or (tally and re.search(r"[A-Za-z]{3}", text)))
    described = any(DESCRIBE_PROMPT_RE.search(x) for x in [asked, *path] if x)
    return clauses, answer, described


def proposal_form(text: str, section: Sequence[str] | str | None = (), question: str | None = None,
                  prompt: str | None = None, context: str | None = None, kind: str = "bullet") -> str | None:
    """The form in which `text` proposes a change, or None when it only describes or comments.

    `section` is the heading path (outermost first, or one heading), `question` the question the
    statement answers, `prompt` a lead-in line ("Ideas wall (sticky notes):"), `context` a parent
    bullet; all optional, all plain text. `kind` is the statement's kind ("bullet", "response",
    or "sentence" for a sentence of report prose, which needs explicit wording: a prompt alone
    does not make prose an answer).
    """
    read = _read(text, section, question, prompt, kind)
    if read is None:
        return None
    clauses, answer, described = read
    forms = [_clause_form(clause, whole) for clause, whole in clauses]
    if not any(forms) and not answer and _np_wish_statement(clauses, described):  # an answer stays one
        forms.append("wish")
    for form in ("imperative", "modal", "request", "question", "wish", "lack"):
        if form in forms:
            return form
    return "answer" if answer else None


def proposes(text: str, section: Sequence[str] | str | None = (), question: str | None = None,
             prompt: str | None = None, context: str | None = None, kind: str = "bullet") -> bool:
    """`proposal_form(...) is not None`, cheapest first: the statement proposes when any clause has a form or
    it counts as an answer, so the tests read off the words run first, over every clause, and a parse is
    asked for only when none of them passes (drafting's detector: most parses are then never made)."""
    read = _read(text, section, question, prompt, kind)
    if read is None:
        return False
    clauses, answer, described = read
    return answer or any(_clause_passes(c, whole, False) for c, whole in clauses) or \
        any(_clause_passes(c, whole, True) for c, whole in clauses) or _np_wish_statement(clauses, described)


def segment_proposal_form(segment: Segment) -> str | None:
    """`proposal_form` of a Segment, with its section path, question, context (prompt or parent) and kind; None for
    feedback on the event itself (`attributes["about"] == "event"`, marked by ingest's `feedback`)."""
    if segment.attributes.get("about") == "event":
        return None
    return proposal_form(segment.text, segment.section, segment.question, _lead_in(segment), segment.context, segment.kind)


def segment_proposes(segment: Segment) -> bool:
    """`proposes` of a Segment (`segment_proposal_form(segment) is not None`, fewer parses)."""
    if segment.attributes.get("about") == "event":
        return False  # a view about the meeting itself, not an ask for the plan
    return proposes(segment.text, segment.section, segment.question, _lead_in(segment), segment.context, segment.kind)


def _lead_in(segment: Segment) -> str | None:
    """The lead-in line a top-level bullet is listed under ("Actions:", "Ideas wall:"), or a table cell's column
    ("What would help"), nearer than its question."""
    return segment.context if segment.parent is None and segment.context and (
        segment.context.endswith(":") or segment.kind == "response") else None


def is_proposal(item: Segment | str, section: Sequence[str] | str | None = (), question: str | None = None,
                prompt: str | None = None, context: str | None = None, kind: str = "bullet") -> bool:
    """True when a Segment, or a statement's text with its context, proposes a change (see `proposal_form`)."""
    if isinstance(item, Segment):
        return segment_proposes(item)
    return proposes(item, section, question, prompt, context, kind)
