"""Themes: cluster statements into emergent themes (`cluster`), label them (`label`), pick quotes (`quotes`).

`ThemeFinder` (`finder`) puts the three together; each part is a small swappable object.
"""
from __future__ import annotations

from .cluster import Clusterer, KMeansClusterer, Reducer, default_theme_count
from .finder import ThemeFinder, theme_centres, unit
from .label import EXTRA_STOP, CTfidfLabeller, PhraseLabeller, content_terms
from .quotes import diverse_quotes, quotable

__all__ = ["CTfidfLabeller", "Clusterer", "EXTRA_STOP", "KMeansClusterer", "PhraseLabeller", "Reducer", "ThemeFinder",
           "content_terms", "default_theme_count", "diverse_quotes", "quotable", "theme_centres", "unit"]
