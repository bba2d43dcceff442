"""The action shapers every rewriting rule ends in: a clause that is already an action (`imperative`, with a gerund
read as its verb: "Improving the buses" -> "Improve the buses"), a thing asked for (`np_wish`: "More one bed homes"
-> "Provide more one bed homes"), a noun with a participle (`participle_np`). Each returns (draft, rule name) or
None; the rules in `rules.py` decide which one a clause goes to.
"""
from __future__ import annotations

import re

from .. import text as T
from . import parse as P
from .phrases import (ABSTRACT_SUFFIX, ACTOR_HEADS, FEELING_VERBS, GENERIC_SUBJECTS, ING_NOUNS, LEADING_ADVERBS,
                      MASS_NOUNS, NUISANCE_INGS, PRONOUN_SUBJECTS, PROBLEM_HEADS, conjugate3, first_word_in_noun_phrase,
                      has_main_finite_verb, indefinite, is_actor, lower_first, norm, np_head, subtree_right, the_actor)
from .lexicon import NOMINAL_RE, NOMINAL_VERBS, NP_PROBLEM_RE, VERB_FOR_THING
from .style import opens_with_verb, verb_like


def imperative(clause: str) -> tuple[str, str] | None:
    ws = clause.split(" ")
    while len(ws) > 1 and ws[0].lower().strip(",") in LEADING_ADVERBS:
        ws = ws[1:]
    clause = " ".join(ws)
    doc = P.parse(clause, ner=False)
    if ws[0].lower() in FEELING_VERBS:
        return None  # "Love the idea of ...", "Want it swept ...": the speaker's "I"/"they" left out, not an order
    if len(ws) > 2 and ws[1].lower() == "to" and ws[0].lower() in ACTOR_HEADS:
        return None  # "Police to patrol the park": a body asked to act, not the verb "to police"
    if opens_with_verb(clause) and not first_word_in_noun_phrase(doc):
        return clause, "imperative"
    tok = doc[0] if len(doc) else None
    # "Holding organisations to account": before those who act, an -ing word is an action done to them
    on_actor = tok is not None and tok.tag_ == "VBG" and tok.head.i > tok.i and tok.head.lemma_.lower() in ACTOR_HEADS
    if tok is not None and tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i and not on_actor:
        return None  # "cooking classes for dads": the -ing word names a kind of thing, it is no action
    # "Building an evidence base": an -ing word that is often a noun is a verb before an article or possessive
    noun_ing = tok is not None and tok.lower_ in ING_NOUNS and not on_actor and not (
        len(doc) > 1 and doc[1].lower_ in GERUND_OBJECT_OPENERS)
    if tok is not None and tok.lower_.endswith("ing") and (tok.tag_ == "VBG" or (
            not noun_ing and verb_like(gerund_base(tok.lower_)) and not has_main_finite_verb(doc))):
        base = gerund_base(tok.lower_)
        verb_here = tok.dep_ in ("ROOT", "csubj") or tok.tag_ != "VBG" or on_actor
        if not noun_ing and verb_like(base) and verb_here and not any(
                t.dep_ == "ROOT" and t.i != tok.i and t.pos_ in ("VERB", "AUX") for t in doc):
            rest = doc[1:].text
            rest = re.sub(r"(\band|\bor|&)\s+(\w+ing)\b",
                          lambda m: f"{m.group(1)} {gerund_base(m.group(2))}", rest)
            return f"{base} {rest}".strip(), "gerund"
    return None


# nouns that are verbs too, opening a sentence whose subject was left out ("Results in a lesser service")
LINKING_VERBS = {"results", "leads", "depends", "relies", "stems", "comes", "means", "causes", "seems", "looks", "feels"}
# a thing that does harm, named with what it does ("attitudes and behaviours that get in the way of ...")
HARMS_RE = re.compile(r"\b(that|which|who)\s+(\w+\s+)?((gets?|got|stands?|stood)\s+in\s+the\s+way|holds?\s+\w+\s+back|"
                      r"hinders?|undermines?|excludes?|discourages?|damages?|harms?|disadvantages?|marginali[sz]es?)\b", re.I)
