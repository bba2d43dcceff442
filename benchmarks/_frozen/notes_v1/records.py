"""Plain records passed from one pipeline stage to the next.

A statement's journey: ingest makes a Segment; embed gives it a vector; themes
put it in a Theme; coding adds CodeAssignments; rank orders the themes; and
recommend cites its id in a Recommendation's evidence.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

UNCLUSTERED = "unclustered"


@dataclass
class Segment:
    """One statement from one source, with enough context to find it again."""

    id: str
    text: str
    source: str  # file name as given to ingest
    line_start: int  # 1-based, inclusive
    line_end: int
    event: str
    section: list[str] = field(default_factory=list)  # heading path, outermost first
    question: str | None = None  # the prompt or question the statement answers
    kind: str = "bullet"  # bullet | sentence | response
    parent: str | None = None  # id of the bullet a sub-bullet hangs from
    context: str | None = None  # parent bullet text, or a prompt line
    attributes: dict[str, Any] = field(default_factory=dict)
    # filled by later stages
    codes: list[CodeAssignment] = field(default_factory=list)
    nearest: CodeAssignment | None = None  # best code even when none cleared its threshold
    theme: str | None = None

    @property
    def primary(self) -> str | None:
        return self.codes[0].code if self.codes else None

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["section"] = self.section_path
        d["section_path"] = list(self.section)
        d["primary"] = self.primary
        return d


@dataclass
class Event:
    """A named gathering (assembly, panel, consultation) whose documents are analysed together."""

    name: str
    date: str | None = None  # ISO date or year, as given
    place: str | None = None
    type: str | None = None  # assembly | workshop | panel | interview | consultation | survey ...
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CodeAssignment:
    code: str
    score: float
    by: str = "tool"  # tool | person


@dataclass
class DroppedLine:
    """A line ingest left out, and why, so the ingest report can account for it."""

    line: int
    reason: str  # roster | contents | contact | page_furniture | footnote | table | fragment | empty |
    # empty_bullet | duplicate | attribution
    text: str


@dataclass
class IngestReport:
    source: str
    event: str
    segments: int = 0
    dropped: list[DroppedLine] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    notes: list[str] = field(default_factory=list)
    format: str = "text"  # text | markdown | docx | pdf | csv | xlsx | jsonl
    redactions: dict[str, int] = field(default_factory=dict)  # EMAIL, PHONE, URL, POSTCODE, NI, PERSON -> count
    lines: dict[str, int] = field(default_factory=dict)  # every non-blank line: statements/structure/dropped
    structure_lines: list[int] = field(default_factory=list)  # lines read as headings, questions or prompts

    def dropped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.dropped:
            counts[d.reason] = counts.get(d.reason, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "event": self.event,
            "encoding": self.encoding,
            "segments": self.segments,
            "dropped": self.dropped_by_reason(),
            "dropped_lines": [asdict(d) for d in self.dropped],
            "sections": self.sections,
            "questions": self.questions,
            "notes": self.notes,
            "format": self.format,
            "redactions": dict(sorted(self.redactions.items())),
            "lines": self.lines,
        }


@dataclass
class Theme:
    id: str
    label: str
    keywords: list[str]
    segments: list[str]  # segment ids, most central first
    quotes: list[str]  # segment ids of representative, mutually diverse quotes
    codes: list[CodeAssignment] = field(default_factory=list)
    rank: int = 0
    score: float = 0.0
    components: dict[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.segments)

    @property
    def is_unclustered(self) -> bool:
        return self.id == UNCLUSTERED


@dataclass
class Recommendation:
    text: str
    support: int  # statements behind it
    sections: int  # distinct sections those statements came from
    evidence: list[str]  # segment ids
    themes: list[str] = field(default_factory=list)
    source_text: str = ""  # the statement the wording was drafted from


@dataclass
class HeadingPlan:
    code: str
    heading: str
    recommendations: list[Recommendation] = field(default_factory=list)
    note: str | None = None  # said plainly when evidence is thin
