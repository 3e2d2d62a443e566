"""Writes of the queue: taking a number, calling at a window, pausing; and the watch that turns
waits and idle windows into supervision facts."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Appointment, AppointmentStatus, Case, Consultation
from govhall.catalog.models import ServiceItem
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.calendar import get_calendar
from govhall.core.clock import now as clock_now
from govhall.core.errors import DomainError, NotAllowed
from govhall.org.hours import hours_of
from govhall.org.models import Center, Post, Staff, Unit, Window
from govhall.queueing import rules
from govhall.queueing.choices import (
    AlertKind,
    CallKind,
    PauseReason,
    Priority,
    TicketChannel,
    TicketStatus,
)
from govhall.queueing.models import (
    Call,
    QueueAlert,
    QueueCategory,
    QueueSettings,
    Ticket,
    WindowPause,
)
from govhall.queueing.selectors import (
    callable_tickets,
    current_ticket,
    late_openings,
    local_day,
    open_pause,
    settings_of,
    staff_of,
    ticketing_window,
)
from govhall.staffing.choices import LeaveStatus, VacancyHalf
from govhall.staffing.models import Leave, LeaveDay, Outing, Vacancy
from govhall.staffing.services.outings import outing_register, outing_return

PHONE = re.compile(r"^1\d{10}$")
# An appointment gives priority from a quarter of an hour before its slot to its end.
EARLY_FOR_SLOT = dt.timedelta(minutes=15)


def _now(at: dt.datetime | None = None) -> dt.datetime:
    return at or clock_now()


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _audit(by: Actor, action: str, ticket: Ticket, **after: Any) -> None:
    audit_record(by=by, action=action, obj=ticket, center_id=ticket.center_id, after=after or None)


# ---------------------------------------------------------------- taking a number


def ticket_issue(
    *,
    center: Center,
    category: str,
    channel: str,
    phone: str = "",
    appointment_code: str = "",
    priority: str = "",
    by: Actor = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """取号: a number of the category, within ticketing hours. An appointment checked in within
    its slot is called first; so is an elderly or disabled applicant who asks; 绿色通道 only at
    the office's discretion (an account that may issue tickets)."""
    if channel not in TicketChannel.values:
        raise DomainError(_("Unknown ticket channel."), field="channel")
    code = (category or "").strip().upper()
    found = QueueCategory.objects.filter(center=center, code=code, is_active=True).first()
    if found is None:
        raise DomainError(_("Choose a service category."), field="category")
    phone = (phone or "").strip()
    if phone and not PHONE.match(phone):
        raise DomainError(
            _("The mobile phone number must be 11 digits starting with 1."), field="phone"
        )
    if priority not in Priority.values:
        raise DomainError(_("Unknown priority."), field="priority")
    if priority == Priority.GREEN:
        if by is None:
            raise DomainError(
                _("The green channel is given by the center office at the desk."),
                field="priority",
            )
        require(by, "queueing.add_ticket", center_id=center.pk)
    if priority == Priority.APPOINTMENT:
        priority = ""  # earned by a valid appointment code, never asked for
    moment = _now(at)
    local = timezone.localtime(moment)
    day = local.date()
    opens, closes = ticketing_window(center, day)
    if not get_calendar(center).is_workday(day) or not opens <= local.time() < closes:
        raise DomainError(
            _("Numbers are given on working days from {opens} to {closes}.").format(
                opens=_hhmm(opens), closes=_hhmm(closes)
            ),
            field="category",
        )
    appointment = None
    if appointment_code.strip():
        appointment = _appointment_for(center, appointment_code.strip().upper(), local)
        if appointment is not None:
            priority = Priority.APPOINTMENT
    with transaction.atomic():
        # The category row serializes the day's numbering (two machines at once get 12 and 13).
        QueueCategory.objects.select_for_update().filter(pk=found.pk).first()
        last = (
            Ticket.objects.filter(center=center, series=found.code, day=day)
            .order_by("-seq")
            .values_list("seq", "place")
            .first()
        )
        seq = (last[0] if last else 0) + 1
        # The place is the issue time, kept strictly increasing so that order never ties.
        place = max(int(moment.timestamp() * 1_000_000), (last[1] + 1) if last else 0)
        ticket = Ticket.objects.create(
            center=center,
            category=found,
            day=day,
            series=found.code,
            seq=seq,
            number=rules.ticket_number(found.code, seq),
            token=secrets.token_urlsafe(16),
            channel=channel,
            phone=phone,
            appointment=appointment,
            priority=priority,
            rank=Priority.rank(priority),
            place=place,
            issued_at=moment,
        )
        if appointment is not None and appointment.status == AppointmentStatus.BOOKED:
            Appointment.objects.filter(pk=appointment.pk).update(
                status=AppointmentStatus.ARRIVED, marked_at=moment
            )
        _audit(by, "ticket.issue", ticket, number=ticket.number, channel=channel)
    return ticket


