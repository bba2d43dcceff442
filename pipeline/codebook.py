"""Load, validate, show and compare a researcher's codebook (YAML, or REFI-QDA .qdc).

Validation walks the YAML node tree rather than the parsed dict, so every
message can name the line a researcher has to fix. The schema is documented
in docs/research.md.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .yamlnodes import mapping_items, node_line, scalar, string_list

CODEBOOK_KEYS = {"name", "version", "description", "codes", "sets"}
SET_KEYS = {"name", "description", "codes"}
CODE_KEYS = {
    "id", "label", "description", "heading", "include", "exclude", "examples",
    "counter_examples", "keywords", "parent", "color", "codable", "threshold",
}
REQUIRED_CODE_KEYS = ("id", "label", "description")
LIST_KEYS = {"include", "exclude", "examples", "counter_examples", "keywords"}
# 'none' and 'uncoded' stand for "no code" in gold files and outputs, so no code may take them
RESERVED_IDS = {"none", "uncoded"}
# letters of any script, digits, '_', '-', '.': "éducation", "交通" and "dept.of.health" are ids
ID_RE = re.compile(r"^[^\W_][\w.\-]*$")
COLOR_RE = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
# every field a code can carry, in the order `show` and `diff` list them
CODE_FIELDS = ("label", "description", "heading", "parent", "codable", "color", "threshold", "include",
               "exclude", "examples", "counter_examples", "keywords")

# `heading: false` keeps a top-level code out of the plan; `heading: true` is the label as heading
HEADING_OFF = {"false", "no", "off"}
HEADING_ON = {"true", "yes", "on"}

SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+")

DEFAULT_CODEBOOK = Path(__file__).resolve().parent.parent / "codebooks" / "vcfse-action-plan.yaml"


def code_id(label: str) -> str:
    """A code id made from a label, keeping its letters (any script, NFC): lower-case, and every run of
    other characters (spaces, '/', '.', apostrophes) one '-'. "Éducation" -> "éducation", "交通" -> "交通",
    "Dept. of Health" -> "dept-of-health", "Housing/rent arrears" -> "housing-rent-arrears"; "code" when
    nothing is left."""
    s = unicodedata.normalize("NFC", label).casefold()
    return re.sub(r"[\W_]+", "-", s).strip("-") or "code"


def heading_value(raw: Any) -> tuple[str | None, bool]:
    """(heading text, is an action heading) from a `heading:` value: false/no/off -> (None, False);
    true/yes/on, empty or null -> (None, True), the label being the heading; other text -> (text, True)."""
    if raw is None or raw is True:
        return None, True
    if raw is False:
        return None, False
    text = " ".join(str(raw).split())
    if text.lower() in HEADING_OFF:
        return None, False
    if not text or text.lower() in HEADING_ON or text.lower() in ("null", "~"):
        return None, True
    return text, True


@dataclass
class Code:
    id: str
    label: str
    description: str
    heading: str | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    counter_examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    parent: str | None = None
    color: str | None = None
    codable: bool = True  # a parent category may group codes without being applied itself
    threshold: float | None = None
    line: int | None = None
    # False (`heading: false`): a top-level code that codes statements but heads no section of the plan
    is_heading: bool = True

    def prototypes(self) -> list[str]:
        """Short texts that stand for the code when it has no examples: its label, its
        description and each sentence of it, and its include notes."""
        out = [self.label, f"{self.label}: {self.description}"]
        out += [s for s in SENTENCE_RE.split(self.description) if len(s.split()) >= 3]
        out += self.include
        return list(dict.fromkeys(t.strip() for t in out if t.strip()))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label, "description": self.description}
        for key in ("heading", "parent", "color", "threshold"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        if not self.is_heading:
            d["heading"] = False
        if not self.codable:
            d["codable"] = False
        for key in sorted(LIST_KEYS):
            if getattr(self, key):
                d[key] = list(getattr(self, key))
        return d


@dataclass
class CodeSet:
    """A named group of codes that cuts across the hierarchy (a REFI-QDA Set, an ATLAS.ti code group)."""

    name: str
    codes: list[str]
    description: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name}
        if self.description:
            d["description"] = self.description
        d["codes"] = list(self.codes)
        return d


@dataclass
class Codebook:
    codes: list[Code]
    name: str = "codebook"
    version: str | None = None
    description: str | None = None
    path: str | None = None
    sha256: str | None = None
    sets: list[CodeSet] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.codes}

    def __getitem__(self, code_id: str) -> Code:
        return self._by_id[code_id]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    @property
    def codable(self) -> list[Code]:
        return [c for c in self.codes if c.codable]

    @property
    def headings(self) -> list[Code]:
        """Codes that carry an action heading text, in codebook order."""
        return [c for c in self.codable if c.heading]

    @property
    def action_headings(self) -> list[Code]:
        """The plan's sections: every top-level code, in codebook order, except those with `heading: false`
        (a code's `heading:` text names its section, else its label)."""
        return [c for c in self.codes if not c.parent and c.is_heading]

    def children(self, code_id: str) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]

    def ancestors(self, code_id: str) -> list[str]:
        """Parent, grandparent, ... of a code (the codebook is checked to have no cycles)."""
        out: list[str] = []
        cur = self[code_id].parent
        while cur is not None and cur not in out:
            out.append(cur)
            cur = self[cur].parent
        return out

    def walk(self) -> list[tuple[int, Code]]:
        """(depth, code) in tree order: each code followed by its children, in codebook order."""
        out: list[tuple[int, Code]] = []

        def visit(code: Code, depth: int) -> None:
            out.append((depth, code))
            for child in self.children(code.id):
                visit(child, depth + 1)

        for code in self.codes:
            if code.parent is None:
                visit(code, 0)
        return out

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name}
        if self.version is not None:
            d["version"] = self.version
        if self.description:
            d["description"] = self.description
        d["codes"] = [c.to_dict() for c in self.codes]
        if self.sets:
            d["sets"] = [s.to_dict() for s in self.sets]
        return d

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


