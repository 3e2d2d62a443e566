"""The site's 400, 404 and 500 answers: the API's JSON error format for paths under /api/, and
Django's own pages everywhere else.

The API's handlers answer what happens inside it; these cover what never reaches it (an
address under /api/ that no version serves, a suspicious request refused before any view).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from govhall.core.errors import is_api_request, json_error


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error(400, "bad_request", _("The request is not valid."))
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error(404, "not_found", _("Nothing was found at this address."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return json_error(
            500,
            "internal_error",
            _("Something went wrong on the server; nothing was changed. Please try again."),
        )
    return defaults.server_error(request)
