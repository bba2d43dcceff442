"""Recommend: draft short imperative actions under each action heading.

`proposals` holds the wording rules (is this a proposal? how is it said as an action?); `drafting` the
RecommendationDrafter that gathers, merges and ranks proposals under each heading.
"""
from __future__ import annotations

from .drafting import RecommendationDrafter
from .proposals import FALLBACK, draft_action, drafts_cleanly, is_proposal

__all__ = ["FALLBACK", "RecommendationDrafter", "draft_action", "drafts_cleanly", "is_proposal"]
