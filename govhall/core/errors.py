"""Domain errors: raised by services with a message a person can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse

if TYPE_CHECKING:
    from django.forms import BaseForm

API_PREFIX = "/api/"


class DomainError(Exception):
    """A business rule refused the request; `field` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def form_error(
    form: BaseForm, error: DomainError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: beside the field it names, else above the form.

    `aliases` maps a service's field name to the form's where they differ."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class NotAllowed(PermissionDenied):
    """The account may not do this here (a 403 in views)."""


def is_api_request(request: HttpRequest) -> bool:
    """A request for the JSON API, which answers every error in `json_error`'s format."""
    return request.path.startswith(API_PREFIX)


def json_error(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """The API's one error format: {"error": {"code", "message", "fields"}}.

    Defined here so the middleware and the site's error handlers, which run before or outside
    the API, answer API paths in the same shape as the API's own handlers.
    """
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response
