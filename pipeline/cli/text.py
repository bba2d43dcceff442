"""Terminal text for the CLI: the ingest report of each file."""
from __future__ import annotations

from ..records import IngestReport


def format_report(report: IngestReport) -> str:
    """The ingest report of one file, in two or three short lines for the terminal.

    Printed by `plenary run` after each run (terminal text belongs to the CLI).
    """
    dropped = report.dropped_by_reason()

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"
    parts = [n(report.segments, "statement")]
    if report.sections:
        parts.append(n(len(report.sections), "section"))
    if report.questions:
        parts.append(n(len(report.questions), "question"))
    head = f"{report.source} ({report.format}, event '{report.event}'): " + ", ".join(parts)
    lines = [head]
    if report.lines.get("read") is not None:
        acc = report.lines
        lines.append(f"  {acc['read']} lines read: {acc.get('in_statements', 0)} in statements, "
                     f"{acc.get('structure', 0)} headings/questions/prompts, {acc.get('dropped', 0)} dropped"
                     + (f", {acc['unaccounted']} unaccounted" if acc.get("unaccounted") else ""))
    if dropped:
        lines.append("  dropped " + ", ".join(f"{n} {why}" for why, n in dropped.items()))
    if report.redactions:
        lines.append("  redacted " + ", ".join(f"{n} {kind}" for kind, n in sorted(report.redactions.items())))
    lines += [f"  {note}" for note in report.notes]
    return "\n".join(lines)
