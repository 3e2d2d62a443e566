"""The public kiosk (no login). The service catalog arrives with the catalog issue."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.org.models import Center, Unit, Window


def home(request: HttpRequest) -> HttpResponse:
    center_id = request.GET.get("center", "")
    centers = Center.objects.filter(is_active=True)
    center = centers.filter(pk=center_id).first() if center_id.isdigit() else centers.first()
    units = (
        Unit.objects.filter(center=center, is_active=True).prefetch_related(
            Prefetch("windows", queryset=Window.objects.filter(is_active=True))
        )
        if center
        else Unit.objects.none()
    )
    return render(
        request, "portal/home.html", {"center": center, "centers": centers, "units": units}
    )