ARTICLE_RE = re.compile(r"^(a|an|the)\s+", re.I)
GERUND_OBJECT_OPENERS = {"a", "an", "the", "our", "their", "its", "this", "these", "those", "more", "new", "better"}
# a thing said to be needed: "More youth workers are needed on the estate", "Better street lighting needed"
NEEDED_RE = re.compile(r"^(?P<what>[^,;:]+?)\s+((is|are)\s+)?(really\s+|also\s+|urgently\s+|badly\s+|still\s+)?"
                       r"(needed|required|wanted)(?P<rest>\s+(on|in|at|for|to|across|around|within|throughout|along|near|"
                       r"outside|inside|between|among|from|by)\b.*)?$", re.I)
EXAMPLE_RE = re.compile(r"\s*,?\s+(e\.g\.?|eg|i\.e\.?|ie|for example|for instance)\s.*$", re.I)


# a place, then what it lacks: "The underpass by the station, no lighting and ...", "Bus stop on Elm Road – no shelter"
LACK_AT_RE = re.compile(r"^(?P<place>[^,;:–—]{3,60}?)(,|\s[-–—]|:)\s+(there\s+is\s+|there['’]s\s+)?"
                        r"(no|not\s+enough|hardly\s+any)\s+(?P<thing>[\w'’-]+(\s+[\w'’-]+){0,3}?)(\s+(and|or|so|but|at|after|for)\b.*|[,;.].*)?$", re.I)


def lack_at_place(clause: str) -> tuple[str, str] | None:
    """'The underpass by the station, no lighting and people sleeping there' -> 'Provide lighting at the underpass by
    the station'; None unless the part before the lack is a noun phrase and the lack a thing (not "no one")."""
    m = LACK_AT_RE.match(clause.rstrip(" .!"))
    if not m or re.match(r"^(one|body|point|idea|way|need|time|longer)\b", m.group("thing"), re.I) or \
            NP_PROBLEM_RE.search(m.group("thing")):
        return None  # "no one to talk to", "Great event, no complaints": nothing to provide
    place = P.parse(m.group("place"), ner=False)
    if has_main_finite_verb(place) or np_head(place) is None or place[0].pos_ in ("PRON", "VERB", "AUX", "ADV") or \
            place[0].tag_ in ("JJ", "JJS") and place[0].lower_ not in ("new", "old", "main", "local", "public"):
        return None  # "Great event, no ...": praise, not a place
    bare = place[0].pos_ not in ("DET", "PRON", "PROPN", "NUM") and np_head(place).tag_ in ("NN", "NNS")
    the = "the " if bare else ""  # "Car park behind the shops, no lights" -> "... at the car park ..."
    thing = P.parse("no " + m.group("thing"), ner=False)  # alone, "lift" parses as a verb
    head = np_head(thing)
    one = head is not None and head.tag_ == "NN" and head.lemma_ not in MASS_NOUNS and thing[1].pos_ not in ("DET", "PRON")
    article = indefinite(m.group("thing")) + " " if one else ""  # "no lift" -> "a lift"
    return f"provide {article}{m.group('thing')} at {the}{lower_first(m.group('place'), place)}", "lack"


def needed(clause: str) -> tuple[str, str] | None:
    """'More youth workers are needed on the estate' -> 'Provide more youth workers on the estate' (the thing, then
    where or what for); None unless the part before "needed" is a noun phrase `np_wish` can ask for."""
    m = NEEDED_RE.match(clause.rstrip(" .!"))
    if not m or has_main_finite_verb(P.parse(m.group("what"), ner=False)):
        return None
    what, rest = m.group("what"), m.group("rest") or ""
    if re.match(r"^\s+to\s", rest) and not re.search(r"\b(is|are)\s+(\w+\s+)?$", clause[: m.end("what") + 12], re.I):
        doc = P.parse(clause, ner=False)
        if any(t.lower_ in ("needed", "required", "wanted") and t.tag_ == "VBD" and
               any(c.dep_ == "xcomp" for c in t.children) for t in doc):
            return None  # "the city needed to take a more strategic approach": who must act, not a thing needed
    if len(what.split()) == 1:  # "Training is needed for volunteers", "Help is needed" (not "Some are needed")
        tag = P.parse(what, ner=False)[0].tag_
        noun = tag in ("NN", "NNS") or tag == "VBG" and what.lower() in ING_NOUNS
        return (f"{VERB_FOR_THING.get(what.lower(), 'provide')} {what.lower()}{rest}", "needed") if noun else None
    wish = np_wish(what)
    return (wish[0] + rest, "needed") if wish else None


