"""Every write of the office's oversight: inspections, unit leaders, patrol sign-ins, quotas.

Each service checks who may act and the rule, runs in one transaction and leaves an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.core.text import chinese_date
from govhall.core.unchanged import UNCHANGED, Unchanged, given
from govhall.core.uploads import IMAGES, checked_upload
from govhall.org.choices import Role
from govhall.org.models import Center, Membership, Staff, Unit, Window
from govhall.org.services import clean_phone
from govhall.oversight import codes, selectors, sms
from govhall.oversight.choices import (
    InspectionStatus,
    LeaderRole,
    LinkPurpose,
    PatrolMethod,
    QuotaPeriod,
    ViolationKind,
)
from govhall.oversight.models import (
    Inspection,
    PatrolLink,
    PatrolQuota,
    PatrolSignIn,
    UnitLeader,
)

MAX_DESCRIPTION = 2000
MAX_NOTES = 1000
MAX_POINTS = Decimal("100")
LINK_MINUTES = 10
LINKS_PER_LEADER = 3  # within LINK_MINUTES: a stolen ticket cannot flood a leader's phone


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("{field} is required.").format(field=label), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def _not_in_future(when: dt.datetime, field: str) -> None:
    if when > timezone.now():
        raise DomainError(_("The time is in the future."), field=field)


# --- inspections (日常巡查) ------------------------------------------------------------------


def _clean_points(value: Any) -> Decimal:
    try:
        points = Decimal(str(value)).normalize() if value is not None and value != "" else None
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite():
        raise DomainError(_("Give the points deducted as a number."), field="points")
    if points < 0 or points > MAX_POINTS:
        raise DomainError(
            _("Points deducted must be between 0 and {max}.").format(max=MAX_POINTS), field="points"
        )
    if points != points.quantize(Decimal("0.1")):
        raise DomainError(_("Points deducted take at most one decimal."), field="points")
    return points.quantize(Decimal("0.1"))


def _subject(
    center: Center, staff: Staff | None, window: Window | None, unit: Unit | None
) -> tuple[Unit, Window | None, Staff | None]:
    """The unit, window and person an inspection is about; the person's unit wins."""
    if staff is not None and staff.center_id != center.pk:
        raise DomainError(_("The staff member works in another center."), field="staff")
    if window is not None and window.center_id != center.pk:
        raise DomainError(_("The window belongs to another center."), field="window")
    if unit is not None and unit.center_id != center.pk:
        raise DomainError(_("The unit belongs to another center."), field="unit")
    if staff is not None:
        if window is not None and window.unit_id != staff.unit_id:
            raise DomainError(
                _("{name} does not work for the unit of that window.").format(name=staff.name),
                field="window",
            )
        if unit is not None and unit.pk != staff.unit_id:
            raise DomainError(
                _("{name} does not work for {unit}.").format(name=staff.name, unit=unit.name),
                field="unit",
            )
        return staff.unit, window or staff.window, staff
    if window is not None:
        if unit is not None and unit.pk != window.unit_id:
            raise DomainError(_("The window belongs to another unit."), field="window")
        return window.unit, window, None
    if unit is not None:
        return unit, None, None
    raise DomainError(_("Name the staff member, or the window or unit at fault."), field="staff")


@transaction.atomic
def inspection_create(
    *,
    by: Actor,
    center: Center,
    kind: str,
    occurred_at: dt.datetime,
    description: str,
    points: Any,
    staff: Staff | None = None,
    window: Window | None = None,
    unit: Unit | None = None,
    photo: Any = None,
) -> Inspection:
    """Record a violation found on inspection; it is named in the month's bulletin."""
    require(by, "oversight.add_inspection", center_id=center.pk)
    if kind not in ViolationKind.values:
        raise DomainError(_("Unknown violation “{kind}”.").format(kind=kind), field="kind")
    unit, window, staff = _subject(center, staff, window, unit)
    if staff is not None and not staff.is_active:
        raise DomainError(
            _("{name} no longer works in the hall.").format(name=staff.name), field="staff"
        )
    _not_in_future(occurred_at, "occurred_at")
    inspection = Inspection(
        center=center,
        unit=unit,
        window=window,
        staff=staff,
        kind=kind,
        occurred_at=occurred_at,
        description=_text(
            description,
            field="description",
            label=_("What was found"),
            max_length=MAX_DESCRIPTION,
            required=True,
        ),
        points=_clean_points(points),
        recorded_by=by,
    )
    if photo:
        inspection.photo = checked_upload(photo, allowed=IMAGES, field="photo", prefix="inspection")
    inspection.save()
    audit_record(
        by=by,
        action="inspection.create",
        obj=inspection,
        center_id=center.pk,
        after=snapshot(inspection),
    )
    return inspection


