"""The jobs themselves: each a plain function of (center, slot) that calls the owning app's
services and returns what it did in one line. Idempotent, so a retry or a catch-up is safe.

A job raises to fail; the runner records the error. The runner decides *when*; these decide
nothing about time except the day they are run for.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.bulletins.models import Bulletin
from govhall.bulletins.rollup import rollup_through
from govhall.bulletins.services import bulletin_create
from govhall.core.access import Actor
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError
from govhall.core.services import audit_checkpoint_write
from govhall.core.text import chinese_date
from govhall.evaluation.services import evaluation_compute
from govhall.feedback.choices import FeedbackStatus, RectificationStatus
from govhall.feedback.models import Feedback, Rectification
from govhall.org.choices import Role, StaffRole
from govhall.org.models import Center, Membership, Staff
from govhall.oversight.selectors import patrol_quota_status
from govhall.oversight.sms import SmsError, send_sms
from govhall.province.services import province_pull, province_push
from govhall.queueing.services import late_openings_record
from govhall.queueing.services import queue_watch as queue_watch_run
from govhall.staffing.choices import ApprovalLevel, LeaveStatus
from govhall.staffing.models import Leave, Outing
from govhall.staffing.services import vacancies_record
from govhall.supervision.services import alerts_send, supervise_day


class JobFailed(Exception):
    """The job ran but could not do its work (the message says why)."""


@dataclass(frozen=True)
class Context:
    center: Center | None
    slot: dt.datetime  # aware
    by: Actor = None  # None: the system; the person who pressed "run now" otherwise

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.slot).date()


def _center(ctx: Context) -> Center:
    assert ctx.center is not None  # noqa: S101 (per-center jobs always get one)
    return ctx.center


# --- supervision, province, vacancies ------------------------------------------------------------


def supervise(ctx: Context) -> str:
    result = supervise_day(by=ctx.by, center=_center(ctx), on=ctx.day)
    return _("{date}: {issued} new cards, {withdrawn} withdrawn, {alerts} alerts.").format(
        date=ctx.day.isoformat(),
        issued=len(result.issued),
        withdrawn=len(result.withdrawn),
        alerts=result.alerts,
    )


def push(ctx: Context) -> str:
    result = province_push(center=_center(ctx))
    summary = _("{ack} acknowledged, {retry} to retry later, {failed} failed.").format(
        ack=result.acknowledged, retry=result.retrying, failed=result.failed
    )
    if result.errors:
        raise JobFailed(summary + " " + "; ".join(result.errors)[:1000])
    return summary


def pull(ctx: Context) -> str:
    result = province_pull(center=_center(ctx))
    if result.errors:
        raise JobFailed("; ".join(result.errors)[:1000])
    return _("{n} new warnings stored, {linked} linked to their cases.").format(
        n=result.stored, linked=result.linked
    )


def _office_users(center: Center) -> list[int]:
    return list(
        Membership.objects.filter(center=center, role=Role.OFFICE, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _chiefs(center: Center, unit_ids: Iterable[int]) -> list[Staff]:
    return list(
        Staff.objects.filter(
            center=center, unit_id__in=set(unit_ids), role=StaffRole.CHIEF, is_active=True
        )
    )


@dataclass
class Sent:
    inbox: int = 0
    sms: int = 0
    sms_failed: int = 0


def _notify(
    center: Center,
    staff: Iterable[Staff],
    user_ids: Iterable[int],
    text: str,
    link: str,
    sent: Sent,
) -> None:
    """To each person's in-app inbox and, where a mobile phone is known, by SMS."""
    users = set(user_ids)
    for person in staff:
        if person.user_id:
            users.add(person.user_id)
        if person.phone:
            try:
                send_sms(person.phone, text)
                sent.sms += 1
            except SmsError:
                sent.sms_failed += 1
    sent.inbox += alerts_send(center=center, user_ids=users, text=text, link=link)


