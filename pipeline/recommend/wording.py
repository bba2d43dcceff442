"""Wording: shape one proposing statement into a short imperative recommendation.

`shape(text, context, vocabulary) -> Draft` picks the proposing clause (sentences, split at dashes,
semicolons and ingest joins; reported speech, discourse markers and topic prefixes stripped), rewrites it
with the first rule of `rules.shape_clause` that fits, resolves third-person pronouns from the context
(the statement's earlier clauses, its parent bullet, the statement before it, its section), repairs
apostrophe-less contractions and one-letter typos (recorded in `Draft.edits`), flags words it cannot
repair, and cuts the draft to at most `style.MAX_WORDS` words at a clause boundary. When no rule fits,
the result breaks a grammar rule of the style check, or a pronoun keeps no noun, the draft is the
source's own words flagged "check wording"; it never starts "Work towards".

Examples (each is a test in tests/recommend/test_wording.py):
  "Re-open a youth space in the town centre"           -> kept (imperative)
  "The council should set up a rent deposit scheme"    -> "Ask the council to set up a rent deposit scheme"
  "Landlords need to fix damp and mould"               -> "Require landlords to fix damp and mould"
  "there should be more youth workers"                 -> "Provide more youth workers"
  "More one bed homes for young people"                -> "Provide more one bed homes for young people"
  "no testing kits in other languages"                 -> "Provide testing kits in other languages"
  "Could empty shops be turned into homes?"            -> "Turn empty shops into homes"
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .. import text as T
from . import parse as P
from ..records import CHECK_WORDING
from .phrases import (ACTOR_HEADS, SUBORDINATOR_RE, cap, clauses, is_actor, lower_first, norm, noun_phrase_only, prepare,
                      speaker_label, trim)
from .actions import conditional_ask, lack_at_place, raised, tackle_nuisance
from .rules import shape_challenge, shape_clause
from .style import opens_with_verb, style_problems, words

CHECK_SPELLING = "check spelling"
WORD_APOSTROPHE = re.compile(r"\b[A-Za-z]+(?:['’][A-Za-z]+)*\b")
PURPOSE_RE = re.compile(r"\s+(?=to\s+(?!be\b)[a-z]+\b)")
EXPLICIT_ASK_RE = re.compile(r"^(could|can|would)\s+(we|you|i)\s+(please\s+)?(have|get|see)\b|^please\b|"
                             r"\b(asked|called|pressed)\s+(for|if|whether|that)\b|\bwould\s+(really\s+)?like\b|"
                             r"['’]d\s+like\b|\brequest(ed)?\b", re.I)
ASKED_THAT_RE = re.compile(r"\b(suggested|recommended|proposed|urged|asked)\s+that\s+|,?\s+and\s+that\s+", re.I)

@dataclass(frozen=True)
class Draft:
    """One shaped recommendation. `flags`: marks for the facilitator ("check wording", "check spelling: X");
    `edits`: silent repairs made to the source words (typos, contractions); `rule`: the rewriting rule used."""

    text: str
    rule: str
    source: str
    flags: tuple[str, ...] = ()
    edits: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.flags and not self.problems


@dataclass
class _State:
    edits: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ small text helpers
def _fix_typos(text: str, vocabulary: set[str], state: _State) -> str:
    def contraction(m):
        w = m.group(0)
        fixed = T.CONTRACTIONS.get(w.lower())
        if fixed is None or (w.lower() == "im" and w != "im"):
            return w
        state.edits.append(f"{w} → {fixed}")
        return fixed

    # a word keeps its apostrophe: "aren't" is one word, never "aren" (a typo of "are") and "t"
    text = re.sub(WORD_APOSTROPHE, contraction, text)

    def spelling(m):
        w = m.group(0)
        if not w.isalpha() or not w.islower() or len(w) < 4 or w in vocabulary or T.known_word(w):
            return w
        suggestion = T.spelling_suggestion(w)
        if suggestion:
            state.edits.append(f"{w} → {suggestion}")
            return suggestion
        state.flags.append(f"{CHECK_SPELLING}: {w}")
        return w

    return re.sub(WORD_APOSTROPHE, spelling, text)


def _resolve_pronouns(text: str, context: Sequence[str], state: _State) -> str:
    """Replace third-person pronouns that have no noun before them in the draft with the nearest fitting
    noun phrase from `context` (nearest first). Unresolved ones are flagged."""
    from .style import COLLECTIVES, REFLEXIVES, THIRD_PERSON
    for _ in range(3):
        doc = P.parse(text, ner=False)
        target = None
        for tok in doc:
            low = tok.lower_
            if low not in THIRD_PERSON and not (low in ("this", "these") and tok.pos_ == "PRON") or low in REFLEXIVES:
                continue
            if low == "it" and any(c.lemma_ == "be" for c in tok.head.children) and tok.dep_ in ("nsubj", "expl"):
                continue
            plural = low in ("they", "them", "their", "theirs", "themselves", "these")
            before = [t for t in doc[: tok.i] if t.pos_ in ("NOUN", "PROPN")]
            if any((t.tag_ in ("NNS", "NNPS") or t.lemma_ in ("people", "staff", "community")) == plural or
                   t.lemma_.lower() in COLLECTIVES for t in before):
                continue
            target = (tok, plural)
            break
        if target is None:
            return text
        tok, plural = target
        ante = _antecedent(context, plural, actor=tok.lower_ in ("their", "its", "they", "them"), pronoun=tok.text)
        if ante is None:
            state.flags.append(f"{CHECK_WORDING}: '{tok.text}' has no noun")
            return text
        low = tok.lower_
        if low in ("their", "its"):
            poss = ante + ("'" if ante.endswith("s") else "'s")
            repl = poss
        elif low in ("them", "it", "they", "itself", "themselves", "this", "these"):
            repl = ante
        else:
            state.flags.append(f"{CHECK_WORDING}: '{tok.text}' has no noun")
            return text
        state.edits.append(f"{tok.text} → {repl}")
        text = text[: tok.idx] + repl + text[tok.idx + len(tok.text):]
    return text


def _record_label(chunk) -> bool:
    """A record's label, never what a pronoun stands for: "FORM 06", "#1041", "CONVERSATION LOG"."""
    doc = chunk.doc
    nxt = doc[chunk.end] if chunk.end < len(doc) else None
    alpha = [t for t in chunk if t.is_alpha]
    shouted = chunk.root.text.isupper() and len(chunk.root.text) > 1
    return shouted and (any(t.like_num for t in chunk) or (nxt is not None and nxt.like_num)) or \
        (len(alpha) >= 2 and all(t.text.isupper() and len(t.text) > 1 for t in alpha))