@transaction.atomic
def inspection_update(
    *,
    by: Actor,
    inspection: Inspection,
    reason: str,
    remove_photo: bool = False,
    kind: str | Unchanged = UNCHANGED,
    occurred_at: dt.datetime | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    points: Any = UNCHANGED,
    staff: Staff | None | Unchanged = UNCHANGED,
    window: Window | None | Unchanged = UNCHANGED,
    unit: Unit | None | Unchanged = UNCHANGED,
    photo: Any = UNCHANGED,
) -> Inspection:
    """Correct an inspection; the reason is kept in the audit trail."""
    require(by, "oversight.change_inspection", center_id=inspection.center_id)
    changes = given(
        kind=kind, occurred_at=occurred_at, description=description, points=points,
        staff=staff, window=window, unit=unit, photo=photo,
    )  # fmt: skip
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.is_withdrawn:
        raise DomainError(_("A withdrawn inspection can no longer be changed."))
    reason = _text(reason, field="reason", label=_("Reason"), max_length=500, required=True)
    before = snapshot(inspection)
    if "kind" in changes:
        if changes["kind"] not in ViolationKind.values:
            raise DomainError(
                _("Unknown violation “{kind}”.").format(kind=changes["kind"]), field="kind"
            )
        inspection.kind = changes["kind"]
    if {"staff", "window", "unit"} & set(changes):
        unit, window, staff = _subject(
            inspection.center,
            changes.get("staff", inspection.staff),
            # A new person brings their own window and unit unless those are given too.
            changes.get("window", inspection.window if "staff" not in changes else None),
            changes.get("unit", inspection.unit if "staff" not in changes else None),
        )
        inspection.unit, inspection.window, inspection.staff = unit, window, staff
    if "occurred_at" in changes:
        _not_in_future(changes["occurred_at"], "occurred_at")
        inspection.occurred_at = changes["occurred_at"]
    if "description" in changes:
        inspection.description = _text(
            changes["description"],
            field="description",
            label=_("What was found"),
            max_length=MAX_DESCRIPTION,
            required=True,
        )
    if "points" in changes:
        inspection.points = _clean_points(changes["points"])
    if changes.get("photo"):
        # The earlier photo stays in storage: the audit trail names it as evidence.
        inspection.photo = checked_upload(
            changes["photo"], allowed=IMAGES, field="photo", prefix="inspection"
        )
    elif remove_photo:
        inspection.photo = ""
    inspection.save()
    audit_record(
        by=by,
        action="inspection.update",
        obj=inspection,
        center_id=inspection.center_id,
        before=before,
        after={**snapshot(inspection), "reason": reason},
    )
    return inspection


@transaction.atomic
def inspection_withdraw(*, by: Actor, inspection: Inspection, reason: str) -> Inspection:
    """Withdraw a violation recorded in error: it leaves the bulletin and the scoring."""
    require(by, "oversight.change_inspection", center_id=inspection.center_id)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.is_withdrawn:
        raise DomainError(_("This inspection is already withdrawn."))
    reason = _text(reason, field="reason", label=_("Reason"), max_length=500, required=True)
    before = snapshot(inspection, ["status", "withdrawn_at", "withdraw_reason"])
    inspection.status = InspectionStatus.WITHDRAWN
    inspection.withdrawn_at = timezone.now()
    inspection.withdraw_reason = reason
    inspection.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    audit_record(
        by=by,
        action="inspection.withdraw",
        obj=inspection,
        center_id=inspection.center_id,
        before=before,
        after=snapshot(inspection, ["status", "withdrawn_at", "withdraw_reason"]),
    )
    return inspection


