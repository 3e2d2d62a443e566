"""Language selection, security headers, no-store on personal pages, and the request size limit.

Language: Chinese unless the person chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
a hall PC with an English browser; the hall's language is Chinese, so only an explicit choice
(the language cookie set by the switcher) changes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from govhall.core.errors import is_api_request, json_error


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# No inline script or style anywhere: scripts and stylesheets come from /static/ only, so an
# injected <script> or on*= handler does not run. Images may be data: URIs (QR codes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; style-src 'self'"
)
# A document served as a file (the bulletin's HTML carries its own <style>): no script at all,
# sandboxed, styles inline only.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'; sandbox"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django's
    SecurityMiddleware sets Referrer-Policy, X-Content-Type-Options and COOP). A view may set
    its own Content-Security-Policy, which is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Disposition" in response.headers and response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            policy = DOCUMENT_POLICY
        else:
            policy = CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# Public pages (no login) that show a person's data or what they typed: the case lookup, the
# supplement page, the rating pages, a complaint's code and answer, the booking pages.
PERSONAL_PUBLIC_PAGES = frozenset(
    {
        "service:supplement",
        "service:progress",
        "service:appointment_book",
        "service:appointment_done",
        "service:appointment_cancel",
        "public_feedback:rate_lookup",
        "public_feedback:rate",
        "public_feedback:write",
        "public_feedback:written",
        "public_feedback:answer",
    }
)


class NoStoreMiddleware:
    """Cache-Control: no-store (with private, no-cache, must-revalidate, as never_cache) on every
    answer to a logged-in person or an API token, and on the public pages above: a shared hall
    PC's back button, its disk cache or a proxy must not keep personal data for the next person.
    Static files are answered earlier, by whitenoise, and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # the view forbade storing already (a file download)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or (match is not None and match.view_name in PERSONAL_PUBLIC_PAGES)
        ):
            add_never_cache_headers(response)
        return response


DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9]{8,40}")
DOWNLOAD_COOKIE = "govhall_download"


class DownloadTokenMiddleware:
    """Tells the page that a download it asked for has started: a link marked `data-download`
    adds `download_token` to its address (govhall.js), and the answer sets that token in a
    short-lived cookie the script watches, so "正在生成…" shows while a PDF or DOCX is built
    and goes away when the file (or an error page) arrives."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = request.GET.get("download_token", "")
        if DOWNLOAD_TOKEN.fullmatch(token):
            response.set_cookie(
                DOWNLOAD_COOKIE,
                token,
                max_age=60,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=False,  # read by the page's script; it holds nothing secret
            )
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request body over GOVHALL_MAX_REQUEST_BYTES before it is read (Django limits
    form fields, not uploaded files); the upload checkers then limit each file. API paths get
    the API's JSON error format, other pages plain text."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.GOVHALL_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("The upload is too large: at most {mb} MB in one request.").format(
                mb=limit // (1024 * 1024)
            )
            if is_api_request(request):
                return json_error(413, "too_large", message, {"body": message})
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuses a query string or form with a NUL character (400) before any view reads it:
    PostgreSQL text cannot hold one, so a search or filter would otherwise fail with a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for name, values in data.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return _nul_refusal(request, name.replace("\x00", ""))
        return self.get_response(request)


def _nul_refusal(request: HttpRequest, name: str) -> HttpResponse:
    message = _("The field “{name}” contains a character that is not allowed.").format(name=name)
    if is_api_request(request):
        return json_error(
            400,
            "validation_error",
            message,
            {name: _("This field contains a character that is not allowed.")},
        )
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
