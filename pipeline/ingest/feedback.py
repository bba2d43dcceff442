"""Feedback on the event itself: statements that answer a prompt about the meeting, walkabout or session they were
said at (the venue, the timing, the food, the talks), not about the topic (issue 11).

They are participants' views and stay statements (themes, codes and quotes see them), but they are not asks for the
action plan: the notes parser marks each with `attributes["about"] = "event"` and the proposal detector
(`recommend.proposals.segment_proposes`) passes them over, so a plan never says "Provide more food at the summit"
or "The room was way too hot". The ingest report counts them.

The prompt decides, not the statement's words: "What could we do better next time?", "How would you rate today?",
"How was tonight for you?", "What would you change about the event?", a heading "WHAT YOU THOUGHT OF THE
WALKABOUT" or "Evaluation". A statement about the venue under a topic question ("The community hall is freezing,
the heating needs fixing" under "What would improve the estate?") is a view about the topic and is not marked.
"""
from __future__ import annotations

import functools
import re
from typing import Sequence

from ..records import IngestReport, Segment

_EVENT = (r"(?:event|session|workshop|meeting|walkabout|walk-?about|summit|day|evening|morning|afternoon|drop-?in|"
          r"conversation|consultation event|open day|forum|venue|format|visit|tour|fair)")
# a prompt or heading asking what people thought of the occasion itself
EVENT_PROMPT_RE = re.compile(
    rf"\bnext time\b|\b(?:rate|enjoy|enjoyed|like about|liked about|best thing about|worst thing about|improve about|"
    rf"change about|better about|thought of|think of|feedback on|feedback about|was|were|did)\s+(?:today|tonight|"
    rf"(?:the|this|today['’]?s|tonight['’]?s|our|this year['’]?s)\s+{_EVENT})\b|^\W*(?:event |session |workshop )?"
    rf"evaluation\b|\bevaluation (?:forms?|cards?|slips?|sheets?)\b|\bhow (?:was|did) (?:today|tonight|it go|"
    rf"(?:the|this) {_EVENT})\b|\b(?:what (?:you|people) thought of|how we did)\b", re.I)


@functools.lru_cache(maxsize=4096)
def _asks_about_event(prompt: str) -> bool:
    return bool(EVENT_PROMPT_RE.search(prompt))


def about_event(question: str | None, prompt: str | None, heading: str | None) -> bool:
    """True when the question the statement answers, its lead-in or its innermost heading asks about the event
    itself. Cached per prompt text: a few dictionary look-ups a statement."""
    return any(x and _asks_about_event(x) for x in (question, prompt, heading))


def event_marks(question: str | None, prompt: str | None, heading: str | None) -> dict[str, str]:
    """The attributes that mark a statement under such a prompt: {"about": "event"}, else {}."""
    return {"about": "event"} if about_event(question, prompt, heading or None) else {}


def note_event_feedback(segments: Sequence[Segment], report: IngestReport) -> None:
    """Count the marked statements of one file in its ingest report (kept, themed, never drafted)."""
    n = sum(1 for s in segments if s.attributes.get("about") == "event")
    if n:
        report.notes.append(f"feedback on the event itself kept as statements, not drafted as recommendations: {n}")