# nouns a report names what people raised with: "An important thread that emerged ... was empowering communities"
RAISED_HEADS = {"thread", "theme", "message", "point", "priority", "suggestion", "idea", "recommendation", "request",
                "proposal", "focus", "aim", "goal", "solution", "answer", "call", "ask"}


# "More could be done to support carers", "Efforts should be made to reach young people": the action is after "to"
EFFORT_RE = re.compile(r"^((further|some|real|greater|additional)\s+)?(more|much|work|something|efforts?|steps|action)"
                       r"\s+(\w+\s+){0,2}?(could|should|must|needs?\s+to|has\s+to|have\s+to)\s+(also\s+)?be\s+"
                       r"(done|made|taken)\s+to\s+(?P<vp>\w.+)$", re.I)


def raised(clause: str) -> tuple[str, str] | None:
    """'An important thread ... was empowering communities' / 'The main suggestion was to improve bus links' ->
    the action named after "was"; None unless the subject's head is one of RAISED_HEADS. 'More could be done to
    support carers' -> 'Support carers'."""
    m = EFFORT_RE.match(clause.rstrip(" .!"))
    if m:
        out = imperative(m.group("vp"))
        return (out[0], "raised") if out else None
    doc = P.parse(clause, ner=False)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    if subj is None or subj.lemma_.lower() not in RAISED_HEADS or any(c.dep_ == "neg" for c in root.children):
        return None
    verb = root if root.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in root.children) else \
        next((c for c in root.children if c.dep_ == "xcomp" and c.tag_ == "VB" and root.lemma_ == "be"), None)
    out = imperative(doc[verb.i:].text) if verb is not None and verb.i > subj.i else None
    return (out[0], "raised") if out else None


def nuisance(clause: str) -> bool:
    """Whether `clause` opens with a nuisance named by an -ing noun ("Speeding on the bypass", "flooding under the
    bridge"), which the parser reads as an order."""
    # only the nuisance words: "Dealing with the council takes forever" and "Waiting times ... are too long" are
    # sentences, and "dealing", "waiting" name problems only as heads ("drug dealing")
    return clause.split(" ", 1)[0].lower() in NUISANCE_INGS and not has_main_finite_verb(P.parse(clause, ner=False))


def tackle_nuisance(clause: str) -> tuple[str, str] | None:
    """'Speeding on the bypass' -> 'Tackle speeding on the bypass' (a comma splice after it left out)."""
    return np_wish(clause.split(",", 1)[0]) if nuisance(clause) else None


def gerund_base(word: str) -> str:
    doc = P.parse(f"They are {word.lower()}", ner=False)
    lemma = doc[-1].lemma_ if len(doc) else word
    if re.search(r"[^aeiou](is|iz)ing$", word) and len(word) >= 9 and not T.is_verb_lemma(lemma):
        return word[:-3] + "e"  # "pedestrianising": a verb made with -ise that no word list holds
    return lemma if T.is_verb_lemma(lemma) else word


