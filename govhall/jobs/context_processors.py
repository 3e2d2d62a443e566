"""The office dashboard's warning about failed or late jobs (on the home page only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from govhall.jobs.selectors import jobs_needing_attention
from govhall.jobs.services import RUN_PERM
from govhall.org.selectors import current_center


def job_warnings(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or match.view_name != "home" or user is None or not user.is_authenticated:
        return {}
    if not user.has_perm(RUN_PERM):
        return {}
    center = current_center(request)
    if center is None:
        return {}
    return {"job_warnings": jobs_needing_attention(center=center)}
