"""Interview and focus-group transcripts: speaker turns, not notes.

A file is a transcript when most of its lines are speaker turns ("Name: text", "[Name] text", "Q: ..." /
"A: ...") and at least two speakers come back. Then

- every answer turn is a statement (a turn over several lines gives one statement per line), with
  `attributes["speaker"]`; "Respondent: No." is kept (and marked a non-answer like any other);
- interviewer, moderator and facilitator turns ("Interviewer", "Moderator", "Facilitator", "Q", "I", ...,
  or, with two speakers and no such label, the one who asks the questions) are prompts: each becomes the
  `question` of the answers after it, never a statement and never a theme;
- lines before the first turn (a title) are structure.
The same for Word transcripts (`readers.docx`), whose paragraphs are the lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..files import slug
from ..records import IngestReport, Segment
from .records_layout import is_records

PROMPT_SPEAKERS = {"interviewer", "moderator", "facilitator", "q", "question", "researcher", "chair", "host",
                   "int", "i", "mod", "fac"}
TURN_RE = re.compile(r"^\s*(?:\[(?P<b>[^\]\n]{1,40})\]\s*:?|(?P<n>[A-Z][\w .'’-]{0,38}?|Q|A)\s*:)\s*(?P<text>.*)$")
# turns must start on at least this share of the non-blank lines after the title (an answer may run over a few
# lines; notes with a few "Label:" lines over long lists are not a transcript)
MIN_TURN_SHARE = 0.25
BULLET_RE = re.compile(r"^\s*(?:[-•*▪–]|\d{1,2}[.)])\s+")


@dataclass
class Turn:
    speaker: str
    lines: list[tuple[int, str]]  # (line number, text)
    prompt: bool = False
    question: str | None = None  # an answer's prompt: the interviewer's turn before it

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.lines if t)


def transcript_turns(lines: Sequence[tuple[int, str]]) -> tuple[list[Turn], list[int]] | None:
    """(turns, structure lines before the first turn), or None when `lines` (number, text) are not a transcript.
    A line without a speaker continues the current turn; a blank line ends it. Labelled-field records ("Ref: ...",
    "Comment: ...", "Officer response: ...": `records_layout.is_records`) are no transcript."""
    if is_records(lines):
        return None
    turns: list[Turn] = []
    before: list[int] = []
    current: Turn | None = None
    orphans = 0  # lines outside any turn after the turns began
    for number, line in lines:
        m = TURN_RE.match(line)
        name = (m.group("b") or m.group("n") or "").strip() if m else ""
        if m and name and len(name.split()) <= 3 and not any(c.isdigit() for c in name) \
                and not name.lower().startswith(("http", "note", "prompt")):
            current = Turn(name, [(number, m.group("text").strip())])
            turns.append(current)
        elif line.strip() and current is not None:
            current.lines.append((number, line.strip()))
        elif line.strip() and not turns:
            before.append(number)
        elif line.strip():
            before.append(number)  # a heading between turns ("Part 2"): structure
            orphans += 1
        else:
            current = None
    while turns and sum(t.speaker == turns[0].speaker for t in turns) == 1 and len(turns[0].lines) == 1:
        before.append(turns.pop(0).lines[0][0])  # a title with a colon ("Focus group: parents"), not a speaker
    counts: dict[str, int] = {}
    for t in turns:
        counts[t.speaker.lower()] = counts.get(t.speaker.lower(), 0) + 1
    text_lines = sum(1 for n, line in lines if line.strip())
    bullets = sum(1 for t in turns for _, line in t.lines[1:] if BULLET_RE.match(line))
    # notes with a few "Workshop A:" labels over lists of bullets are not a transcript: turns must start often
    if sum(c >= 2 for c in counts.values()) < 2 or len(turns) < 4 or len(turns) < MIN_TURN_SHARE * text_lines \
            or bullets > len(turns) or orphans > max(2, 0.1 * text_lines):
        return None
    prompts = {s for s in counts if s in PROMPT_SPEAKERS}
    if not prompts and len(counts) == 2:  # two people, no labels: the one asking questions prompts
        asks = {s: sum(t.text.rstrip().endswith("?") for t in turns if t.speaker.lower() == s) for s in counts}
        best = max(asks, key=lambda s: (asks[s], s))
        if asks[best] >= 2 and asks[best] > 2 * min(asks.values()):
            prompts = {best}
    question = None
    for t in turns:
        t.prompt = t.speaker.lower() in prompts
        if t.prompt:
            question = t.text
        else:
            t.question = question
    return turns, before


def transcript_segments(lines: Sequence[tuple[int, str]], source: str, event: str,
                        report: IngestReport) -> list[Segment] | None:
    """Statements of a transcript (see module doc), or None when it is not one."""
    found = transcript_turns(lines)
    if found is None:
        return None
    turns, before = found
    doc = slug(source)
    segments: list[Segment] = []
    report.structure_lines += before
    speakers = sorted({t.speaker for t in turns if not t.prompt})
    prompts = sorted({t.speaker for t in turns if t.prompt})
    for t in turns:
        if t.prompt:
            report.structure_lines += [n for n, _ in t.lines]
            if t.text and t.text not in report.questions:
                report.questions.append(t.text)
            continue
        for number, text in t.lines:
            if not text:
                report.structure_lines.append(number)
                continue
            segments.append(Segment(id=f"{doc}:{number}", text=text, source=source, line_start=number,
                                    line_end=number, event=event, question=t.question, kind="response",
                                    attributes={"speaker": t.speaker}))
    report.notes.append(f"transcript: {len(turns)} turns; answers by {', '.join(speakers) or '(none)'}"
                        + (f"; prompts by {', '.join(prompts)} (taken as questions, not statements)" if prompts else ""))
    return segments
