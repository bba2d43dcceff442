"""The shape of a survey export: which row is the header, which rows are answers, which columns are
questions, tool metadata or personal data. Pure functions over rows of cells (lists), used by `tables`.

Export shapes recognised (documented from public exports and parsers; samples in tests/data/surveys/):
- Qualtrics CSV: row 1 short names (StartDate, EndDate, Status, IPAddress, Progress, Duration (in seconds),
  Finished, RecordedDate, ResponseId, RecipientLastName, RecipientFirstName, RecipientEmail,
  ExternalReference, LocationLatitude, LocationLongitude, DistributionChannel, UserLanguage, Q1, Q2_TEXT...),
  row 2 the question text shown to people, row 3 `{"ImportId":"QID1"}` per column; answers from row 4.
- SurveyMonkey CSV/XLSX: row 1 "Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address,
  First Name, Last Name, Custom Data 1", then one column per question (a question's later columns have an
  empty row-1 cell); row 2 the sub-answer ("Response", "Open-Ended Response", an option's text).
- Microsoft Forms: "ID, Start time, Completion time, Email, Name[, Last modified time]", then one column per
  question (Email and Name read "anonymous" when the form does not record them).
- Google Forms: "Timestamp[, Email Address][, Score]", then one column per question.
- Anything else: the header is the first row that fills most of the table's width with short distinct
  labels (a title or a note above it is skipped), or the row given with --header-row.
Tool metadata columns are never statements or attributes; personal columns (name, e-mail, phone, address,
postcode, IP address, location, date of birth) are never copied into any output.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

QUALTRICS_META = {"startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)", "finished",
                  "recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail",
                  "externalreference", "externaldatareference", "locationlatitude", "locationlongitude",
                  "distributionchannel", "userlanguage", "q_recaptchascore", "q_relevantidduplicate"}
SURVEYMONKEY_META = {"respondent id", "collector id", "start date", "end date", "ip address", "email address",
                     "first name", "last name", "custom data 1", "custom data", "custom data 2"}
MSFORMS_META = {"id", "start time", "completion time", "email", "name", "last modified time", "total points",
                "quiz feedback"}
GOOGLE_META = {"timestamp", "email address", "score"}
PERSONAL_HEADER_RE = re.compile(
    r"\b(?:names?|first ?name|last ?name|surname|forename|full ?name|e-?mail(?: address)?|phone|telephone|mobile|"
    r"tel|contact number|(?:home |postal |street )?address|post ?code|zip|ip(?: address)?|ipaddress|"
    r"location ?(?:latitude|longitude)|latitude|longitude|date of birth|dob|birth ?date|nhs (?:no|number)|"
    r"ni number|national insurance)\b", re.I)
NOT_PERSONAL_RE = re.compile(r"organi[sz]ation|group|company|charity|team|event|project|area|ward|school|service|"
                             r"venue|street name|place|site|\?", re.I)


def filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


def personal_header(header: str) -> bool:
    """A column whose header names personal data. Only short labels count: a question that mentions a word
    ("What is the name of your group?") is a question."""
    h = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header)).replace("_", " ").strip()
    if len(h.split()) > 4 or NOT_PERSONAL_RE.search(h):
        return False
    return bool(PERSONAL_HEADER_RE.search(h))


def find_header_row(rows: list[list], max_scan: int = 30) -> int:
    """Index of the header row: the first row (of the first `max_scan`) whose filled cells are short distinct
    texts filling at least half the table's width, with a row of data after it. A title or a note above the
    table fills one cell and is skipped. 0 when no row qualifies."""
    width = max((sum(1 for c in r if filled(c)) for r in rows[:max_scan + 1]), default=0)
    for i, row in enumerate(rows[:max_scan]):
        cells = [c for c in row if filled(c)]
        if len(cells) < max(2, (width + 1) // 2):
            continue
        if not all(isinstance(c, str) and len(c) <= 250 for c in cells):
            continue
        if len({str(c).strip().lower() for c in cells}) < len(cells):
            continue
        if any(any(filled(c) for c in r) for r in rows[i + 1:]):
            return i
    return 0


def table_end(rows: list[list], first_data: int) -> int:
    """Index one past the response table's last row: it ends at the first empty row after some data (a summary
    table further down the sheet is not responses)."""
    seen = False
    for i in range(first_data, len(rows)):
        if any(filled(c) for c in rows[i]):
            seen = True
        elif seen:
            return i
    return len(rows)


@dataclass(frozen=True)
class Layout:
    """How a survey export is laid out (0-based rows and columns)."""

    tool: str  # qualtrics | surveymonkey | msforms | googleforms | table
    header_row: int
    first_data_row: int
    headers: list[str]  # per column: the name to show (question text where the export gives it)
    metadata: list[int] = field(default_factory=list)  # tool columns (dates, progress, ids): never statements
    personal: list[int] = field(default_factory=list)  # never copied into outputs
    id_column: int | None = None  # the respondent id, when the tool has one

    @property
    def label(self) -> str:
        return {"qualtrics": "Qualtrics export", "surveymonkey": "SurveyMonkey export",
                "msforms": "Microsoft Forms export", "googleforms": "Google Forms export"}.get(self.tool, "table")


def _text(c) -> str:
    return " ".join(str(c).split()) if filled(c) else ""


def survey_layout(rows: list[list], header_row: int | None = None) -> Layout:
    """Recognise a survey tool's export from its first rows; `header_row` (0-based) overrides the search."""
    h = find_header_row(rows) if header_row is None else header_row
    head = [_text(c) for c in rows[h]] if h < len(rows) else []
    low = [c.lower() for c in head]
    nxt = [_text(c) for c in rows[h + 1]] + [""] * len(head) if h + 1 < len(rows) else [""] * len(head)
    after = rows[h + 2] if h + 2 < len(rows) else []
    personal = [i for i, c in enumerate(head) if c and personal_header(c)]

    def meta(names: set[str]) -> list[int]:
        return [i for i, c in enumerate(low) if c in names]

    import_row = any('"importid"' in str(c).lower() for c in after)
    if sum(c in QUALTRICS_META for c in low) >= 3 or import_row:
        md = meta(QUALTRICS_META)
        headers = [nxt[i] or head[i] for i in range(len(head))]  # row 2: the question as people saw it
        personal = sorted(set(personal) | {i for i in md if personal_header(head[i]) or personal_header(nxt[i])})
        return Layout("qualtrics", h, h + (3 if import_row else 2), headers, md, personal,
                      low.index("responseid") if "responseid" in low else None)
    if sum(c in SURVEYMONKEY_META for c in low) >= 3:
        md = meta(SURVEYMONKEY_META)
        sub = nxt[:len(head)]
        two_rows = not any(sub[i] for i in md) and any(sub)  # row 2 labels answers, not a respondent
        headers, current = [], ""
        for i, name in enumerate(head):
            current = name or current  # a question's later columns have no row-1 text
            label = sub[i] if two_rows else ""
            if i in md or not label or label.lower() in ("response", "open-ended response"):
                headers.append(name if i in md else current)
            else:
                headers.append(f"{current} - {label}")
        return Layout("surveymonkey", h, h + (2 if two_rows else 1), headers, md, personal,
                      low.index("respondent id") if "respondent id" in low else None)
    if {"id", "start time", "completion time"} <= set(low):
        md = meta(MSFORMS_META)
        personal = sorted(set(personal) | {low.index(x) for x in ("email", "name") if x in low})
        return Layout("msforms", h, h + 1, head, md, personal, low.index("id"))
    if low and low[0] == "timestamp":
        md = meta(GOOGLE_META)
        personal = sorted(set(personal) | ({low.index("email address")} if "email address" in low else set()))
        return Layout("googleforms", h, h + 1, head, md, personal, None)
    return Layout("table", h, h + 1, head, [], personal, None)


# --------------------------------------------------------------------------- formula cells
LITERAL_FORMULA_RE = re.compile(r'^=\s*(?:CONCATENATE\s*\((?P<args>.*)\)|(?P<expr>".*"))\s*$', re.S | re.I)
STRING_RE = re.compile(r'"((?:[^"]|"")*)"')


def literal_formula_value(formula: str) -> str | None:
    """The value of a formula made only of string literals (="a", ="a"&"b", =CONCATENATE("a", "b")), else
    None: any other formula needs the value Excel saved with the file."""
    m = LITERAL_FORMULA_RE.match(str(formula))
    if not m:
        return None
    body = m.group("args") if m.group("args") is not None else m.group("expr")
    sep = r"\s*,\s*" if m.group("args") is not None else r"\s*&\s*"
    parts = STRING_RE.findall(body)
    if re.sub(sep, "|", body.strip()) != "|".join(f'"{p}"' for p in parts):
        return None  # a cell reference or a function inside: not a literal
    return "".join(p.replace('""', '"') for p in parts)
