"""The default of an update service's keyword arguments: "leave this field as it is", distinct
from every value a field may take (None and "" included)."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged.UNCHANGED
# `name: str | Unchanged = UNCHANGED`; `if name is not UNCHANGED:` narrows it to str.
Unchanged: TypeAlias = Literal[_Unchanged.UNCHANGED]
