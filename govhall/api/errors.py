"""One error format for every failure of the API.

    {"error": {"code": "validation_error", "message": "…", "fields": {"applicant_name": "…"}}}

Validation (400), authentication (401), permission (403), not found (404), method (405),
conflict (409), a body too large (413), a refused business rule (422), rate limit (429) and
anything unexpected (500) all answer in this shape, with a message in the hall's language naming
the field at fault. The format itself is govhall.core.errors.json_error, which the middleware and
the site's error handlers also use for paths under /api/.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from govhall.core.errors import DomainError, json_error

logger = logging.getLogger("govhall.api")


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorOut(Schema):
    """Every error response."""

    error: ErrorBody


class ApiError(Exception):
    """An error answered as it is: status, code, message and the fields at fault."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


error_response = json_error


def unauthorized(message: str | None = None) -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        message
        or _("Sign in, or send a valid token in the header “Authorization: Bearer <token>”."),
        headers={"WWW-Authenticate": 'Bearer realm="govhall"'},
    )


def forbidden(message: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message or _("You are not allowed to do this here."))


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Nothing was found at this address."))


# --- validation messages ------------------------------------------------------------------

_TYPE_MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "string_type": lambda ctx: _("Enter text."),
    "string_too_short": lambda ctx: _("Enter at least {n} characters.").format(
        n=ctx.get("min_length", 1)
    ),
    "string_too_long": lambda ctx: _("Enter at most {n} characters.").format(
        n=ctx.get("max_length", "")
    ),
    "string_pattern_mismatch": lambda ctx: _("The format is not valid."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "date_type": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "literal_error": lambda ctx: _("Choose one of: {values}.").format(
        values=ctx.get("expected", "")
    ),
    "enum": lambda ctx: _("Choose one of: {values}.").format(values=ctx.get("expected", "")),
    "greater_than_equal": lambda ctx: _("Enter a number of at least {n}.").format(
        n=ctx.get("ge", "")
    ),
    "less_than_equal": lambda ctx: _("Enter a number of at most {n}.").format(n=ctx.get("le", "")),
    "greater_than": lambda ctx: _("Enter a number above {n}.").format(n=ctx.get("gt", "")),
    "less_than": lambda ctx: _("Enter a number below {n}.").format(n=ctx.get("lt", "")),
    "too_short": lambda ctx: _("Enter at least {n} entries.").format(n=ctx.get("min_length", 1)),
    "too_long": lambda ctx: _("Enter at most {n} entries.").format(n=ctx.get("max_length", "")),
    "list_type": lambda ctx: _("Send a list."),
    "model_type": lambda ctx: _("Send a JSON object."),
    "dict_type": lambda ctx: _("Send a JSON object."),
    "model_attributes_type": lambda ctx: _("Send a JSON object."),
    "extra_forbidden": lambda ctx: _("This field is not known."),
    "json_invalid": lambda ctx: _("The request body is not valid JSON."),
}


def _field_name(loc: tuple[Any, ...], *, single_body: bool = True) -> str:
    """("body", "payload", "applicant_name") → "applicant_name"; ("query", "status") → "status"."""
    source = str(loc[0]) if loc else "body"
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    if source == "body" and single_body and names:
        names = names[1:]  # the view's parameter name, which the client never sees
    return ".".join(names) or source


def _message(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in ("too_short", "too_long") and ctx.get("field_type") == "Value":
        # A length limit placed after a validator on text is reported as a plain value's, not
        # as a string's: it still counts characters.
        kind = f"string_{kind}"
    make = _TYPE_MESSAGES.get(kind)
    if make is not None:
        return str(make(ctx))
    if error.get("type") == "value_error" and ctx.get("error"):
        return str(ctx["error"])  # our own validators raise translated messages
    return _("This value is not valid.")


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_name(tuple(error.get("loc") or ())), _message(error))
    return fields


# --- handlers -------------------------------------------------------------------------------

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}


def install(api: NinjaAPI) -> None:
    """Answer every exception of `api` in the one error format."""

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_fields(exc.errors)
        first = next(iter(fields), "")
        message = _("Check the field “{field}”: {message}").format(
            field=first, message=fields.get(first, "")
        )
        return error_response(400, "validation_error", message, fields)

    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        fields = {exc.field: str(exc.message)} if exc.field else {}
        if exc.field in ("status", "cursor"):
            # The case's state forbids the step (a conflict), or a page cursor was forged.
            if exc.field == "cursor":
                return error_response(400, "validation_error", str(exc.message), fields)
            return error_response(409, "conflict", str(exc.message), fields)
        return error_response(422, "domain_error", str(exc.message), fields)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if isinstance(exc, AuthenticationError):
            return api_error(request, unauthorized())
        if isinstance(exc, Throttled):
            wait = int(exc.wait or 60)
            return error_response(
                429,
                "rate_limited",
                _("Too many requests: wait {n} seconds and try again.").format(n=wait),
                headers={"Retry-After": str(wait)},
            )
        if status == 400:
            message = _("The request body is not valid JSON.")
            return error_response(400, "validation_error", message, {"body": message})
        if status == 403:
            return api_error(request, forbidden())
        return error_response(status, _HTTP_CODES.get(status, "error"), str(exc.message))

    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api_error(request, forbidden(str(exc) or None))

    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api_error(request, not_found())

    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # A JSON body is read into memory whole: DATA_UPLOAD_MAX_MEMORY_SIZE bounds it, below
        # the request limit that RequestSizeLimitMiddleware answers for uploads.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _("The request body is too large: at most {kb} KB.").format(kb=limit // 1024)
        return error_response(413, "too_large", message, {"body": message})

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        return error_response(
            500,
            "internal_error",
            _("Something went wrong on the server; nothing was changed. Please try again."),
        )

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(DomainError, domain)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(ObjectDoesNotExist, missing)
    api.add_exception_handler(RequestDataTooBig, too_large)
    api.add_exception_handler(Exception, unexpected)
