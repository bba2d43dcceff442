"""Reading YAML node trees with errors that name the file, line and key (shared by codebook and event files).

Callers compose a document with `yaml.compose(text, Loader=yaml.SafeLoader)` and walk
its nodes with these helpers, so every error is an InputError naming where to fix it.
"""
from __future__ import annotations

from typing import Iterator

import yaml

from .errors import InputError


def node_line(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def scalar(path: str, node: yaml.Node, key: str) -> str:
    """A single value as stripped text; a list or mapping is an InputError."""
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(path, "expected a single value, not a list or mapping", node_line(node), key)
    return str(node.value).strip()


def string_list(path: str, node: yaml.Node, key: str) -> list[str]:
    """A list of non-empty strings; a single value is a list of one."""
    if isinstance(node, yaml.ScalarNode):
        return [node.value.strip()] if node.value.strip() else []
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(path, "expected a list of strings", node_line(node), key)
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise InputError(path, "each item must be a string", node_line(item), key)
        if item.value.strip():
            out.append(item.value.strip())
    return out


def mapping_items(path: str, node: yaml.MappingNode, allowed: set[str],
                  what: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key, key node, value node) of a mapping; unknown or repeated keys are InputErrors."""
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in allowed:
            raise InputError(
                path, f"unknown key '{key}' in {what} (allowed: {', '.join(sorted(allowed))})",
                node_line(key_node), key,
            )
        if key in seen:
            raise InputError(path, f"key '{key}' appears twice in {what} (first at line {seen[key]})",
                             node_line(key_node), key)
        seen[key] = node_line(key_node)
        yield key, key_node, value_node