# --- unit leaders ------------------------------------------------------------------------------


def _check_leader_account(user: Any, unit: Unit, leader: UnitLeader | None) -> None:
    if user is None:
        return
    if not Membership.objects.filter(
        user=user, center_id=unit.center_id, unit=unit, role=Role.UNIT_LEADER
    ).exists():
        raise DomainError(
            _("The account must have the role of unit leader of {unit}.").format(unit=unit.name),
            field="user",
        )
    other = UnitLeader.objects.filter(user=user)
    if leader is not None:
        other = other.exclude(pk=leader.pk)
    if other.exists():
        raise DomainError(_("This account is already linked to another leader."), field="user")


def _check_leader_name(unit: Unit, name: str, leader: UnitLeader | None) -> str:
    name = _text(name, field="name", label=_("Name"), max_length=50, required=True)
    same = UnitLeader.objects.filter(unit=unit, name=name)
    if leader is not None:
        same = same.exclude(pk=leader.pk)
    if same.exists():
        raise DomainError(
            _("{unit} already has a leader named {name}.").format(unit=unit.name, name=name),
            field="name",
        )
    return name


@transaction.atomic
def unit_leader_create(
    *,
    by: Actor,
    unit: Unit,
    name: str,
    title: str = "",
    role: str = LeaderRole.DEPUTY,
    phone: str = "",
    user: Any = None,
) -> UnitLeader:
    """Register a leader of a unit who patrols the hall."""
    require(by, "oversight.add_unitleader", center_id=unit.center_id, unit_id=unit.pk)
    if role not in LeaderRole.values:
        raise DomainError(_("Unknown leader role “{role}”.").format(role=role), field="role")
    name = _check_leader_name(unit, name, None)
    _check_leader_account(user, unit, None)
    leader = UnitLeader.objects.create(
        center_id=unit.center_id,
        unit=unit,
        name=name,
        title=_text(title, field="title", label=_("Title"), max_length=60, required=False),
        role=role,
        phone=clean_phone(phone),
        user=user,
    )
    audit_record(
        by=by,
        action="unit_leader.create",
        obj=leader,
        center_id=unit.center_id,
        after=snapshot(leader),
    )
    return leader


@transaction.atomic
def unit_leader_update(
    *,
    by: Actor,
    leader: UnitLeader,
    name: str | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    role: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
    user: Any = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
) -> UnitLeader:
    """Change a leader's details, account or role, or end their registration."""
    require(by, "oversight.change_unitleader", center_id=leader.center_id, unit_id=leader.unit_id)
    changes = given(name=name, title=title, role=role, phone=phone, user=user, is_active=is_active)
    before = snapshot(leader)
    if "name" in changes:
        leader.name = _check_leader_name(leader.unit, changes["name"], leader)
    if "title" in changes:
        leader.title = _text(
            changes["title"], field="title", label=_("Title"), max_length=60, required=False
        )
    if "role" in changes:
        if changes["role"] not in LeaderRole.values:
            raise DomainError(
                _("Unknown leader role “{role}”.").format(role=changes["role"]), field="role"
            )
        leader.role = changes["role"]
    if "phone" in changes:
        leader.phone = clean_phone(changes["phone"])
    if "user" in changes:
        _check_leader_account(changes["user"], leader.unit, leader)
        leader.user = changes["user"]
    if "is_active" in changes:
        leader.is_active = bool(changes["is_active"])
    leader.save()
    audit_record(
        by=by,
        action="unit_leader.update",
        obj=leader,
        center_id=leader.center_id,
        before=before,
        after=snapshot(leader),
    )
    return leader


# --- patrol sign-in (巡查签到) -----------------------------------------------------------------


