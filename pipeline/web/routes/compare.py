"""Comparing events."""
from __future__ import annotations


from fastapi import Request

from .. import compare

from .common import router, web

@router.get("/projects/{project_id}/compare")
def compare_page(request: Request, project_id: int):
    return compare.compare_view(web(request), request, project_id)


@router.get("/projects/{project_id}/compare/report")
def compare_report(request: Request, project_id: int):
    return compare.compare_report_view(web(request), request, project_id)
