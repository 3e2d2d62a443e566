"""Extra facts for /healthz, registered by the apps that own them (core knows no domain app).

Each provider returns a JSON-ready value; a provider that fails reports its error instead of
turning the probe red: /healthz answers 200 while the database does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_PROVIDERS: dict[str, Callable[[], Any]] = {}


def register_health(name: str, provider: Callable[[], Any]) -> None:
    _PROVIDERS[name] = provider


def health_extras() -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for name, provider in _PROVIDERS.items():
        try:
            extras[name] = provider()
        except Exception as error:  # a broken extra must not hide that the database answers
            extras[name] = {"error": str(error)[:200]}
    return extras
