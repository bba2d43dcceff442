"""The pages, one module per page: projects and events, documents, runs, themes, plan, codebook, compare, access.

Each module adds its routes to the one `router` in `common`; importing this package registers them all.
"""
from __future__ import annotations

from . import access, codebook, compare, documents, plan, projects, runs, themes
from .common import router

PAGES = (projects, documents, runs, themes, plan, codebook, compare, access)  # each registers its routes
__all__ = ["PAGES", "router"]