def patrol_scan(*, center_id: int, minute: int, token: str) -> str:
    """Check a code scanned from the hall screen; returns the ticket the sign-in page carries."""
    now = timezone.now()
    status = codes.code_status(center_id, minute, token, now)
    if status == "expired":
        raise DomainError(
            _("This code has expired: scan the code on the hall screen again."), field="code"
        )
    if status != "ok" or not Center.objects.filter(pk=center_id, is_active=True).exists():
        raise DomainError(_("This is not a valid sign-in code."), field="code")
    return codes.ticket_issue(center_id, now)


def _scan_of(leader: UnitLeader, ticket: str) -> codes.Ticket:
    scan = codes.ticket_read(ticket)
    if scan is None:
        raise DomainError(
            _("Your scan has expired: scan the code on the hall screen again."), field="code"
        )
    if scan.center_id != leader.center_id:
        raise DomainError(
            _("This code belongs to another service center: scan the code in your hall."),
            field="code",
        )
    return scan


def _leader_of(by: Actor) -> UnitLeader:
    leader = (
        UnitLeader.objects.select_related("unit", "center").filter(user=by, is_active=True).first()
        if by is not None and by.is_authenticated
        else None
    )
    if leader is None:
        raise DomainError(
            _("Your account is not registered as a unit leader: ask the center office.")
        )
    return leader


def _open_visit(leader: UnitLeader, on: dt.date) -> PatrolSignIn | None:
    return selectors.open_visit_of(leader, on)


def _lock(leader: UnitLeader) -> UnitLeader:
    # Serialises one leader's sign-ins: two phones cannot open two visits at once.
    return UnitLeader.objects.select_for_update().select_related("unit", "center").get(pk=leader.pk)


def _sign_in(
    *, by: Actor, leader: UnitLeader, at: dt.datetime, notes: str, method: str
) -> PatrolSignIn:
    leader = _lock(leader)
    if not leader.is_active or not leader.center.is_active:
        raise DomainError(_("This leader is no longer registered for patrols."))
    open_visit = _open_visit(leader, timezone.localdate(at))
    if open_visit is not None:
        raise DomainError(
            _("{name} signed in at {time} and has not signed out yet.").format(
                name=leader.name, time=timezone.localtime(open_visit.signed_in_at).strftime("%H:%M")
            )
        )
    visit = PatrolSignIn.objects.create(
        center_id=leader.center_id,
        unit_id=leader.unit_id,
        leader=leader,
        signed_in_at=at,
        notes=_text(notes, field="notes", label=_("Notes"), max_length=MAX_NOTES, required=False),
        method=method,
    )
    audit_record(
        by=by,
        action="patrol.sign_in",
        obj=visit,
        center_id=leader.center_id,
        after=snapshot(visit),
    )
    return visit


