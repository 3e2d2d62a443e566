"""The adapter contract: every provincial platform is reached through one of these.

An adapter is built per link (`factory(link)`) and must not raise from `push_*`: a refusal, a
timeout or a malformed answer is an `Ack` with `ok=False` and a reason a person can read.
`fetch_warnings` raises `PlatformError` with such a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext as _

from govhall.core.errors import DomainError


@dataclass(frozen=True)
class Ack:
    """The platform's answer to one message: accepted with its reference, or refused and why."""

    ok: bool
    reference: str = ""
    reason: str = ""


@dataclass(frozen=True)
class InboundWarning:
    """A warning the platform raised: its own id (the key that makes fetching idempotent)."""

    warning_id: str
    case_number: str
    level: str
    message: str
    issued_at: dt.datetime | None


class PlatformError(Exception):
    """The platform could not be asked, or answered nonsense; the message says which."""


@runtime_checkable
class ProvincialPlatform(Protocol):
    def push_case(self, payload: dict[str, Any]) -> Ack: ...

    def push_rating(self, payload: dict[str, Any]) -> Ack: ...

    def fetch_warnings(self, since: dt.datetime | None) -> list[InboundWarning]: ...


AdapterFactory = Callable[[Any], ProvincialPlatform]

_REGISTRY: dict[str, AdapterFactory] = {}


def register_adapter(name: str, factory: AdapterFactory) -> None:
    """Make an adapter available to ProvinceLink rows under `name` (from AppConfig.ready)."""
    _REGISTRY[name] = factory


def adapter_names() -> list[str]:
    return sorted(_REGISTRY)


def adapter_for(link: Any) -> ProvincialPlatform:
    """The adapter a link names, built for that link."""
    factory = _REGISTRY.get(link.adapter)
    if factory is None:
        raise DomainError(
            _("Unknown adapter {name}; known: {known}.").format(
                name=link.adapter, known=", ".join(adapter_names())
            ),
            field="adapter",
        )
    return factory(link)