def _appointment_for(center: Center, code: str, local: dt.datetime) -> Appointment:
    appointment = (
        Appointment.objects.filter(code=code, slot__center=center).select_related("slot").first()
    )
    if appointment is None or appointment.status == AppointmentStatus.CANCELLED:
        raise DomainError(_("No appointment has this code."), field="appointment_code")
    slot = appointment.slot
    tz = local.tzinfo
    start = dt.datetime.combine(slot.date, slot.start, tzinfo=tz) - EARLY_FOR_SLOT
    end = dt.datetime.combine(slot.date, slot.end, tzinfo=tz)
    if not start <= local <= end:
        raise DomainError(
            _(
                "The appointment is for {date} {start}–{end}; take a number without it, or "
                "come at its time."
            ).format(date=slot.date.isoformat(), start=_hhmm(slot.start), end=_hhmm(slot.end)),
            field="appointment_code",
        )
    return appointment


# ---------------------------------------------------------------- at the window


def _on_duty(staff: Staff, window: Window, day: dt.date) -> bool:
    """At their own window, as its B角, or named to cover a colleague of it that day."""
    if staff.window_id == window.pk:
        return True
    if Post.objects.filter(window=window, backup=staff).exists():
        return True
    colleagues = Staff.objects.filter(window=window).values("pk")
    if Outing.objects.filter(out_date=day, cover=staff, staff__in=colleagues).exists():
        return True
    return LeaveDay.objects.filter(
        date=day, leave__status=LeaveStatus.APPROVED, leave__cover=staff, staff_id__in=colleagues
    ).exists()


def _caller(by: Actor, window: Window, day: dt.date) -> Staff | None:
    """Who calls: only staff on duty at the window (or its cover); an account without a staff
    record (a caller device's system account, the office) needs the right in the window's unit."""
    if by is None:
        return None
    staff = staff_of(by)
    if staff is None or staff.center_id != window.center_id:
        require(by, "queueing.call_ticket", center_id=window.center_id, unit_id=window.unit_id)
        return None
    require(by, "queueing.call_ticket", center_id=window.center_id, unit_id=staff.unit_id)
    if not _on_duty(staff, window, day):
        raise NotAllowed(
            _("Only the staff on duty at {window} (or its cover) can call there.").format(
                window=window
            )
        )
    return staff


def may_call_at(by: Actor, window: Window, day: dt.date) -> bool:
    """Whether `by` may call at the window that day (the desk's and the pad's question)."""
    try:
        _caller(by, window, day)
    except NotAllowed:
        return False
    return True


def _log(
    ticket: Ticket, window: Window, staff: Staff | None, kind: str, by: Actor, at: dt.datetime
) -> Call:
    return Call.objects.create(
        center_id=ticket.center_id,
        ticket=ticket,
        window=window,
        staff=staff,
        kind=kind,
        at=at,
        by=by,
    )


def _finish(
    ticket: Ticket, window: Window, staff: Staff | None, by: Actor, at: dt.datetime
) -> None:
    ticket.status = TicketStatus.DONE
    ticket.finished_at = at
    ticket.save(update_fields=["status", "finished_at", "case", "consultation"])
    _log(ticket, window, staff, CallKind.FINISH, by, at)


