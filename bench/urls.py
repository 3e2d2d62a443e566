"""The app's URLs plus the benchmark's reference views (never part of the product)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from govhall.urls import urlpatterns as app_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    """The floor: a JSON answer through the same middleware, without the database."""
    return JsonResponse({"ok": True})


@csrf_exempt
def intake(request: HttpRequest) -> HttpResponse:
    """Stand-in for POST /api/v1/cases when the API is absent: the same intake service
    (case_receive) called as the benchmark's office account, with a shared secret."""
    from django.contrib.auth import get_user_model

    from govhall.cases.services import case_receive
    from govhall.catalog.models import ServiceItem

    if request.method != "POST" or request.headers.get("X-Bench") != os.environ.get(
        "BENCH_SECRET", "-"
    ):
        return JsonResponse({"error": "forbidden"}, status=403)
    body: dict[str, Any] = json.loads(request.body)
    user = get_user_model().objects.get(username="bench-office")
    item = ServiceItem.objects.select_related("current").get(
        code=body["item_code"], center__name=body["center"]
    )
    case = case_receive(
        by=user,
        item=item,
        applicant_name=body["applicant_name"],
        applicant_phone=body.get("applicant_phone", ""),
    )
    return JsonResponse({"number": case.number}, status=201)


urlpatterns = [
    path("bench/ping", ping),
    path("bench/intake", intake),
    *app_urlpatterns,
]
