"""Pure rules of the catalog: which of the eight parts are missing, and whether limits agree.

No ORM here: callers pass plain values, so the same rules serve one item page and the
campaign overview over hundreds of items (counted in one query).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from govhall.catalog.choices import FeeMode, HandlingType, Part

HALF = Decimal("0.5")


@dataclass(frozen=True)
class PartCounts:
    """What a version holds, as far as completeness is concerned."""

    basic_filled: bool
    has_flowchart_image: bool
    fee_mode: str
    no_forms: bool
    materials: int
    fee_lines: int
    forms: int
    steps: int
    risks: int
    faqs: int


BASIC_REQUIRED = (
    "name",
    "category",
    "handling_type",
    "legal_basis",
    "conditions",
    "place",
    "hours",
    "result_name",
)


def basic_filled(values: dict[str, object]) -> bool:
    """基本信息表 is complete when every field the public relies on is filled."""
    return all(str(values.get(field) or "").strip() for field in BASIC_REQUIRED)


def missing_parts(counts: PartCounts) -> list[Part]:
    """The parts (of the eight) that a version still lacks, in the bulletin's order."""
    present = {
        Part.BASIC: counts.basic_filled,
        Part.FLOWCHART: counts.has_flowchart_image or counts.steps > 0,
        Part.MATERIALS: counts.materials > 0,
        Part.FEES: counts.fee_mode == FeeMode.FREE
        or (counts.fee_mode == FeeMode.CHARGED and counts.fee_lines > 0),
        Part.FORMS: counts.no_forms or counts.forms > 0,
        Part.STEPS: counts.steps > 0,
        Part.RISKS: counts.risks > 0,
        Part.FAQS: counts.faqs > 0,
    }
    return [part for part in Part if not present[part]]


def limit_problems(
    *, handling_type: str, legal_days: Decimal, promised_days: Decimal, step_days: Iterable[Decimal]
) -> list[tuple[str, str]]:
    """(field, problem code) pairs where the limits disagree; empty when they are consistent.

    Limits are whole or half working days (承诺时限 may be 0.5); a 即办件 is promised 0 days;
    the promised limit may not exceed the statutory one, and the steps must fit in it.
    """
    problems: list[tuple[str, str]] = []
    for field, value in (("legal_days", legal_days), ("promised_days", promised_days)):
        if value < 0 or value % HALF:
            problems.append((field, "half_days"))
    if promised_days > legal_days:
        problems.append(("promised_days", "over_legal"))
    if handling_type == HandlingType.IMMEDIATE and promised_days != 0:
        problems.append(("promised_days", "immediate_not_zero"))
    if handling_type == HandlingType.PROMISED and promised_days <= 0:
        problems.append(("promised_days", "promised_zero"))
    steps = list(step_days)
    if any(d < 0 or d % HALF for d in steps):
        problems.append(("steps", "half_days"))
    if sum(steps, Decimal("0")) > promised_days and handling_type == HandlingType.PROMISED:
        problems.append(("steps", "steps_over_promised"))
    return problems