def np_wish(np: str, lead: str | None = None) -> tuple[str, str] | None:
    """A noun phrase asked for ("More one bed homes ...") as an action."""
    np = re.sub(r"^(e\.g\.?|eg|i\.e\.?|ie|such as|including)[,:]?\s+", "", norm(np).rstrip(" .!?"), flags=re.I)
    if not np or re.match(r"^(not|no|nothing|none|many(?!\s+more)|most|several|all|both|each|every)\b", np, re.I):
        return None  # "many organisations, especially ...": a sentence's subject cut from it, not a thing wished for
    if re.match(r"^(someone|somebody|somewhere|something)\b", np, re.I):
        return f"provide {lower_first(np)}", "wish"  # "Somewhere for teenagers to go on Friday nights"
    less = re.match(r"^(shorter|fewer|less|lower|smaller)\s+(?P<rest>[a-z][\w'’-]*(\s.*)?)$", np, re.I)
    if less and not has_main_finite_verb(P.parse(np, ner=False)):
        return f"reduce {less.group('rest')}", "wish"  # "Shorter waiting times for CAMHS": less of a thing, not more
    nominal = NOMINAL_RE.match(np)
    if nominal:  # "Use of interpreters at the surgery" -> "Use interpreters at the surgery"
        verb, keep = NOMINAL_VERBS[nominal.group("noun").lower()]
        return f"{verb} {nominal.group('prep') + ' ' if keep else ''}{nominal.group('rest')}", "wish"
    if nuisance(np):
        return f"tackle {lower_first(np)}", "wish_problem"  # "Speeding on the bypass": a nuisance, never an order
    doc = P.parse(np)
    first = doc[0].lower_
    head = np_head(doc)
    verb_adjective = doc[0].tag_ in ("VBG", "VBN") and len(doc) > 1 and doc[1].pos_ in ("NOUN", "PROPN")
    if head is None or (doc[0].pos_ in ("ADV", "PART", "VERB", "ADP", "SCONJ", "AUX") and doc[0].dep_ != "amod"
                        and not verb_adjective) and first not in (
            "more", "better", "less", "longer") or (doc[0].pos_ == "ADJ" and len(doc) > 1 and doc[1].pos_ == "ADP"):
        return None  # "always a delayed response", "dependent on ...": not a thing to provide
    probe = P.parse("It " + lower_first(np), ner=False)
    if len(probe) > 1 and probe[1].tag_ in ("VBZ", "VBD") and probe[1].dep_ == "ROOT" and \
            (not T.is_noun_lemma(probe[1].lemma_) or probe[1].lower_ in LINKING_VERBS) and \
            not (probe[1].tag_ == "VBD" and doc[0].dep_ == "amod"):  # "Anonymised whistleblowing procedure"
        return None  # "Applies to other groups too", "Results in a lesser service": a sentence missing its subject
    if first == "more" and len(doc) > 1 and doc[1].pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "VERB") or \
            first == "more" and len(doc) > 1 and doc[1].tag_ in ("VB", "VBP", "VBZ"):
        return None  # "more die during pregnancy": a finding, not a wish
    # a finite verb outside a relative clause means this is a sentence, not a wished-for thing (the parser
    # misreads "A named PCSO for Kingsmead who we actually see": judge the part before "who/which/that")
    rel = re.search(r"\s(who|which|that|where)\s", np)
    misread = all(any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in t.children)
                  for t in doc if t.dep_ == "ROOT")  # "CCTV that actually works": the relative clause made main
    if rel and any(t.dep_ in ("ROOT", "ccomp") and t.pos_ in ("VERB", "AUX") and t.idx > rel.end() and any(
            c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass") and c.left_edge.idx < rel.start()
            for c in t.children) and not any(
            c.dep_ == "nsubj" and c.lower_ in ("that", "which", "who") for c in t.children) for t in doc):
        return None  # "a multi-agency approach which gathered evidence ... was essential": a sentence, its verb last
    if has_main_finite_verb(doc) and not (rel and (first in ("a", "an", "more", "better") or misread) and
                                          not has_main_finite_verb(P.parse(np[: rel.start()], ner=False))):
        return None
    if all(t.pos_ in ("PROPN", "DET", "PUNCT", "CCONJ") for t in doc):
        return None  # a name alone ("Granby Toxteth Partnership") asks for nothing
    comparative = doc[0].tag_ in ("JJR", "RBR") or first in ("more", "better", "less", "fewer", "lower", "cheaper")
    # a problem to tackle, not a thing to provide: its head names one ("rising rents"), or it is named with the harm
    # it does ("attitudes that get in the way of ..."); but "cheaper bus fares": the comparative is the ask
    problem = head.lemma_.lower() in PROBLEM_HEADS or head.lower_ in PROBLEM_HEADS
    harm = HARMS_RE.search(np) is not None and first not in ("a", "an")
    if (problem or harm) and not comparative:
        return f"tackle {lower_first(ARTICLE_RE.sub('', np), doc)}", "wish_problem"
    # "seating", "lighting": things, though they end like abstract nouns ("More seating" -> "Provide more seating")
    abstract = head is not None and ABSTRACT_SUFFIX.search(head.lower_) is not None and \
        not (head.lower_.endswith("ing") and head.lower_ in MASS_NOUNS)
    if first in ("extra", "additional") and not abstract:
        return f"provide {lower_first(np, doc)}", "wish"  # "Additional resources": "increase resources" loses them
    if first in ("more", "greater", "increased", "higher", "extra", "additional"):
        rest = doc[1:].text
        if first == "more" and not abstract:
            return f"provide more {rest}", "wish"
        return f"increase {rest}", "wish"
    if first in ("better", "improved", "stronger"):
        return f"improve {doc[1:].text}", "wish"
    if first in ("less", "fewer", "reduced", "lower"):
        return f"reduce {doc[1:].text}", "wish"
    back = next((c for c in head.children if c.lower_ == "back" and c.dep_ == "advmod" and c.i == head.i + 1), None)
    if back is not None and not lead:
        # "youth worker back on the estate": a thing lost and wanted again
        article = "" if head.tag_ != "NN" or head.lemma_ in MASS_NOUNS or doc[0].pos_ in ("DET", "PRON") else indefinite(np) + " "
        return f"bring {article}{lower_first(doc[: back.i].text, doc)} back {doc[back.i + 1:].text}".strip(), "wish"
    verb = VERB_FOR_THING.get(head.lemma_.lower(), "provide") if head.tag_ in ("NN", "NNS") else "provide"
    if lead:
        return f"{verb if lead == 'provide' else lead} {lower_first(np, doc)}", "wish"
    if len([t for t in doc if t.is_alpha]) < 2 or all((t.pos_ == "PROPN" and t.i > 0) or t.ent_type_ in ("NORP", "GPE")
                                                     for t in doc if t.is_alpha and t.i != head.i):
        return None  # "BAME women", "Muslim community": a group named, not an ask
    # no article before a comparative ("cheaper fruit and veg") or a coordinated head ("fruit and veg")
    if head is not None and head.tag_ == "NN" and first not in ("a", "an", "the", "some", "any") and \
            not abstract and doc[0].pos_ not in ("DET", "PRON", "NUM") and head.lemma_ not in MASS_NOUNS and \
            doc[0].tag_ not in ("JJR", "JJS", "RBR", "NNS", "NNPS") and not any(c.dep_ == "conj" for c in head.children) \
            and not any(t.tag_ in ("NNS", "NNPS") and t.i < head.i and t.dep_ in ("nsubj", "ROOT") for t in doc):
        # no article for a plural that the parser did not take as the head ("Swings for older kids, not just ...")
        article = indefinite(np)
        return f"{verb} {article} {lower_first(np, doc)}", "wish"
    return f"{verb} {lower_first(np, doc)}", "wish"


