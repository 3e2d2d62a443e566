"""The app's URLs plus the benchmark's reference views (never part of the product)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from govhall.urls import urlpatterns as app_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    """The floor: a JSON answer through the same middleware, without the database."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/ping", ping),
    *app_urlpatterns,
]
