"""The region's pages (区域监管): the regions one reads, a region's month ranked, a center's
month under it, and the regional bulletin's files. Read-only: nothing here writes."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govhall.bulletins import render_region
from govhall.bulletins.choices import Format
from govhall.bulletins.figures import figures
from govhall.bulletins.outputs import CONTENT_TYPES
from govhall.bulletins.selectors import region_figures
from govhall.core.months import month_start, shift_month
from govhall.org.models import Region
from govhall.org.selectors import region_centers, region_get, regions_for


def _region_or_404(request: HttpRequest, pk: int) -> Region:
    region = region_get(user=request.user, pk=pk)
    if region is None:
        raise Http404(_("No such region, or not one you supervise."))
    return region


def _month(request: HttpRequest, raw: str | None = None) -> dt.date | None:
    raw = (raw if raw is not None else request.GET.get("month", "")).strip()
    if not raw:
        return shift_month(month_start(timezone.localdate()), -1)
    try:
        return month_start(raw)
    except ValueError:
        return None


@login_required
@require_GET
def region_list(request: HttpRequest) -> HttpResponse:
    regions = list(regions_for(request.user))
    if len(regions) == 1:
        return redirect("regions:overview", pk=regions[0].pk)
    if not regions:
        raise Http404(_("Your account supervises no region."))
    return render(request, "bulletins/region_list.html", {"regions": regions})


@login_required
@require_GET
def region_overview(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region_or_404(request, pk)
    month = _month(request)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    found = region_figures(region=region, month=month)
    return render(
        request,
        "bulletins/region_overview.html",
        {
            "region": region,
            "fig": found,
            "month": month,
            "previous": f"{shift_month(month, -1):%Y-%m}",
            "next": f"{shift_month(month, 1):%Y-%m}",
            "document": render_region.render_fragment(found),
            "formats": Format.values,
        },
    )


@login_required
@require_GET
def region_center_month(request: HttpRequest, pk: int, center_pk: int, month: str) -> HttpResponse:
    """Drill-down: one center's month as the region sees it, read-only."""
    region = _region_or_404(request, pk)
    center = region_centers(region=region).filter(pk=center_pk).first()
    if center is None:
        raise Http404(_("No such center under this region."))
    start = _month(request, month)
    if start is None:
        raise Http404(_("Give the month as YYYY-MM."))
    found = figures(center, start)
    units = len(found.patrol.signed_units) + len(found.patrol.unsigned_units)
    return render(
        request,
        "bulletins/region_center.html",
        {"region": region, "center": center, "month": start, "f": found, "units": units},
    )


@login_required
@require_GET
def region_download(request: HttpRequest, pk: int, month: str, fmt: str) -> HttpResponse:
    region = _region_or_404(request, pk)
    start = _month(request, month)
    if start is None or fmt not in Format.values:
        raise Http404(_("No such file."))
    found = region_figures(region=region, month=start)
    response = HttpResponse(render_region.render(found, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        fmt in (Format.DOCX, Format.PDF), render_region.filename(found, fmt)
    )
    return response
