"""What a file is, judged by its bytes: size checks, type sniffing, and reading text in the right encoding.

Every reader starts here, so a Word file renamed `.txt`, a password-protected
workbook or a UTF-16 export from Excel gets the same clear message whatever
its extension says.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # refuse bigger files unless --max-mb raises it
# what people most often try instead, and what to do about it
UNSUPPORTED = {
    ".doc": "an old-style Word file: open it in Word or LibreOffice and save it as .docx",
    ".xls": "an old-style Excel file: save it as .xlsx or .csv",
    ".ppt": "a PowerPoint file: save it as PDF", ".pptx": "a PowerPoint file: save it as PDF",
    ".odt": "an OpenDocument text: save it as .docx", ".ods": "an OpenDocument sheet: save it as .xlsx",
    ".rtf": "a rich-text file: save it as .docx or .txt", ".pages": "a Pages file: export it as .docx",
    ".numbers": "a Numbers file: export it as .xlsx or .csv",
}
# what a file's first bytes say it is
KIND_NAMES = {"pdf": "a PDF", "docx": "a Word document (.docx)", "xlsx": "an Excel workbook (.xlsx)",
              "pptx": "a PowerPoint file", "odf": "an OpenDocument file", "zip": "a zip archive",
              "ole": "an old-style or password-protected Office file", "text": "plain text",
              "binary": "binary data", "damaged-zip": "a damaged Office file (a truncated or corrupt zip)"}
KIND_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "text": ".txt"}


def utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit in every other position, as UTF-16 English text has them."""
    head = raw[:4096]
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        guess, low = "utf-16-le", even
    elif even_nul > 0.3 and odd_nul < 0.05:
        guess, low = "utf-16-be", odd
    else:
        return None
    # the other half must read as text: mostly printable characters, not control bytes
    printable = sum(1 for b in low if b >= 0x20 or b in (9, 10, 13))
    return guess if printable >= 0.9 * len(low) else None


def check_size(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Refuse missing files, folders, 0-byte files and files over the size limit; returns the size."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder; pass the files inside it, or the folder to 'plenary run'")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "file is empty (0 bytes)")
    if size > max_bytes:
        mb = 1024 * 1024  # the limit is set in MB of 1024 x 1024 bytes (--max-mb 50 = 52,428,800 bytes)
        raise InputError(path, f"file is {size / mb:.1f} MB, over the {max_bytes / mb:g} MB limit "
                               "(raise it with --max-mb)")
    return size


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read a text file, returning (text, encoding). Refuses what is not text.

    UTF-8 (with or without a BOM), UTF-16 (with or without a BOM) and
    Windows-1252 are recognised; the encoding used is returned so the ingest
    report can say so.
    """
    check_size(path, max_bytes)
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "file starts with a UTF-16 mark but is not valid UTF-16") from None
    elif b"\x00" in raw[:8192]:
        guess = utf16_without_bom(raw)
        try:
            text, encoding = raw.decode(guess), guess  # type: ignore[arg-type]
        except (TypeError, UnicodeDecodeError):
            raise InputError(path, "looks like a binary file, not text (it contains NUL bytes)") from None
    elif raw.startswith(b"%PDF") or raw.startswith(b"PK\x03\x04"):
        raise InputError(path, "looks like a PDF or Office file, not text; save it as .txt or use the "
                               "matching extension")
    else:
        try:
            text, encoding = raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            bad_line = raw[: exc.start].count(b"\n") + 1
            try:
                text = raw.decode("cp1252")
                encoding = f"cp1252 (not valid UTF-8 from line {bad_line}; read as Windows-1252)"
            except UnicodeDecodeError:
                raise InputError(path, "is neither UTF-8 nor Windows-1252 text; save it as UTF-8", bad_line) from None
    if not text.strip():
        raise InputError(path, "file is empty")
    return text, encoding


def sniff(path: Path) -> str:
    """What the file holds, judged by its content: pdf | docx | xlsx | pptx | odf | zip | ole | text | binary
    | damaged-zip."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # .doc/.xls, or a password-protected .docx/.xlsx (Office encrypts into this container)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return "damaged-zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
        if "mimetype" in names and "content.xml" in names:
            return "odf"
        return "zip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head and utf16_without_bom(head)):
        return "text"
    if b"\x00" in head:
        return "binary"
    return "text"


def check_kind(path: Path, expected: str) -> None:
    """Refuse a file whose content is not what its extension says (a .docx that is really a PDF...)."""
    kind = sniff(path)
    if kind == expected:
        return
    named = f"is named '{path.suffix}' but holds {KIND_NAMES.get(kind, kind)}"
    if kind == "binary":
        raise InputError(path, "looks like a binary file, not text or a document (it contains NUL bytes)")
    if kind == "damaged-zip":
        raise InputError(path, "is damaged: it is not a complete Office file (the zip archive is truncated or "
                               "corrupt); open it and save it again")
    if kind == "ole" and expected in ("docx", "xlsx"):
        raise InputError(path, "is password-protected (or an old .doc/.xls renamed); remove the password or "
                               f"save it again as {KIND_SUFFIX[expected]}")
    if kind in KIND_SUFFIX:
        raise InputError(path, f"{named}; rename it to '{KIND_SUFFIX[kind]}'")
    raise InputError(path, f"{named}, which Plenary cannot read")
