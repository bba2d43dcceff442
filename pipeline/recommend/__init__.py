"""Recommend: the draft action plan.

`proposals` says whether a statement proposes a change; `merge` groups proposals that ask for the same
thing and counts their support; `rules` and `wording` shape a proposal into one short imperative
(`phrases` holds their shared word lists and helpers); `style` checks a draft; `drafting` holds the
RecommendationDrafter that puts these together under each action heading.
"""
from __future__ import annotations

from .drafting import RecommendationDrafter, action_headings
from .proposals import is_proposal
from .style import style_problems
from .wording import Draft, shape

__all__ = ["Draft", "RecommendationDrafter", "action_headings", "is_proposal", "shape", "style_problems"]
