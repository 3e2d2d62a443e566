"""Text messages (短信) through a pluggable backend, like Django's e-mail backends.

`GOVHALL_SMS_BACKEND` names the class (default: the console backend, which logs the message so
a hall without an SMS contract still works, e.g. the office reads the link to the leader).
A real gateway is a class with `send(phone, text)`; it raises `SmsError` when refused.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.request
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


class HttpGatewayBackend:
    """Posts {"phone", "text"} as JSON to GOVHALL_SMS_GATEWAY_URL (bearer token optional);
    any answer but 2xx, or no answer within 10 s, is a refusal."""

    def send(self, phone: str, text: str) -> None:
        url = getattr(settings, "GOVHALL_SMS_GATEWAY_URL", "")
        if not url.startswith(("http://", "https://")):
            raise SmsError("GOVHALL_SMS_GATEWAY_URL is not an http(s) address")
        headers = {"Content-Type": "application/json"}
        if token := getattr(settings, "GOVHALL_SMS_GATEWAY_TOKEN", ""):
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (checked above)
                if not 200 <= answer.status < 300:
                    raise SmsError(f"gateway answered {answer.status}")
        except (OSError, ValueError) as error:
            raise SmsError(str(error)) from error


def get_backend() -> Any:
    return import_string(getattr(settings, "GOVHALL_SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