def record_vacancies(ctx: Context) -> str:
    """空岗 of the day, and the outings still open at close flagged to the unit and the office."""
    center = _center(ctx)
    found = vacancies_record(center=center, date=ctx.day)
    open_outings = list(
        Outing.objects.filter(center=center, out_date=ctx.day, back_at__isnull=True)
        .select_related("staff", "unit")
        .order_by("out_at")
    )
    sent = Sent()
    office = _office_users(center)
    for outing in open_outings:
        text = _(
            "{name} ({unit}) went out at {time} on {date} ({reason}) and had not come back "
            "by close of day."
        ).format(
            name=outing.staff.name,
            unit=outing.unit.name,
            time=f"{timezone.localtime(outing.out_at):%H:%M}",
            date=chinese_date(ctx.day),
            reason=outing.reason,
        )
        _notify(
            center, _chiefs(center, [outing.unit_id]), office, text,
            reverse("staffing:outing_list"), sent,
        )  # fmt: skip
    return _("{date}: {vacancies} vacancies, {outings} outings open at close.").format(
        date=ctx.day.isoformat(), vacancies=len(found), outings=len(open_outings)
    )


def queue_watch(ctx: Context) -> str:
    """电子监察 of the queue: waits over the limit, windows idle while numbers wait for them
    (recorded as 空岗), first calls late after opening."""
    center = _center(ctx)
    raised = queue_watch_run(center=center, at=ctx.slot)
    raised += late_openings_record(center=center, day=ctx.day, at=ctx.slot)
    return _("{count} queue alerts raised.").format(count=len(raised))


# --- backup --------------------------------------------------------------------------------------

BACKUP_PREFIX = "backup-"


def prune_backups(root: Path, *, keep_days: int, now: dt.datetime) -> list[Path]:
    """Delete the backup directories (made by this job) older than `keep_days`."""
    limit = now - dt.timedelta(days=keep_days)
    removed = []
    for path in sorted(root.glob(f"{BACKUP_PREFIX}*")):
        if not (path.is_dir() and (path / "manifest.json").exists()):
            continue
        try:
            made = dt.datetime.strptime(
                path.name[len(BACKUP_PREFIX) :] + "+0000", "%Y%m%d-%H%M%S%z"
            )
        except ValueError:
            continue
        if made < limit:
            shutil.rmtree(path)
            removed.append(path)
    return removed


