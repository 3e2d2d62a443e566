"""Import kinds `attendance` (an attendance terminal's export), `leaves` and `outings`
(DESIGN.md §5). Rows are checked for format and references; history is recorded as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import (
    ImportErrors,
    ImportKind,
    Row,
    parse_date,
    parse_local_datetime,
    register,
    unique_by,
)
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff
from govhall.staffing import services
from govhall.staffing.choices import LeaveKind, LeaveStatus, PunchKind
from govhall.staffing.models import Leave, Outing
from govhall.staffing.rules import infer_kind

# Data contract: the Chinese words of the import files.
LEAVE_KINDS = {
    "事假": LeaveKind.PERSONAL,
    "病假": LeaveKind.SICK,
    "公休": LeaveKind.ANNUAL,
    "年休": LeaveKind.ANNUAL,
    "年休假": LeaveKind.ANNUAL,
    "公休/年休": LeaveKind.ANNUAL,
    "婚假": LeaveKind.MARRIAGE,
    "丧假": LeaveKind.BEREAVEMENT,
    "产假": LeaveKind.MATERNITY,
    "其他": LeaveKind.OTHER,
}
LEAVE_STATUSES = {
    "": LeaveStatus.APPROVED,
    "已批准": LeaveStatus.APPROVED,
    "待审批": LeaveStatus.PENDING,
    "已驳回": LeaveStatus.REJECTED,
    "不批准": LeaveStatus.REJECTED,
    "已撤销": LeaveStatus.CANCELLED,
}
PUNCH_KINDS = {
    "上班": PunchKind.CLOCK_IN,
    "签到": PunchKind.CLOCK_IN,
    "上班签到": PunchKind.CLOCK_IN,
    "下班": PunchKind.CLOCK_OUT,
    "签退": PunchKind.CLOCK_OUT,
    "下班签退": PunchKind.CLOCK_OUT,
}
# Terminals write seconds and slashes; DESIGN.md's own format comes first.
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


def parse_punch_time(value: str) -> dt.datetime:
    """YYYY-MM-DD HH:MM (local time), or the same with seconds or slashes."""
    try:
        return parse_local_datetime(value)
    except ValueError:
        pass
    for layout in TIME_FORMATS:
        try:
            naive = dt.datetime.strptime(value.strip(), layout)  # noqa: DTZ007 (made aware below)
        except ValueError:
            continue
        return timezone.make_aware(naive.replace(second=0))
    raise ValueError(value)


StaffFinder = Callable[[Row, ImportErrors], Staff | None]


def staff_finder(center: Center, *, by_number: bool = False) -> StaffFinder:
    """Find a row's person by 工号 (the terminal's staff number) or by 姓名 (and 单位, when
    the name is not unique in the hall); every miss is reported on its row."""
    people = list(Staff.objects.filter(center=center).select_related("unit"))
    by_no = unique_by([p for p in people if p.staff_no], lambda p: p.staff_no)
    by_name = unique_by(people, lambda p: p.name)

    def find(row: Row, errors: ImportErrors) -> Staff | None:
        number = row.get("工号") if by_number else ""
        if number:
            found = by_no.get(number, [])
            if len(found) == 1:
                return found[0]
            message = (
                _("no staff member has the number “{no}”")
                if not found
                else _("more than one person has the number “{no}”")
            )
            errors.add(row, "工号", message.format(no=number))
            return None
        name = row.get("姓名")
        if not name:
            errors.add(row, "姓名", _("must not be empty"))
            return None
        found = by_name.get(name, [])
        if len(found) > 1:
            active = [p for p in found if p.is_active]
            found = active if len(active) == 1 else found
        if len(found) > 1 and row.get("单位"):
            found = [p for p in found if p.unit.name == row.get("单位")]
        if not found:
            errors.add(row, "姓名", _("“{name}” is not on the staff list").format(name=name))
            return None
        if len(found) > 1:
            errors.add(
                row,
                "姓名",
                _("more than one person is named “{name}”; add a 单位 column").format(name=name),
            )
            return None
        return found[0]

    return find


def _field_column(error: DomainError, mapping: dict[str, str]) -> str | None:
    return mapping.get(error.field or "")


# --- attendance ------------------------------------------------------------------------------


def import_attendance(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """工号 or 姓名, 时间, 类型 (optional: 上班/下班). Without 类型 a punch before the middle of
    the hall's day is an arrival. Punches already on record are skipped."""
    if not any("工号" in r.values or "姓名" in r.values for r in rows):
        errors.add(None, "工号", _("the file needs a 工号 or a 姓名 column"))
        return 0, 0
    find = staff_finder(center, by_number=True)
    hours = hours_of(center)
    now = timezone.now()
    punches = []
    for row in rows:
        # Every column is checked, so a row's problems are all reported at once.
        staff = find(row, errors)
        text = row.get("时间")
        at: dt.datetime | None = None
        try:
            at = parse_punch_time(text)
        except ValueError:
            errors.add(
                row,
                "时间",
                _("“{value}” is not a time: use YYYY-MM-DD HH:MM").format(value=text)
                if text
                else _("must not be empty"),
            )
        if at is not None and at > now:
            errors.add(row, "时间", _("is in the future"))
            at = None
        kind_text = row.get("类型")
        kind = PUNCH_KINDS.get(kind_text) if kind_text else None
        if kind_text and kind is None:
            errors.add(row, "类型", _("must be 上班 or 下班"))
            continue
        if at is None:
            continue
        if kind is None:
            local = timezone.localtime(at)
            kind = infer_kind(local.time(), hours(local.date()))
        if staff is not None:
            punches.append((staff, at, kind))
    if errors:
        return 0, 0
    created = services.attendance_punches_import(by=by, center=center, punches=punches)
    return created, 0


