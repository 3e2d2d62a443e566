"""Form fields shared by every app."""

from __future__ import annotations

from collections.abc import Callable
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


class GroupedSelect(forms.Select):
    """A select of records whose options carry `data-group` (the unit of a window or of a
    person), so that govhall.js shows only the options of the group chosen in another select
    (`data-filter-by`, that select's id). The server still checks every choice: the script
    only spares people from choosing what would be refused."""

    def __init__(self, *args: Any, group: Callable[[Any], object], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-group"] = str(self.group(instance))
        return option


def filter_by(field: forms.Field, parent: str, *, exclude_parent: bool = False) -> None:
    """Show `field`'s options only for the group chosen in the form's field `parent` (and never
    the very record chosen there, with `exclude_parent`)."""
    field.widget.attrs["data-filter-by"] = f"id_{parent}"
    if exclude_parent:
        field.widget.attrs["data-exclude-parent"] = ""