def participle_np(doc) -> tuple[str, str] | None:
    """'Workforce reflecting diversity within communities' -> 'Ensure the workforce reflects ...'."""
    root = [t for t in doc if t.dep_ == "ROOT"]
    if not root or root[0].pos_ not in ("NOUN", "PROPN"):
        return None
    head = root[0]
    acl = [c for c in head.children if c.dep_ == "acl" and c.tag_ == "VBG" and c.i > head.i]
    if not acl:
        return None
    verb = acl[0]
    subject = doc[: verb.i].text
    lemma = verb.lemma_.lower()
    finite = conjugate3(lemma) if head.tag_ in ("NN", "NNP") else lemma
    det = "the " if head.tag_ == "NN" and doc[0].pos_ not in ("DET", "PRON") and doc[0].i == head.left_edge.i and \
        not any(c.dep_ in ("det", "poss") for c in head.children) else ""
    return f"ensure {det}{lower_first(subject, doc)} {finite} {doc[verb.i + 1:].text}", "participle"


def question_ask(body: str) -> tuple[str, str] | None:
    """The change a question asks for, when the question rules in `rules.py` found none (`body`: the question
    without its mark): 'Could there be a small cafe ...' -> 'Provide a small cafe ...'; 'Could school buses take
    other passengers ...' -> 'Let school buses take other passengers ...'; 'Why does the 82 not stop at the health
    centre' -> 'Make the 82 stop at the health centre'."""
    m = re.match(r"^(could|can|should|shall|will)\s+there\s+(not\s+)?be\s+(?P<what>\w.+)$", body, re.I)
    if m:
        out = np_wish(m.group("what"))
        return (out[0], "question") if out else None
    doc = P.parse(body, ner=False)
    if not len(doc) or doc[0].lower_ not in ("could", "can", "why", "would"):
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    # after "could/does" the root is a base form, whatever the tagger says ("Could the library stop/NN at ...")
    base = root is not None and (root.tag_ == "VB" or any(c.dep_ == "aux" for c in root.children) and
                                 T.is_verb_lemma(root.lower_))
    if subj is None or not base or subj.lower_ in ("we", "you", "they", "i", "it", "this", "that") or \
            subj.tag_ in ("WP", "WDT") or root.lemma_ in ("be", "have"):
        return None
    why = doc[0].lower_ == "why"
    neg = any(c.dep_ == "neg" for c in root.children)
    if why != neg:  # "Why does X not stop ..." asks that it stop; "Could X not ..." and "Why does X stop" do not
        return None
    subject = doc[subj.left_edge.i: subj.right_edge.i + 1].text
    vp = doc[root.i: len(doc)].text
    if subj.lemma_.lower() in ACTOR_HEADS:  # (parsed without entities: the head word decides)
        return f"ask {lower_first(subject)} to {vp}", "question"
    return f"{'make' if why else 'let'} {lower_first(subject)} {vp}", "question"


