"""The app's URLs plus the benchmark's reference views (never part of the product)."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from govhall.urls import urlpatterns as app_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    """The floor: a JSON answer through the same middleware, without the database."""
    return JsonResponse({"ok": True})


# Made by bench/run.py before the HTTP figures, dropped after them.
WRITE_TABLE = "bench_write"


@csrf_exempt
def write_one(request: HttpRequest) -> HttpResponse:
    """The ceiling for any write: one INSERT committed per request, through the same middleware."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {WRITE_TABLE} DEFAULT VALUES RETURNING id")  # noqa: S608
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [
    path("bench/ping", ping),
    path("bench/write", write_one),
    *app_urlpatterns,
]
