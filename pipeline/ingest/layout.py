"""Layout cues of typed-up notes that carry no list markers: board items one a line, a heading typed straight
above its text, and speakers' turns at a public meeting (issue 11, item 1). Used by the notes parser.

- `TALLY_RE`: a dot-vote tally closing an item ("●●●● (4)", "|||| || (7)", "x x x", "✔✔✔ +2", "(0)");
- `line_cuts(pieces)`: where a block of consecutive lines splits into a lead line and items, or a heading and
  its paragraph;
- `asks`, `sentences`, `outdented`, `ONE_WORD_ASK_RE`: a question with a bracketed instruction, sentences not cut
  after "Br." or an initial, a line typed left of an indented bullet, a one-word post-it;
- `TURN_RE` / `PARTICIPANT_TURN_RE`: "Label: text" turns, and the ones spoken by a participant
  ("Q3 (youth worker): ...", "Q1 follow-up: ...", "Comment from the floor: ...");
- `ruled_heading`, `caps_lead`, `STAMP_RE`, `QUESTION_KEY_RE` / `ANSWER_KEY_RE`: a heading between rules
  ("=== Discussion 1 ===", "------ FORM 01 ------"), a capitals heading with a bracketed note or a question
  ("CONVERSATION LOG (written up ...)", 'DOT VOTE: "Which ...?"'), a log entry that opens with a time ("09:45 Man,
  40s ..."), and a form's questions listed once ("Q3 What could we do better?") with answers keyed to them ("Q3: ...").
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
# a heading typed between rules of the same character: "=== Discussion 1: Homes ===", "------ FORM 01 ------"
RULED_HEADING_RE = re.compile(r"^(?P<rule>={3,}|-{3,}|~{3,}|_{3,}|\*{3,}|#{3,}|[–—]{2,})\s*(?P<body>[^=~_*#–—\s].*?)\s*"
                              r"(?P=rule)?[=~_*#–—-]*$")
# a capitals heading, then a note in brackets or a question: "STAFF REFLECTIONS (for the team)", 'DOT VOTE: "Which ...?"'
CAPS_LEAD_RE = re.compile(r"^(?P<caps>[A-Z][A-Z0-9'’&/, -]{3,60}?)\s*(?:\((?P<note>[^()]{1,120})\)|:\s*(?P<ask>[\"“‘']?[A-Z]"
                          r"[^.!]{0,120}\?[\"”’']?(?:\s*\([^()]{1,80}\))?))\s*$")
# a log entry opening with its time: "09:45 Man, 40s, bus driver. ...", "[10.05] Two mums ..."
# a line of a chat export: "18:02:41 From Priya Shah (Youth Space) to Everyone: Hi all" (Zoom's saved chat)
CHAT_LINE_RE = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+From\s+(?P<who>[^:]{1,80}?)\s+to\s+[^:]{1,60}?\s*:\s*"
                          r"(?P<msg>.*)$", re.I)
# a chat message that only greets, says what the call or the meeting is doing, or agrees
CHATTER_RE = re.compile(r"^\W*(hi|hello|hey|evening|morning|afternoon|good (morning|afternoon|evening))\b[^.?!]{0,40}[.!:)\s]*$|"
                        r"\bcan you (all )?(hear|see) (me|us)\b|\b(you'?re|you are|is) on mute\b|\b(my|your) (audio|mic|"
                        r"microphone|camera|video|sound|connection|wi-?fi|internet)\b|\blost (my )?connection\b|"
                        r"\bbreakout rooms? (are )?(open|opening|closing|now)\b|\b(we'?ll|we will) (move|go) (to|into) "
                        r"(the )?breakouts?\b|\b(agenda|slides)( and slides)? (are )?here\b|\b(have|need) to (leave|go|drop "
                        r"off)\b|\bsigning off\b|^\W*(\+1|same here|agreed?|yes|exactly|noted|thanks?( you)?)\b[^.?!]{0,30}"
                        r"[.!\s]*$", re.I)


def chatter(raw: str) -> bool:
    """A chat export's line that is about the call or the meeting, not a view ("can you hear me?", "+1")."""
    chat = CHAT_LINE_RE.match(raw)
    return bool(chat) and (not chat.group("msg").strip() or bool(CHATTER_RE.search(chat.group("msg"))))


