"""What the engines share: which coders may be scored in partitions."""
from __future__ import annotations


def per_statement(coder) -> bool:
    """True when the coder's score for a statement depends on that statement alone (so partitions can be
    scored apart); corpus-aware coders (statistics over the whole batch) say False or nothing."""
    return bool(getattr(coder, "per_statement", False))
