"""Domain errors: raised by services with a message a person can act on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A business rule refused the request; `field` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(PermissionDenied):
    """The account may not do this here (a 403 in views)."""
