"""A person's coding from any file Plenary reads it from: JSONL/CSV (`coding.labelled`) or a REFI-QDA
.qdpx project with coded selections (exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or Plenary).

`read_coding(path, codebook, what, need_text) -> list[LabelledItem]` is what `plenary eval` (gold) and
`--train` call. From a .qdpx, each coded selection is one statement: its text is the selected span, its id
"<source>:<start>-<end>" (character offsets), its labels the codes applied to it, matched to `codebook` by
id or by label (the project's own codebook may name codes differently). Selections of the same span are
one statement with all their codes. Codes that match nothing in `codebook` are listed in one InputError.
"""
from __future__ import annotations

from pathlib import Path

from ..codebook import Codebook
from ..coding.base import LabelledItem
from ..coding.labelled import read_labelled, resolve_labels
from ..errors import InputError
from .qdpx import read_qdpx


def read_coding(path: str | Path, codebook: Codebook | None = None, what: str = "gold",
                need_text: bool = False) -> list[LabelledItem]:
    """A person's coding from JSONL, CSV or .qdpx (see the module docstring). Raises InputError."""
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        return read_labelled(path, codebook, what=what, need_text=need_text)
    project = read_qdpx(path)
    spans: dict[tuple[str, int, int], tuple[str, list[str]]] = {}
    for sel in project.selections:
        key = (sel.source, sel.start, sel.end)
        text, labels = spans.setdefault(key, (sel.text.strip(), []))
        for cid in sel.codes:
            label = project.codebook[cid].label if cid in project.codebook else cid
            if label not in labels:
                labels.append(label)
    if not spans:
        raise InputError(path, f"{what} project has no coded selections (PlainTextSelection with a Coding)")
    rows = [(f"{source}:{start}-{end}", text, labels) for (source, start, end), (text, labels) in spans.items()]
    rows.sort(key=lambda r: r[0])
    if codebook is not None:
        resolved = resolve_labels(path, codebook, [(n + 1, labels) for n, (_, _, labels) in enumerate(rows)],
                                  where="selection")
        rows = [(rid, text, labels) for (rid, text, _), labels in zip(rows, resolved)]
    items = []
    for rid, text, labels in rows:
        if need_text and not text:
            raise InputError(path, f"selection '{rid}' has no text to code", field="text")
        items.append(LabelledItem(id=rid, text=text, labels=labels, primary=labels[0] if labels else None))
    return items
