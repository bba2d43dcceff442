"""Rewriting rules: one proposing clause -> (action, rule name), read from spaCy's dependency parse.

`shape_clause(clause)` tries, in order: question, there-be, need-to, need/want X, reported ask, imperative,
infinitive, lack, modal clause (generic subject dropped; an actor asked or required; passive, copula),
a need with an object, a coordinated modal clause, valued ("X is essential"), actor-to, a noun-phrase
wish, a participle phrase and a resolution of a named body. `shape_challenge(clause)` reads a stated
challenge as the action that meets it. Both return None when no rule fits; `wording.shape` then keeps
the source's own words.
"""
from __future__ import annotations

import re

from .. import text as T
from . import parse as P
from .actions import EXAMPLE_RE, SOME_PLACE, imperative, need_object, needed, np_wish, participle_np, question_ask
from .lexicon import AGENT_RE, BENEFIT_RE, PAST_TIME_RE, WISH_OPENERS, WISH_VERBS, lost
from .phrases import CHALLENGE_RE  # noqa: F401  (drafting reads it here)
from .phrases import CHAT_RE, indefinite
from .phrases import (ACTOR_HEADS, GENERIC_SUBJECTS, IDEA_OF_RE, IMPORTANT_THAT_RE, IMPORTANT_TO_RE, LACK_RE, MASS_NOUNS,
                      NEED_FOR_RE, NEED_TO_RE, PRONOUN_SUBJECTS, RISE_RE, SOFT_MODALS, STATE_VERBS, STRONG_MODALS,
                      THERE_BE_RE, TO_INF_RE, VALUED_RE, conjugate3, first_of_coordination, has_main_finite_verb, is_actor,
                      lower_first, may_have, noun_phrase_only, np_head, prepare, subtree_right, the_actor, want_to)
from .style import words


def _idea_of(clause: str) -> tuple[str, str] | None:
    """'Love the idea of the old mill chimney being kept' -> 'Keep the old mill chimney'; '... the plan to X' -> X."""
    m = IDEA_OF_RE.match(clause)
    if not m:
        return None
    rest = m.group("rest")
    if m.group(3).lower() == "to":
        return imperative(rest)
    doc = P.parse(rest, ner=False)
    done = next((t for t in doc if t.tag_ == "VBN" and any(c.lower_ == "being" for c in t.children)), None)
    if done is None or done.i < 2:
        return imperative(rest)
    lemma = P.parse(f"It was {done.text}")[-1].lemma_.lower()
    being = next(c for c in done.children if c.lower_ == "being")
    return f"{lemma} {doc[: being.i].text} {doc[done.i + 1:].text}".strip(), "imperative"


def _benefit(clause: str) -> tuple[str, str] | None:
    """'More buses in the evening would make a real difference' -> 'Provide more buses in the evening'; 'Opening the
    library on Sundays would help families' -> 'Open the library on Sundays to help families'; 'Being able to book
    online would be great' -> 'Let people book online'. None when what would help is a pronoun, a person or body
    ("The council would help"), someone's own ("My son"), or has a verb of its own."""
    m = BENEFIT_RE.match(clause.strip().rstrip(" .!"))
    if not m:
        return None
    what = m.group("what").strip()
    doc = P.parse(what, ner=False)
    asked_for = len(doc) and doc[0].lower_ in ("a", "an", "more", "another", "extra", "better")  # "A youth worker"
    if not len(doc) or doc[0].pos_ == "PRON" or doc[0].tag_ == "PRP$" or is_actor(doc) and not asked_for or \
            re.search(r"\b(if|when|whether|nobody|no one|nothing)\b", what, re.I):
        return None
    participle = doc[0].tag_ in ("VBN", "VBD") and len(doc) > 1 and doc[1].pos_ in ("NOUN", "PROPN")  # "Dropped kerbs"
    if has_main_finite_verb(doc) and not participle:
        return None
    able = re.match(r"^being\s+able\s+to\s+(?P<vp>\w.+)$", what, re.I)
    one_noun = len(doc) == 1 and doc[0].tag_ in ("NN", "NNS")  # "Wifi would be good"
    out = (f"let people {able.group('vp')}", "") if able else imperative(what) if doc[0].tag_ == "VBG" else \
        np_wish(lower_first(what), lead="provide") if one_noun else np_wish(what)
    if not out:
        return None
    return out[0] + ("" if m.group("empty") else f" to {m.group('does')}"), "benefit"


