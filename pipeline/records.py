"""The data model: plain records passed from one pipeline stage to the next.

A statement's journey: ingest makes a Segment; embed gives it a vector; coding
gives it CodeAssignments; themes put it in a Theme; rank orders the themes; and
recommend cites its id in a Recommendation's evidence. The whole result of a
run is one Analysis.

Records are frozen: a stage never edits the records it is given, it returns new
ones (`dataclasses.replace(segment, codes=...)`), so any earlier state can be
kept and compared safely. IngestReport and DroppedLine are the exception: they
are reports ingest fills in while reading a file, not records passed on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:  # annotations only: records sit below every other layer
    import numpy as np

    from .codebook import Codebook
    from .errors import InputError

UNCLUSTERED = "unclustered"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Event:
    """A named gathering (assembly, panel, consultation) whose documents are analysed together."""

    name: str
    date: str | None = None  # ISO date or year, as given
    place: str | None = None
    type: str | None = None  # assembly | workshop | panel | interview | consultation | survey ...
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CodeAssignment:
    code: str
    score: float
    by: str = "tool"  # tool | person


@dataclass
class DroppedLine:
    """A line ingest left out, and why, so the ingest report can account for it."""

    line: int
    reason: str  # roster | contents | contact | page_furniture | footnote | table | fragment | empty |
    # empty_bullet | duplicate | attribution | title | date_venue | note_taker | welcome | ground_rules |
    # agenda | next_steps | byline (the last eight: not participants' views, ingest/nonview.py) | formula_no_value | sheet_skipped
    text: str
    sheet: str | None = None  # the sheet, in a workbook read sheet by sheet (rows are numbered per sheet)


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
            "dropped_lines": [{k: v for k, v in asdict(d).items() if v is not None or k != "sheet"}
                              for d in self.dropped],
            "sections": self.sections,
            "questions": self.questions,
            "notes": self.notes,
            "format": self.format,
            "redactions": dict(sorted(self.redactions.items())),
            "lines": self.lines,
        }


@dataclass(frozen=True)
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


CHECK_HEADING = "check heading"  # a recommendation's mark when the coder barely preferred its heading
CHECK_WORDING = "check wording"  # its mark when the draft is the source's own words, not a shaped action


@dataclass(frozen=True)
class Recommendation:
    text: str
    support: int  # statements behind it
    sections: int  # distinct sections those statements came from
    evidence: list[str]  # segment ids
    themes: list[str] = field(default_factory=list)
    source_text: str = ""  # the statement the wording was drafted from
    events: int = 1  # distinct events those statements came from
    heading_score: float | None = None  # the coder's mean score of the evidence for this heading
    heading_margin: float | None = None  # that score minus the next heading's; small means a guess
    flags: list[str] = field(default_factory=list)  # CHECK_HEADING, CHECK_WORDING, "check spelling: w"
    edits: list[str] = field(default_factory=list)  # repairs made to the source words ("colleg → college")
    rule: str = ""  # the wording rule that shaped the text (recommend.rules), "own_words" when none did
    style: list[str] = field(default_factory=list)  # style-check rules the text breaks (recommend.style)


@dataclass(frozen=True)
class HeadingPlan:
    code: str
    heading: str
    recommendations: list[Recommendation] = field(default_factory=list)
    note: str | None = None  # said plainly when evidence is thin
    more: list[Recommendation] = field(default_factory=list)  # ranked below the plan's cut (MAX_PER_HEADING)


@dataclass(frozen=True)
class Analysis:
    """Everything one analysis produced: what `pipeline.analyse` returns and a run folder holds.

    `segments` are in ingest order and `vectors` is their (n_statements, dimensions) float32 matrix of
    unit rows, in the same order. `themes` are by rank, "unclustered" last; `plans` one per action
    heading, in codebook order. `settings` is the `pipeline.api.Settings` used.
    """

    settings: Any
    inputs: list[str]
    codebook: Codebook
    segments: list[Segment]
    vectors: np.ndarray
    themes: list[Theme]
    plans: list[HeadingPlan]
    reports: list[IngestReport] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    model_id: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    embed_stats: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)  # OverrideReport.to_dict() when a person's codes were applied
    sources: list = field(default_factory=list)  # ingest's SourceFile per document (redacted text, sha256)
    fit: dict = field(default_factory=dict)  # codebook fit diagnostics (coding.fit.codebook_fit), run.json "codebook_fit"


@dataclass(frozen=True)
class Support:
    """How many statements stand behind a theme or recommendation, counted two ways.

    `total` counts every statement; `distinct` counts different wordings once (case, spacing and punctuation
    ignored), so a campaign's template text pasted by 500 respondents is 500 total but 1 distinct; `campaign`
    is how many of them ingest marked as identical answers given by several respondents
    (`attributes["campaign"]`, see ingest/readers/tables.py).
    """

    total: int
    distinct: int
    campaign: int

    @property
    def is_campaign(self) -> bool:
        """Most of the support is one template text repeated: report it as a campaign, not as breadth."""
        return self.campaign * 2 > self.total and self.distinct * 2 <= self.total


def support_of(ids: "Sequence[str]", by_id: "Mapping[str, Segment]") -> Support:
    """Support of the statements `ids` (ids missing from `by_id` are not counted)."""
    segments = [by_id[i] for i in ids if i in by_id]
    wordings = {" ".join("".join(ch for ch in s.text.casefold() if ch.isalnum() or ch.isspace()).split())
                for s in segments}
    return Support(total=len(segments), distinct=len(wordings),
                   campaign=sum(1 for s in segments if s.attributes.get("campaign")))