def _opens_with_label(text: str) -> bool:
    chunks = list(P.parse(text[:200], ner=False).noun_chunks)
    return bool(chunks) and chunks[0].start <= 1 and _record_label(chunks[0])


def _antecedent(context: Sequence[str], plural: bool, actor: bool = False, pronoun: str = "") -> str | None:
    """The noun phrase a pronoun stands for: in the nearest context text (cut before the pronoun when the
    text contains it), the nearest noun phrase of the right number that is not inside an "of" phrase,
    with its own modifiers (at most 8 words); for "their/its/they/them" only actors (people,
    organisations), since those pronouns in an action nearly always point at who acts."""
    for ctx in context:
        if not ctx or _opens_with_label(ctx):
            continue  # "FORM 03 (age 13, came with parent)": a record's label describes the record, not a topic
        if pronoun:
            m = re.search(rf"\b{re.escape(pronoun)}\b", ctx, re.I)
            if m:
                ctx = ctx[: m.start()]
        doc = P.parse(ctx[:600], ner=actor)  # entities are read only to find an actor
        lead = doc[0] if len(doc) else None  # "feeling lonely is nothing to be ashamed of": the -ing phrase is "it"
        if lead is not None and not plural and not actor and lead.tag_ == "VBG" and lead.dep_ in ("csubj", "nsubj"):
            return " ".join(t.text for t in doc[: lead.right_edge.i + 1])
        chunks = [c for c in doc.noun_chunks if c.root.pos_ in ("NOUN", "PROPN") and not _record_label(c)
                  and (c.root.tag_ in ("NNS", "NNPS") or c.root.lemma_ in ("people", "community")) == plural
                  and not (c.root.dep_ == "pobj" and c.root.head.lower_ == "of")
                  and (not actor or c.root.lemma_.lower() in ACTOR_HEADS | {"people", "community", "group"}
                       or c.root.ent_type_ in ("ORG", "NORP", "GPE"))]
        # a subject is the likeliest antecedent, then the nearest phrase
        for c in sorted(chunks, key=lambda c: (c.root.dep_ not in ("nsubj", "nsubjpass"), -c.start)):
            sub = doc[c.start: c.root.right_edge.i + 1]
            # a participle before its noun ("the dropped kerb outside ...") is a modifier, not a clause's verb
            span = sub if len(sub) <= 8 and not any(t.pos_ in ("VERB", "AUX", "PUNCT") and t.dep_ != "amod"
                                                    for t in sub) else c
            toks = [t for t in span if t.pos_ != "PRON" and not (t.i == span.start and t.dep_ == "det" and actor)]
            if toks and len(toks) <= 8:
                return lower_first(" ".join(t.text for t in toks))
    return None


