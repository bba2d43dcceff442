"""REFI-QDA exchange: codebooks as .qdc (coded projects, .qdpx, are in `qdpx`).

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
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from .. import __version__
from ..codebook import Code, Codebook, CodeSet, code_id, heading_value
from ..errors import InputError
from ..files import write_bytes_atomic

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "refi-codebook-1.0.xsd"
GUID_NS = uuid.UUID("6f1c3c2e-8f5d-5b8e-9a64-3c1f2b7d0e11")  # Plenary's namespace for UUID5 GUIDs
EXTRA_MARK = "--- plenary ---"
EXTRA_FIELDS = ("id", "heading", "threshold", "include", "exclude", "examples", "counter_examples", "keywords")


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
    if not code.is_heading:
        extra["heading"] = False  # `heading: false`: codes statements, heads no section of the plan
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


def codes_into(parent: etree._Element, ns: str, codebook: Codebook, plain: bool) -> None:
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for code in codebook.codes:
        if code.parent is None:
            _code_element(codes, ns, codebook, code, plain)


def sets_into(parent: etree._Element, ns: str, codebook: Codebook) -> None:
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
    codes_into(root, CODEBOOK_NS, codebook, plain)
    sets_into(root, CODEBOOK_NS, codebook)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdc(codebook: Codebook, path: str | Path, plain: bool = False) -> Path:
    path = Path(path)
    write_bytes_atomic(path, codebook_xml(codebook, plain))
    return path


# --------------------------------------------------------------------------- XML -> codebook
def parse_xml(path: Path, data: bytes, what: str) -> etree._Element:
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


def _drop_empty_sets(root: etree._Element, ns: str, notes: "ImportNotes") -> None:
    """Real exports bend the schema in harmless ways: Taguette always writes an empty <Sets/>, which the schema
    refuses (a Sets element needs at least one Set). It says nothing, so it is removed, with a warning."""
    for sets in root.findall(f"{{{ns}}}Sets"):
        if not len(sets):
            root.remove(sets)
            notes.messages.append("an empty <Sets/> (as Taguette writes it) was ignored: the REFI-QDA schema "
                                  "wants at least one Set there")


def _dotted_hierarchy(codes: list, notes: "ImportNotes") -> None:
    """Taguette has no nested codes and writes a hierarchy in names ("interesting.places"): when the file
    nests no code, a dotted name hangs under the code named by what comes before its last dot."""
    if any(c.parent for c in codes):
        return
    by_label = {c.label: c for c in codes}
    moved = []
    for code in codes:
        if "." in code.label.strip("."):
            parent = by_label.get(code.label.rsplit(".", 1)[0])
            if parent is not None and parent is not code:
                code.parent = parent.id
                moved.append(code.label)
    if moved:
        notes.messages.append(f"dotted code names read as a hierarchy: {', '.join(moved)}")


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
        base = str(extra.get("id") or code_id(label))
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
        if "heading" in extra:
            code.heading, code.is_heading = heading_value(extra.pop("heading"))
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
    _dotted_hierarchy(codes, notes)
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
    return read_qdc_bytes(path.read_bytes(), path, notes)


def read_qdc_bytes(data: bytes, name: str | Path, notes: ImportNotes | None = None) -> Codebook:
    """A .qdc file's content (an upload, a stream's bytes) as a codebook; `name` is the file that errors
    name and whose stem names the codebook when the file does not. Errors: InputError as read_qdc."""
    path = Path(name)
    root = parse_xml(path, data, "REFI-QDA codebook (.qdc)")
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise InputError(path, f"is not a REFI-QDA codebook: the root element is <{etree.QName(root).localname}> "
                               f"in namespace '{etree.QName(root).namespace}', expected <CodeBook> in {CODEBOOK_NS}",
                         root.sourceline)
    notes = notes if notes is not None else ImportNotes()
    _drop_empty_sets(root, CODEBOOK_NS, notes)
    validate_codebook_xml(path, root)
    notes.origin = root.get("origin")
    meta = _meta_from_origin(notes.origin)
    book, _ = codebook_from_element(path, root, CODEBOOK_NS, meta.get("name") or path.stem, notes)
    book.version, book.description = meta.get("version"), meta.get("description")
    book.sha256 = hashlib.sha256(data).hexdigest()
    return book
