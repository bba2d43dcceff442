"""Load and validate a researcher's codebook (YAML).

Validation walks the YAML node tree rather than the parsed dict, so every
message can name the line a researcher has to fix.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

CODEBOOK_KEYS = {"name", "version", "description", "codes"}
CODE_KEYS = {
    "id", "label", "description", "heading", "include", "exclude", "examples",
    "counter_examples", "keywords", "parent", "color", "codable", "threshold",
}
REQUIRED_CODE_KEYS = ("id", "label", "description")
LIST_KEYS = {"include", "exclude", "examples", "counter_examples", "keywords"}

DEFAULT_CODEBOOK = Path(__file__).resolve().parent.parent / "codebooks" / "vcfse-action-plan.yaml"


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

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label, "description": self.description}
        for key in ("heading", "parent", "color", "threshold"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        if not self.codable:
            d["codable"] = False
        for key in sorted(LIST_KEYS):
            if getattr(self, key):
                d[key] = list(getattr(self, key))
        return d


@dataclass
class Codebook:
    codes: list[Code]
    name: str = "codebook"
    version: str | None = None
    description: str | None = None
    path: str | None = None
    sha256: str | None = None

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
        """Codes that carry an action heading, in codebook order."""
        return [c for c in self.codable if c.heading]

    def children(self, code_id: str) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name}
        if self.version is not None:
            d["version"] = self.version
        if self.description:
            d["description"] = self.description
        d["codes"] = [c.to_dict() for c in self.codes]
        return d

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(path: str, node: yaml.Node, key: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(path, "expected a single value, not a list or mapping", _line(node), key)
    return str(node.value).strip()


def _string_list(path: str, node: yaml.Node, key: str) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.value.strip()] if node.value.strip() else []
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(path, "expected a list of strings", _line(node), key)
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise InputError(path, "each item must be a string", _line(item), key)
        if item.value.strip():
            out.append(item.value.strip())
    return out


def _mapping_items(path: str, node: yaml.MappingNode, allowed: set[str], what: str):
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in allowed:
            raise InputError(
                path, f"unknown key '{key}' in {what} (allowed: {', '.join(sorted(allowed))})",
                _line(key_node), key,
            )
        if key in seen:
            raise InputError(path, f"key '{key}' appears twice in {what} (first at line {seen[key]})",
                             _line(key_node), key)
        seen[key] = _line(key_node)
        yield key, key_node, value_node


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
    codes_node = None
    for key, key_node, value_node in _mapping_items(path, root, CODEBOOK_KEYS, "the codebook"):
        if key == "codes":
            codes_node = value_node
        else:
            meta[key] = _scalar(path, value_node, key)
    if codes_node is None:
        raise InputError(path, "codebook has no 'codes' list", field="codes")
    if not isinstance(codes_node, yaml.SequenceNode) or not codes_node.value:
        raise InputError(path, "'codes' must be a non-empty list", _line(codes_node), "codes")

    codes = [_parse_code(path, n) for n in codes_node.value]
    first_line: dict[str, int] = {}
    for code in codes:
        if code.id in first_line:
            raise InputError(path, f"duplicate code id '{code.id}' (first at line {first_line[code.id]})",
                             code.line, "id")
        first_line[code.id] = code.line or 0
    for code in codes:
        if code.parent is not None and code.parent not in first_line:
            raise InputError(path, f"code '{code.id}' names parent '{code.parent}', which is not a code",
                             code.line, "parent")
    _check_no_cycles(path, codes)
    if not any(c.codable for c in codes):
        raise InputError(path, "no code is codable (every code has codable: false)", field="codable")
    return Codebook(codes=codes, name=meta.get("name") or Path(path).stem, version=meta.get("version"),
                    description=meta.get("description"), path=path,
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


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
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    if not path.exists():
        raise InputError(path, "codebook file not found")
    if path.is_dir():
        raise InputError(path, "expected a codebook file, got a folder")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "codebook file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, "codebook is not valid UTF-8; save it as UTF-8", line) from None
    return parse_codebook(text, str(path))
