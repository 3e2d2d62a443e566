"""Working-day calendar backed by the database (placeholder until the calendar lands)."""

from __future__ import annotations


def calendar_warnings() -> list[int]:
    return []
