"""Layout cues of typed-up notes that carry no list markers: board items one a line, a heading typed straight
above its text, and speakers' turns at a public meeting (issue 11, item 1). Used by the notes parser.

- `TALLY_RE`: a dot-vote tally closing an item ("●●●● (4)", "|||| || (7)", "x x x", "✔✔✔ +2", "(0)");
- `line_cuts(pieces)`: where a block of consecutive lines splits into a lead line and items, or a heading and
  its paragraph;
- `asks`, `sentences`, `outdented`, `ONE_WORD_ASK_RE`: a question with a bracketed instruction, sentences not cut
  after "Br." or an initial, a line typed left of an indented bullet, a one-word post-it;
- `TURN_RE` / `PARTICIPANT_TURN_RE`: "Label: text" turns, and the ones spoken by a participant
  ("Q3 (youth worker): ...", "Q1 follow-up: ...", "Comment from the floor: ...").
"""
from __future__ import annotations

import re

from .. import text as T

_MARKS = "●•○◉⬤✔✓✗✘☑★"
TALLY_RE = re.compile(rf"(?:^|\s)(?:[{_MARKS}]+(?:\s[{_MARKS}]+)*|\|{{2,}}(?:\s\|+)*|\|(?:\s\|+)+|(?:[xX]\s+){{2,}}[xX]|"
                      r"\(\d{1,3}\))(?:\s*(?:\(\d{1,3}\)|\+\s?\d{1,3}))*\s*$")
# a line that wraps on: it ends with a joining word, a comma or a dash
WRAPS_ON_RE = re.compile(r"(?:[,(&/–-]|\b(?:and|or|but|of|the|a|an|to|for|in|on|at|with|from|by|that|which|who|is|are|"
                         r"was|were|be|as|into|our|their|its|his|her|my|your|this|these|those|not|no))\s*$", re.I)
TURN_RE = re.compile(r"^(?P<label>(?:Q|A|Question|Comment|Response)\s?\d{0,3}(?:\s+follow[- ]?up)?(?:\s*\([^()]{1,60}\))?|"
                     r"[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,3}?(?:\s*\([^()]{1,60}\))?)\s*:\s+(?P<text>\S.*)$")
PARTICIPANT_TURN_RE = re.compile(r"^[^:]*\([^()]{1,60}\)\s*:|^[^:]*\bfollow[- ]?up\s*:|^\W*(comment |question )?from the "
                                 r"floor\s*:|^\W*(audience member|resident|participant|attendee|member of the public|"
                                 r"p\d{1,3})\b[^:]{0,20}:", re.I)
ITEM_MAX_WORDS = 12  # an untallied line longer than this is prose, not a board item
LEAD_MAX_WORDS = 10  # a lead line ("What's missing", "Board 2 - Priorities") is short


def starts_sentence(piece: str) -> bool:
    return piece[:1].isupper() or piece[:1].isdigit() or piece[:1] in "\"“'‘"


def heading_like(line: str) -> bool:
    """A lead line that could head a list or a paragraph: a question, a lead-in, or a few words, no full stop."""
    line = line.strip()
    return line.endswith(("?", ":")) and T.word_count(line) <= 25 or (
        T.word_count(line) <= LEAD_MAX_WORDS and line[-1:] not in ".;!,…" and starts_sentence(line)
        and not WRAPS_ON_RE.search(line))


