"""One-time form tokens: two quick sendings of one form create one record, not two.

A form that creates something renders `{% once_token %}` (a random hidden token, new on every
rendering). The view runs its service through `submit_once`, which stores the token in
FormSubmission (token unique) in the same transaction as the record it creates, with what that
sending created. A second sending of the same page finds the row and gets the first result
back instead of running the service again. Two sendings at once cannot both insert the token:
the second waits on the unique index (PostgreSQL) or on the write lock (SQLite, IMMEDIATE
transactions), then its transaction is rolled back whole and it replays the first's result.
A refused sending (DomainError) rolls the token back with everything else, so sending the
corrected form again works.

The token is only replayed for the same content: the same token with different fields (the
page went back and was edited, or someone copied a token) is refused, so a token never opens
another person's record. A form sent without a token (an old page, a script) runs as before.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError
from govhall.core.models import FormSubmission

FIELD = "once"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Not part of what the person wrote: Django's masked CSRF token changes with every page.
IGNORED = frozenset({FIELD, "csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Outcome:
    """What a sending created (as the view stored it) and whether this sending was a repeat."""

    result: str
    repeated: bool


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_of(request: HttpRequest) -> str | None:
    """The form's one-time token, or None when the form came without a well-formed one."""
    value = request.POST.get(FIELD, "")
    return value if TOKEN_PATTERN.fullmatch(value) else None


def digest_of(request: HttpRequest) -> str:
    """A fingerprint of the address and the fields the person filled in (uploads are not part
    of these forms): the same token sent elsewhere, or with other fields, is another sending."""
    fields = sorted((k, v) for k, v in request.POST.lists() if k not in IGNORED)
    canonical = json.dumps([request.path, fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _repeat(found: FormSubmission, purpose: str, digest: str) -> Outcome:
    if found.purpose != purpose or found.digest != digest:
        raise DomainError(
            _(
                "This form was already sent, with other details. Check the details and send "
                "the form again to make a new record."
            )
        )
    return Outcome(result=found.result, repeated=True)


def submit_once(*, request: HttpRequest, purpose: str, create: Callable[[], str]) -> Outcome:
    """Run `create` (which returns what it made, e.g. a primary key or a code) at most once per
    form token. The token row is inserted before `create` runs and in the same transaction, so a
    concurrent repeat blocks on it instead of creating a second record."""
    token = token_of(request)
    if token is None:
        return Outcome(result=create(), repeated=False)
    digest = digest_of(request)
    found = FormSubmission.objects.filter(token=token).first()
    if found is not None:
        return _repeat(found, purpose, digest)
    try:
        with transaction.atomic():
            row = FormSubmission.objects.create(token=token, purpose=purpose, digest=digest)
            row.result = str(create())[:200]
            row.save(update_fields=["result"])
    except IntegrityError:
        found = FormSubmission.objects.filter(token=token).first()
        if found is None:
            raise  # not the token: a real integrity failure of the record itself
        return _repeat(found, purpose, digest)
    return Outcome(result=row.result, repeated=False)
