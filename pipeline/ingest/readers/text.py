"""Plain-text and Markdown notes (.txt, .text, .md, .markdown): the notes parser over the file's lines."""
from __future__ import annotations

import sys
from pathlib import Path

from ...records import IngestReport
from ..notes import parse_notes
from ..transcripts import transcript_segments
from ..sniff import read_text
from .registry import Read, register

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")


def read_notes(path: Path, event: str, text_column, report: IngestReport) -> Read:
    """The file's statements, and its whole text (kept, redacted, for the run folder and exports)."""
    text, report.encoding = read_text(path, max_bytes=sys.maxsize)  # ingest_file checked the size
    report.lines["read"] = sum(1 for line in text.splitlines() if line.strip())
    turns = transcript_segments(list(enumerate(text.splitlines(), start=1)), path.name, event, report)
    if turns is not None:  # an interview or focus-group transcript: speaker turns, not notes
        return Read(turns, text)
    segments, parsed = parse_notes(text, path.name, event)
    report.dropped, report.sections, report.questions = parsed.dropped, parsed.sections, parsed.questions
    report.structure_lines = parsed.structure_lines
    report.lines["read"] = sum(1 for line in text.splitlines() if line.strip())
    return Read(segments, text)


register((".txt", ".text"), read_notes, "text", "text")
register((".md", ".markdown"), read_notes, "markdown", "text")
