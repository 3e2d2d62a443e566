"""/api/v1/: the JSON API, its schema and docs, and the office's token pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import include, path, re_path
from django.utils.translation import gettext as _

from govhall.api import views
from govhall.api.api import api
from govhall.api.errors import error_response


def _json_method_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a method the path does not take (405) in the API's error format."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return error_response(
                405,
                "method_not_allowed",
                _("This address does not take {method} requests.").format(method=request.method),
                headers={"Allow": response["Allow"]},
            )
        return response

    return wrapped


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found", _("Nothing was found at this address."))


ninja_urls, _app_name, namespace = api.urls
for pattern in ninja_urls:
    if hasattr(pattern, "callback"):
        pattern.callback = _json_method_errors(pattern.callback)  # type: ignore[union-attr]

pages = [
    path("clients/", views.client_list, name="clients"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<int:pk>/revoke/", views.client_revoke, name="client_revoke"),
]

urlpatterns = [
    path(
        "", include((ninja_urls + [path("manage/", include(pages))], "ninja"), namespace=namespace)
    ),
    re_path(r"^(?P<rest>.*)$", not_found),
]