# YAML node helpers are shared with event sidecars (pipeline.yamlnodes)
_line, _scalar, _string_list, _mapping_items = node_line, scalar, string_list, mapping_items


def _parse_code(path: str, node: yaml.Node) -> Code:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(path, "each code must be a mapping with id, label and description", _line(node), "codes")
    values: dict[str, Any] = {}
    for key, _, value_node in _mapping_items(path, node, CODE_KEYS, "a code"):
        if key in LIST_KEYS:
            values[key] = _string_list(path, value_node, key)
        elif key == "codable":
            raw = _scalar(path, value_node, key).lower()
            if raw not in ("true", "false", "yes", "no"):
                raise InputError(path, "must be true or false", _line(value_node), key)
            values[key] = raw in ("true", "yes")
        elif key == "heading":
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith((":int", ":float")):
                raise InputError(path, f"must be the heading's text, or false to keep this code out of the action "
                                       f"plan; got the number {value_node.value} (quote it if it is the text)",
                                 _line(value_node), key)
            values["heading"], values["is_heading"] = heading_value(_scalar(path, value_node, key))
        elif key == "threshold":
            raw = _scalar(path, value_node, key)
            try:
                values[key] = float(raw)
            except ValueError:
                raise InputError(path, f"must be a number, got '{raw}'", _line(value_node), key) from None
            if not -1.0 <= values[key] <= 1.0:
                raise InputError(path, "must be between -1 and 1", _line(value_node), key)
        else:
            text = _scalar(path, value_node, key)
            values[key] = text if text and text.lower() not in ("null", "~") else None
    for key in REQUIRED_CODE_KEYS:
        if not values.get(key):
            raise InputError(path, f"code is missing required field '{key}'", _line(node), key)
    lines = {str(k.value): _line(k) for k, _ in node.value}
    if not ID_RE.match(values["id"]):
        raise InputError(path, f"code id '{values['id']}' must be one word of letters, digits, '_', '-' or '.'",
                         lines["id"], "id")
    if values["id"].lower() in RESERVED_IDS:
        raise InputError(path, f"'{values['id']}' is reserved for statements with no code; choose another id",
                         lines["id"], "id")
    if not values.get("is_heading", True) and values.get("parent"):
        raise InputError(path, f"'heading: false' applies to a top-level code; '{values['id']}' is under "
                               f"'{values['parent']}' and goes in its section of the plan", lines["heading"], "heading")
    if values.get("color") and not COLOR_RE.match(values["color"]):
        raise InputError(path, f"colour '{values['color']}' must be a hex colour like \"#1f77b4\" (quote it in YAML)",
                         lines["color"], "color")
    return Code(**values, line=_line(node))


