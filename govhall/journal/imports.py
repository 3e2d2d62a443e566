"""Import kind `journal` (DESIGN.md §5): 类型, 日期, 单位, 姓名, 内容.

How the columns land per 类型:
- 领导督办: 姓名 = who visited (e.g. 县人大常委会副主任 X一行), 内容 = what they said; 单位 optional.
- 媒体报道: 姓名 = the outlet, 内容 = what was reported; the optional 标题 column (else the last
  《…》 in 内容) is the title, the optional 链接 column a link.
- 信息报送: 单位 required; 标题 (else 内容) is the title; 姓名 = who submitted it.
- 其他工作: 内容; 标题 optional.
- 好人好事: 姓名 = a staff member (of 单位, when given), 内容 = the story.
A row equal to an entry already in the journal is skipped, so a file can be imported twice.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import ImportErrors, ImportKind, Row, parse_date, register
from govhall.journal import services
from govhall.journal.choices import KIND_NAMES, EntryKind
from govhall.journal.models import JournalEntry
from govhall.org.models import Center, Staff, Unit

TITLED = re.compile(r"《([^《》]{1,200})》")
COLUMNS = {
    "kind": "类型",
    "date": "日期",
    "unit": "单位",
    "staff": "姓名",
    "person": "姓名",
    "outlet": "姓名",
    "title": "标题",
    "content": "内容",
    "link": "链接",
}


def _title_of(row: Row, kind: str) -> str:
    if title := row.get("标题"):
        return title
    content = row.get("内容")
    if kind == EntryKind.MEDIA_REPORT:
        found = TITLED.findall(content)
        return found[-1] if found else content[:200]
    if kind == EntryKind.INFO_SUBMISSION:
        return content.splitlines()[0][:200] if content else ""
    return ""


def import_journal(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    created = 0
    for row in rows:
        # Every column is checked, so a row's problems are all reported at once.
        before = len(errors.problems)
        kind = KIND_NAMES.get(row.get("类型"))
        if kind is None:
            errors.add(row, "类型", _("must be one of {names}").format(names="、".join(KIND_NAMES)))
        date = None
        try:
            date = parse_date(row.get("日期"))
        except ValueError:
            errors.add(
                row,
                "日期",
                _("“{value}” is not a date like 2016-12-08").format(value=row.get("日期")),
            )
        unit = None
        if unit_name := row.get("单位"):
            unit = units.get(unit_name)
            if unit is None:
                errors.add(row, "单位", _("unknown unit “{unit}”").format(unit=unit_name))
        staff = None
        name = row.get("姓名")
        if kind == EntryKind.GOOD_DEED and not (unit_name and unit is None):
            staff = _staff(row, center, unit, name, errors)
        if len(errors.problems) > before or kind is None or date is None:
            continue
        fields: dict[str, Any] = {
            "kind": kind,
            "date": date,
            "unit": unit,
            "staff": staff,
            "person": name if kind in (EntryKind.LEADER_VISIT, EntryKind.INFO_SUBMISSION) else "",
            "outlet": name if kind == EntryKind.MEDIA_REPORT else "",
            "title": _title_of(row, kind),
            "link": row.get("链接"),
            "content": row.get("内容"),
        }
        if _already_there(center, fields):
            continue
        try:
            services.journal_entry_create(by=by, center=center, **fields)
        except DomainError as exc:
            errors.add(row, COLUMNS.get(exc.field or ""), exc.message)
            continue
        created += 1
    return created, 0


def _staff(
    row: Row, center: Center, unit: Unit | None, name: str, errors: ImportErrors
) -> Staff | None:
    if not name:
        errors.add(row, "姓名", _("must not be empty"))
        return None
    people = Staff.objects.filter(center=center, name=name, is_active=True)
    if unit is not None:
        people = people.filter(unit=unit)
    matches = list(people[:2])
    if not matches:
        errors.add(row, "姓名", _("“{name}” is not on the staff list").format(name=name))
        return None
    if len(matches) > 1:
        errors.add(
            row,
            "姓名",
            _("more than one person is named “{name}”: give the 单位").format(name=name),
        )
        return None
    return matches[0]


def _already_there(center: Center, fields: dict[str, Any]) -> bool:
    return JournalEntry.objects.filter(
        center=center,
        kind=fields["kind"],
        date=fields["date"],
        unit=fields["unit"] if fields["kind"] != EntryKind.GOOD_DEED else fields["staff"].unit,
        staff=fields["staff"],
        content=(fields["content"] or "").strip(),
        title=(fields["title"] or "").strip(),
    ).exists()


register(
    ImportKind(
        name="journal",
        required=("类型", "日期", "单位", "姓名", "内容"),
        optional=("标题", "链接"),
        run=import_journal,
        description=gettext_lazy(
            "work journal: visits, media, submissions, other work, good deeds"
        ),
    )
)
