"""REFI-QDA projects (.qdpx): a finished run out to QDA software, and a project read back.

A .qdpx is a zip holding project.qde (namespace urn:QDA-XML:project:1.0) and
the sources. Each source is stored as plain text and each coded statement is a
PlainTextSelection over it (zero-based character positions, end exclusive),
with one Coding per code and a CodeRef to the code's GUID. Codes a person set
(overrides) are made by a second user, so the other program shows who coded what.

The source text is the one the run kept (`rundir.stored_sources`): redacted at
ingest exactly as the report and segments.jsonl are, never re-read and
redacted again. GUIDs are UUID5s of what they name, so exports are reproducible.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from lxml import etree

from .. import __version__
from ..codebook import Codebook
from ..errors import InputError
from ..files import write_bytes_atomic
from . import rundir
from .refi import (CODEBOOK_NS, PROJECT_NS, SCHEMA, code_guid, codebook_from_element, codes_into, guid, parse_xml,
                   read_qdc, sets_into)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}  # sources a run of schema 0 can give as they were
TOOL_USER = "Plenary (automatic coding)"
PERSON_USER = "Researcher (overrides)"

# --------------------------------------------------------------------------- run -> .qdpx
@dataclass
class SourceText:
    name: str
    text: str
    from_file: bool  # False: rebuilt from the statements, one per line (the original was not plain text)


def _locate(text: str, line_starts: list[int], seg: dict) -> tuple[int, int] | None:
    """Character span of a statement in its source: searched inside its own lines, whitespace-tolerant."""
    first = max(seg["line_start"] - 1, 0)
    # a sentence may run on past a footnote or page break: look a few lines further than line_end
    last = min(max(seg.get("line_end") or seg["line_start"], seg["line_start"]) + 3, len(line_starts) - 1)
    lo = line_starts[first] if first < len(line_starts) else len(text)
    hi = line_starts[last + 1] if last + 1 < len(line_starts) else len(text)
    window = text[lo:hi]
    body = seg["text"]
    at = window.find(body)
    if at >= 0:
        return lo + at, lo + at + len(body)
    words = re.findall(r"\S+", body)
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, window)
    if m:
        return lo + m.start(), lo + m.end()
    # ingest tidied the text (markdown emphasis, quotes, dashes): match on letters and digits alone
    in_tag = {i for m in re.finditer(r"<[^<>\n]{1,40}>", window) for i in range(m.start(), m.end())}
    keep = [i for i, ch in enumerate(window) if ch.isalnum() and i not in in_tag]
    skeleton = "".join(window[i] for i in keep).lower()
    wanted = "".join(ch for ch in body if ch.isalnum()).lower()
    at = skeleton.find(wanted) if wanted else -1
    if at >= 0:
        start, end = keep[at], keep[at + len(wanted) - 1] + 1
        # take back the punctuation the statement starts or ends with ("Grants." keeps its full stop)
        head, tail = re.match(r"[^\w\s]*", body).group(), re.search(r"[^\w\s]*$", body).group()
        if head and window[max(start - len(head), 0):start] == head:
            start -= len(head)
        if tail and window[end:end + len(tail)] == tail:
            end += len(tail)
        return lo + start, lo + end
    # not found: fall back on the statement's own lines, without the bullet marker
    hi = line_starts[seg.get("line_end") or seg["line_start"]] if (seg.get("line_end") or seg["line_start"]) < len(
        line_starts) else len(text)
    window = text[lo:hi]
    stripped = re.match(r"\s*(?:[-*•·–]\s+|\d+[.)]\s+)?", window)
    start = lo + (stripped.end() if stripped else 0)
    end = lo + len(window.rstrip())
    return (start, end) if end > start else None


def source_texts(segments: Sequence[dict], stored: dict[str, str],
                 statements_only: bool = False) -> dict[str, SourceText]:
    """Each source's text: the text the run analysed and kept (`stored`: redacted as its statements
    were), else the statements themselves, one per line."""
    out: dict[str, SourceText] = {}
    for name in dict.fromkeys(s["source"] for s in segments):
        if not statements_only and name in stored:
            out[name] = SourceText(name, stored[name], True)
            continue
        rebuilt = "\n".join(s["text"] for s in segments if s["source"] == name) + "\n"
        out[name] = SourceText(name, rebuilt, False)
    return out


def legacy_sources(record: dict) -> dict[str, str]:
    """The original text files of a run folder written before runs kept their sources (schema 0).

    Only when that run did not redact: the analysed text was then the file
    itself. A redacting run's originals are not read again, since redacting
    them now could differ from what the run hid; its statements stand in.
    """
    if (record.get("settings") or {}).get("redact", True):
        return {}
    from ..ingest import expand_paths, read_text

    out: dict[str, str] = {}
    for p in record.get("inputs") or []:
        try:
            files = expand_paths([p])
        except InputError:
            continue
        for f in files:
            if f.name in out or not f.is_file() or f.suffix.lower() not in TEXT_SUFFIXES:
                continue
            try:
                out[f.name] = read_text(f)[0]
            except (InputError, OSError):
                pass
    return out


@dataclass
class Selection:
    segment: str
    source: str
    start: int
    end: int
    codes: list[tuple[str, float | None, str]]  # (code id, score, by)


def selections(segments: Sequence[dict], sources: dict[str, SourceText]) -> tuple[list[Selection], list[str]]:
    """Coded statements as character spans; returns (selections, ids that could not be placed)."""
    out, lost = [], []
    starts: dict[str, list[int]] = {}
    cursor: dict[str, int] = {}
    for seg in segments:
        if not seg.get("codes"):
            continue
        src = sources[seg["source"]]
        codes = [(c["code"], c.get("score"), c.get("by", "tool")) for c in seg["codes"]]
        if src.from_file:
            if src.name not in starts:
                starts[src.name] = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", src.text)]
            span = _locate(src.text, starts[src.name], seg)
        else:
            at = src.text.find(seg["text"] + "\n", cursor.get(src.name, 0))
            span = (at, at + len(seg["text"])) if at >= 0 else None
            if at >= 0:
                cursor[src.name] = at + len(seg["text"])
        if span is None:
            lost.append(seg["id"])
            continue
        out.append(Selection(seg["id"], src.name, span[0], span[1], codes))
    return out, lost


def project_xml(codebook: Codebook, segments: Sequence[dict], sources: dict[str, SourceText], name: str,
                created: str | None = None) -> tuple[bytes, list[str]]:
    """project.qde for a coded run; returns (XML bytes, ids of coded statements that could not be placed)."""
    ns = PROJECT_NS
    stamp = created or "2000-01-01T00:00:00Z"
    tool_user, person_user = guid("user", "plenary"), guid("user", "person")
    root = etree.Element(f"{{{ns}}}Project", {"name": name, "origin": f"Plenary {__version__}",
                                              "creatingUserGUID": tool_user, "creationDateTime": stamp},
                         nsmap={None: ns})
    users = etree.SubElement(root, f"{{{ns}}}Users")
    etree.SubElement(users, f"{{{ns}}}User", {"guid": tool_user, "name": TOOL_USER})
    etree.SubElement(users, f"{{{ns}}}User", {"guid": person_user, "name": PERSON_USER})
    book = etree.SubElement(root, f"{{{ns}}}CodeBook")
    codes_into(book, ns, codebook, plain=False)
    chosen, lost = selections(segments, sources)
    by_source: dict[str, list[Selection]] = {}
    for sel in chosen:
        by_source.setdefault(sel.source, []).append(sel)
    src_el = etree.SubElement(root, f"{{{ns}}}Sources")
    for src in sources.values():
        sg = guid("source", name, src.name)
        el = etree.SubElement(src_el, f"{{{ns}}}TextSource", {
            "guid": sg, "name": src.name, "plainTextPath": f"internal://{sg}.txt",
            "creatingUser": tool_user, "creationDateTime": stamp})
        if not src.from_file:
            etree.SubElement(el, f"{{{ns}}}Description").text = (
                "Rebuilt by Plenary from the statements it read (one per line); the original was not plain text.")
        for sel in by_source.get(src.name, []):
            person = any(by == "person" for _, _, by in sel.codes)
            user = person_user if person else tool_user
            s_el = etree.SubElement(el, f"{{{ns}}}PlainTextSelection", {
                "guid": guid("selection", name, sel.segment), "name": sel.segment,
                "startPosition": str(sel.start), "endPosition": str(sel.end),
                "creatingUser": user, "creationDateTime": stamp})
            scores = ", ".join(f"{c} {s:.2f}" if isinstance(s, (int, float)) else c for c, s, _ in sel.codes)
            etree.SubElement(s_el, f"{{{ns}}}Description").text = (
                f"Plenary statement {sel.segment}; coded by {'a person' if person else 'the tool'} ({scores})")
            for code, _, by in sel.codes:
                if code not in codebook:
                    continue
                c_el = etree.SubElement(s_el, f"{{{ns}}}Coding", {
                    "guid": guid("coding", name, sel.segment, code),
                    "creatingUser": person_user if by == "person" else tool_user, "creationDateTime": stamp})
                etree.SubElement(c_el, f"{{{ns}}}CodeRef", {"targetGUID": code_guid(codebook, code)})
    sets_into(root, ns, codebook)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), lost


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in entries.items():
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))  # fixed, so exports are reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


@dataclass
class QdpxExport:
    path: Path
    sources: int
    selections: int
    codings: int
    unplaced: list[str]
    rebuilt: list[str]  # sources stored as their statements, not the original file


def export_run_qdpx(run_dir: str | Path, out: str | Path, codebook: Codebook | None = None,
                    statements_only: bool = False) -> QdpxExport:
    """A finished run (read through `rundir`) as a .qdpx project.

    Each text source is the text the run kept in its folder, redacted exactly as
    the report is; other sources (and every source with `statements_only`) are
    the run's statements, one per line.
    """
    from ..codebook import load_codebook

    run_dir = Path(run_dir)
    if not (run_dir / "run.json").exists():
        raise InputError(run_dir, "is not a finished run folder (no run.json)")
    record = rundir.read_run_json(run_dir)
    segments = rundir.read_segment_rows(run_dir)
    if not segments:
        raise InputError(run_dir / "segments.jsonl", "holds no coded statements")
    if codebook is None:
        path = (record.get("codebook") or {}).get("path")
        codebook = read_qdc(path) if path and Path(path).suffix.lower() == ".qdc" else load_codebook(path)
    unknown = sorted({c["code"] for s in segments for c in s.get("codes") or []} - {c.id for c in codebook.codes})
    if unknown:
        raise InputError(run_dir / "segments.jsonl", f"codes {', '.join(unknown)} are not in codebook "
                                                     f"{codebook.path or codebook.name}; pass the run's codebook")
    stored = rundir.stored_sources(run_dir, record) if record["schema_version"] >= 1 else legacy_sources(record)
    sources = source_texts(segments, stored, statements_only=statements_only)
    name = record.get("name") or run_dir.name
    xml, lost = project_xml(codebook, segments, sources, name, record.get("created"))
    entries = {"project.qde": xml}
    for src in sources.values():
        entries[f"sources/{guid('source', name, src.name)}.txt"] = src.text.encode("utf-8")
    out = write_bytes_atomic(out, _zip_bytes(entries))
    root = etree.fromstring(xml)
    n_sel = len(root.findall(f".//{{{PROJECT_NS}}}PlainTextSelection"))
    n_cod = len(root.findall(f".//{{{PROJECT_NS}}}Coding"))
    return QdpxExport(out, len(sources), n_sel, n_cod, lost, [s.name for s in sources.values() if not s.from_file])


# --------------------------------------------------------------------------- .qdpx -> data
@dataclass
class ParsedSelection:
    name: str
    source: str
    start: int
    end: int
    text: str
    codes: list[str]  # code ids
    users: list[str]  # user names who made the codings


@dataclass
class ParsedProject:
    name: str
    codebook: Codebook
    sources: dict[str, str]  # source name -> text
    selections: list[ParsedSelection]


def read_qdpx(path: str | Path) -> ParsedProject:
    """Read a .qdpx back: its codebook, source texts and coded selections (text cut from the source)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "project file not found")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError(path, "is not a .qdpx project (not a zip file)") from None
    with z:
        names = set(z.namelist())
        if "project.qde" not in names:
            raise InputError(path, "is not a .qdpx project (no project.qde inside)")
        root = parse_xml(path, z.read("project.qde"), "REFI-QDA project (project.qde)")
        ns = PROJECT_NS
        if root.tag != f"{{{ns}}}Project":
            raise InputError(path, f"project.qde's root is <{etree.QName(root).localname}>, expected <Project>")
        users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{ns}}}User")}
        book_el = root.find(f"{{{ns}}}CodeBook")
        if book_el is None:
            raise InputError(path, "project.qde has no CodeBook")
        codebook, by_guid = codebook_from_element(path, book_el, ns, root.get("name") or path.stem)
        sources: dict[str, str] = {}
        out: list[ParsedSelection] = []
        for src in root.iter(f"{{{ns}}}TextSource"):
            name = src.get("name") or src.get("guid")
            rel = src.get("plainTextPath") or ""
            inner = rel.replace("internal://", "sources/", 1) if rel.startswith("internal://") else rel
            if inner in names:
                text = z.read(inner).decode("utf-8")
            else:
                content = src.find(f"{{{ns}}}PlainTextContent")
                text = content.text if content is not None and content.text else ""
            sources[name] = text
            for sel in src.findall(f"{{{ns}}}PlainTextSelection"):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                codings = sel.findall(f"{{{ns}}}Coding")
                codes = [by_guid.get((c.find(f"{{{ns}}}CodeRef").get("targetGUID") or "").strip("{}").upper(), "?")
                         for c in codings]
                out.append(ParsedSelection(sel.get("name") or sel.get("guid"), name, start, end, text[start:end],
                                           codes, [users.get(c.get("creatingUser"), "?") for c in codings]))
    return ParsedProject(root.get("name") or path.stem, codebook, sources, out)