def _sign_out(*, by: Actor, leader: UnitLeader, at: dt.datetime, notes: str) -> PatrolSignIn:
    leader = _lock(leader)
    visit = _open_visit(leader, timezone.localdate(at))
    if visit is None:
        raise DomainError(_("{name} has not signed in today.").format(name=leader.name))
    if at <= visit.signed_in_at:
        raise DomainError(
            _("You signed in with this scan: scan the code again when you leave."), field="code"
        )
    before = snapshot(visit, ["signed_out_at", "minutes", "leaving_notes"])
    visit.signed_out_at = at
    visit.minutes = int((at - visit.signed_in_at).total_seconds() // 60)
    visit.leaving_notes = _text(
        notes, field="notes", label=_("Notes"), max_length=MAX_NOTES, required=False
    )
    visit.save(update_fields=["signed_out_at", "minutes", "leaving_notes"])
    audit_record(
        by=by,
        action="patrol.sign_out",
        obj=visit,
        center_id=leader.center_id,
        before=before,
        after=snapshot(visit, ["signed_out_at", "minutes", "leaving_notes"]),
    )
    return visit


@transaction.atomic
def patrol_sign_in(*, by: Actor, ticket: str, notes: str = "") -> PatrolSignIn:
    """A logged-in leader signs in, having just scanned the hall screen's code."""
    leader = _leader_of(by)
    scan = _scan_of(leader, ticket)
    return _sign_in(
        by=by, leader=leader, at=scan.scanned_at, notes=notes, method=PatrolMethod.QR_LOGIN
    )


@transaction.atomic
def patrol_sign_out(*, by: Actor, ticket: str, notes: str = "") -> PatrolSignIn:
    """A logged-in leader signs out when leaving, having scanned the code again."""
    leader = _leader_of(by)
    scan = _scan_of(leader, ticket)
    return _sign_out(by=by, leader=leader, at=scan.scanned_at, notes=notes)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


@transaction.atomic
def patrol_link_request(
    *, leader: UnitLeader, ticket: str, purpose: str, notes: str = "", base_url: str
) -> PatrolLink:
    """Text a one-time link to a leader who scanned the code without logging in.

    `base_url` is the address phones reach the hall system at (e.g. https://hall.example/).
    """
    if purpose not in LinkPurpose.values:
        raise DomainError(_("Choose to sign in or to sign out."), field="purpose")
    leader = _lock(leader)
    scan = _scan_of(leader, ticket)
    if not leader.is_active:
        raise DomainError(_("This leader is no longer registered for patrols."), field="leader")
    if not leader.phone:
        raise DomainError(
            _("No mobile phone is registered for {name}: ask the center office.").format(
                name=leader.name
            ),
            field="leader",
        )
    now = timezone.now()
    recent = PatrolLink.objects.filter(
        leader=leader, created_at__gte=now - dt.timedelta(minutes=LINK_MINUTES)
    ).count()
    if recent >= LINKS_PER_LEADER:
        raise DomainError(
            _("Several links were sent to this phone just now: use the latest one."),
            field="leader",
        )
    open_visit = _open_visit(leader, timezone.localdate(scan.scanned_at))
    if purpose == LinkPurpose.SIGN_IN and open_visit is not None:
        raise DomainError(
            _("{name} is signed in already: choose to sign out.").format(name=leader.name),
            field="purpose",
        )
    if purpose == LinkPurpose.SIGN_OUT and open_visit is None:
        raise DomainError(
            _("{name} has not signed in today.").format(name=leader.name), field="purpose"
        )
    token = secrets.token_urlsafe(24)
    link = PatrolLink.objects.create(
        center_id=leader.center_id,
        leader=leader,
        purpose=purpose,
        token_hash=_token_hash(token),
        notes=_text(notes, field="notes", label=_("Notes"), max_length=MAX_NOTES, required=False),
        scanned_at=scan.scanned_at,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=LINK_MINUTES),
    )
    url = base_url.rstrip("/") + reverse("oversight:patrol_confirm", args=[token])
    text = (
        _(
            "{center}: {name}, open this link within {minutes} minutes to confirm your patrol sign-in: {url}"
        )
        if purpose == LinkPurpose.SIGN_IN
        else _(
            "{center}: {name}, open this link within {minutes} minutes to confirm your patrol sign-out: {url}"
        )
    ).format(center=leader.center.name, name=leader.name, minutes=LINK_MINUTES, url=url)
    try:
        sms.send_sms(leader.phone, text)
    except sms.SmsError as exc:
        raise DomainError(
            _("The text message could not be sent: ask the center office."), field="leader"
        ) from exc
    audit_record(
        by=None,
        action="patrol.link_sent",
        obj=link,
        center_id=leader.center_id,
        after={"leader": leader.pk, "purpose": purpose, "expires_at": link.expires_at},
    )
    return link