# a condition, then what would follow: "If the LA ran joint training with us, we could ...", "If there was a youth
# club they wouldn't ..."
CONDITION_RE = re.compile(r"^if\s+(?P<cond>.+?)(?:,\s*(?:then\s+)?(?:[\w'’-]+\s+){1,4}?|\s+(?:then\s+)?(?:we|they|it|people|"
                          r"residents|groups|families|everyone|i|you|that|this|there|more\s+\w+|young\s+people|our\s+\w+)\s+)"
                          r"(?:could|would|might|wouldn'?t|couldn'?t|can|will)\b", re.I)


def conditional_ask(clause: str) -> tuple[str, str] | None:
    """'If the LA ran joint training with us, we could ...' -> 'Ask the LA to run joint training with us'; 'If there
    was a youth club ...' / 'If we had a minibus ...' -> 'Provide a youth club' / 'Provide a minibus'. None for a
    condition that names no body asked to act ("If the bus was on time ...") or is negative."""
    m = CONDITION_RE.match(clause.strip())
    if not m or re.search(r"\b(not|never|no)\b|n['’]t\b", m.group("cond"), re.I):
        return None
    cond = m.group("cond").rstrip(" ,")
    had = re.match(r"^(?:there\s+(?:was|were|is|are)|(?:we|i|they|groups|people)\s+(?:had|got))\s+(?P<np>\w.+)$", cond, re.I)
    if had:
        out = np_wish(had.group("np"))
        return (out[0], "conditional") if out else None
    doc = P.parse(cond, ner=False)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    if subj is None or subj.left_edge.i != 0 or root.tag_ not in ("VBD", "VBP", "VBZ", "VB"):
        return None
    span = doc[: subj.right_edge.i + 1]
    if not is_actor(span):
        return None
    verb = root.lemma_.lower() if root.tag_ != "VB" else root.lower_
    _, end = subtree_right(root, doc)
    return f"ask {the_actor(span.text)} to {verb} {doc[root.i + 1: end].text}".strip(), "conditional"


# a thing needed named by an indefinite adverb, which the parser hangs on the verb: "need somewhere to go"
SOME_PLACE = {"somewhere", "someplace", "something", "someone", "somebody", "anywhere", "anything", "anyone"}


def need_object(doc) -> tuple[str, str] | None:
    """'Organisations need structures and support to help each other' -> 'Provide organisations with ...'."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_ not in ("need", "require", "want", "lack") or root.tag_ not in ("VBP", "VBZ", "VB"):
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in root.children if c.dep_ == "dobj" or c.lower_ in SOME_PLACE), None)
    if subj is None or obj is None or subj.left_edge.i != 0 or any(c.dep_ == "neg" for c in root.children):
        return None
    _, end = subtree_right(root, doc)
    what = doc[obj.left_edge.i: end].text
    who = doc[subj.left_edge.i: subj.right_edge.i + 1].text
    if who.lower() in GENERIC_SUBJECTS - {"organisations", "organizations", "groups", "communities"}:
        return f"provide {what}", "need"
    if who.lower() in PRONOUN_SUBJECTS:
        return None
    return f"provide {lower_first(who)} with {what}", "need"