def line_cuts(pieces: list[str]) -> tuple[list[int], list[bool]] | None:
    """For the lines of one text block (no blank line between them): (the line indexes where a new block
    starts, for each resulting block whether it is an item), or None to keep the block whole.

    - most lines end in a tally: every tallied line ends an item (a dot-vote board, its heading on top);
    - a lead line over short capitalised lines, none of which wraps on and most without a full stop: the lead
      is a heading, each line an item (a flipchart list typed without bullets);
    - a question, or a short heading-like line, over a paragraph that starts a sentence: the heading stands
      alone (typed straight above its text, with no blank line)."""
    pieces = [p.strip() for p in pieces]
    if len(pieces) < 2 or any(p.startswith("|") for p in pieces):
        return None  # a Markdown table is not a list of items
    body = pieces[1:]
    tallied = [bool(TALLY_RE.search(p)) for p in pieces]
    lead = heading_like(pieces[0]) and not tallied[0]
    if len(pieces) >= 3 and sum(tallied) >= 2 and sum(tallied[1:]) * 2 >= len(body):
        cuts = [k for k in range(1, len(pieces)) if tallied[k - 1] or k == 1 and lead
                or starts_sentence(pieces[k]) and not WRAPS_ON_RE.search(pieces[k - 1])]
        return cuts, [not lead] + [True] * len(cuts)
    if len(pieces) >= 3 and lead and all(starts_sentence(p) for p in body) \
            and not any(WRAPS_ON_RE.search(p) for p in body) and all(T.word_count(p) <= ITEM_MAX_WORDS for p in body) \
            and sum(p[-1:] not in ".!?" for p in body) * 2 > len(body):
        return list(range(1, len(pieces))), [False] + [True] * len(body)
    first, second, rest = pieces[0], pieces[1], " ".join(pieces[1:])
    question = first.endswith("?") and T.word_count(first) <= 25 and not TURN_RE.match(first)
    heading = lead and not first.endswith(":") and len(first) * 2 <= len(second)
    if starts_sentence(second) and not rest.endswith("?") and T.word_count(rest) >= 8 and (question or heading):
        return [1], [False, False]
    return None


# a one-word bullet or post-it that names a thing: letters (3 or more), maybe "!" or a tally; not "etc" or "tbc"
ONE_WORD_ASK_RE = re.compile(r"^\W*(?!(?:etc|tbc|tba|ditto|misc|other|others|none|nothing|na|n/a|ok|yes|no)\b)"
                             r"[^\W\d_][\w'’-]{2,}\W*$", re.I)
# a question followed by an instruction in brackets: "Q7. Which ... in future? (Please explain your answer)"
ASKS_RE = re.compile(r"\?\s*(\([^()]{1,80}\)|\[[^\[\]]{1,80}\])?$")
# a sentence cut after a title or an initial ("led by Br. Yusuf", "Proposed R. Kaur"): rejoined
ABBREV_END_RE = re.compile(r"(?:^|[\s(])(?:Br|Fr|Sr|Rev|Revd|Cllr|Dr|Mr|Mrs|Ms|Mx|Prof|Insp|Sgt|Supt|Det|Capt|Col|Gen|Hon|"
                           r"Rt|St|Mt|No|Nos|approx|Ref|[A-Z])\.$")


def asks(text: str) -> bool:
    """A line that asks: it ends with "?", or with "?" and a bracketed instruction."""
    return bool(ASKS_RE.search(text.rstrip()))


def sentences(text: str) -> list[tuple[int, str]]:
    """`text.sentences`, with a sentence cut after a title or an initial ("Br.", "R.") joined to the next."""
    out: list[tuple[int, str]] = []
    for offset, sent in T.sentences(text):
        if out and ABBREV_END_RE.search(out[-1][1]) and sent[:1].isupper():
            start = out[-1][0]
            out[-1] = (start, text[start:offset + len(sent)].strip())
        else:
            out.append((offset, sent))
    return out


def outdented(current, line: str, stripped: str) -> bool:
    """A line typed left of the open indented bullet's marker (`current`: the notes parser's Block), starting a
    sentence after a line that does not wrap on, is not that bullet's wrap: "  - more cycle parking" then
    "Group C (Hannah): the high street"."""
    if current.kind != "bullet" or current.indent == 0:
        return False
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
    return indent < current.indent and starts_sentence(stripped) and not WRAPS_ON_RE.search(current.lines[-1][1])
