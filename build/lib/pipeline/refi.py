"""REFI-QDA exchange: codebooks as .qdc, coded projects as .qdpx.

The Rotterdam Exchange Format Initiative's QDA-XML lets NVivo, ATLAS.ti,
MAXQDA, QualCoder and others exchange a codebook (.qdc, namespace
urn:QDA-XML:codebook:1.0) and a whole coded project (.qdpx: a zip holding
project.qde, namespace urn:QDA-XML:project:1.0, and the sources).

- Codes keep their hierarchy (nested Code elements), colour, description and
  whether they are codable; Plenary's own fields (id, heading, include/exclude,
  examples, keywords, threshold) ride along in the description after a
  "--- plenary ---" line, so codebook -> .qdc -> codebook loses nothing, and
  other programs show them as part of the description (`plain=True` leaves
  them out).
- Every GUID is a UUID5 of what it names, so exporting the same codebook or run
  twice gives byte-identical files.
- In a .qdpx, each source is stored as plain text and each coded statement is a
  PlainTextSelection over it (zero-based character positions, end exclusive),
  with one Coding per code and a CodeRef to the code's GUID. Codes a person
  set (overrides) are made by a second user, so the other program shows who
  coded what.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml
from lxml import etree

from . import __version__
from .codebook import Code, Codebook, CodeSet
from .errors import InputError
from .ingest import slug

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "refi-codebook-1.0.xsd"
GUID_NS = uuid.UUID("6f1c3c2e-8f5d-5b8e-9a64-3c1f2b7d0e11")  # Plenary's namespace for UUID5 GUIDs
EXTRA_MARK = "--- plenary ---"
EXTRA_FIELDS = ("id", "heading", "threshold", "include", "exclude", "examples", "counter_examples", "keywords")
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
TOOL_USER = "Plenary (automatic coding)"
PERSON_USER = "Researcher (overrides)"


def guid(*parts: str) -> str:
    """A deterministic GUID for a thing, in the 8-4-4-4-12 form REFI-QDA expects (upper case)."""
    return str(uuid.uuid5(GUID_NS, "\x1f".join(parts))).upper()


def code_guid(codebook: Codebook, code_id: str) -> str:
    return guid("code", codebook.name, code_id)


# --------------------------------------------------------------------------- codebook -> XML
def _description(code: Code, plain: bool) -> str:
    if plain:
        return code.description
    extra = {"id": code.id}
    for key in EXTRA_FIELDS[1:]:
        value = getattr(code, key)
        if value not in (None, [], ""):
            extra[key] = list(value) if isinstance(value, list) else value
    return f"{code.description}\n\n{EXTRA_MARK}\n" + yaml.safe_dump(extra, sort_keys=False, allow_unicode=True,
                                                                     width=100).rstrip()


def _code_element(parent: etree._Element, ns: str, codebook: Codebook, code: Code, plain: bool) -> None:
    attrs = {"guid": code_guid(codebook, code.id), "name": code.label, "isCodable": "true" if code.codable else "false"}
    if code.color:
        attrs["color"] = _six_digit(code.color)
    el = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
    etree.SubElement(el, f"{{{ns}}}Description").text = _description(code, plain)
    for child in codebook.children(code.id):
        _code_element(el, ns, codebook, child, plain)


def _six_digit(color: str) -> str:
    c = color.lstrip("#")
    return "#" + ("".join(ch * 2 for ch in c) if len(c) == 3 else c)


def _codes_into(parent: etree._Element, ns: str, codebook: Codebook, plain: bool) -> None:
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for code in codebook.codes:
        if code.parent is None:
            _code_element(codes, ns, codebook, code, plain)


def _sets_into(parent: etree._Element, ns: str, codebook: Codebook) -> None:
    if not codebook.sets:
        return
    sets = etree.SubElement(parent, f"{{{ns}}}Sets")
    for s in codebook.sets:
        el = etree.SubElement(sets, f"{{{ns}}}Set", {"guid": guid("set", codebook.name, s.name), "name": s.name})
        if s.description:
            etree.SubElement(el, f"{{{ns}}}Description").text = s.description
        for cid in s.codes:
            etree.SubElement(el, f"{{{ns}}}MemberCode", {"guid": code_guid(codebook, cid)})


def _origin(codebook: Codebook, plain: bool) -> str:
    """The origin attribute; the schema has no place for a codebook's name, version and description,
    so a full export appends them as JSON (other programs show origin as plain text, if at all)."""
    meta = {k: v for k, v in (("name", codebook.name), ("version", codebook.version),
                              ("description", codebook.description)) if v}
    return f"Plenary {__version__}" + ("" if plain or not meta else " " + json.dumps(meta, ensure_ascii=False))


def _meta_from_origin(origin: str | None) -> dict[str, str]:
    if not origin or not origin.startswith("Plenary ") or "{" not in origin:
        return {}
    try:
        meta = json.loads(origin[origin.index("{"):])
    except ValueError:
        return {}
    return {k: str(v) for k, v in meta.items() if k in ("name", "version", "description") and v} \
        if isinstance(meta, dict) else {}


def codebook_xml(codebook: Codebook, plain: bool = False) -> bytes:
    """The codebook as a .qdc document (valid against the REFI-QDA Codebook.xsd)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": _origin(codebook, plain)},
                         nsmap={None: CODEBOOK_NS})
    _codes_into(root, CODEBOOK_NS, codebook, plain)
    _sets_into(root, CODEBOOK_NS, codebook)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdc(codebook: Codebook, path: str | Path, plain: bool = False) -> Path:
    path = Path(path)
    _write_atomic(path, codebook_xml(codebook, plain))
    return path