def _lack(clause: str, m) -> tuple[str, str] | None:
    """A lack read as the ask for what is missing; "any"/"anywhere" go with the negation."""
    kind = re.sub(r"\s+", " ", m.group("kind").lower())
    kind = "no" if kind in ("not one", "not a single") else kind  # "There's not one tree near the play area"
    if re.match(r"^(more|less|fewer|later|longer|further|other|such)\b", m.group("rest"), re.I):
        return None  # "No more than a 10 minute walk": a limit, not a lack
    rest = re.sub(r"\s+(anywhere|at all)\b", "", re.sub(r"^any\s+", "", m.group("rest"), flags=re.I), flags=re.I)
    if kind.startswith("nowhere"):
        return f"provide somewhere {'for ' if kind.endswith('for') else ''}{rest}", "lack"
    if kind in ("not enough", "too few", "too little", "little", "few", "limited", "insufficient", "poor"):
        wish = np_wish(f"more {rest}") if kind != "poor" else np_wish(f"better {rest}")
    else:
        wish = np_wish(rest)
        if wish is None and kind == "no":  # alone, "play area on ..." parses as a verb phrase: read it after "no"
            doc = P.parse(f"no {rest}", ner=False)
            head = np_head(doc)
            if noun_phrase_only(doc) and head is not None and head.tag_ == "NN" and head.lemma_ not in MASS_NOUNS:
                wish = np_wish(indefinite(rest) + " " + rest)
            elif noun_phrase_only(doc) and head is not None and head.lemma_ in MASS_NOUNS:
                wish = (f"provide {rest}", "lack")  # "No lighting in the underpass": no article for a mass noun
    return (wish[0], "lack") if wish else None


