"""Office pages of the working-day calendar (placeholder until the calendar lands)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@permission_required("core.view_calendarday", raise_exception=True)
def calendar_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "core/calendar_overview.html", {})
