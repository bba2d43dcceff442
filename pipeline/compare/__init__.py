"""Compare: themes and codes across events, with how sure the tool is.

`runs` reads run folders, `match` gives the same theme one identity across runs, `stats` holds the
tests and intervals, and `changes` puts them together in `compare_runs`. `render.compare_report`
writes the result.
"""
from __future__ import annotations

from .changes import LABEL_MEANING, LABELS, CompareSettings, Comparison, compare_runs
from .match import ThemeGroup, ThemeMatcher, lexical_vectors
from .runs import RUN_FILES, RunData, RunThemes, date_key, event_date, load_run
from .stats import across_events_test, benjamini_hochberg, difference_interval, share_test, wilson

__all__ = ["LABELS", "LABEL_MEANING", "RUN_FILES", "CompareSettings", "Comparison", "RunData", "RunThemes",
           "ThemeGroup", "ThemeMatcher", "across_events_test", "benjamini_hochberg", "compare_runs", "date_key",
           "difference_interval", "event_date", "lexical_vectors", "load_run", "share_test", "wilson"]
