"""The office's jobs page: each job's schedule, last and next run, failures, and "run now"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govhall.core.access import perm_required
from govhall.core.dbrouter import replica_status
from govhall.core.errors import DomainError
from govhall.jobs import selectors, services
from govhall.jobs.choices import Outcome
from govhall.jobs.registry import JOBS
from govhall.org.models import Center
from govhall.org.selectors import center_or_404

PERM = services.RUN_PERM


def _centers(request: HttpRequest) -> list[Center]:
    """The office's own center; the system administrator's every center."""
    if request.user.is_superuser:
        return list(Center.objects.filter(is_active=True).order_by("pk"))
    return [center_or_404(request)]


@require_GET
@perm_required(PERM)
def job_list(request: HttpRequest) -> HttpResponse:
    beat = selectors.heartbeat()
    context = {
        "rows": selectors.job_status(centers=_centers(request)),
        "heartbeat": beat,
        "runner_alive": selectors.runner_alive(beat),
        "can_run_deployment": request.user.is_superuser,
        "replica": replica_status(),
    }
    return render(request, "jobs/job_list.html", context)


@require_GET
@perm_required(PERM)
def job_history(request: HttpRequest, name: str) -> HttpResponse:
    job = JOBS.get(name)
    if job is None:
        raise Http404
    center = None
    if job.per_center:
        centers = {str(c.pk): c for c in _centers(request)}
        center = centers.get(request.GET.get("center", ""), next(iter(centers.values()), None))
        if center is None:
            raise Http404
    context = {"job": job, "center": center, "runs": selectors.job_runs(name=name, center=center)}
    return render(request, "jobs/job_history.html", context)


@require_POST
@perm_required(PERM)
def job_run(request: HttpRequest) -> HttpResponse:
    """Run one job now for one of the person's centers, and say how it went."""
    job = JOBS.get(request.POST.get("name", ""))
    if job is None:
        messages.error(request, _("Job: choose one of the listed jobs."))
        return redirect("jobs:list")
    center = None
    if job.per_center:
        centers = {str(c.pk): c for c in _centers(request)}
        center = centers.get(request.POST.get("center", ""))
        if center is None:
            messages.error(request, _("Center: choose one of your centers."))
            return redirect("jobs:list")
    try:
        run = services.job_run_now(by=request.user, name=job.name, center=center)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("jobs:list")
    if run.outcome == Outcome.OK:
        messages.success(
            request, _("{job}: done. {summary}").format(job=job.label, summary=run.summary)
        )
    else:
        messages.error(request, _("{job} failed: {error}").format(job=job.label, error=run.summary))
    return redirect("jobs:list")
