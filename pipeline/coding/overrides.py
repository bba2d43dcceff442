"""Human overrides: a researcher's own code assignments, which always win over the tool's.

An overrides file is JSONL, one statement a line: {"id": "...", "codes": ["..."]}
("labels" works too; [] means "this statement has no code"). It is an input
to every run, so the person's coding survives re-runs: statement ids are
stable (file name and line), and each overridden statement is marked as coded
by a person in the outputs (codes with "by": "person", and
attributes.coded_by = "person").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..codebook import Codebook
from ..errors import InputError
from ..files import write_jsonl_atomic
from ..records import CodeAssignment, Segment
from .base import PERSON, LabelledItem
from .labelled import read_labelled


@dataclass
class OverrideReport:
    path: str
    applied: int = 0
    unmatched: list[str] = field(default_factory=list)  # ids in the file that no statement has (any more)

    def to_dict(self) -> dict:
        return {"path": self.path, "applied": self.applied, "unmatched": self.unmatched}


def read_overrides(path: str | Path, codebook: Codebook) -> list[LabelledItem]:
    """Read and check an overrides file: every code must be a codable code of the codebook."""
    return read_labelled(path, codebook, what="overrides")


def apply_overrides(segments: Sequence[Segment], overrides: Sequence[LabelledItem],
                    path: str = "overrides") -> tuple[list[Segment], OverrideReport]:
    """New segments with the person's codes replacing the tool's on every statement they coded,
    and a report of how many were applied and which ids matched no statement."""
    position = {s.id: i for i, s in enumerate(segments)}
    out = list(segments)
    report = OverrideReport(path=str(path))
    for item in overrides:
        i = position.get(item.id)
        if i is None:
            report.unmatched.append(item.id)
            continue
        # the person's main code first, then the rest in the order they gave them
        order = [item.primary] + [c for c in item.labels if c != item.primary] if item.primary else item.labels
        out[i] = replace(out[i], codes=[CodeAssignment(code, 1.0, by=PERSON) for code in order],
                         attributes={**out[i].attributes, "coded_by": PERSON})
        report.applied += 1
    return out, report


def is_person_coded(seg: Segment) -> bool:
    return seg.attributes.get("coded_by") == PERSON or any(c.by == PERSON for c in seg.codes)


def save_override(path: str | Path, statement_id: str, codes: Sequence[str], codebook: Codebook) -> None:
    """Add or replace one statement's override, keeping the others (for the web app and scripts).

    The file is rewritten through a temporary file, so a crash never leaves it half-written.
    """
    path = Path(path)
    unknown = [c for c in codes if c not in codebook or not codebook[c].codable]
    if unknown:
        raise InputError(path, f"'{unknown[0]}' is not a codable code in the codebook", field="codes")
    rows: list[dict] = []
    if path.exists() and path.read_bytes().strip():
        rows = [{"id": it.id, "codes": it.labels} for it in read_overrides(path, codebook)]
    rows = [r for r in rows if r["id"] != statement_id] + [{"id": statement_id, "codes": list(codes)}]
    write_jsonl_atomic(path, rows)