def patrol_link_find(token: str) -> PatrolLink | None:
    """The link a texted token names (None for a wrong one); read-only, for the confirm page."""
    if not token or len(token) > 64:
        return None
    return (
        PatrolLink.objects.select_related("leader__unit", "center")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def patrol_link_confirm(*, token: str) -> PatrolSignIn:
    """Use a texted link: signs the leader in (or out) at the time they scanned the code."""
    found = patrol_link_find(token)
    if found is None:
        raise DomainError(_("This link is not valid."), field="token")
    link = PatrolLink.objects.select_for_update().get(pk=found.pk)
    if link.used_at is not None:
        raise DomainError(_("This link has been used already."), field="token")
    now = timezone.now()
    if now > link.expires_at:
        raise DomainError(
            _("This link has expired: scan the code on the hall screen again."), field="token"
        )
    link.used_at = now
    link.save(update_fields=["used_at"])
    leader = found.leader
    actor = leader.user if leader.user_id else None
    if link.purpose == LinkPurpose.SIGN_OUT:
        return _sign_out(by=actor, leader=leader, at=link.scanned_at, notes=link.notes)
    return _sign_in(
        by=actor, leader=leader, at=link.scanned_at, notes=link.notes, method=PatrolMethod.QR_SMS
    )


@transaction.atomic
def patrol_record(
    *,
    by: Actor,
    leader: UnitLeader,
    signed_in_at: dt.datetime,
    signed_out_at: dt.datetime | None = None,
    notes: str = "",
    method: str = PatrolMethod.RECORDED,
) -> PatrolSignIn:
    """Enter a visit from the paper sign-in sheet (or an import) after the fact."""
    require(by, "oversight.add_patrolsignin", center_id=leader.center_id, unit_id=leader.unit_id)
    if method not in (PatrolMethod.RECORDED, PatrolMethod.IMPORTED):
        raise DomainError(_("Only entered or imported visits are recorded this way."))
    _not_in_future(signed_in_at, "signed_in_at")
    if signed_out_at is not None:
        _not_in_future(signed_out_at, "signed_out_at")
        if signed_out_at <= signed_in_at:
            raise DomainError(_("The sign-out must come after the sign-in."), field="signed_out_at")
    if PatrolSignIn.objects.filter(leader=leader, signed_in_at=signed_in_at).exists():
        raise DomainError(
            _("{name} already has a sign-in at {time}.").format(
                name=leader.name,
                time=f"{chinese_date(timezone.localtime(signed_in_at))} "
                f"{timezone.localtime(signed_in_at):%H:%M}",
            ),
            field="signed_in_at",
        )
    minutes = int((signed_out_at - signed_in_at).total_seconds() // 60) if signed_out_at else None
    try:
        with transaction.atomic():
            visit = PatrolSignIn.objects.create(
                center_id=leader.center_id,
                unit_id=leader.unit_id,
                leader=leader,
                signed_in_at=signed_in_at,
                signed_out_at=signed_out_at,
                minutes=minutes,
                notes=_text(
                    notes, field="notes", label=_("Notes"), max_length=MAX_NOTES, required=False
                ),
                method=method,
            )
    except IntegrityError as exc:  # a concurrent entry of the same moment
        raise DomainError(_("This sign-in is recorded already."), field="signed_in_at") from exc
    audit_record(
        by=by,
        action="patrol.record",
        obj=visit,
        center_id=leader.center_id,
        after=snapshot(visit),
    )
    return visit


@transaction.atomic
def patrol_quota_set(
    *, by: Actor, center: Center, role: str, period: str, minutes: int
) -> PatrolQuota:
    """Set how long a kind of leader must patrol per month or quarter in this center."""
    require(by, "oversight.change_patrolquota", center_id=center.pk)
    if role not in LeaderRole.values:
        raise DomainError(_("Unknown leader role “{role}”.").format(role=role), field="role")
    if period not in QuotaPeriod.values:
        raise DomainError(_("Choose a month or a quarter."), field="period")
    if not 1 <= int(minutes) <= 10000:
        raise DomainError(_("Give between 1 and 10000 minutes."), field="minutes")
    quota = PatrolQuota.objects.filter(center=center, role=role).first()
    before = snapshot(quota) if quota else None
    if quota is None:
        quota = PatrolQuota(center=center, role=role)
    quota.period, quota.minutes = period, int(minutes)
    quota.save()
    audit_record(
        by=by,
        action="patrol_quota.set",
        obj=quota,
        center_id=center.pk,
        before=before,
        after=snapshot(quota),
    )
    return quota