def ticket_call_next(*, window: Window, by: Actor, at: dt.datetime | None = None) -> Ticket | None:
    """下一位: the window's next waiting ticket after the priority rules (None: nobody waits).
    The ticket still at the window is finished first."""
    moment = _now(at)
    day = local_day(moment)
    staff = _caller(by, window, day)
    if open_pause(window) is not None:
        raise DomainError(_("The window is paused: resume service first."), field="window")
    with transaction.atomic():
        serving = current_ticket(window)
        if serving is not None:
            _finish(serving, window, staff, by, moment)
        # skip_locked: two windows calling at once take two different tickets (PostgreSQL).
        ticket = callable_tickets(window, day).select_for_update(skip_locked=True).first()
        if ticket is None:
            return None
        ticket.status = TicketStatus.CALLED
        ticket.called_at = moment
        if ticket.first_called_at is None:
            ticket.first_called_at = moment
            ticket.wait_seconds = max(int((moment - ticket.issued_at).total_seconds()), 0)
        ticket.window = window
        ticket.staff = staff
        ticket.save(
            update_fields=[
                "status", "called_at", "first_called_at", "wait_seconds", "window", "staff"
            ]
        )  # fmt: skip
        _log(ticket, window, staff, CallKind.CALL, by, moment)
        _audit(by, "ticket.call", ticket, window=window.pk)
    return ticket


def _locked_called(
    ticket: Ticket, by: Actor, at: dt.datetime
) -> tuple[Ticket, Window, Staff | None]:
    # Lock the ticket row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # window's outer join (finish, recall, skip and transfer all failed there).
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("window").get(pk=ticket.pk)
    )
    if ticket.status != TicketStatus.CALLED or ticket.window is None:
        raise DomainError(
            _("{number} is not being served at a window.").format(number=ticket.number),
            field="ticket",
        )
    staff = _caller(by, ticket.window, local_day(at))
    return ticket, ticket.window, staff


def ticket_recall(*, ticket: Ticket, by: Actor, at: dt.datetime | None = None) -> Ticket:
    """重呼: announce the same number again."""
    moment = _now(at)
    with transaction.atomic():
        ticket, window, staff = _locked_called(ticket, by, moment)
        ticket.called_at = moment
        ticket.save(update_fields=["called_at"])
        _log(ticket, window, staff, CallKind.RECALL, by, moment)
    return ticket


def ticket_skip(*, ticket: Ticket, by: Actor, at: dt.datetime | None = None) -> Ticket:
    """过号: the applicant did not come. The number goes back a few places (the office's
    setting); after too many misses it is dropped."""
    moment = _now(at)
    with transaction.atomic():
        ticket, window, staff = _locked_called(ticket, by, moment)
        settings = settings_of(ticket.center)
        ticket.skips += 1
        if ticket.skips > settings.max_skips:
            ticket.status = TicketStatus.MISSED
            ticket.finished_at = moment
        else:
            others = (
                Ticket.objects.filter(
                    category_id=ticket.category_id,
                    day=ticket.day,
                    status=TicketStatus.WAITING,
                    rank=ticket.rank,
                )
                .order_by("place")
                .values_list("place", flat=True)
            )
            ticket.place = rules.place_after(list(others), ticket.place, settings.skip_back_places)
            ticket.status = TicketStatus.WAITING
            ticket.window = None
            ticket.staff = None
        ticket.save(update_fields=["skips", "status", "finished_at", "place", "window", "staff"])
        _log(ticket, window, staff, CallKind.SKIP, by, moment)
        _audit(by, "ticket.skip", ticket, skips=ticket.skips, status=ticket.status)
    return ticket