# ------------------------------------------------------------------ entry point
def shape_challenge_draft(text: str, context: Sequence[str] = (), vocabulary: Iterable[str] = ()) -> Draft | None:
    """Draft from a stated challenge (see shape_challenge), or None."""
    vocab = set(vocabulary)
    for clause in clauses(norm(text)):
        out = shape_challenge(clause)
        if out:
            state = _State()
            draft = cap(trim(_fix_typos(_resolve_pronouns(trim(norm(out[0])), [clause, *context], state), vocab, state)))
            problems = style_problems(draft, vocab)
            if problems or state.flags:
                return None
            return Draft(draft, out[1], norm(text), (), tuple(state.edits), ())
    return None


def shape(text: str, context: Sequence[str] = (), vocabulary: Iterable[str] = ()) -> Draft:
    """One statement -> one Draft. `context`: texts that may hold the noun a pronoun stands for, nearest
    first (the statement's parent bullet, the statement before it, its section heading). `vocabulary`:
    lower-case words used in the notes, which are never treated as typos."""
    vocab = set(vocabulary)
    state = _State()
    source = norm(text)
    raw = clauses(source)
    prepared = [(c, prepare(c)) for c in raw]  # prepare once: parts, quotations and explicit asks all read it
    parts = [p for c, p in prepared if p and not (len(raw) > 1 and speaker_label(c, p))]
    if len(parts) > 1 and _place_label(parts[0], source):
        # "Elm Rd - potholes outside 14, needs resurfacing": where, then what; "Youth club - open on Fridays": what
        # an order with no object of its own is about
        verb, _, rest = parts[1].partition(" ")
        bare = opens_with_verb(parts[1]) and re.match(r"(on|at|in|again|later|earlier|more|every|longer|for)\b", rest)
        place = PLACE_LABEL_RE.match(parts[0]) is not None
        joined = f"{parts[0]} - {parts[1]}"  # "Canal path - no lighting": where it is lacking, read whole
        parts = [joined if place and lack_at_place(joined) else f"{verb} the {lower_first(parts[0])} {rest}"
                 if bare and not place else parts[1], *parts[2:]]
    # a sentence in quotation marks inside a write-up is the participant's own words: read it first
    said = [norm(q) for q in re.findall(r"[\"“]([^\"”]{3,})[\"”]", text)]
    quoted = {p for c, p in prepared if len(words(c)) >= 3 and any(
        norm(c).rstrip(" .!?") in q for q in said)}
    original = list(parts)  # the source's order, for what a pronoun points back to
    # a sentence in quotation marks, then one that asks in so many words ("Parking: vans ... overnight. Could we
    # have residents-only permits?"), is read before the description around it
    explicit = {p for c, p in prepared if EXPLICIT_ASK_RE.search(c)}
    if 1 < len(parts) and (quoted or explicit):
        parts = sorted(parts, key=lambda p: (p not in quoted, p not in explicit))
    result, rule, used = None, "own_words", parts[0] if parts else source
    for i, clause in enumerate(parts):
        out = conditional_ask(clause) or lack_at_place(clause) or raised(clause) or tackle_nuisance(clause) or \
            shape_clause(clause)
        if out is None and not clause.rstrip().endswith("?"):
            # a comma splice ("Better joined up working ..., people get passed from pillar to post") or a
            # purpose clause ("... drop in at the youth space so young people don't have to wait"): the ask
            # is often the part before the first comma or subordinator; a fragment the parser misreads whole
            # ("Improved representation to hold services accountable") is read up to its purpose, which is kept
            for head in (clause.split(",", 1)[0], SUBORDINATOR_RE.split(clause, 1)[0], PURPOSE_RE.split(clause, 1)[0]):
                purpose = PURPOSE_RE.match(clause[len(head):]) is not None
                if purpose and not _purpose_of(head, clause[len(head):]):
                    continue
                if head != clause and len(words(head)) >= 2 + (not purpose and not re.match(r"(a|an)\s", head, re.I)):
                    out = shape_clause(head)
                    if out:
                        rest = clause[len(head):]
                        out = (out[0] + rest, out[1]) if SUBORDINATOR_RE.match(rest) or PURPOSE_RE.match(rest) else out
                        clause = head
                        break
            # "... can be too centralised and suggested that mini networks could be set up": the ask is reported last
            m = ASKED_THAT_RE.search(clause) if out is None else None
            if m and len(words(clause[m.end():])) >= 3:
                out = shape_clause(clause[m.end():])
                clause = clause[m.end():] if out else clause
        if out:
            result, rule, used = out[0], out[1], clause
            at = original.index(parts[i])
            context = list(original[:at][::-1]) + [clause] + list(context)
            break
    if result is None:
        return _own_words(used, source, vocab, state)
    draft = re.sub(r"\b(\w+) drop in\b", lambda m: f"{m.group(1)} drop-in" if m.group(1).lower() not in
                   ("to", "and", "or", "can", "could", "will", "please") else m.group(0), norm(result))
    # "people should be able to cook", "children should be able to walk to school": enable them
    draft = re.sub(r"^be able to\b", "enable people to", trim(draft), flags=re.I)
    draft = re.sub(r"^make (?P<who>[^,;]{1,40}?) able to\b", r"enable \g<who> to", draft, flags=re.I)
    draft = _resolve_pronouns(draft, context, state)
    draft = _fix_typos(draft, vocab, state)
    draft = cap(trim(draft))
    problems = style_problems(draft, vocab)
    grammar = {"bare_be", "agreement", "clause_as_object", "not_imperative", "work_towards", "too_short"}
    if grammar & set(problems) or any(f.startswith(CHECK_WORDING) for f in state.flags):
        return _own_words(used, source, vocab, _State(), tried=(rule, tuple(problems)))
    return Draft(draft, rule, source, tuple(dict.fromkeys(state.flags)), tuple(state.edits), tuple(problems))


