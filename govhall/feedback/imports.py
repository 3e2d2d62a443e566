"""Import kind `feedback` (DESIGN.md §5): 类型 (投诉/留言), 单位 (may be empty), 提交时间, 内容.

Imported complaints and messages are the hall's history, handled before the system: they count
in their month's figures and owe no answer. A row already imported (same kind, time and
content) is left as it is, so a file can be imported twice.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import ImportErrors, ImportKind, Row, parse_local_datetime, register
from govhall.feedback.choices import KIND_NAMES, FeedbackChannel
from govhall.feedback.models import Feedback
from govhall.feedback.services import MAX_CONTENT, feedback_submit
from govhall.org.models import Center, Unit

COLUMNS = {"kind": "类型", "unit": "单位", "content": "内容"}


def import_feedback(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    created = 0
    seen: dict[tuple[str, Any, str], int] = {}
    for row in rows:
        kind = KIND_NAMES.get(row.get("类型"))
        if kind is None:
            errors.add(row, "类型", _("must be 投诉 or 留言"))
        unit = None
        if unit_name := row.get("单位"):
            unit = units.get(unit_name)
            if unit is None:
                errors.add(
                    row,
                    "单位",
                    _("unknown unit “{unit}”; import the units first").format(unit=unit_name),
                )
        raw_time = row.get("提交时间")
        submitted_at = None
        try:
            submitted_at = parse_local_datetime(raw_time)
        except ValueError:
            errors.add(row, "提交时间", _("must be a time like 2016-12-08 09:30"))
        content = row.get("内容")
        if not content:
            errors.add(row, "内容", _("must not be empty"))
        elif len(content) > MAX_CONTENT:
            errors.add(row, "内容", _("is longer than {n} characters").format(n=MAX_CONTENT))
        if (
            kind is None
            or submitted_at is None
            or not content
            or (row.get("单位") and unit is None)
        ):
            continue
        key = (kind, submitted_at, content)
        if key in seen:
            errors.add(row, "内容", _("repeats row {row}").format(row=seen[key]))
            continue
        seen[key] = row.number
        if Feedback.objects.filter(
            center=center, kind=kind, submitted_at=submitted_at, content=content
        ).exists():
            continue
        try:
            feedback_submit(
                center=center,
                kind=kind,
                content=content,
                unit=unit,
                channel=FeedbackChannel.IMPORT,
                at=submitted_at,
            )
        except DomainError as exc:
            errors.add(row, COLUMNS.get(exc.field or ""), exc.message)
            continue
        created += 1
    return created, 0


register(
    ImportKind(
        name="feedback",
        required=("类型", "提交时间", "内容"),
        optional=("单位",),
        run=import_feedback,
        description="投诉、留言",
    )
)