def parse_codebook(text: str, path: str = "<codebook>") -> Codebook:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"YAML error: {problem}", line) from None
    if root is None:
        raise InputError(path, "codebook is empty")
    if not isinstance(root, yaml.MappingNode):
        raise InputError(path, "codebook must be a mapping with a 'codes' list", _line(root))
    meta: dict[str, Any] = {}
    codes_node = sets_node = None
    for key, key_node, value_node in _mapping_items(path, root, CODEBOOK_KEYS, "the codebook"):
        if key == "codes":
            codes_node = value_node
        elif key == "sets":
            sets_node = value_node
        else:
            meta[key] = _scalar(path, value_node, key)
    if codes_node is None:
        raise InputError(path, "codebook has no 'codes' list", field="codes")
    if not isinstance(codes_node, yaml.SequenceNode) or not codes_node.value:
        raise InputError(path, "the codebook has no codes: 'codes' must list at least one code with id, label and "
                               "description", _line(codes_node), "codes")

    codes = [_parse_code(path, n) for n in codes_node.value]
    first_line: dict[str, int] = {}
    for code in codes:
        if code.id in first_line:
            raise InputError(path, f"duplicate code id '{code.id}' (first at line {first_line[code.id]})",
                             code.line, "id")
        first_line[code.id] = code.line or 0
    labels: dict[str, Code] = {}
    for code in codes:
        key = unicodedata.normalize("NFC", code.label).strip().casefold()
        if key in labels:
            raise InputError(path, f"duplicate label '{code.label}': codes '{labels[key].id}' (line {labels[key].line}) "
                                   f"and '{code.id}' have the same label; a gold file naming it could mean either",
                             code.line, "label")
        labels[key] = code
    for code in codes:
        if code.parent is not None and code.parent not in first_line:
            raise InputError(path, f"code '{code.id}' names parent '{code.parent}', which is not a code",
                             code.line, "parent")
    _check_no_cycles(path, codes)
    if not any(c.codable for c in codes):
        raise InputError(path, "no code is codable (every code has codable: false)", field="codable")
    if not any(c.is_heading for c in codes if c.parent is None):
        first = next(c for c in codes if c.parent is None)
        raise InputError(path, "every top-level code has 'heading: false', so the action plan would have no "
                               "section; remove 'heading: false' from at least one", first.line, "heading")
    sets = _parse_sets(path, sets_node, set(first_line)) if sets_node is not None else []
    return Codebook(codes=codes, name=meta.get("name") or Path(path).stem, version=meta.get("version"),
                    description=meta.get("description"), path=path,
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), sets=sets)


def _parse_sets(path: str, node: yaml.Node, ids: set[str]) -> list[CodeSet]:
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(path, "'sets' must be a list of {name, codes}", _line(node), "sets")
    out: list[CodeSet] = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise InputError(path, "each set must be a mapping with name and codes", _line(item), "sets")
        values: dict[str, Any] = {}
        for key, key_node, value_node in _mapping_items(path, item, SET_KEYS, "a set"):
            values[key] = _string_list(path, value_node, key) if key == "codes" else _scalar(path, value_node, key)
            if key == "codes":
                for code_node in (value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]):
                    if str(code_node.value).strip() not in ids:
                        raise InputError(path, f"set member '{code_node.value}' is not a code", _line(code_node),
                                         "codes")
        if not values.get("name"):
            raise InputError(path, "set is missing its 'name'", _line(item), "name")
        out.append(CodeSet(name=values["name"], codes=values.get("codes", []),
                           description=values.get("description") or None, line=_line(item)))
    return out


def _check_no_cycles(path: str, codes: list[Code]) -> None:
    parent = {c.id: c.parent for c in codes}
    for code in codes:
        seen = [code.id]
        cur = parent[code.id]
        while cur is not None:
            if cur in seen:
                chain = " -> ".join(seen[seen.index(cur):] + [cur])
                raise InputError(path, f"'parent' forms a cycle: {chain}", code.line, "parent")
            seen.append(cur)
            cur = parent.get(cur)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """A codebook from YAML. (`pipeline.load_codebook` also reads REFI-QDA .qdc files, via `exchange.refi`.)"""
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    if not path.exists():
        raise InputError(path, "codebook file not found")
    if path.is_dir():
        raise InputError(path, "expected a codebook file, got a folder")
    if path.suffix.lower() == ".qdc":
        raise InputError(path, "a REFI-QDA codebook: read it with pipeline.load_codebook (or exchange.refi.read_qdc)")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "codebook file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, "codebook is not valid UTF-8; save it as UTF-8", line) from None
    return parse_codebook(text, str(path))