STAMP_RE = re.compile(r"^[\[(]?\d{1,2}[:.]\d{2}\s*(?:am|pm)?[\])]?\s+(?:[-–—:]\s*)?\S", re.I)
# a form's question listed once with its key ("Q3 What could we do better?", "Q3. ...?"), and an answer keyed to it
QUESTION_KEY_RE = re.compile(r"^(?P<key>Q\s?\d{1,3})[.):]?\s+\S", re.I)
ANSWER_KEY_RE = re.compile(r"^(?P<key>Q\s?\d{1,3})\s*[:.)]\s*(?P<text>\S.*)$", re.I)
ITEM_MAX_WORDS = 12  # an untallied line longer than this is prose, not a board item
LEAD_MAX_WORDS = 10  # a lead line ("What's missing", "Board 2 - Priorities") is short


def starts_sentence(piece: str) -> bool:
    return piece[:1].isupper() or piece[:1].isdigit() or piece[:1] in "\"“'‘"


def is_title_like(text: str) -> bool:
    words = T.WORD_RE.findall(text)
    if not words or len(words) > 12:
        return False
    content = [w for w in words if not T.is_stop(w)] or words
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and T.word_count(text) <= 10


def ruled_heading(line: str) -> str | None:
    """The text of a heading typed between rules ("=== Discussion 1 ===" -> "Discussion 1"), else None."""
    m = RULED_HEADING_RE.match(line.strip())
    return m.group("body") if m and line.strip().endswith(m.group("rule")[-1]) and T.word_count(m.group("body")) else None


def caps_lead(line: str) -> bool:
    """A heading in capitals (two words or more) with a bracketed note or a question after it, ending no sentence."""
    m = CAPS_LEAD_RE.match(line.strip())
    return bool(m) and (len(m.group("caps").split()) >= 2 or len(m.group("caps")) >= 8) and \
        any(c.islower() for c in line) and sum(c.isalpha() for c in m.group("caps")) >= 4


def key(label: str) -> str:
    """A question key in one spelling: "Q 3" and "q3" -> "Q3"."""
    return label.upper().replace(" ", "")


def heading_like(line: str) -> bool:
    """A lead line that could head a list or a paragraph: a question, a lead-in, a capitals heading with a note
    (`caps_lead`), or a few words, no full stop."""
    line = line.strip()
    return line.endswith(("?", ":")) and T.word_count(line) <= 25 or caps_lead(line) or (
        T.word_count(line) <= LEAD_MAX_WORDS and line[-1:] not in ".;!,…" and starts_sentence(line)
        and not WRAPS_ON_RE.search(line))