def ticket_transfer(
    *,
    ticket: Ticket,
    by: Actor,
    category: QueueCategory | None = None,
    window: Window | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """转移: send the applicant to another category or to one window; they keep their place."""
    if category is None and window is None:
        raise DomainError(
            _("Choose a category or a window to send the number to."), field="category"
        )
    moment = _now(at)
    with transaction.atomic():
        ticket, here, staff = _locked_called(ticket, by, moment)
        if category is not None:
            if category.center_id != ticket.center_id or not category.is_active:
                raise DomainError(_("Choose a service category."), field="category")
            ticket.category = category
        if window is not None:
            if window.center_id != ticket.center_id or not window.is_active:
                raise DomainError(_("Choose a window of this hall."), field="window")
            if window.pk == here.pk:
                raise DomainError(_("The number is already at this window."), field="window")
        ticket.target_window = window
        ticket.status = TicketStatus.WAITING
        ticket.window = None
        ticket.staff = None
        ticket.save(update_fields=["category", "target_window", "status", "window", "staff"])
        _log(ticket, here, staff, CallKind.TRANSFER, by, moment)
        _audit(
            by,
            "ticket.transfer",
            ticket,
            category=ticket.category.code,
            window=window.pk if window else None,
        )
    return ticket


def ticket_finish(
    *,
    ticket: Ticket,
    by: Actor,
    case: Case | None = None,
    case_no: str = "",
    consultation: Consultation | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """办结: the applicant was served; the ticket names the case or consultation it became."""
    moment = _now(at)
    with transaction.atomic():
        ticket, window, staff = _locked_called(ticket, by, moment)
        if case_no.strip() and case is None:
            case = Case.objects.filter(center_id=ticket.center_id, number=case_no.strip()).first()
            if case is None:
                raise DomainError(
                    _("No case of this hall has the number {number}.").format(
                        number=case_no.strip()
                    ),
                    field="case_no",
                )
        if case is not None and case.center_id != ticket.center_id:
            raise DomainError(_("The case belongs to another center."), field="case_no")
        if consultation is not None and consultation.center_id != ticket.center_id:
            raise DomainError(
                _("The consultation belongs to another center."), field="consultation"
            )
        ticket.case = case
        ticket.consultation = consultation
        _finish(ticket, window, staff, by, moment)
        _audit(
            by,
            "ticket.finish",
            ticket,
            case=case.number if case else None,
            consultation=consultation.pk if consultation else None,
        )
    return ticket


def ticket_rated(*, ticket: Ticket, rating_id: int) -> None:
    """The rating pad's answer is kept on the ticket it was asked for."""
    Ticket.objects.filter(pk=ticket.pk).update(rating_id=rating_id)


# ---------------------------------------------------------------- pause and resume


def window_pause(
    *,
    window: Window,
    by: Actor,
    reason: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> WindowPause:
    """暂停服务 with a reason; 外出 registers the outing in the outing register."""
    if reason not in PauseReason.values:
        raise DomainError(_("Choose why the window pauses."), field="reason")
    note = (note or "").strip()[:200]
    if reason in (PauseReason.OUTING, PauseReason.OTHER) and not note:
        raise DomainError(_("Say where or why: the note is needed for this reason."), field="note")
    moment = _now(at)
    staff = _caller(by, window, local_day(moment))
    with transaction.atomic():
        if open_pause(window) is not None:
            raise DomainError(_("The window is already paused."), field="window")
        serving = current_ticket(window)
        if serving is not None:
            raise DomainError(
                _("Finish or skip {number} before pausing.").format(number=serving.number),
                field="window",
            )
        outing = None
        if reason == PauseReason.OUTING:
            if staff is None:
                raise DomainError(
                    _("An outing is registered by the staff member who goes out."), field="reason"
                )
            outing = outing_register(by=by, staff=staff, reason=note, out_at=moment)
        try:
            with transaction.atomic():
                pause = WindowPause.objects.create(
                    center_id=window.center_id,
                    window=window,
                    staff=staff,
                    reason=reason,
                    note=note,
                    outing=outing,
                    started_at=moment,
                )
        except IntegrityError:
            raise DomainError(_("The window is already paused."), field="window") from None
        audit_record(
            by=by,
            action="window.pause",
            obj=pause,
            center_id=window.center_id,
            after={"window": window.pk, "reason": reason, "note": note},
        )
    return pause


def window_resume(*, window: Window, by: Actor, at: dt.datetime | None = None) -> WindowPause:
    """恢复服务; the outing of a 外出 pause is closed with the return."""
    moment = _now(at)
    _caller(by, window, local_day(moment))
    with transaction.atomic():
        pause = (
            WindowPause.objects.select_for_update()
            .filter(window=window, ended_at__isnull=True)
            .first()
        )
        if pause is None:
            raise DomainError(_("The window is not paused."), field="window")
        pause.ended_at = moment
        pause.save(update_fields=["ended_at"])
        if pause.outing is not None and pause.outing.back_at is None:
            outing_return(by=by, outing=pause.outing, back_at=moment)
        audit_record(
            by=by,
            action="window.resume",
            obj=pause,
            center_id=window.center_id,
            after={"window": window.pk},
        )
    return pause


# ---------------------------------------------------------------- settings and categories


def queue_settings_update(*, center: Center, by: Actor, **values: Any) -> QueueSettings:
    """The office sets ticketing hours, 过号 and the supervision limits."""
    require(by, "queueing.change_queuesettings", center_id=center.pk)
    settings = settings_of(center)
    before = {k: str(getattr(settings, k)) for k in values}
    for key, value in values.items():
        setattr(settings, key, value)
    opens, closes = settings.ticketing_opens, settings.ticketing_closes
    if opens and closes and closes <= opens:
        raise DomainError(_("Ticketing must close after it opens."), field="ticketing_closes")
    settings.save()
    audit_record(
        by=by,
        action="queue.settings",
        obj=settings,
        center_id=center.pk,
        before=before,
        after={k: str(v) for k, v in values.items()},
    )
    return settings


# ---------------------------------------------------------------- what the queue proves


def _away_registered(window: Window, moment: dt.datetime) -> bool:
    """A leave or outing registered for the window's people now: the staffing registers
    explain the empty seat (and record_vacancies judges it)."""
    day = timezone.localtime(moment).date()
    people = Staff.objects.filter(window=window, is_active=True).values("pk")
    if (
        Outing.objects.filter(staff__in=people, out_at__lte=moment)
        .filter(Q(back_at__isnull=True, out_date=day) | Q(back_at__gt=moment))
        .exists()
    ):
        return True
    return Leave.objects.filter(
        staff__in=people, status=LeaveStatus.APPROVED, leave_days__date=day
    ).exists()


def queue_watch(*, center: Center, at: dt.datetime | None = None) -> list[QueueAlert]:
    """电子监察 of the queue, run every few minutes: long waits, idle windows with people
    waiting for them (a 空岗 recorded with its A/B post), and late first calls."""
    moment = _now(at)
    local = timezone.localtime(moment)
    day = local.date()
    if not get_calendar(center).is_workday(day):
        return []
    settings = settings_of(center)
    hours = hours_of(center)(day)
    raised: list[QueueAlert] = []
    waiting = list(
        Ticket.objects.filter(center=center, day=day, status=TicketStatus.WAITING).select_related(
            "category"
        )
    )
    limit = dt.timedelta(minutes=settings.wait_limit_minutes)
    for ticket in waiting:
        if moment - ticket.issued_at >= limit:
            raised += _alert(
                center,
                AlertKind.LONG_WAIT,
                day,
                moment,
                ticket=ticket,
                since=ticket.issued_at,
                minutes=int((moment - ticket.issued_at).total_seconds() // 60),
                detail=_("{number} has waited over {limit} minutes.").format(
                    number=ticket.number, limit=settings.wait_limit_minutes
                ),
            )
    opening = rules.session_start(hours, local.time())
    if opening is None:
        return raised
    session_open = dt.datetime.combine(day, opening, tzinfo=local.tzinfo)
    idle = dt.timedelta(minutes=settings.idle_minutes)
    windows = (
        Window.objects.filter(center=center, is_active=True, queue_categories__isnull=False)
        .distinct()
        .select_related("unit")
    )
    for window in windows:
        candidates = list(callable_tickets(window, day))
        if not candidates:
            continue
        if current_ticket(window) is not None:
            continue  # serving someone, however long it takes, is not an empty seat
        last_call = (
            Call.objects.filter(window=window, at__gte=session_open)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        earliest = min(t.issued_at for t in candidates)
        since = max(session_open, earliest, last_call or session_open)
        if moment - since < idle:
            continue
        if _away_registered(window, moment):
            continue
        minutes = int((moment - since).total_seconds() // 60)
        raised += _idle(center, window, day, since, moment, minutes, hours)
    return raised


def _alert(
    center: Center, kind: str, day: dt.date, moment: dt.datetime, **fields: Any
) -> list[QueueAlert]:
    ticket = fields.get("ticket")
    window = fields.pop("window", None)
    lookup: dict[str, Any] = {"kind": kind}
    if ticket is not None:
        lookup["ticket"] = ticket
    else:
        lookup.update(window=window, day=day, since=fields["since"])
    if QueueAlert.objects.filter(**lookup).exists():
        return []
    try:
        with transaction.atomic():
            alert = QueueAlert.objects.create(
                center=center,
                kind=kind,
                day=day,
                at=moment,
                window=window,
                unit_id=window.unit_id if window else None,
                **fields,
            )
    except IntegrityError:
        return []
    audit_record(
        by=None,
        action="queue.alert",
        obj=alert,
        center_id=center.pk,
        after={"kind": kind, "minutes": alert.minutes},
    )
    return [alert]


def _idle(
    center: Center,
    window: Window,
    day: dt.date,
    since: dt.datetime,
    moment: dt.datetime,
    minutes: int,
    hours: Any,
) -> list[QueueAlert]:
    existing = QueueAlert.objects.filter(
        kind=AlertKind.IDLE_WINDOW, window=window, day=day, since=since
    ).first()
    if existing is not None:
        # The same stretch goes on: keep its length current.
        QueueAlert.objects.filter(pk=existing.pk).update(minutes=minutes)
        if existing.vacancy_id:
            Vacancy.objects.filter(pk=existing.vacancy_id, minutes__lt=minutes).update(
                minutes=minutes
            )
        return []
    vacancy = None
    post = Post.objects.filter(window=window).select_related("primary", "backup").first()
    if post is not None:
        half = (
            VacancyHalf.AM
            if timezone.localtime(since).time() < hours.morning_end
            else VacancyHalf.PM
        )
        vacancy, _created = Vacancy.objects.get_or_create(
            window=window,
            primary=post.primary,
            backup=post.backup,
            date=day,
            defaults={
                "center": center,
                "unit_id": window.unit_id,
                "post": post,
                "half": half,
                "minutes": minutes,
                "reason": _("No call for {minutes} minutes while numbers waited (queue)").format(
                    minutes=minutes
                ),
                "recorded_at": moment,
            },
        )
    return _alert(
        center,
        AlertKind.IDLE_WINDOW,
        day,
        moment,
        window=window,
        since=since,
        minutes=minutes,
        vacancy=vacancy,
        detail=_("{window}: no call for {minutes} minutes while numbers waited.").format(
            window=window, minutes=minutes
        ),
    )


def late_openings_record(
    *, center: Center, day: dt.date, at: dt.datetime | None = None
) -> list[QueueAlert]:
    """A window's first call of a session came later than the limit after opening while
    numbers for it waited (下午二点二十才有人办公): named once per window and session."""
    moment = _now(at)
    raised: list[QueueAlert] = []
    for late in late_openings(center=center, first=day, last=day):
        raised += _alert(
            center,
            AlertKind.LATE_OPENING,
            day,
            moment,
            window=late.window,
            since=late.opening,
            minutes=late.minutes,
            detail=_("{window} first called at {time}, {minutes} minutes after opening.").format(
                window=late.window,
                time=timezone.localtime(late.first_call).strftime("%H:%M"),
                minutes=late.minutes,
            ),
        )
    return raised


# ---------------------------------------------------------------- categories (the office)

CATEGORY_CODE = re.compile(r"^[A-Z]{1,2}$")


def queue_category_save(
    *,
    center: Center,
    by: Actor,
    code: str,
    name: str,
    units: Iterable[Unit] = (),
    items: Iterable[ServiceItem] = (),
    windows: Iterable[Window] = (),
    position: int = 100,
    is_active: bool = True,
    category: QueueCategory | None = None,
) -> QueueCategory:
    """业务类别: its letter (unique in the center), name, the units or items it covers and the
    windows that serve it (a 综合窗口 serves several; several windows may serve one)."""
    perm = "queueing.add_queuecategory" if category is None else "queueing.change_queuecategory"
    require(by, perm, center_id=center.pk)
    if category is not None and category.center_id != center.pk:
        raise NotAllowed(_("The category belongs to another center."))
    code = (code or "").strip().upper()
    if not CATEGORY_CODE.match(code):
        raise DomainError(_("The letter must be one or two letters A–Z (A, B …)."), field="code")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the category."), field="name")
    if len(name) > 60:
        raise DomainError(_("The name is at most 60 characters."), field="name")
    if not 0 <= position <= 32767:
        raise DomainError(_("The display order must be between 0 and 32767."), field="position")
    units, items, windows = list(units), list(items), list(windows)
    for field, rows in (("units", units), ("items", items), ("windows", windows)):
        if any(row.center_id != center.pk for row in rows):
            raise DomainError(_("Choose only records of this center."), field=field)
    if not units and not items:
        raise DomainError(_("Choose the units or items the category covers."), field="units")
    taken = QueueCategory.objects.filter(center=center, code=code)
    if category is not None:
        taken = taken.exclude(pk=category.pk)
    if taken.exists():
        raise DomainError(
            _("The letter {code} is already used by another category.").format(code=code),
            field="code",
        )
    before = None
    with transaction.atomic():
        if category is None:
            category = QueueCategory(center=center)
        else:
            category = QueueCategory.objects.select_for_update().get(pk=category.pk)
            before = _category_state(category)
        category.code, category.name = code, name
        category.position, category.is_active = position, is_active
        try:
            with transaction.atomic():
                category.save()
        except IntegrityError:
            raise DomainError(
                _("The letter {code} is already used by another category.").format(code=code),
                field="code",
            ) from None
        category.units.set(units)
        category.items.set(items)
        category.windows.set(windows)
        audit_record(
            by=by,
            action="queue.category_save",
            obj=category,
            center_id=center.pk,
            before=before,
            after=_category_state(category),
        )
    return category


def _category_state(category: QueueCategory) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "position": category.position,
        "is_active": category.is_active,
        "units": sorted(category.units.values_list("pk", flat=True)),
        "items": sorted(category.items.values_list("pk", flat=True)),
        "windows": sorted(category.windows.values_list("pk", flat=True)),
    }


def queue_category_delete(*, category: QueueCategory, by: Actor) -> None:
    """A category nobody has taken a number of may go; one with tickets is deactivated instead
    (its tickets keep their letter and history)."""
    require(by, "queueing.delete_queuecategory", center_id=category.center_id)
    with transaction.atomic():
        category = QueueCategory.objects.select_for_update().get(pk=category.pk)
        if Ticket.objects.filter(category=category).exists():
            raise DomainError(
                _(
                    "Numbers have been taken in category {code}: deactivate it instead of "
                    "deleting it."
                ).format(code=category.code),
                field="category",
            )
        before = _category_state(category)
        audit_record(
            by=by,
            action="queue.category_delete",
            obj=category,
            center_id=category.center_id,
            before=before,
        )
        category.delete()


# ---------------------------------------------------------------- duty, for every window at once


def windows_on_duty(*, staff: Staff, day: dt.date) -> set[int]:
    """The windows `staff` may call at on `day` — `_on_duty`'s rule for all windows in four
    queries (the desk lists a hall's 60 windows: four queries each made it 251)."""
    ids = {staff.window_id} if staff.window_id else set()
    ids |= set(
        Post.objects.filter(backup=staff, window__isnull=False).values_list("window_id", flat=True)
    )
    out = Outing.objects.filter(out_date=day, cover=staff).values("staff_id")
    away = LeaveDay.objects.filter(
        date=day, leave__status=LeaveStatus.APPROVED, leave__cover=staff
    ).values("staff_id")
    ids |= set(
        Staff.objects.filter(Q(pk__in=out) | Q(pk__in=away), window__isnull=False).values_list(
            "window_id", flat=True
        )
    )
    return ids
