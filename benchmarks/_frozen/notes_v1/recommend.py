"""Recommend: draft short imperative actions under each action heading.

Under each heading the statements that propose a change are gathered,
near-duplicates merged, the groups ranked by support and breadth, and each
written as one short action in the words of its most typical statement. Every
recommendation keeps the ids of the statements behind it.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from . import text as T
from .codebook import Codebook
from .records import HeadingPlan, Recommendation, Segment, Theme

ACTION_VERBS = {
    "acknowledge", "address", "adopt", "amplify", "appoint", "build", "educate", "help", "identify", "inspire", "show", "capitalise", "celebrate", "challenge", "change", "collect",
    "commission", "consider", "consult", "continue", "create", "deliver", "develop", "embed", "empower",
    "enable", "encourage", "engage", "ensure", "establish", "focus", "fund", "give", "hold", "improve",
    "include", "increase", "introduce", "invest", "involve", "learn", "listen", "look", "maintain", "make",
    "map", "mentor", "monitor", "offer", "open", "plan", "prioritise", "promote", "protect", "provide",
    "publish", "raise", "reach", "realise", "recognise", "recognize", "recruit", "reduce", "refresh", "remove", "resource",
    "respect", "review", "set", "share", "simplify", "standardise", "start", "stop", "strengthen", "support",
    "tackle", "take", "talk", "target", "train", "undertake", "use", "value", "work",
}
# -ing words that are nouns in these notes, not gerunds to turn into imperatives
ING_NOUNS = {"funding", "housing", "training", "meeting", "building", "wellbeing", "mentoring", "understanding",
             "being", "learning", "networking", "commissioning", "monitoring", "safeguarding", "schooling",
             "policing", "spending", "marketing", "thing", "something", "nothing", "everything", "evening"}
SUBJECT_PRONOUNS = {"we", "you", "they", "i", "everyone", "people", "organisations", "we all"}
MODAL_RE = re.compile(
    r"^(?P<subject>.*?)\b(?P<modal>should|must|ought to|need to|needs to|needed to|has to|have to|will need to)\s+"
    r"(?P<neg>not\s+)?(?P<be>be\s+)?(?P<rest>.+)$", re.I)
NEED_TO_RE = re.compile(r"^(there\s+(is|was)\s+an?\s+(real\s+|clear\s+|urgent\s+)?need\s+to\s+|"
                        r"(we\s+)?(do\s+|also\s+)?need(s|ed)?\s+to\s+)(?P<be>be\s+)?(?P<rest>.+)$", re.I)
NEED_RE = re.compile(r"^(there\s+(is|was)\s+an?\s+(real\s+|clear\s+|urgent\s+)?need\s+for\s+|"
                     r"(we\s+)?(do\s+|also\s+)?(need(s)?|requires?)\s+)(?P<rest>.+)$", re.I)
DISCOURSE_RE = re.compile(r"^(in addition|also|however|therefore|equally|finally|further|furthermore|overall|"
                          r"ultimately|again|instead|as such|in particular|in practice|in short|"
                          r"as (noted|discussed|mentioned|shown|described|seen)( [\w ]{0,40}?)?)\s*,\s*", re.I)
THERE_NEEDS_RE = re.compile(r"^there\s+(needs|need|has|have)\s+to\s+be\s+(?P<rest>.+)$", re.I)
COMPARATIVE_RE = re.compile(r"^(more|better|greater|improved|stronger|genuine|proper|longer[- ]term|"
                            r"sustainable|fairer|effective)\b", re.I)
# wording that proposes a change wherever it appears, in notes or in report prose
STRONG_PROPOSAL_RE = re.compile(
    r"(\bneed(s|ed)?\s+to\b|\bshould\b|\bmust\b|\bought\s+to\b|\bha(s|ve)\s+to\b|\bwould\s+help\b|"
    r"\bmake\s+sure\b|\bit\s+is\s+(essential|vital|important|crucial)\b|"
    r"\b(recommend|suggest|propos)(ed|es|s)?\s+that\b|\bcall(ed|s)?\s+for\b|"
    r"\b(was|were)\s+(suggested|proposed|recommended)\b|"
    r"\b(is|are|was|were)\s+(seen\s+as\s+|felt\s+to\s+be\s+|considered\s+)?(crucial|essential|vital|key)\b)", re.I)
# "<what> was suggested" / "<what> is crucial": the proposal is the subject
VALUED_RE = re.compile(r"^(?P<what>.+?)\s+(was|were|is|are)\s+(suggested|proposed|recommended|"
                       r"(seen\s+as\s+|felt\s+to\s+be\s+|considered\s+)?(crucial|essential|vital|key|important))\b",
                       re.I)
NOMINAL_RE = re.compile(r"^(the\s+)?(existence|provision|creation|development|use|introduction|availability)\s+of\s+",
                        re.I)
# weaker wording, trusted only in short notes (bullets, survey answers)
PROPOSAL_RE = re.compile(
    r"(^need\b|\bneed(s|ed)?\s+(for|more|better|a|an|longer|proper|investment)\b|\bwould\s+like\b|"
    r"\brequires?\b|\bwant(s|ed)?\s+to\s+see\b)", re.I)
LACK_RE = re.compile(r"^(there\s+(is|are|was|were)\s+)?(no|not\s+enough|a\s+lack\s+of|lack\s+of|insufficient|"
                     r"too\s+few|too\s+little|little|few|limited|poor)\s+(?P<rest>\w.+)$", re.I)
THERE_IS_RE = re.compile(r"^(so\s+that\s+)?there\s+(is|are|will\s+be)\s+(?P<rest>.+)$", re.I)
# reported speech: "It was suggested that ...", "From the evidence, the panel felt that ..."
REPORTED_RE = re.compile(r"^(it\s+(was|is|has\s+been)\s+(suggested|proposed|recommended|agreed|felt|noted|recognised|"
                         r"acknowledged|accepted)\s+that\s+|"
                         r"([\w'’,]+\s+){0,8}?(suggested|felt|said|agreed|stated|noted|proposed|recommended|"
                         r"believe[sd]?|thought|argued|recognised|recognized|acknowledged|accepted|emphasised|"
                         r"stressed|highlighted)\s+that\s+)", re.I)
CLAUSE_VERB_RE = re.compile(r"\b(is|are|was|were|has|have|had|does|do|did|will|can|could|would|may)\b", re.I)
DANGLING = {"a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "at", "by", "with", "against", "from",
            "into", "as", "that", "which", "who", "their", "its", "our", "but", "so", "if", "when", "where"}
SOLUTION_QUESTION_RE = re.compile(r"(what would help|what needs to change|what does better look like|solution|"
                                  r"recommend|what can|what could|how can|how might|what else|action|next step|"
                                  r"what do they need|what needs to happen)", re.I)
TOPIC_PREFIX_RE = re.compile(r"^(?P<topic>[\w&/' ]{2,30}?)\s*[–—:-]\s+(?P<rest>\S.*)$")


def _sentences(text: str) -> list[str]:
    return [s for _, s in T.sentences(text)] or [text]


def _strip_topic(sentence: str) -> str:
    sentence = DISCOURSE_RE.sub("", REPORTED_RE.sub("", sentence.strip()))
    m = TOPIC_PREFIX_RE.match(sentence)
    if m and T.word_count(m.group("topic")) <= 3 and T.word_count(m.group("rest")) >= 3:
        return m.group("rest")
    return sentence


def _first_word(sentence: str) -> str:
    m = T.WORD_RE.match(sentence.strip())
    return m.group(0).lower() if m else ""


def _gerund_base(word: str) -> str | None:
    """'developing' -> 'develop', 'making' -> 'make', 'holding' -> 'hold'; None if not a gerund."""
    if not word.endswith("ing") or word in ING_NOUNS or len(word) < 6:
        return None
    stem = word[:-3]
    for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
        if base in ACTION_VERBS:
            return base
    base = T.lemma(word)
    return base if base in ACTION_VERBS else None


def _as_imperative_verb(word: str) -> str | None:
    """'Holding' -> 'hold'; 'provide' -> 'provide'; anything else -> None."""
    if word in ACTION_VERBS:
        return word
    return _gerund_base(word)


def _imperative_start(sentence: str) -> str | None:
    """The base verb when a sentence opens with an action ("Provide...", "Holding ... to account")."""
    words = sentence.split()
    if not words:
        return None
    first = _first_word(sentence)
    verb = _as_imperative_verb(first)
    if verb is None or (len(words) > 1 and words[1].lower() in ("of", "is", "are", "was", "were")):
        return None  # "Use of these guidances..." is a noun, not an order
    if first.endswith("ing") and CLAUSE_VERB_RE.search(" ".join(words[1:])):
        return None  # "Producing glossy documents is not..." has the gerund as its subject
    return verb


def _aspiration(sentence: str) -> bool:
    """'More inclusion in local politics' asks for something; 'More research exists on X' reports."""
    return bool(COMPARATIVE_RE.match(sentence)) and not CLAUSE_VERB_RE.search(sentence) and \
        not re.search(r"\b(exists?|happen(s|ed)?|seems?|show(s|ed))\b", sentence, re.I)


def is_proposal(segment: Segment) -> bool:
    """Does the statement propose a change, rather than only describe a problem or ask a question?

    Report prose needs explicit wording (should, need to, an imperative). Short
    notes also count with weaker wording ("More ...", "Need for ..."), or when
    they answer a solutions prompt ("What does better look like?").
    """
    sentences = [_strip_topic(s) for s in _sentences(segment.text)]
    statements = [s for s in sentences if not s.rstrip().endswith("?")]
    if not statements:
        return False
    note = segment.kind in ("bullet", "response")
    for sentence in statements:
        if STRONG_PROPOSAL_RE.search(sentence) or _imperative_start(sentence):
            return True
        if note and (PROPOSAL_RE.search(sentence) or _aspiration(sentence)):
            return True
    if note and T.word_count(segment.text) >= 3:
        asked = segment.question or (segment.section[-1] if segment.section else "")
        return bool(SOLUTION_QUESTION_RE.search(asked))
    return False


def _trim(text: str, max_words: int = 22) -> str:
    text = T.normalise_space(text).rstrip(" .;,:–-")
    words = text.split()
    if len(words) > max_words:
        # cut at the first clause boundary after a useful length
        cut = None
        for m in re.finditer(r"(,|;| –| -| —|\(| but | rather than | so that )", text):
            if 8 <= len(text[: m.start()].split()) <= max_words:
                cut = text[: m.start()]
                break
        words = (cut or " ".join(words[:max_words])).split()
    while len(words) > 4 and words[-1].lower().strip(",;:") in DANGLING:
        words.pop()  # never end on "against", "the", "and"...
    return " ".join(words).rstrip(" .;,:–-")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _lower_first(text: str) -> str:
    # keep acronyms and names (BAME, LCR, Metro Mayor) as written
    words = text.split(" ", 2)
    first = words[0]
    name = len(words) > 1 and first[:1].isupper() and words[1][:1].isupper()
    acronym = first.isupper() and len(first) > 1  # "BAME", but not the article "A"
    name = name and first not in ("A", "An", "The", "This", "These", "Those", "Our", "Their")
    if acronym or name or (len(first) > 1 and first[1:].lower() != first[1:]):
        return text
    return text[:1].lower() + text[1:]


FALLBACK = "work towards "


def draft_action(text: str) -> str:
    """Write one statement as a short imperative action.

    When no rule recognises the wording, the statement is kept as it is behind
    "Work towards" (see `drafts_cleanly`).
    """
    # a note often packs several points into one line; split at dashes to find the proposing clause
    candidates = [_strip_topic(p) for s in _sentences(text) for p in re.split(r"\s[–—-]\s", s) if p.strip()]
    sentence = next((s for s in candidates if STRONG_PROPOSAL_RE.search(s) or _imperative_start(s)), None) or \
        next((s for s in candidates if PROPOSAL_RE.search(s) and not s.endswith("?")), candidates[0])
    sentence = T.normalise_space(sentence).rstrip(" .!")

    verb = _imperative_start(sentence)
    if verb:
        rest = sentence.split(" ", 1)[1] if " " in sentence else ""
        # "Acknowledging and taking responsibility" -> "Acknowledge and take responsibility"
        rest = re.sub(r"(\band|\bor|&)\s+(\w+ing)\b",
                      lambda m: f"{m.group(1)} {_gerund_base(m.group(2).lower()) or m.group(2)}", rest)
        return _cap(_trim(f"{verb} {rest}"))
    m = THERE_IS_RE.match(sentence)
    if m:
        return _cap(_trim(f"work towards {m.group('rest')}"))
    m = VALUED_RE.match(sentence)
    # "... languages which is crucial" praises a clause, not a proposal; "No X is ..." is a lack
    if m and not MODAL_RE.match(m.group("what")) and not re.search(r"^no\b|\b(which|that)$", m.group("what"), re.I):
        what = NOMINAL_RE.sub("", m.group("what").strip())
        verb = _imperative_start(what + " x")  # a gerund subject: "providing positive messages"
        if verb:
            return _cap(_trim(f"{verb} {what.split(' ', 1)[1] if ' ' in what else ''}"))
        return _cap(_trim(f"{'create' if _first_word(what) in ('a', 'an') else 'prioritise'} {_lower_first(what)}"))
    m = THERE_NEEDS_RE.match(sentence)
    if m:
        return _cap(_trim(f"ensure there is {m.group('rest')}"))
    m = NEED_TO_RE.match(sentence)
    if m:
        rest = m.group("rest")
        if m.group("be"):
            return _cap(_trim(f"ensure this is {rest}"))
        return _cap(_trim(rest))
    m = NEED_RE.match(sentence)
    if m:
        rest = m.group("rest")
        first = _first_word(rest)
        if _as_imperative_verb(first):
            return _cap(_trim(rest))
        if first in ("a", "an"):
            return _cap(_trim(f"create {rest}"))
        return _cap(_trim(f"provide {rest}"))
    m = MODAL_RE.match(sentence)
    if m and T.word_count(m.group("subject")) <= 10:
        subject = m.group("subject").strip(" –-")
        if "," in subject:  # "Competing for small pots, need to work together": a topic, then the action
            subject = subject.rsplit(",", 1)[1].strip()
        if CLAUSE_VERB_RE.search(subject) or subject.lower().endswith(" and"):
            subject = ""  # "X are fractured and need to come together": keep only the action
        rest = m.group("rest")
        neg = "not " if m.group("neg") else ""
        first = _first_word(rest)
        if not subject or subject.lower() in SUBJECT_PRONOUNS:
            if m.group("be"):
                return _cap(_trim(f"ensure {neg}we are {rest}" if neg else f"be {rest}"))
            return _cap(_trim(f"{'do not ' if neg else ''}{rest}"))
        if m.group("be"):
            participle = first.endswith(("ed", "en")) and T.lemma(first) != first
            if participle and not neg:
                tail = rest.split(" ", 1)[1] if " " in rest else ""
                return _cap(_trim(f"{T.lemma(first)} {_lower_first(subject)} {tail}"))
            return _cap(_trim(f"ensure {_lower_first(subject)} {'is' if not neg else 'is not'} {rest}"))
        return _cap(_trim(f"ensure {_lower_first(subject)} {neg}{rest}"))
    m = LACK_RE.match(sentence)
    if m:  # a statement of lack asks for the thing lacking
        return _cap(_trim(f"provide {m.group('rest')}"))
    if COMPARATIVE_RE.match(sentence):
        return _cap(_trim(f"secure {_lower_first(sentence)}"))
    return _cap(_trim(f"{FALLBACK}{_lower_first(sentence)}"))


def drafts_cleanly(segment: Segment) -> bool:
    """Report prose only becomes a recommendation when a rule could rewrite it as an action;
    a note answering a solutions prompt ("Workforce reflecting diversity") may stand as it is."""
    return segment.kind != "sentence" or not draft_action(segment.text).lower().startswith(FALLBACK)


def _candidates(code: str, segments: Sequence[Segment], themes_by_id: dict[str, Theme],
                loose_threshold: float) -> list[Segment]:
    """Statements under this heading: coded to it first; or uncoded, nearest to it, and either inside
    a theme coded to it or within `loose_threshold` of it (a proposal should land somewhere).

    Each statement supports one heading only, its best code's, so one proposal
    is not drafted twice under two headings.
    """
    out = []
    for seg in segments:
        own = seg.primary == code
        theme = themes_by_id.get(seg.theme or "")
        nearest = not seg.codes and seg.nearest is not None and seg.nearest.code == code
        via_theme = nearest and theme is not None and any(c.code == code for c in theme.codes)
        close = nearest and seg.nearest.score >= loose_threshold
        if (own or via_theme or close) and is_proposal(seg) and drafts_cleanly(seg):
            out.append(seg)
    return out


class RecommendationDrafter:
    def __init__(self, min_per_heading: int = 3, max_per_heading: int = 10, merge_similarity: float = 0.7,
                 loose_threshold: float = 0.25):
        self.min_per_heading = min_per_heading
        self.max_per_heading = max_per_heading
        self.merge_similarity = merge_similarity
        self.loose_threshold = loose_threshold

    def _groups(self, vectors: np.ndarray) -> list[list[int]]:
        if len(vectors) == 1:
            return [[0]]
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=1 - self.merge_similarity).fit_predict(vectors)
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(int(label), []).append(i)
        return list(groups.values())

    def draft(self, codebook: Codebook, segments: Sequence[Segment], vectors: np.ndarray,
              themes: Sequence[Theme]) -> list[HeadingPlan]:
        index = {s.id: i for i, s in enumerate(segments)}
        themes_by_id = {t.id: t for t in themes}
        plans = []
        for code in codebook.headings:
            plan = HeadingPlan(code=code.id, heading=code.heading or code.label)
            cands = _candidates(code.id, segments, themes_by_id, self.loose_threshold)
            if cands:
                vecs = vectors[[index[s.id] for s in cands]]
                recs = []
                for group in self._groups(vecs):
                    members = [cands[i] for i in group]
                    centre = vecs[group].mean(axis=0)
                    # the wording comes from the most typical statement, preferring concise ones
                    typical = max(range(len(group)), key=lambda j: (
                        float(vecs[group[j]] @ centre) - 0.004 * max(0, T.word_count(members[j].text) - 25),
                        -j))
                    source = members[typical]
                    score = float(np.mean([next((c.score for c in m.codes if c.code == code.id),
                                                m.nearest.score if m.nearest else 0.0) for m in members]))
                    recs.append((Recommendation(
                        text=draft_action(source.text), support=len(members),
                        sections=len({(m.source, m.section_path, m.question or "") for m in members}),
                        evidence=[m.id for m in members],
                        themes=sorted({m.theme for m in members if m.theme}), source_text=source.text,
                    ), score))
                recs.sort(key=lambda rs: (-rs[0].support, -rs[0].sections, -rs[1], rs[0].evidence[0]))
                plan.recommendations = [r for r, _ in recs[: self.max_per_heading]]
            n = len(plan.recommendations)
            if n == 0:
                plan.note = "No statement proposing a change was coded to this heading: too little evidence to draft a recommendation."
            elif n < self.min_per_heading:
                plan.note = (f"Too little evidence: only {n} distinct proposal{'s' if n > 1 else ''} "
                             f"({sum(r.support for r in plan.recommendations)} statements) under this heading; "
                             "treat these as leads to check, not a plan.")
            plans.append(plan)
        return plans