def check_qdpx(path: str | Path) -> dict[str, Any]:
    """Read a .qdpx and check what another program relies on: its codebook part is valid against
    the REFI-QDA codebook schema, every Coding points at a code, every selection lies inside its
    source text. Raises InputError on the first problem; returns counts."""
    import xmlschema

    path = Path(path)
    project = read_qdpx(path)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    book_el = root.find(f"{{{PROJECT_NS}}}CodeBook")
    # the project's CodeBook is the codebook schema's, in the project namespace
    as_codebook = etree.fromstring(etree.tostring(book_el).replace(PROJECT_NS.encode(), CODEBOOK_NS.encode()))
    schema = xmlschema.XMLSchema(str(SCHEMA))
    for error in schema.iter_errors(as_codebook):
        raise InputError(path, f"its CodeBook is not valid REFI-QDA: {error.reason}")
    for sel in project.selections:
        if "?" in sel.codes:
            raise InputError(path, f"selection '{sel.name}' has a Coding whose CodeRef names no code")
        if not 0 <= sel.start <= sel.end <= len(project.sources.get(sel.source, "")):
            raise InputError(path, f"selection '{sel.name}' lies outside its source text "
                                   f"({sel.start}-{sel.end} of {len(project.sources.get(sel.source, ''))})")
    return {"name": project.name, "codes": len(project.codebook.codes), "sources": len(project.sources),
            "selections": len(project.selections), "codings": sum(len(s.codes) for s in project.selections)}
