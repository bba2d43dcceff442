"""One reader per input format, registered by file suffix.

A reader is `read(path, event, text_column, report) -> Read`: it fills in the
file's IngestReport (dropped lines, sections, questions, encoding, lines read)
and returns the file's Segments, plus the file's text when the format is text.
`ingest_file` checks size and content type before calling it.

Adding a format is one module here that calls `register(...)` at import, and
one line importing it at the bottom of this file.
"""
from __future__ import annotations

from .registry import READERS, Read, Reader, ReadFn, register

__all__ = ["READERS", "Read", "Reader", "ReadFn", "register"]

from . import docx, jsonl, pdf, tables, text  # noqa: E402,F401  (each registers its suffixes)