# --------------------------------------------------------------------------- comparing versions
@dataclass
class CodebookDiff:
    """What changed from codebook `old` to codebook `new`, field by field."""

    old: str
    new: str
    meta: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name/version/description
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.meta or self.added or self.removed or self.changed or self.reordered)

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new,
                "meta": {k: {"old": a, "new": b} for k, (a, b) in self.meta.items()},
                "added": self.added, "removed": self.removed,
                "changed": {cid: {f: {"old": a, "new": b} for f, (a, b) in fields.items()}
                            for cid, fields in self.changed.items()},
                "reordered": self.reordered}


def _field_value(code: Code, name: str) -> Any:
    if name == "heading" and not code.is_heading:
        return False
    value = getattr(code, name)
    return list(value) if isinstance(value, list) else value


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    diff = CodebookDiff(old=old.path or old.name, new=new.path or new.name)
    for key in ("name", "version", "description"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            diff.meta[key] = (a, b)
    a_sets, b_sets = [s.to_dict() for s in old.sets], [s.to_dict() for s in new.sets]
    if a_sets != b_sets:
        diff.meta["sets"] = (a_sets, b_sets)
    old_ids = [c.id for c in old.codes]
    new_ids = [c.id for c in new.codes]
    diff.added = [i for i in new_ids if i not in old]
    diff.removed = [i for i in old_ids if i not in new]
    for cid in (i for i in new_ids if i in old):
        fields = {f: (_field_value(old[cid], f), _field_value(new[cid], f)) for f in CODE_FIELDS
                  if _field_value(old[cid], f) != _field_value(new[cid], f)}
        if fields:
            diff.changed[cid] = fields
    kept_old = [i for i in old_ids if i in new]
    kept_new = [i for i in new_ids if i in old]
    diff.reordered = kept_old != kept_new
    return diff


def _short(value: Any, width: int = 90) -> str:
    text = "—" if value in (None, [], "") else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_text(diff: CodebookDiff) -> str:
    """The diff as plain lines a researcher can read in a terminal or paste into a memo."""
    if diff.empty:
        return f"No differences between {diff.old} and {diff.new}."
    lines = [f"--- {diff.old}", f"+++ {diff.new}"]
    for key, (a, b) in diff.meta.items():
        lines.append(f"~ codebook {key}: {_short(a)} -> {_short(b)}")
    lines += [f"+ code {cid}" for cid in diff.added]
    lines += [f"- code {cid}" for cid in diff.removed]
    for cid, fields in diff.changed.items():
        lines.append(f"~ code {cid}")
        for name, (a, b) in fields.items():
            if isinstance(a, list) or isinstance(b, list):
                a, b = a or [], b or []
                lines += [f"    {name}: + {item}" for item in b if item not in a]
                lines += [f"    {name}: - {item}" for item in a if item not in b]
                if [x for x in a if x in b] != [x for x in b if x in a]:
                    lines.append(f"    {name}: reordered")
            else:
                lines.append(f"    {name}: {_short(a)} -> {_short(b)}")
    if diff.reordered:
        lines.append("~ codes reordered")
    return "\n".join(lines)


def show_text(codebook: Codebook, verbose: bool = False) -> str:
    """The codebook as an indented tree, one code a line (with every field when verbose)."""
    head = codebook.name + (f" (version {codebook.version})" if codebook.version else "")
    lines = [head, f"{len(codebook.codes)} codes, {len(codebook.codable)} codable"
             + (f"; sha256 {codebook.sha256[:12]}" if codebook.sha256 else ""), ""]
    for depth, code in codebook.walk():
        flags = [] if code.codable else ["category, not codable"]
        if not code.is_heading:
            flags.append("not an action heading")
        if code.examples:
            flags.append(f"{len(code.examples)} examples")
        if code.threshold is not None:
            flags.append(f"threshold {code.threshold}")
        lines.append(f"{'  ' * depth}{code.id}: {code.label}" + (f"  [{'; '.join(flags)}]" if flags else ""))
        if verbose:
            pad = "  " * depth + "    "
            for name in CODE_FIELDS[1:]:
                value = getattr(code, name)
                if name == "codable" or value in (None, [], ""):
                    continue
                if isinstance(value, list):
                    lines.append(f"{pad}{name}:")
                    lines += [f"{pad}  - {item}" for item in value]
                else:
                    lines.append(f"{pad}{name}: {value}")
    for code_set in codebook.sets:
        lines += ["", f"set '{code_set.name}': {', '.join(code_set.codes)}"
                  + (f"  ({code_set.description})" if code_set.description else "")]
    return "\n".join(lines)
