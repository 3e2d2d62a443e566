"""Text messages (短信) through a pluggable backend, like Django's e-mail backends.

`GOVHALL_SMS_BACKEND` names the class (default: the console backend, which logs the message so
a hall without an SMS contract still works, e.g. the office reads the link to the leader).
A real gateway is a class with `send(phone, text)`; it raises `SmsError` when refused.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "govhall.oversight.sms.ConsoleBackend"
logger = logging.getLogger("govhall.sms")


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Writes each message to standard error and the log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        line = f"[SMS to {phone}] {text}"
        logger.warning(line)
        sys.stderr.write(line + "\n")


@dataclass(frozen=True)
class SentMessage:
    phone: str
    text: str


# The messages "sent" by LocmemBackend, for tests (like django.core.mail.outbox).
outbox: list[SentMessage] = []


class LocmemBackend:
    """Keeps messages in `outbox`."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SentMessage(phone, text))


def get_backend() -> Any:
    return import_string(getattr(settings, "GOVHALL_SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
