"""Window screens (placeholder until the window-screen work lands)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.core.access import perm_required


@perm_required("cases.view_case")
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})
