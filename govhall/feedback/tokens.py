"""The signed token of a case's rating link (the QR code printed on its receipt).

The token is the case's id and an HMAC (SECRET_KEY) of the id, center and number: it cannot be
forged or guessed from other receipts, and a token made by another deployment does not open
anything here.
"""

from __future__ import annotations

import base64
import re

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from govhall.cases.models import Case

SALT = "govhall.feedback.rating-token"
TOKEN_RE = re.compile(r"^([0-9a-z]{1,13})\.([A-Za-z0-9_-]{22})$")


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        value, rest = divmod(value, 36)
        text = digits[rest] + text
        if value == 0:
            return text


def _digest(case_id: int, center_id: int, number: str) -> str:
    mac = salted_hmac(SALT, f"{case_id}:{center_id}:{number}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac[:16]).decode("ascii").rstrip("=")


def rating_token(case: Case) -> str:
    """The token of the case's rating link."""
    return f"{_base36(case.pk)}.{_digest(case.pk, case.center_id, case.number)}"


def rating_path(case: Case) -> str:
    """The path of the case's rating page (the receipt's QR code prefixes the public host)."""
    return reverse("public_feedback:rate", args=[rating_token(case)])


def case_for_token(token: str) -> Case | None:
    """The case a rating token opens; None for anything forged, altered or malformed."""
    match = TOKEN_RE.match(token or "")
    if match is None:
        return None
    case = (
        Case.objects.select_related("center", "unit", "item", "window")
        .filter(pk=int(match.group(1), 36))
        .first()
    )
    if case is None:
        return None
    expected = _digest(case.pk, case.center_id, case.number)
    return case if constant_time_compare(expected, match.group(2)) else None
