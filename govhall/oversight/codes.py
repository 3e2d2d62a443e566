"""The hall screen's sign-in code: a keyed hash of the center and the minute, so it changes
every minute without writing anything, and a scan proves the leader stood before the screen.

A scan is accepted for the current and the previous minute (a leader scanning at hh:mm:59 is
still in). A valid scan yields a signed ticket the sign-in page carries for a few minutes more,
so the leader has time to type notes or wait for the text message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CODE_SALT = "govhall.oversight.patrol-code"
TICKET_SALT = "govhall.oversight.patrol-ticket"
TOKEN_LENGTH = 20
TICKET_SECONDS = 10 * 60


def minute_of(when: dt.datetime) -> int:
    """Minutes since the Unix epoch: the same on every server, whatever its time zone."""
    return int(when.timestamp() // 60)


def code_for(center_id: int, minute: int) -> str:
    return salted_hmac(
        CODE_SALT, f"{center_id}:{minute}", secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()[:TOKEN_LENGTH]


def code_status(center_id: int, minute: int, token: str, now: dt.datetime) -> str:
    """ "ok", "expired" (a genuine code of an earlier minute) or "invalid"."""
    if not token or len(token) != TOKEN_LENGTH:
        return "invalid"
    if not constant_time_compare(code_for(center_id, minute), token):
        return "invalid"
    current = minute_of(now)
    if minute in (current, current - 1):
        return "ok"
    return "expired" if minute < current else "invalid"


@dataclass(frozen=True)
class Ticket:
    center_id: int
    scanned_at: dt.datetime


def ticket_issue(center_id: int, scanned_at: dt.datetime) -> str:
    return signing.dumps({"c": center_id, "t": scanned_at.timestamp()}, salt=TICKET_SALT)


def ticket_read(ticket: str) -> Ticket | None:
    """The scan a ticket proves, or None when it is forged or older than TICKET_SECONDS."""
    try:
        data = signing.loads(ticket or "", salt=TICKET_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    try:
        return Ticket(int(data["c"]), dt.datetime.fromtimestamp(float(data["t"]), tz=dt.UTC))
    except (KeyError, TypeError, ValueError):
        return None