def line_cuts(pieces: list[str]) -> tuple[list[int], list[bool]] | None:
    """For the lines of one text block (no blank line between them): (the line indexes where a new block
    starts, for each resulting block whether it is an item), or None to keep the block whole.

    - most lines end in a tally: every tallied line ends an item (a dot-vote board, its heading on top);
    - a lead line over short capitalised lines, none of which wraps on and most without a full stop: the lead
      is a heading, each line an item (a flipchart list typed without bullets);
    - a question, or a short heading-like line, over a paragraph that starts a sentence: the heading stands
      alone (typed straight above its text, with no blank line);
    - whole quotations one a line, under short lines that head them (`quote_cuts`)."""
    pieces = [p.strip() for p in pieces]
    if len(pieces) < 2 or any(p.startswith("|") for p in pieces):
        return None  # a Markdown table is not a list of items
    if (quoted := quote_cuts(pieces)) is not None:
        return quoted
    body = pieces[1:]
    tallied = [bool(TALLY_RE.search(p)) for p in pieces]
    lead = heading_like(pieces[0]) and not tallied[0]
    stamped = [bool(STAMP_RE.match(p)) for p in pieces]
    if sum(stamped) >= 2 and (stamped[0] or lead and stamped[1]):  # a log: each timed entry (and its wraps) an item
        # a walkabout's notes typed one a line under each time are items too, not one entry (a log's few wrapped
        # lines are not: its timed entries outnumber them)
        every = hard_breaks(pieces) and len(pieces) - sum(stamped) >= 2 * sum(stamped)
        cuts = [k for k in range(1, len(pieces)) if stamped[k] or every]
        return cuts, [stamped[0]] + [True] * len(cuts)
    if all(asks(p) for p in body) and (lead and pieces[0].endswith(":") and len(body) >= 2 or all(
            QUESTION_KEY_RE.match(p) for p in pieces)) and T.word_count(" ".join(body)) <= 30 * len(body):
        return list(range(1, len(pieces))), [False] * len(pieces)  # "The form asked:" over "Q1 ...?" lines, one a line
    if len(pieces) >= 3 and sum(tallied) >= 2 and sum(tallied[1:]) * 2 >= len(body):
        cuts = [k for k in range(1, len(pieces)) if tallied[k - 1] or k == 1 and lead
                or starts_sentence(pieces[k]) and not WRAPS_ON_RE.search(pieces[k - 1])]
        return cuts, [not lead] + [True] * len(cuts)
    heads = lead or asks(pieces[0])  # "PROMPT 2: What's not so good right now?" over its notes
    if hard_breaks(pieces[1:] if heads else pieces) and all(T.word_count(p) <= 2 * ITEM_MAX_WORDS for p in body):
        return list(range(1, len(pieces))), [not heads] + [True] * len(body)  # sticky notes typed one a line
    if len(pieces) >= 3 and lead and all(starts_sentence(p) for p in body) \
            and not any(WRAPS_ON_RE.search(p) for p in body) and all(T.word_count(p) <= ITEM_MAX_WORDS for p in body) \
            and sum(p[-1:] not in ".!?" for p in body) * 2 > len(body):
        return list(range(1, len(pieces))), [False] + [True] * len(body)
    first, second, rest = pieces[0], pieces[1], " ".join(pieces[1:])
    question = first.endswith("?") and T.word_count(first) <= 25 and not TURN_RE.match(first)
    heading = lead and not first.endswith(":") and (len(first) * 2 <= len(second) or caps_lead(first))
    if starts_sentence(second) and not rest.endswith("?") and T.word_count(rest) >= 8 and (question or heading):
        return [1], [False, False]
    return None


def hard_breaks(pieces: list[str]) -> bool:
    """Whether the lines of `pieces` were ended by hand, not wrapped: at least four lines, at most a quarter of
    the breaks after a word that runs on ("and", "the", a comma; a pronoun, as in "more events like this", is
    fine), and at least two thirds where the next word would have fitted (the line plus that word within the
    block's widest line), which wrapping at a width never does."""
    if len(pieces) < 4:
        return False
    runs_on = [p for p in pieces[:-1] if WRAPS_ON_RE.search(p) and not re.search(r"\b(this|that|these|those|it)$", p, re.I)]
    width = max(len(p) for p in pieces)
    short = sum(len(p) + 1 + len(q.split(" ", 1)[0]) <= width for p, q in zip(pieces, pieces[1:]))
    return len(runs_on) * 4 <= len(pieces) - 1 and short * 3 >= 2 * (len(pieces) - 1)


# a line that is a whole quotation, maybe with its speaker after it: "“Swings for older kids.” (Gran, Ash Walk)"
QUOTE_OPEN, QUOTE_CLOSE = "\"“‘", "\"”’"
QUOTE_END_RE = re.compile(r"[\"”’](?:\s*(?:[-–—]\s*[^\"“”]{1,40}|\([^()]{1,40}\)))?$")