# --------------------------------------------------------------------------- XML -> codebook
def _parse_xml(path: Path, data: bytes, what: str) -> etree._Element:
    if not data.strip():
        raise InputError(path, f"{what} is empty")
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else getattr(exc, "lineno", None)
        msg = re.sub(r",? line \d+(, column \d+)?", "", str(exc.msg or exc)).strip()
        raise InputError(path, f"is not a well-formed {what} (XML error: {msg}); was the export cut short?",
                         line) from None


def validate_codebook_xml(path: Path, root: etree._Element) -> None:
    """Check a .qdc against the REFI-QDA codebook schema; the first problem is reported with its line."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMA))
    for error in schema.iter_errors(root):
        elem = getattr(error, "elem", None)
        line = getattr(elem, "sourceline", None)
        reason = error.reason or str(error).splitlines()[0]
        raise InputError(path, f"is not a valid REFI-QDA codebook: {reason}", line)


def _split_description(text: str | None) -> tuple[str, dict[str, Any]]:
    text = (text or "").strip()
    if EXTRA_MARK not in text:
        return text, {}
    body, extra = text.split(EXTRA_MARK, 1)
    try:
        data = yaml.safe_load(extra) or {}
    except yaml.YAMLError:
        return text, {}
    return body.strip(), data if isinstance(data, dict) else {}


@dataclass
class ImportNotes:
    """What an import had to guess, for the researcher to check."""

    origin: str | None = None
    messages: list[str] = field(default_factory=list)


def codebook_from_element(path: Path, root: etree._Element, ns: str, name: str,
                          notes: ImportNotes | None = None) -> tuple[Codebook, dict[str, str]]:
    """Codes and Sets under `root` (a CodeBook element, or a Project's) -> (Codebook, GUID -> code id)."""
    notes = notes if notes is not None else ImportNotes()
    codes: list[Code] = []
    by_guid: dict[str, str] = {}
    used: set[str] = set()
    missing_description: list[str] = []

    def visit(el: etree._Element, parent: str | None) -> None:
        label = (el.get("name") or "").strip()
        g = (el.get("guid") or "").strip("{}").upper()
        if not label:
            raise InputError(path, "a Code has no name", el.sourceline, "name")
        desc_el = el.find(f"{{{ns}}}Description")
        description, extra = _split_description(desc_el.text if desc_el is not None else None)
        base = str(extra.get("id") or slug(label) or "code")
        cid, n = base, 2
        while cid in used or cid.lower() in ("none", "uncoded"):
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        if not description:
            missing_description.append(label)
            description = label
        code = Code(id=cid, label=label, description=description, parent=parent,
                    color=el.get("color"), codable=(el.get("isCodable", "true").strip().lower() in ("true", "1")),
                    line=el.sourceline)
        for key in EXTRA_FIELDS[1:]:
            if key in extra and extra[key] is not None:
                value = extra[key]
                try:
                    value = float(value) if key == "threshold" else value
                except (TypeError, ValueError):
                    raise InputError(path, f"code '{label}': threshold must be a number, got '{value}'",
                                     el.sourceline, "threshold") from None
                setattr(code, key, [str(v) for v in value] if isinstance(value, list) else value
                        if key == "threshold" else str(value))
        codes.append(code)
        if g:
            by_guid[g] = cid
        for child in el.findall(f"{{{ns}}}Code"):
            visit(child, cid)

    codes_el = root.find(f"{{{ns}}}Codes")
    for el in (codes_el.findall(f"{{{ns}}}Code") if codes_el is not None else []):
        visit(el, None)
    if not codes:
        raise InputError(path, "holds no codes")
    sets = []
    sets_el = root.find(f"{{{ns}}}Sets")
    for el in (sets_el.findall(f"{{{ns}}}Set") if sets_el is not None else []):
        members = []
        for m in el.findall(f"{{{ns}}}MemberCode"):
            g = (m.get("guid") or "").strip("{}").upper()
            if g not in by_guid:
                raise InputError(path, f"Set '{el.get('name')}' names a code GUID that is not in the codebook: {g}",
                                 m.sourceline, "guid")
            members.append(by_guid[g])
        desc_el = el.find(f"{{{ns}}}Description")
        sets.append(CodeSet(name=el.get("name") or "set", codes=members,
                            description=(desc_el.text or "").strip() or None if desc_el is not None else None))
    if missing_description:
        notes.messages.append(f"{len(missing_description)} code(s) had no description; the label stands in "
                              f"({', '.join(missing_description[:5])}{'…' if len(missing_description) > 5 else ''}). "
                              "Write a description for better automatic coding.")
    book = Codebook(codes=codes, name=name, sets=sets, path=str(path))
    if not book.codable:
        raise InputError(path, "no code is codable (every Code has isCodable=\"false\")", field="isCodable")
    return book, by_guid


def read_qdc(path: str | Path, notes: ImportNotes | None = None) -> Codebook:
    """A REFI-QDA .qdc file as a Plenary codebook (checked as a YAML codebook would be)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "codebook file not found")
    root = _parse_xml(path, path.read_bytes(), "REFI-QDA codebook (.qdc)")
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise InputError(path, f"is not a REFI-QDA codebook: the root element is <{etree.QName(root).localname}> "
                               f"in namespace '{etree.QName(root).namespace}', expected <CodeBook> in {CODEBOOK_NS}",
                         root.sourceline)
    validate_codebook_xml(path, root)
    notes = notes if notes is not None else ImportNotes()
    notes.origin = root.get("origin")
    meta = _meta_from_origin(notes.origin)
    book, _ = codebook_from_element(path, root, CODEBOOK_NS, meta.get("name") or path.stem, notes)
    book.version, book.description = meta.get("version"), meta.get("description")
    book.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return book


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


def source_texts(segments: Sequence[dict], inputs: Sequence[str], redact: bool = True,
                 statements_only: bool = False) -> dict[str, SourceText]:
    """Each source's text: the original file when it is plain text and can be found again, else the
    statements themselves, one per line.

    When the run redacted personal details (the default), the original text is
    redacted the same way before it is stored: names are learned from all the
    run's files together, as ingest does, so a name hidden in one is hidden in all.
    """
    from .ingest import expand_paths, read_text

    files: dict[str, Path] = {}
    for p in inputs:
        try:
            for f in expand_paths([p]):
                files.setdefault(f.name, f)
        except InputError:
            continue
    out: dict[str, SourceText] = {}
    for name in dict.fromkeys(s["source"] for s in segments):
        f = files.get(name)
        if not statements_only and f is not None and f.is_file() and f.suffix.lower() in TEXT_SUFFIXES:
            try:
                text, _ = read_text(f)
                out[name] = SourceText(name, text, True)
                continue
            except (InputError, OSError):
                pass
        rebuilt = "\n".join(s["text"] for s in segments if s["source"] == name) + "\n"
        out[name] = SourceText(name, rebuilt, False)
    originals = [s for s in out.values() if s.from_file]
    if redact and originals:
        from .redact import Redactor

        redactor = Redactor().fit([line for s in originals for line in s.text.splitlines()])
        for s in originals:
            s.text = redactor.redact(s.text)[0]
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
    _codes_into(book, ns, codebook, plain=False)
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
    _sets_into(root, ns, codebook)
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
    """A finished run (its segments.jsonl and run.json) as a .qdpx project."""
    from .agreement import read_coded
    from .codebook import load_codebook

    run_dir = Path(run_dir)
    record_path = run_dir / "run.json"
    if not record_path.exists():
        raise InputError(run_dir, "is not a finished run folder (no run.json)")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    segments = read_coded(run_dir)
    if codebook is None:
        path = (record.get("codebook") or {}).get("path")
        codebook = load_codebook(path)
    unknown = sorted({c["code"] for s in segments for c in s.get("codes") or []} - {c.id for c in codebook.codes})
    if unknown:
        raise InputError(run_dir / "segments.jsonl", f"codes {', '.join(unknown)} are not in codebook "
                                                     f"{codebook.path or codebook.name}; pass the run's codebook")
    redacted = (record.get("settings") or {}).get("redact", True)
    sources = source_texts(segments, record.get("inputs") or [], redact=redacted, statements_only=statements_only)
    name = record.get("name") or run_dir.name
    xml, lost = project_xml(codebook, segments, sources, name, record.get("created"))
    entries = {"project.qde": xml}
    for src in sources.values():
        entries[f"sources/{guid('source', name, src.name)}.txt"] = src.text.encode("utf-8")
    out = Path(out)
    _write_atomic(out, _zip_bytes(entries))
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
        root = _parse_xml(path, z.read("project.qde"), "REFI-QDA project (project.qde)")
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


def _write_atomic(path: Path, data: bytes) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