# verbs that open a short order before a dash ("Fix the lights - they're out"), never a place's name
SHORT_ORDERS = {"fix", "stop", "start", "keep", "make", "open", "close", "bring", "get", "put", "clean", "repair", "build",
                "provide", "add", "remove", "cut", "reopen", "paint", "mend", "move", "change", "ban", "fund", "help"}


PLACE_LABEL_RE = re.compile(r"^((\S+\s+){0,2}(rd|road|st|street|ave|avenue|gr|grove|lane|ln|way|close|park|estate|court|"
                            r"drive|place|square|crescent|terrace|hill|path|green|centre|parade|corner)|general|other|"
                            r"misc|aob|also)$", re.I)


def _place_label(part: str, source: str) -> bool:
    """A label typed before a dash naming where ('Elm Rd', 'Canal path'), who is asked ('NHS / surgery', 'Council')
    or nothing ('General'): not the ask."""
    if part.split(" ", 1)[0].lower() in SHORT_ORDERS or not re.match(rf"^\W*{re.escape(part)}\s+[-–—]\s+\S", source):
        return False
    body = P.parse(part, ner=False)
    return PLACE_LABEL_RE.match(part) is not None or len(words(part)) <= 4 and is_actor(body) and noun_phrase_only(body)


def _purpose_of(head: str, rest: str) -> bool:
    """Whether `rest` ("to hold services accountable") is the purpose of the noun phrase that ends `head`, not the
    complement of its verb ("... continue | to feel") nor the subject of a verb further on ("... | to engage in
    meetings prevents many groups ...")."""
    doc = P.parse(head, ner=False)
    if not len(doc) or doc[-1].pos_ not in ("NOUN", "PROPN"):
        return False
    # a finite verb in a purpose clause comes after a word that subordinates it ("to ensure the needs ... are met")
    after = P.parse(rest.strip(), ner=False)
    finite = next((t for t in after if t.tag_ in ("VBZ", "VBP", "VBD", "MD")), None)
    return finite is None or any(t.lower_ in ("ensure", "that", "so", "where", "which", "who", "how", "what", "when", "if")
                                 for t in after[: finite.i])


def shape_or_own_words(text: str, context: Sequence[str] = (), vocabulary: Iterable[str] = ()) -> Draft:
    """`shape`, except that a rule failing on one odd statement (an exception from a rule or the parse) gives the
    statement's own words marked "check wording", with the error named in `Draft.rule` and logged, so that one
    sentence never stops a run of 100,000; tests call `shape` itself, so a failing rule still fails them."""
    try:
        return shape(text, context, vocabulary)
    except P.NeedParse:
        raise  # `parse.batched` asking for the parses it will batch: control flow, not a failure
    except Exception as exc:  # noqa: BLE001 - the plan must survive any one statement
        logging.getLogger("plenary.recommend").warning("wording failed on %r: %s: %s", text[:80], type(exc).__name__, exc)
        return _own_words(norm(text), norm(text), set(vocabulary), _State(), tried=(f"error:{type(exc).__name__}", ()))


def _own_words(clause: str, source: str, vocab: set[str], state: _State, tried=None) -> Draft:
    draft = cap(trim(_fix_typos(clause, vocab, state)))
    problems = style_problems(draft, vocab)
    flags = [CHECK_WORDING] + state.flags
    return Draft(draft, "own_words" if tried is None else f"own_words<{tried[0]}:{','.join(tried[1])}>", source,
                 tuple(dict.fromkeys(flags)), tuple(state.edits), tuple(problems))
