"""Form fields shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms

from govhall.core.text import strip_bidi


class SingleLineField(forms.CharField):
    """A one-line text the public types in (a name, a phone, a case number, a search): stored
    without bidirectional control characters, which would make it read differently than it is."""

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str):
            value = strip_bidi(value)
        return super().to_python(value)