def quote_cuts(pieces: list[str]) -> tuple[list[int], list[bool]] | None:
    """A block of quotations typed one a line (a newsletter or a report quoting residents), maybe under short lines
    that head them ("Stop 2: the play area"): (cuts, items) with every quotation an item (kept whole, even wrapped
    over lines) and every other line standing alone, to be read as a heading; None unless there are at least two
    quotations, no fewer than other lines, and only heading-like lines (a lead line, or each right above a
    quotation) between them: a paragraph that merely contains a quotation is left whole."""
    spans: list[tuple[int, bool]] = []  # (first line, is a quotation)
    k = 0
    while k < len(pieces):
        if pieces[k][:1] in QUOTE_OPEN:
            end = k
            while not QUOTE_END_RE.search(pieces[end]):
                end += 1
                if end == len(pieces) or pieces[end][:1] in QUOTE_OPEN:
                    return None  # a quotation that never closes: not one a line
            spans.append((k, True))
            k = end + 1
        elif heading_like(pieces[k]) and not WRAPS_ON_RE.search(pieces[k]) \
                and (k == 0 or k + 1 < len(pieces) and pieces[k + 1][:1] in QUOTE_OPEN):
            spans.append((k, False))
            k += 1
        else:
            return None
    quotes = sum(q for _, q in spans)
    if quotes < 2 or quotes < len(spans) - quotes:
        return None
    return [start for start, _ in spans[1:]], [q for _, q in spans]


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
    "Group C (Hannah): the high street". Nor is a question typed at the marker's own margin: the next list's
    prompt ("- Loved the cakes" then "What should we change?")."""
    if current.kind != "bullet" or not starts_sentence(stripped) or WRAPS_ON_RE.search(current.lines[-1][1]):
        return False
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
    return indent < current.indent or indent == current.indent and asks(stripped) and T.word_count(stripped) <= 25

# page furniture of a report: a contents line, a page number, a footnote, a table or figure caption
CONTENTS_RE = re.compile(r"(\.{4,}\s*\d*\s*$)|(\t\s*\d{1,3}\s*$)")
PAGE_NUMBER_RE = re.compile(r"^\s*(page\s+)?\d{1,3}(\s+of\s+\d{1,3})?\s*$", re.I)
FOOTNOTE_RE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}\s+\S*\.(gov|com|org|uk|net)\b)")
CAPTION_RE = re.compile(r"^(table|figure|fig\.|chart)\s+\d+\b", re.I)


# a table typed or pasted with pipes ("Issue | What would help | Who should act"), Markdown's or a shared doc's
PIPE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")  # "|---|---|" under a header
MIN_PROSE_WORDS = 4.0  # a table column's mean words per cell, to be read as statements (also docx tables)


def pipe_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def pipe_tables(lines: list[str]) -> dict[int, dict | None]:
    """{index: {"cells", "header", "prose"}} (a notes Block's row fields: each cell a list of paragraphs, the header's
    names, the columns of prose) for each body row of a pipe table, {index: None} for its header and rule rows. A
    table is a header and at least two rows of the same number (2 or more) of cells, one line each."""
    out: dict = {}
    k = 0
    while k < len(lines):
        width = len(pipe_cells(lines[k])) if "|" in lines[k] else 0
        end = k + 1
        while end < len(lines) and "|" in lines[end] and len(pipe_cells(lines[end])) == width:
            end += 1
        rows = [j for j in range(k + 1, end) if not PIPE_RULE_RE.match(lines[j])]
        if width >= 2 and len(rows) >= 2:
            header = pipe_cells(lines[k])
            body = [pipe_cells(lines[j]) for j in rows]
            prose = {c for c in range(width) if sum(T.word_count(r[c]) for r in body) / len(body) >= MIN_PROSE_WORDS}
            out.update({j: None for j in range(k, end)})
            out.update({j: {"cells": [[c] for c in cells], "header": header, "prose": prose} for j, cells in zip(rows, body)})
        k = max(end, k + 1)
    return out
