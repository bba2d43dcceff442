"""The reader registry: what a reader returns (`Read`), and the readers by file suffix (`READERS`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ...records import IngestReport, Segment


@dataclass(frozen=True)
class Read:
    """What a reader returns: the statements, and the text they were read from (text formats only)."""

    segments: list[Segment]
    text: str | None = None


ReadFn = Callable[[Path, str, "str | Sequence[str] | None", IngestReport], Read]


@dataclass(frozen=True)
class Reader:
    read: ReadFn
    format: str  # the name in the ingest report: text | markdown | docx | pdf | csv | xlsx | jsonl
    content: str  # what `sniff` must find in the file: text | docx | xlsx | pdf
    options: tuple[str, ...] = ()  # keyword options the reader takes beyond text_column (e.g. "header_row")


READERS: dict[str, Reader] = {}  # lower-case suffix with its dot -> reader


def register(suffixes: Sequence[str], read: ReadFn, format: str, content: str, options: Sequence[str] = ()) -> None:
    for suffix in suffixes:
        READERS[suffix.lower()] = Reader(read, format, content, tuple(options))