# --- leaves --------------------------------------------------------------------------------------

LEAVE_COLUMNS = {
    "kind": "请假类型",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "end_half": "结束日期",
    "status": "状态",
    "reason": "事由",
}


def import_leaves(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """姓名, 请假类型, 开始日期, 结束日期 (inclusive), 状态 (已批准 by default). A leave already on
    record (same person, type and dates) is skipped."""
    find = staff_finder(center)
    seen: dict[tuple[int, str, dt.date, dt.date], int] = {}
    created = 0
    for row in rows:
        staff = find(row, errors)
        kind = LEAVE_KINDS.get(row.get("请假类型"))
        if kind is None:
            errors.add(
                row, "请假类型", _("must be one of: {kinds}").format(kinds="、".join(LEAVE_KINDS))
            )
        dates = []
        for column in ("开始日期", "结束日期"):
            try:
                dates.append(parse_date(row.get(column)))
            except ValueError:
                errors.add(row, column, _("is not a date: use YYYY-MM-DD"))
        status = LEAVE_STATUSES.get(row.get("状态"))
        if status is None:
            errors.add(
                row,
                "状态",
                _("must be one of: {statuses}").format(
                    statuses="、".join(s for s in LEAVE_STATUSES if s)
                ),
            )
        if len(dates) == 2 and dates[1] < dates[0]:
            errors.add(row, "结束日期", _("is before the 开始日期"))
            continue
        if staff is None or kind is None or len(dates) < 2 or status is None:
            continue
        start, end = dates
        key = (staff.pk, kind, start, end)
        if key in seen:
            errors.add(row, "姓名", _("repeats row {row}").format(row=seen[key]))
            continue
        seen[key] = row.number
        if Leave.objects.filter(
            staff=staff, kind=kind, start_date=start, end_date=end, status=status
        ).exists():
            continue
        try:
            services.leave_record(
                by=by, staff=staff, kind=kind, start_date=start, end_date=end, status=status,
                reason=row.get("事由"),
            )  # fmt: skip
        except DomainError as exc:
            errors.add(row, _field_column(exc, LEAVE_COLUMNS), exc.message)
            continue
        created += 1
    return created, 0


# --- outings -----------------------------------------------------------------------------------

OUTING_COLUMNS = {"back_at": "返回时间", "reason": "事由", "out_at": "外出时间"}


def import_outings(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """姓名, 外出时间, 返回时间 (empty while out), 事由. An outing already on record (same person
    and time out) is skipped."""
    find = staff_finder(center)
    seen: dict[tuple[int, dt.datetime], int] = {}
    created = 0
    for row in rows:
        staff = find(row, errors)
        times: dict[str, dt.datetime | None] = {}
        for column in ("外出时间", "返回时间"):
            text = row.get(column)
            if not text and column == "返回时间":
                times[column] = None
                continue
            try:
                times[column] = parse_local_datetime(text)
            except ValueError:
                errors.add(row, column, _("is not a time: use YYYY-MM-DD HH:MM"))
        reason = row.get("事由")
        if not reason:
            errors.add(row, "事由", _("must not be empty"))
        went, came = times.get("外出时间"), times.get("返回时间")
        if went and came and came < went:
            errors.add(row, "返回时间", _("is before the 外出时间"))
            continue
        if staff is None or len(times) < 2 or not reason:
            continue
        out_at, back_at = times["外出时间"], times["返回时间"]
        if out_at is None:
            continue
        key = (staff.pk, out_at)
        if key in seen:
            errors.add(row, "外出时间", _("repeats row {row}").format(row=seen[key]))
            continue
        seen[key] = row.number
        if Outing.objects.filter(staff=staff, out_at=out_at).exists():
            continue
        try:
            services.outing_record(
                by=by, staff=staff, out_at=out_at, back_at=back_at, reason=reason
            )
        except DomainError as exc:
            errors.add(row, _field_column(exc, OUTING_COLUMNS), exc.message)
            continue
        created += 1
    return created, 0


register(
    ImportKind(
        name="attendance",
        required=("时间",),
        optional=("工号", "姓名", "单位", "类型"),
        run=import_attendance,
        description=gettext_lazy("attendance terminal punches"),
    )
)
register(
    ImportKind(
        name="leaves",
        required=("姓名", "请假类型", "开始日期", "结束日期"),
        optional=("状态", "单位", "事由"),
        run=import_leaves,
        description=gettext_lazy("leave records"),
    )
)
register(
    ImportKind(
        name="outings",
        required=("姓名", "外出时间", "返回时间", "事由"),
        optional=("单位",),
        run=import_outings,
        description=gettext_lazy("outing records"),
    )
)