def _modal(doc) -> tuple[str, str] | None:
    """'X should/must/need to/has to Y' in its variants (active, passive, copula, negated)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    verb, modal = None, None
    # "X need(s) to Y" / "X have to Y": the modal is the root, the action its xcomp
    if root.lemma_ in ("need", "have", "require", "ought") and root.pos_ in ("VERB", "AUX"):
        xcomp = next((c for c in root.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if xcomp is not None and any(c.lower_ == "to" for c in xcomp.children) and \
                not any(c.lower_ in SOME_PLACE and c.i > root.i for c in root.children):  # "need somewhere to go"
            verb, modal = xcomp, root.lemma_
    if verb is None:
        aux = next((c for c in root.children if c.dep_ == "aux" and c.tag_ == "MD" and
                    c.lower_ in (STRONG_MODALS | SOFT_MODALS | {"ought"}) - {"may", "might"}), None)
        if aux is None and len(doc) and doc[0].tag_ == "MD" and doc[0].lower_ in SOFT_MODALS:
            aux = doc[0]  # a question: "Could empty shops ... be turned into ...", the parser hangs "Could" elsewhere
        if aux is None:
            return None
        verb, modal = root, aux.lower_
    if verb.lemma_ in WISH_VERBS:
        # "The County Council would want any new footway to be 2 metres wide": the wish, not the wanting, is the ask
        return want_to(doc) if verb is root else None
    holder = root  # the token that carries subject and negation
    subj_tok = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")), None)
    if subj_tok is None and verb is not holder:
        subj_tok = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    # the modal clause must open the statement ("Mental health drop in ... so people don't have to wait"
    # is a wish whose purpose clause holds the modal)
    opening = subj_tok.left_edge.i if subj_tok is not None else min(verb.i, holder.i)
    if any(t.pos_ not in ("ADV", "CCONJ", "PUNCT", "INTJ", "AUX", "PART") for t in doc[:opening]) or subj_tok is not None \
            and any(t.lower_ in ("so", "because", "since") for t in doc[subj_tok.right_edge.i + 1: verb.i]):
        return None  # PART: "Shouldn't"; "More clinics in X so families don't have to travel": the modal is the purpose's
    neg = any(c.dep_ == "neg" for c in list(holder.children) + list(verb.children))
    passive = any(c.dep_ == "auxpass" for c in verb.children) or (verb.tag_ == "VBN" and any(
        c.lemma_ == "be" for c in verb.children))
    copula = verb.lemma_ == "be" and not passive
    strong = modal in STRONG_MODALS or modal == "must"

    start, end = subtree_right(verb, doc, host=root)
    after = doc[verb.i + 1: end]
    after_text = re.sub(r"^(also|really|then|always|still|definitely)\s+", "", after.text)

    subject = ""
    kind = "generic"
    if subj_tok is not None and subj_tok.dep_ != "expl":
        span = doc[subj_tok.left_edge.i: subj_tok.right_edge.i + 1]
        subject = re.sub(r"^(could|can|should|would|might|shall)\s+", "", span.text, flags=re.I)
        low = subject.lower()
        if subj_tok.tag_ in ("WP", "WDT", "WRB"):
            return None  # "What needs to change": a prompt, not an ask
        if low in GENERIC_SUBJECTS:
            kind = "generic"
        elif low in PRONOUN_SUBJECTS:
            kind = "pronoun"
        elif subj_tok.lemma_.lower() in ACTOR_HEADS or subj_tok.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or \
                subj_tok.tag_ in ("NNP", "NNPS"):
            kind = "actor"
        else:
            kind = "thing"
    elif subj_tok is not None and subj_tok.dep_ == "expl":
        return None  # "there should be": handled by the there-be rule

    if passive:
        # "Funding should be made simpler" -> "Make funding simpler"; agent phrases stay
        lemma = verb.lemma_.lower()
        if kind in ("generic", "pronoun") and not subject:
            return None
        if subject.lower() == "it" and any(c.dep_ == "ccomp" for c in verb.children):
            return None  # "It should be considered ... that ...": an extraposed clause
        obj = {"they": "them", "we": "us", "i": "me", "he": "him", "she": "her"}.get(subject.lower(), subject)
        prt = after[0].text + " " if len(after) and after[0].dep_ == "prt" else ""  # "be set up" -> "set up X"
        text = f"{'do not ' if neg else ''}{lemma} {prt}{lower_first(obj)} {after_text[len(prt):]}"
        return text, "modal_passive" if kind != "pronoun" else "modal_passive_pronoun"
    if verb.tag_ in ("VBZ", "VBP", "VBD") and not passive and any(
            c.dep_ == "aux" and c.lower_ == "be" and c.i == verb.i - 1 for c in verb.children):
        # "Some of the homes should be bungalows": the tagger read the noun after "be" as a verb
        if kind in ("thing", "actor"):
            return f"make {lower_first(subject)} {'not ' if neg else ''}{doc[verb.i: end].text}", "modal_copula"
        return None
    if copula and (modal in ("may", "might", "can") or not (verb.i > 0 and (
            doc[verb.i - 1].tag_ == "MD" or doc[verb.i - 1].lower_ == "to" or doc[verb.i - 1].pos_ == "ADV"))):
        return None  # a guess ("may be less welcome"), or the modal belongs to another clause ("... suggested that ... could")
    if copula:
        if not subject or kind == "generic":
            if not subject and not neg and len(after) and after[0].lower_ in WISH_OPENERS and \
                    any(t.pos_ == "NOUN" for t in after):  # "Should be more buses on Sundays": "there" left out
                return np_wish(after_text)
            if len(after) and after[0].pos_ in ("ADJ", "VERB") and after[0].tag_ != "VBG":
                return f"{'do not ' if neg else ''}be {after_text}", "modal_copula"
            return None
        if kind == "pronoun":
            return None
        return f"make {lower_first(subject)} {'not ' if neg else ''}{after_text}", "modal_copula"
    vp = f"{verb.lemma_.lower()} {after_text}" if not verb.text.isupper() else f"{verb.text} {after_text}"
    if kind == "generic":
        return f"{'do not ' if neg else ''}{vp}", "modal_generic"
    if kind == "pronoun" and subject.lower() in ("it", "this", "that"):
        return None  # "This should respond to ...": the draft would hang on a word with no noun
    if kind == "actor" and verb.lemma_.lower() in ("need", "want", "require") and len(after) and after[0].pos_ != "PART":
        return f"provide {after_text} for {lower_first(subject)}", "modal_need"  # "Connectors would need a course ..."
    if kind == "actor" and verb.lemma_.lower() not in STATE_VERBS:
        ask = "require" if strong else "ask"
        return f"{ask} {lower_first(subject)} {'not ' if neg else ''}to {vp}", "modal_actor"
    # a thing or an unresolved pronoun as the subject: "Ensure <subject> <verb>s ..."
    plural = subj_tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj_tok.children) or \
        subj_tok.lower_ in ("those", "these", "they", "people")
    lemma = verb.lemma_.lower()
    finite = (f"does not {lemma}" if not plural else f"do not {lemma}") if neg else \
        (lemma if plural else conjugate3(lemma))
    return f"ensure {lower_first(subject)} {finite} {after_text}", "modal_thing"


# people who act themselves: "Residents complained about ..." is a report, not a wish that they be complained
AGENT_LEMMAS = {"people", "resident", "tenant", "family", "parent", "child", "kid", "member", "volunteer", "neighbour",
                "person", "man", "woman", "we", "they", "i", "he", "she", "you", "someone", "everyone", "nobody"}


def _done_verb(verb, doc, subj=None, bare: bool = False) -> tuple[str, str] | None:
    """'the alley behind the shops gated at night' -> 'gate the alley behind the shops at night': a subject and a
    bare past participle (no auxiliary, object or clause of its own) read as a wish that it be done. Alone, the
    participle needs words after it ("Support welcomed" is a reply); after a wish (`bare`) it may end the clause."""
    if subj is None:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        subj = subjects[0] if len(subjects) == 1 else None  # two subjects: see `_done_wish`
    if subj is None or subj.i > verb.i or any(t.dep_ == "cc" for t in subj.subtree) or verb.tag_ not in ("VBN", "VBD") or \
            any(c.dep_ in ("aux", "auxpass", "neg", "dobj", "ccomp", "xcomp", "dative") for c in verb.children) or \
            subj.lemma_.lower() in AGENT_LEMMAS or subj.pos_ == "PRON" or subj.ent_type_ == "PERSON":
        return None
    if verb.tag_ == "VBD" and not re.search(r"(?:ed|d|t|n|ne)$", verb.lower_):
        return None  # "The bus came late": a past tense that is never a participle ("come")
    _, end = subtree_right(verb, doc)
    rest = doc[verb.i + 1: end].text
    lemma = P.parse(f"It was {verb.text}", ner=False)[-1].lemma_.lower()
    if not (rest or bare) or AGENT_RE.match(rest) or PAST_TIME_RE.search(rest) or not T.is_verb_lemma(lemma) or \
            lemma in STATE_VERBS | WISH_VERBS or re.search(r"\bby\s+(?:the|a|an|some|their|our|my|his|her|its)\b", rest):
        return None  # "... by the foxes": what happened, and who did it
    span = doc[subj.left_edge.i: subj.right_edge.i + 1]  # a loss reported ("Grants cut ...") is never a wish
    return None if lost(lemma, span.text) else (f"{lemma} {lower_first(span.text, span)} {rest}".strip(), "done")


def _done_wish(doc) -> tuple[str, str] | None:
    """A thing wished done (`_done_verb`), alone or after a thing wished for ("better lighting in the subway, and
    the mirrors put back" -> "Provide better lighting in the subway and put the mirrors back"); 'Dropped kerb by
    the shops' (a participle before its noun, parsed as a verb with an object) -> 'Provide a dropped kerb ...'."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    if root.i == 0 and root.tag_ in ("VBN", "VBD") and len(doc) > 1 and doc[1].pos_ == "NOUN" and \
            doc[1].dep_ == "dobj" and not any(c.dep_ in ("nsubj", "aux") for c in root.children):
        return np_wish(doc.text)
    first, done = None, None
    if root.tag_ in ("VBN", "VBD") and root.pos_ == "VERB":
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if len(subjects) == 1 and subjects[0].left_edge.i == 0:
            return _done_verb(root, doc)
        cc = next((t for t in doc if t.dep_ == "cc"), None) if len(subjects) == 2 else None
        if cc is None or not subjects[0].i < cc.i < subjects[1].left_edge.i or subjects[0].left_edge.i != 0:
            return None  # "X, and the door fixed": the parser hangs both noun phrases on the participle
        first, done = doc[: cc.i].text.rstrip(" ,"), _done_verb(root, doc, subjects[1], bare=True)
    elif root.pos_ in ("NOUN", "PROPN"):
        conj = next((c for c in root.children if c.dep_ == "conj" and c.tag_ in ("VBN", "VBD")), None)
        cc = next((c for c in root.children if c.dep_ == "cc" and conj is not None and c.i < conj.i), None)
        if conj is not None and cc is not None:
            first, done = doc[: cc.i].text.rstrip(" ,"), _done_verb(conj, doc, bare=True)
        elif doc[0].lower_ == "the":
            # "the side gate behind the flats locked at night": a thing that exists, wished done
            acl = next((t for t in doc if t.dep_ == "acl" and t.tag_ == "VBN" and t.head.i > root.i - 1 and
                        not any(c.dep_ in ("dobj", "aux", "auxpass") for c in t.children)), None)
            if acl is not None and acl.i < len(doc) - 1 and not PAST_TIME_RE.search(doc[acl.i:].text) and \
                    not AGENT_RE.match(doc[acl.i + 1:].text):
                lemma = P.parse(f"It was {acl.text}", ner=False)[-1].lemma_.lower()
                if T.is_verb_lemma(lemma) and lemma not in STATE_VERBS | WISH_VERBS and not lost(lemma, doc[: acl.i].text):
                    return f"{lemma} {doc[: acl.i].text} {doc[acl.i + 1:].text}", "done"
    if not first or not done:
        return None
    wish = np_wish(first) if noun_phrase_only(P.parse(first, ner=False)) else None
    return (f"{wish[0]} and {done[0]}", "done") if wish else None


def _question(clause: str) -> tuple[str, str] | None:
    body = clause.rstrip("?").strip()
    # "Can you give some examples ...?" asks the reader for information, not for a change
    if re.match(r"^(can|could|would|will)\s+you\s+(please\s+)?(give|tell|describe|explain|list|say|share|provide)\b",
                body, re.I):
        return None
    m = re.match(r"^(why\s+(is|are)\s+there\s+no|why\s+(isn'?t|aren'?t)\s+there\s+(an?\s+|any\s+)?)\s*(?P<what>.+)$", body, re.I)
    if m:
        return np_wish(m.group("what"))
    m = re.match(r"^why\s+(can'?t|cannot|couldn'?t|won'?t|shouldn'?t)\s+(?P<rest>\w.+\sbe\s+\w+.*)$", body, re.I)
    if m:  # "Why can't the path be resurfaced?" asks that it be done: read it as "Could the path be resurfaced?"
        out = _modal(P.parse(f"Could {m.group('rest')}"))
        if out and out[1].startswith("modal_passive"):
            return out[0], "question"
    doc = P.parse(body, ner=False)
    out = may_have(doc)
    if out:
        return out
    m = re.match(r"^(why\s+(can'?t|cant|don'?t|dont|doesn'?t|doesnt|won'?t|wont)|can|could|would|will)\s+"
                 r"(?P<actor>(the\s+)?[\w'’ ]{2,40}?)\s+(?P<vp>\w.+)$", body, re.I)
    # the actor must be the whole subject: in "Could the community garden group be given ..." the verb is
    # "given", not "garden"
    verb = next((t for t in doc if t.idx == m.start("vp")), None) if m else None
    if m and m.group("actor").lower() not in ("we", "you", "they", "i", "it", "there", "this") and \
            verb is not None and verb.dep_ not in ("compound", "amod", "nmod", "nsubj", "nsubjpass", "poss") and \
            is_actor(P.parse(m.group("actor"))) and T.is_verb_lemma(m.group("vp").split(" ")[0]):
        return f"ask {lower_first(m.group('actor'))} to {m.group('vp')}", "question"
    if not has_main_finite_verb(P.parse(body, ner=False)) and not re.match(r"^(what|who|how|why|when|where|which)\b", body, re.I):
        wish = np_wish(body)  # "Free swimming for over 65s at the leisure centre?"
        if wish:
            return wish[0], "question"
    m = re.match(r"^(why\s+not|why\s+don'?t\s+(we|they|you)|can'?t\s+(we|they|you)|could\s+(we|they)|"
                 r"can\s+(we|they)|should\s+(we|they|you)|shall\s+we|how\s+about)\s+(?P<rest>.+)$", body, re.I)
    if m:
        rest = m.group("rest")
        if re.match(r"^(have|get)\s+", rest, re.I) and not P.parse(rest, ner=False)[1:2].text.lower() in ("to",):
            return np_wish(re.sub(r"^(have|get)\s+", "", rest, flags=re.I))
        if re.match(r"^\w+ing\b", rest):
            return imperative(rest)
        return rest, "question"
    m = re.match(r"^(could|can|should|would|might)\s+(?P<rest>.+)$", body, re.I)
    if m:
        doc = P.parse(body)
        out = _modal(doc)
        if out and out[1].startswith("modal_passive"):
            return out[0], "question"
    return question_ask(body)


def _cut_splice(clause: str) -> str:
    """Drop a comma splice: ", people get passed from pillar to post" (a new subject and finite verb), and an
    aside after a comma (", like they have in the town centre", ", because ...")."""
    m = re.search(r",\s+(like|as|because|since|although|though|whilst|while|especially|particularly)\s", clause, re.I)
    if m and len(words(clause[: m.start()])) >= 2:
        clause = clause[: m.start()]
    doc = P.parse(clause, ner=False)
    for t in doc:
        if t.text != "," or t.i < 3 and not (t.i == 2 and (doc[0].tag_ == "VB" or T.is_verb_lemma(doc[0].lower_) and
                                                       doc[1].pos_ in ("ADV", "PART"))):
            continue  # "Start earlier, 7 is late ...": a two-word order may open a splice
        for v in doc[t.i + 1:]:
            if v.tag_ in ("VBZ", "VBP", "VBD", "MD") and any(
                    c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i == t.i + 1 for c in v.head.children if True) | \
                    any(c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i == t.i + 1 for c in v.children):
                return doc[: t.i].text
    return clause


def shape_challenge(clause: str) -> tuple[str, str] | None:
    """A stated challenge as the action that meets it ("X was seen as a challenge" -> "Address X";
    "a rise in reported hate crime" -> "Tackle the rise in reported hate crime"). Used only for
    statements under a heading about challenges, barriers or concerns."""
    clause = prepare(clause)
    m = CHALLENGE_RE.match(clause)
    if m and not has_main_finite_verb(P.parse(m.group("what"), ner=False)):
        what = m.group("what")
        out = imperative(what)
        if out:
            return out[0], "challenge"
        return f"address {lower_first(what)}", "challenge"
    m = RISE_RE.search(clause)
    if m:
        what = re.split(r"\s+(in the last|over the|since|compared|between)\b", m.group("what"))[0]
        return f"tackle the {m.group(2).lower()} in {what.strip(' ,')}", "challenge"
    return None


def shape_clause(clause: str) -> tuple[str, str] | None:
    """(draft, rule) for one prepared clause, or None when no rule recognises it."""
    if not clause:
        return None
    if re.match(r"^(someone|somebody|somewhere|something)\b", clause, re.I) and \
            not has_main_finite_verb(P.parse(_cut_splice(clause), ner=False)):
        return np_wish(_cut_splice(clause))  # "Somewhere for teenagers to go on Friday nights"
    out = _idea_of(clause)
    if out:
        return out
    if re.match(r"^(why|can|could|would|will|shall)\b", clause, re.I) and not clause.rstrip().endswith("?"):
        out = _question(clause + "?")  # a question typed without its mark
        if out:
            return out
    m = IMPORTANT_TO_RE.match(clause)
    if m:
        out = imperative(m.group("vp"))
        if out:
            return out[0], "valued"
    m = IMPORTANT_THAT_RE.match(clause)
    if m:
        inner = shape_clause(m.group("clause"))
        if inner:
            return inner
        doc_c = P.parse(m.group("clause"))
        if has_main_finite_verb(doc_c) and doc_c[0].pos_ in ("NOUN", "PROPN", "DET", "ADJ"):
            return f"ensure {lower_first(m.group('clause'), doc_c)}", "valued"
    out = _benefit(clause)
    if out:
        return out
    if not clause.rstrip().endswith("?"):
        clause = CHAT_RE.sub("", _cut_splice(clause)).rstrip(" ,")  # "Dropped kerb please, I can't ..."
    out = needed(clause)
    if out:
        return out
    if re.match(r"^(more|better|improved|greater|increased|longer[- ]term|fewer|less)\b", clause, re.I) and \
            not re.search(r"\b(should|must|need|needs|has to|have to)\b", clause, re.I):
        return np_wish(clause)
    if clause.rstrip().endswith("?"):
        return _question(clause)
    m = THERE_BE_RE.match(clause)
    if m:
        return np_wish(m.group("rest"))
    m = NEED_TO_RE.match(clause)
    if m and re.match(r"^be\b", m.group("rest"), re.I):
        return None  # "need to be resourced properly": the thing is missing
    if m:
        out = imperative(m.group("rest"))
        if out:
            return out[0], "need_to"
        rest = m.group("rest")
        if re.match(r"^be\s+", rest):
            return None
    m = NEED_FOR_RE.match(clause)
    if m and not re.match(r"^to\b", m.group("rest")):
        rest = m.group("rest")
        out = want_to(P.parse(clause))
        if out:
            return out
        out = imperative(rest)
        if out and not re.match(r"^(support|training|funding|help|advice|work)\b", rest, re.I):
            return out[0], "need"
        wish = np_wish(rest)
        if wish:
            return wish[0], "need"
    m = re.search(r"\bthere\s+(is|was|remains)\s+(an?\s+|the\s+)?(\w+\s+)?need\s+to\s+(?P<rest>(?!be\b)\w.+)$", clause, re.I)
    if m:
        out = imperative(m.group("rest"))
        if out:
            return out[0], "need_to"
    m = re.search(r"\b(there\s+(is|was|remains)\s+(an?\s+|the\s+)?(\w+\s+)?need\s+for|there\s+needs?\s+to\s+be)\s+"
                  r"(?P<rest>\w.+)$", clause, re.I)
    if m:
        wish = np_wish(m.group("rest"))
        if wish:
            return wish[0], "need"
    m = re.match(r"^(?P<who>.{0,60}?)\b(asked|called|pressed|argued|wished)\s+for\s+(?P<rest>\w.+)$", clause, re.I)
    if m and not re.search(r"\b(not|never)\b", m.group("who"), re.I):
        wish = np_wish(m.group("rest"))
        if wish:
            return wish[0], "request"
    m = re.match(r"^(?P<who>.{0,60}?)\b(asked|wanted|want|wants|would\s+like)\s+to\s+be\s+(?P<vbn>\w+)\s+(?P<rest>.+)$",
                 clause, re.I)
    if m:
        who = re.sub(r"^(a\s+number\s+of|some|many|several|most|a\s+few|other)\s+", "", m.group("who").strip(), flags=re.I)
        who = re.sub(r"\s+(simply|also|really|just)$", "", who, flags=re.I)
        doc_v = P.parse(f"It was {m.group('vbn')}", ner=False)
        lemma = doc_v[-1].lemma_ if len(doc_v) else m.group("vbn")
        if who and T.is_verb_lemma(lemma):
            return f"{lemma} {lower_first(who)} {m.group('rest')}", "request"
    m = re.search(r"(^|,\s*)(we\s+|they\s+)?(really\s+|also\s+)?(need|needs|have|has)\s+to\s+(?P<rest>(?!be\b)\w.+)$",
                  clause, re.I)
    if m and m.start() > 0:  # "Competing for small pots, need to work together": topic, then the ask
        out = imperative(m.group("rest"))
        if out:
            return out[0], "need_to"
    out = imperative(clause)
    if out:
        return out
    if re.match(r"^(a|an)\s", clause, re.I):
        out = np_wish(clause)  # "A named PCSO for Kingsmead who we actually see": the parser misreads these
        if out:
            return out
    m = re.search(r"(^|,\s*|\s)please\s+(?P<rest>\w.+)$", clause, re.I)
    if m:  # "Lunch club is brilliant, please keep funding it"
        out = imperative(m.group("rest"))
        if out:
            return out[0], "imperative"
    m = TO_INF_RE.match(clause)
    if m:
        doc0 = P.parse(clause, ner=False)
        if len(doc0) > 1 and doc0[1].dep_ == "ROOT":
            out = imperative(m.group("rest"))
            if out:
                return out[0], "infinitive"
    m = LACK_RE.match(clause)
    if m:
        out = _lack(clause, m)
        if out is None:  # "no GP surgery nearby and the medical centre has a three week wait": the first clause
            first = first_of_coordination(clause)
            if first and re.search(r"\b(should|must|need|needs|ought|has to|have to)\b", clause[len(first):], re.I):
                first = None  # "... and these should be highlighted": the ask is the second clause
            m = LACK_RE.match(first) if first else None
            out = _lack(first, m) if m else None
        if out:
            return out
    doc = P.parse(clause)
    out = _modal(doc)
    if out:
        return out
    out = need_object(doc)
    if out:
        return out
    out = _done_wish(doc)
    if out:
        return out
    rel = next((c for t in doc if t.dep_ == "ROOT" and t.tag_ in ("VBZ", "VBP", "VBD") for c in t.children
                if c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") and c.i > 0), None)
    if rel is not None and all(t.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM") for t in doc[: rel.i]):
        out = np_wish(clause)  # "CCTV that actually works": a thing wished for, its relative clause read as main
        if out:
            return out
    # the ask may sit in a coordinated clause: "White privilege exists and privilege needs to be shared"
    for tok in doc:
        if tok.dep_ == "conj" and tok.head.dep_ == "ROOT" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            sub = doc[tok.left_edge.i: tok.right_edge.i + 1].text
            out = _modal(P.parse(sub))
            if out:
                return out
    m = re.match(r"^(?P<what>[\w ,'’-]{3,80}?)\s+(required|needed)\s+(?P<rest>(to|for)\b.+)$", clause, re.I)
    if m and not has_main_finite_verb(P.parse(m.group("what"), ner=False)):
        wish = np_wish(m.group("what"))
        if wish:
            return f"{wish[0]} {m.group('rest')}", "valued"
    m = VALUED_RE.match(clause)
    if m and re.search(r"\b(below|above|overleaf|as follows|in this (report|paper|section))\W*$", clause, re.I):
        m = None  # "The functions ... are proposed below": the report's own signposting
    one_noun = m is not None and len(words(m.group("what"))) == 1 and \
        P.parse(m.group("what"), ner=False)[0].tag_ in ("NN", "NNS")  # "Backfill was recommended ..."
    if m and not re.search(r"\b(which|that)$", m.group("what"), re.I) and (len(words(m.group("what"))) >= 2 or one_noun) \
            and not has_main_finite_verb(P.parse(m.group("what"), ner=False)):
        one = re.search(r",\s+one\s+(?=(where|that|which|in which)\b)", clause)  # "X is critical, one where Y": Y too
        what = re.sub(r"^(the\s+)?(existence|provision|creation|development|introduction|availability)\s+of\s+", "",
                      m.group("what"), flags=re.I) + (f" {clause[one.end():]}" if one else "")
        out = imperative(what)
        if out:
            return out[0], "valued"
        head = np_head(P.parse(what, ner=False))
        if head is not None and head.lemma_.lower() in ("relationship", "partnership", "engagement", "role",
                                                        "approach", "work", "working", "dialogue", "link"):
            return f"prioritise {lower_first(what)}", "valued"
        wish = np_wish(lower_first(what), lead="provide") if one_noun else np_wish(what)
        # an asked-for thing keeps its purpose: "Backfill was recommended to support groups ..."
        asks = r"recommended|suggested|proposed|needed|required" + (r"|crucial|critical|essential|vital|key|important"
                                                                   if one_noun else "")
        aim = re.search(rf"\b({asks})\s+(?P<aim>(to|for)\s+\w.+)$", clause, re.I)
        return (wish[0] + (f" {aim.group('aim')}" if aim else ""), "valued") if wish else None
    # "<Actor> to <verb> ..." in report style
    m = re.match(r"^(?P<actor>[\w'’& ]{3,60}?)\s+to\s+(?P<vp>[a-z]+\b.*)$", clause)
    if m and clause[:1].isupper() and not m.group("vp").startswith("be ") and \
            T.is_verb_lemma(m.group("vp").split(" ")[0]) and noun_phrase_only(P.parse(m.group("actor"))) and \
            is_actor(P.parse(m.group("actor"))) and not re.search(r"\b(which|who|that|holding|to)\b", m.group("actor"), re.I):
        return f"ask {the_actor(m.group('actor'))} to {m.group('vp')}", "actor_to"
    example = EXAMPLE_RE.search(clause)  # "New structures that respond better e.g. how older people are supported"
    if example and example.start() > 0 and not noun_phrase_only(doc) and has_main_finite_verb(P.parse(clause[example.start():])):
        return shape_clause(clause[: example.start()])
    if noun_phrase_only(doc) and len(words(clause)) >= 2:
        out = participle_np(doc)
        if out:
            return out
        return None if re.match(r"the\s", clause, re.I) and not re.search(r"\b(back|again)\b", clause) else np_wish(clause)
    out = _resolution(doc)
    if out:
        return out
    return None


def _resolution(doc) -> tuple[str, str] | None:
    """A resolution in the present tense with a named actor ("The Steering Group approves the Objectives ...")
    reads as an ask of that actor. Only reached for statements already judged to be proposals."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.tag_ not in ("VBZ", "VBP") or root.lemma_ in STATE_VERBS | {"need", "think", "seem"}:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if root.lemma_ in ("want", "wish", "hope", "like") and subj is not None and subj.left_edge.i == 0:
        # "BME organisations want to be able to access ..." -> "Enable BME organisations to access ..."
        m = re.search(r"\b(want|wants|wish|wishes|hope|hopes|would like)\s+to\s+(be\s+able\s+to\s+)?(?P<vp>\w.+)$",
                      doc.text, re.I)
        if m and T.is_verb_lemma(m.group("vp").split(" ")[0]) and not m.group("vp").startswith("be "):
            who = doc[subj.left_edge.i: subj.right_edge.i + 1].text
            return f"enable {lower_first(who)} to {m.group('vp')}", "resolution"
        return None
    if subj is None or subj.left_edge.i != 0 and doc[0].pos_ != "DET":
        return None
    if not (subj.lemma_.lower() in ACTOR_HEADS or subj.ent_type_ in ("ORG", "GPE")):
        return None
    if any(c.dep_ in ("aux", "neg") or c.dep_ == "xcomp" and c.lemma_ in STATE_VERBS for c in root.children):
        return None  # "... continue to feel disenfranchised": a state, not a resolution
    _, end = subtree_right(root, doc)
    subject = doc[subj.left_edge.i: min(subj.right_edge.i, root.i - 1) + 1].text
    return f"ask {lower_first(subject)} to {root.lemma_.lower()} {doc[root.i + 1: end].text}", "resolution"


# ------------------------------------------------------------------ pronouns