def backup(ctx: Context) -> str:
    root = Path(settings.GOVHALL_BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = root / f"{BACKUP_PREFIX}{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}"
    call_command("backup", out=str(target), stdout=StringIO())
    removed = prune_backups(root, keep_days=settings.GOVHALL_BACKUP_KEEP_DAYS, now=now)
    checkpoint = audit_checkpoint_write(source="scheduled")
    return _(
        "Backup {name} written; {removed} older than {days} days removed; "
        "{written} audit head(s) checkpointed."
    ).format(
        name=target.name,
        removed=len(removed),
        days=settings.GOVHALL_BACKUP_KEEP_DAYS,
        written=checkpoint.written,
    )


# --- day counters --------------------------------------------------------------------------------


def rollup(ctx: Context) -> str:
    """The bulletin's day counters up to the day before the slot (bulletins/rollup.py)."""
    through = ctx.day - dt.timedelta(days=1)
    first, written = rollup_through(center=_center(ctx), through=through)
    if first is not None and first > through:
        return _("Day counters already hold up to {date}.").format(date=through.isoformat())
    return _("Day counters from {first} to {last}: {rows} unit-days.").format(
        first=first.isoformat() if first else _("the first record"),
        last=through.isoformat(),
        rows=written,
    )


# --- month close ---------------------------------------------------------------------------------


def month_close(ctx: Context) -> str:
    """The previous month's scorecards, and its bulletin drafted (never published)."""
    center = _center(ctx)
    month = (ctx.day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    parts = []
    try:
        evaluation_compute(by=ctx.by, center=center, month=month)
        parts.append(_("scorecards of {month} computed").format(month=f"{month:%Y-%m}"))
    except DomainError as error:  # the awards are confirmed: the office's word stands
        parts.append(str(error))
    if Bulletin.objects.filter(center=center, month=month).exists():
        parts.append(_("the bulletin of {month} already exists").format(month=f"{month:%Y-%m}"))
    else:
        bulletin = bulletin_create(by=ctx.by, center=center, month=month)
        parts.append(_("bulletin draft No. {number} created").format(number=bulletin.number))
    return "; ".join(parts) + "."


# --- reminders -----------------------------------------------------------------------------------


def reminders(ctx: Context) -> str:
    """What is waiting on someone: leave to approve, 整改/回访 and complaint answers falling due,
    leaders behind their patrol quota in the month's last week."""
    center = _center(ctx)
    calendar = get_calendar(center)
    today = ctx.day
    tomorrow = calendar.add(today, 1)
    due_by = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.max))
    sent = Sent()
    office = _office_users(center)
    counts = {"leave": 0, "rectification": 0, "feedback": 0, "patrol": 0}

    # Leave asked for more than one working day ago and still awaiting approval.
    for leave in Leave.objects.filter(center=center, status=LeaveStatus.PENDING).select_related(
        "staff", "unit"
    ):
        asked = timezone.localtime(leave.requested_at).date()
        if calendar.between(asked, today) - 1 <= 1:
            continue
        counts["leave"] += 1
        text = _("The leave of {name} ({unit}) asked on {date} is still awaiting approval.").format(
            name=leave.staff.name, unit=leave.unit.name, date=chinese_date(asked)
        )
        link = reverse("staffing:leave_detail", args=[leave.pk])
        # The step it waits at says who signs: the unit's chief, else the center office.
        if leave.step == ApprovalLevel.CHIEF:
            _notify(center, _chiefs(center, [leave.unit_id]), [], text, link, sent)
        else:
            _notify(center, [], office, text, link, sent)

    # 整改 (contact, rectify) and 回访 due by the end of the next working day, or overdue.
    tasks = Rectification.objects.filter(center=center).filter(
        Q(status=RectificationStatus.OPEN, contact_due__lte=due_by)
        | Q(status__in=[RectificationStatus.CONTACTED, RectificationStatus.RECTIFIED],
            rectify_due__lte=due_by)
    ).select_related("unit")  # fmt: skip
    for task in tasks:
        counts["rectification"] += 1
        due = task.contact_due if task.status == RectificationStatus.OPEN else task.rectify_due
        text = _("{unit}: the rectification task ({status}) is due {when}.").format(
            unit=task.unit.name,
            status=task.get_status_display(),
            when=f"{chinese_date(timezone.localtime(due))} {timezone.localtime(due):%H:%M}",
        )
        link = reverse("feedback:task_detail", args=[task.pk])
        _notify(center, _chiefs(center, [task.unit_id]), [], text, link, sent)

    # Complaints and messages whose answer falls due.
    for item in Feedback.objects.filter(
        center=center, status__in=sorted(FeedbackStatus.waiting()), answer_due__lte=due_by
    ).select_related("unit"):
        counts["feedback"] += 1
        due = timezone.localtime(item.answer_due)
        text = _("{kind} {code} must be answered by {when}.").format(
            kind=item.get_kind_display(), code=item.code, when=f"{chinese_date(due)} {due:%H:%M}"
        )
        link = reverse("feedback:feedback_detail", args=[item.pk])
        staff = _chiefs(center, [item.unit_id]) if item.unit_id else []
        _notify(center, staff, [] if item.unit_id else office, text, link, sent)

    # Leaders behind their patrol quota in the last week of the month.
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if (month_end - today).days <= 7:
        for row in patrol_quota_status(user=None, center=center, on=today):
            if not row.behind or row.period_end >= month_end:
                continue
            counts["patrol"] += 1
            leader = row.leader
            text = _(
                "{name} ({unit}): {done} of {required} minutes of hall patrol this period, "
                "which ends on {end}."
            ).format(
                name=leader.name,
                unit=leader.unit.name,
                done=row.done,
                required=row.required,
                end=chinese_date(row.period_end),
            )
            users = [leader.user_id] if leader.user_id else []
            sent.inbox += alerts_send(center=center, user_ids=users, text=text)
            if leader.phone:
                try:
                    send_sms(leader.phone, text)
                    sent.sms += 1
                except SmsError:
                    sent.sms_failed += 1

    summary = _(
        "{leave} leave, {tasks} rectification tasks, {feedback} answers, {patrol} patrol quotas: "
        "{inbox} inbox notices, {sms} SMS."
    ).format(
        leave=counts["leave"],
        tasks=counts["rectification"],
        feedback=counts["feedback"],
        patrol=counts["patrol"],
        inbox=sent.inbox,
        sms=sent.sms,
    )
    if sent.sms_failed:
        raise JobFailed(
            summary + " " + _("{n} SMS refused by the gateway.").format(n=sent.sms_failed)
        )
    return summary


Body = Callable[[Context], str]
