"""The default of an update service's keyword arguments: "leave this field as it is", distinct
from every value a field may take (None and "" included)."""

from __future__ import annotations

import enum
from typing import Any, Final, Literal, TypeAlias


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged.UNCHANGED
# `name: str | Unchanged = UNCHANGED`; `if name is not UNCHANGED:` narrows it to str.
Unchanged: TypeAlias = Literal[_Unchanged.UNCHANGED]


def given(**fields: Any) -> dict[str, Any]:
    """The keyword arguments an update was given: those not left UNCHANGED."""
    return {name: value for name, value in fields.items() if value is not UNCHANGED}
