"""Every write to the organization: checked, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.unchanged import UNCHANGED, Unchanged, given
from govhall.core.uploads import IMAGES, checked_upload
from govhall.org.choices import RegionKind, RegionRole, Role, StaffRole
from govhall.org.models import (
    Center,
    HallHours,
    Membership,
    Post,
    Region,
    RegionMembership,
    Staff,
    Unit,
    Window,
)
from govhall.org.scoping import forget_scope
from govhall.org.selectors import may_cover

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def _clean_name(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("{field} is required.").format(field=label), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def _clean_text(value: str, field: str, label: str, max_length: int) -> str:
    """An optional text, trimmed, refused when longer than its column."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def clean_phone(value: str) -> str:
    """A mainland mobile (11 digits) or a landline with area code; empty is allowed."""
    value = (value or "").strip().replace(" ", "")
    if value and not PHONE_RE.match(value):
        raise DomainError(
            _(
                "Phone number “{value}” is not valid: use 11 digits, or an area code and number."
            ).format(value=value),
            field="phone",
        )
    return value


# --- centers -------------------------------------------------------------------------------


@transaction.atomic
def center_create(*, by: Actor, name: str, short_name: str = "", office_name: str = "") -> Center:
    """Open a new service center (system administrators and the command line only)."""
    if by is not None and not by.is_superuser:
        raise DomainError(_("Only a system administrator can create a center."))
    name = _clean_name(name, "name", _("Center name"), 100)
    if Center.objects.filter(name=name).exists():
        raise DomainError(
            _("A center named “{name}” already exists.").format(name=name), field="name"
        )
    center = Center.objects.create(
        name=name, short_name=short_name.strip(), office_name=office_name.strip()
    )
    audit_record(
        by=by, action="center.create", obj=center, center_id=center.pk, after=snapshot(center)
    )
    return center


# --- regions -------------------------------------------------------------------------------


def _system_only(by: Actor) -> None:
    """Regions span centers, so no center's office manages them: the command line and the
    system administrators do."""
    if by is not None and not by.is_superuser:
        raise NotAllowed(_("Only a system administrator can manage regions."))


@transaction.atomic
def region_create(
    *, by: Actor, name: str, kind: str, parent: Region | None = None, short_name: str = ""
) -> Region:
    """Add a province, city or county to the region tree (a county under a city, a city under a
    province)."""
    _system_only(by)
    name = _clean_name(name, "name", _("Region name"), 100)
    if kind not in RegionKind.values:
        raise DomainError(_("Unknown region level “{kind}”.").format(kind=kind), field="kind")
    if Region.objects.filter(name=name).exists():
        raise DomainError(
            _("A region named “{name}” already exists.").format(name=name), field="name"
        )
    if parent is not None and RegionKind.depth(parent.kind) != RegionKind.depth(kind) - 1:
        raise DomainError(
            _("A {kind} cannot be part of a {parent}: a county is part of a city, a city of a "
              "province.").format(kind=RegionKind(kind).label, parent=parent.get_kind_display()),
            field="parent",
        )  # fmt: skip
    region = Region.objects.create(
        name=name, kind=kind, parent=parent, short_name=_clean_text(short_name, "short_name",
                                                                    _("Short name"), 40)
    )  # fmt: skip
    audit_record(by=by, action="region.create", obj=region, center_id=0, after=snapshot(region))
    return region


@transaction.atomic
def center_place_in_region(*, by: Actor, center: Center, region: Region | None) -> Center:
    """Put a center under a region (None: take it out); the region's supervisors then read it."""
    _system_only(by)
    before = snapshot(center, ["region"])
    center.region = region
    center.save(update_fields=["region"])
    audit_record(
        by=by,
        action="center.place_in_region",
        obj=center,
        center_id=center.pk,
        before=before,
        after=snapshot(center, ["region"]),
    )
    return center


@transaction.atomic
def region_membership_grant(
    *, by: Actor, user: Any, region: Region, role: str = RegionRole.SUPERVISOR
) -> RegionMembership:
    """Let an account read every center under a region (区域监管); it writes nowhere."""
    _system_only(by)
    if role not in RegionRole.values:
        raise DomainError(_("Unknown role “{role}”.").format(role=role), field="role")
    membership, created = RegionMembership.objects.get_or_create(
        user=user, region=region, role=role
    )
    forget_scope(user)
    if created:
        audit_record(
            by=by,
            action="region_membership.grant",
            obj=membership,
            center_id=0,
            after=snapshot(membership),
        )
    return membership


@transaction.atomic
def region_membership_revoke(
    *, by: Actor, user: Any, region: Region, role: str = RegionRole.SUPERVISOR
) -> None:
    """End an account's regional role; its centers' roles stay."""
    _system_only(by)
    membership = RegionMembership.objects.filter(user=user, region=region, role=role).first()
    if membership is None:
        raise DomainError(
            _("{name} holds no such role in {region}.").format(
                name=user.get_username(), region=region.name
            ),
            field="role",
        )
    audit_record(
        by=by,
        action="region_membership.revoke",
        obj=membership,
        center_id=0,
        before=snapshot(membership),
    )
    membership.delete()
    forget_scope(user)


# --- units and windows --------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    by: Actor,
    center: Center,
    name: str,
    full_name: str = "",
    position: int = 100,
    created_on: dt.date | None = None,
) -> Unit:
    """Station a department in the hall (since `created_on`, else today)."""
    require(by, "org.add_unit", center_id=center.pk)
    name = _clean_name(name, "name", _("Unit name"), 100)
    if Unit.objects.filter(center=center, name=name).exists():
        raise DomainError(
            _("Unit “{name}” already exists in this center.").format(name=name), field="name"
        )
    unit = Unit.objects.create(
        center=center,
        name=name,
        full_name=full_name.strip(),
        position=position,
        created_on=created_on or timezone.localdate(),
    )
    audit_record(by=by, action="unit.create", obj=unit, center_id=center.pk, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *,
    by: Actor,
    unit: Unit,
    name: str | Unchanged = UNCHANGED,
    full_name: str | Unchanged = UNCHANGED,
    position: int | Unchanged = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
) -> Unit:
    """Rename, reorder, or (de)activate a unit."""
    require(by, "org.change_unit", center_id=unit.center_id, unit_id=unit.pk)
    before = snapshot(unit)
    if name is not UNCHANGED:
        name = _clean_name(name, "name", _("Unit name"), 100)
        if Unit.objects.filter(center_id=unit.center_id, name=name).exclude(pk=unit.pk).exists():
            raise DomainError(
                _("Unit “{name}” already exists in this center.").format(name=name), field="name"
            )
        unit.name = name
    if full_name is not UNCHANGED:
        unit.full_name = full_name
    if position is not UNCHANGED:
        unit.position = position
    if is_active is not UNCHANGED:
        unit.is_active = is_active
    unit.save()
    audit_record(
        by=by,
        action="unit.update",
        obj=unit,
        center_id=unit.center_id,
        before=before,
        after=snapshot(unit),
    )
    return unit


@transaction.atomic
def window_create(
    *,
    by: Actor,
    unit: Unit,
    name: str,
    number: str = "",
    floor: str = "",
    created_on: dt.date | None = None,
) -> Window:
    """Open a counter for a unit (since `created_on`, else today)."""
    require(by, "org.add_window", center_id=unit.center_id, unit_id=unit.pk)
    name = _clean_name(name, "name", _("Window name"), 100)
    if Window.objects.filter(unit=unit, name=name).exists():
        raise DomainError(
            _("{unit} already has a window named “{name}”.").format(unit=unit.name, name=name),
            field="name",
        )
    window = Window.objects.create(
        center_id=unit.center_id,
        unit=unit,
        name=name,
        number=_clean_text(number, "number", _("Window number"), 20),
        floor=_clean_text(floor, "floor", _("Floor"), 20),
        created_on=created_on or timezone.localdate(),
    )
    audit_record(
        by=by, action="window.create", obj=window, center_id=unit.center_id, after=snapshot(window)
    )
    return window


def units_in_hall_since(
    *, units: dict[int, dt.date], windows: dict[int, dt.date] | None = None
) -> None:
    """Move a unit's or window's first day in the hall back to the earliest record of it (an
    import of history: the hall's past cases show the unit was there). Never moves it forward.
    Part of the importing service's transaction and audit entry."""
    for model, earliest in ((Unit, units), (Window, windows or {})):
        for pk, day in earliest.items():
            model.objects.filter(pk=pk, created_on__gt=day).update(created_on=day)


@transaction.atomic
def window_update(
    *,
    by: Actor,
    window: Window,
    name: str | Unchanged = UNCHANGED,
    number: str | Unchanged = UNCHANGED,
    floor: str | Unchanged = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
) -> Window:
    """Rename, renumber, move or (de)activate a window."""
    require(by, "org.change_window", center_id=window.center_id, unit_id=window.unit_id)
    before = snapshot(window)
    if name is not UNCHANGED:
        name = _clean_name(name, "name", _("Window name"), 100)
        if Window.objects.filter(unit_id=window.unit_id, name=name).exclude(pk=window.pk).exists():
            raise DomainError(
                _("{unit} already has a window named “{name}”.").format(
                    unit=window.unit.name, name=name
                ),
                field="name",
            )
        window.name = name
    if is_active is False and window.staff.filter(is_active=True).exists():
        raise DomainError(
            _("Move the staff of this window elsewhere before closing it."), field="is_active"
        )
    if number is not UNCHANGED:
        window.number = _clean_text(number, "number", _("Window number"), 20)
    if floor is not UNCHANGED:
        window.floor = _clean_text(floor, "floor", _("Floor"), 20)
    if is_active is not UNCHANGED:
        window.is_active = is_active
    window.save()
    audit_record(
        by=by,
        action="window.update",
        obj=window,
        center_id=window.center_id,
        before=before,
        after=snapshot(window),
    )
    return window


# --- staff ----------------------------------------------------------------------------------


def _check_staff_placement(
    unit: Unit, window: Window | None, role: str, staff: Staff | None
) -> None:
    if window is not None and window.unit_id != unit.pk:
        raise DomainError(
            _("Window “{window}” does not belong to {unit}.").format(
                window=window.name, unit=unit.name
            ),
            field="window",
        )
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role “{role}”.").format(role=role), field="role")
    if role == StaffRole.CHIEF:
        other = Staff.objects.filter(unit=unit, role=StaffRole.CHIEF, is_active=True)
        if staff is not None:
            other = other.exclude(pk=staff.pk)
        existing = other.first()
        if existing is not None:
            raise DomainError(
                _("{unit} already has a chief representative: {name}.").format(
                    unit=unit.name, name=existing.name
                ),
                field="role",
            )


@transaction.atomic
def staff_create(
    *,
    by: Actor,
    unit: Unit,
    name: str,
    window: Window | None = None,
    role: str = StaffRole.CLERK,
    phone: str = "",
    staff_no: str = "",
) -> Staff:
    """Post a person to the hall for a unit."""
    require(by, "org.add_staff", center_id=unit.center_id, unit_id=unit.pk)
    name = _clean_name(name, "name", _("Name"), 50)
    phone = clean_phone(phone)
    _check_staff_placement(unit, window, role, None)
    staff = Staff.objects.create(
        center_id=unit.center_id,
        unit=unit,
        window=window,
        name=name,
        role=role,
        phone=phone,
        staff_no=staff_no.strip(),
    )
    audit_record(
        by=by, action="staff.create", obj=staff, center_id=unit.center_id, after=snapshot(staff)
    )
    return staff


@transaction.atomic
def staff_update(
    *,
    by: Actor,
    staff: Staff,
    name: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
    staff_no: str | None | Unchanged = UNCHANGED,
    unit: Unit | Unchanged = UNCHANGED,
    window: Window | None | Unchanged = UNCHANGED,
    role: str | Unchanged = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
) -> Staff:
    """Change a person's details, window, unit or role, or end their posting (is_active=False)."""
    require(by, "org.change_staff", center_id=staff.center_id, unit_id=staff.unit_id)
    before = snapshot(staff)
    if unit is UNCHANGED:
        unit = staff.unit
    if unit.center_id != staff.center_id:
        raise DomainError(_("The unit belongs to another center."), field="unit")
    if unit.pk != staff.unit_id:
        require(by, "org.change_staff", center_id=unit.center_id, unit_id=unit.pk)
    if window is UNCHANGED:
        window = staff.window
    if role is UNCHANGED:
        role = staff.role
    if name is not UNCHANGED:
        staff.name = _clean_name(name, "name", _("Name"), 50)
    if phone is not UNCHANGED:
        staff.phone = clean_phone(phone)
    if staff_no is not UNCHANGED:
        staff.staff_no = (staff_no or "").strip()
    if is_active is UNCHANGED:
        is_active = staff.is_active
    if is_active:
        _check_staff_placement(unit, window, role, staff)
    else:
        # Someone leaving the hall can no longer hold or cover a post.
        held = Post.objects.filter(primary=staff) | Post.objects.filter(backup=staff)
        if held.exists():
            raise DomainError(
                _("{name} still holds or covers an A/B post; reassign it first.").format(
                    name=staff.name
                ),
                field="is_active",
            )
    staff.unit, staff.window, staff.role, staff.is_active = unit, window, role, is_active
    staff.save()
    audit_record(
        by=by,
        action="staff.update",
        obj=staff,
        center_id=staff.center_id,
        before=before,
        after=snapshot(staff),
    )
    return staff


# --- A/B posts ------------------------------------------------------------------------------


@transaction.atomic
def post_set(*, by: Actor, primary: Staff, backup: Staff) -> Post:
    """Name the backup (B角) who covers `primary`'s post at their window."""
    require(by, "org.change_post", center_id=primary.center_id, unit_id=primary.unit_id)
    if primary.window_id is None:
        raise DomainError(
            _("{name} has no window; assign one before naming a backup.").format(name=primary.name),
            field="primary",
        )
    if backup.pk == primary.pk:
        raise DomainError(_("A person cannot be their own backup."), field="backup")
    if backup.center_id != primary.center_id:
        raise DomainError(_("The backup must work in the same center."), field="backup")
    if not (primary.is_active and backup.is_active):
        raise DomainError(_("Both people must be active staff."), field="backup")
    if not may_cover(staff=primary, other=backup):
        raise DomainError(
            _(
                "{backup} is not of {unit}: a backup is named from the same unit (another "
                "unit's staff only for a one-person unit)."
            ).format(backup=backup.name, unit=primary.unit.name),
            field="backup",
        )
    post = Post.objects.filter(primary=primary).first()
    before = snapshot(post) if post else None
    if post is None:
        post = Post(center_id=primary.center_id, primary=primary)
    post.window_id = primary.window_id
    post.backup = backup
    post.save()
    audit_record(
        by=by,
        action="post.set",
        obj=post,
        center_id=primary.center_id,
        before=before,
        after=snapshot(post),
    )
    return post


@transaction.atomic
def post_remove(*, by: Actor, post: Post) -> None:
    """Dissolve an A/B pairing (e.g. when the holder leaves)."""
    require(by, "org.change_post", center_id=post.center_id, unit_id=post.window.unit_id)
    before = snapshot(post)
    audit_record(by=by, action="post.remove", obj=post, center_id=post.center_id, before=before)
    post.delete()


# --- the hall's hours (作息时间) -------------------------------------------------------------

HOURS_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")


def _clean_hours(center: Center, current: HallHours | None, data: dict[str, Any]) -> dict[str, Any]:
    name = _clean_name(data.get("name", ""), "name", pgettext("of a thing", "Name"), 40)
    month, day = data.get("from_month"), data.get("from_day")
    try:
        dt.date(2000, int(month), int(day))  # 2000 is a leap year: 2月29日 is a valid start
    except (TypeError, ValueError):
        raise DomainError(_("Choose a real day of the year."), field="from_day") from None
    times = [data.get(f) for f in HOURS_FIELDS]
    for name_, value in zip(HOURS_FIELDS, times, strict=True):
        if not isinstance(value, dt.time):
            raise DomainError(_("Enter a time such as 08:30."), field=name_)
    morning_start, morning_end, afternoon_start, afternoon_end = times
    if not morning_start < morning_end:
        raise DomainError(_("The morning must close after it opens."), field="morning_end")
    if not morning_end <= afternoon_start:
        raise DomainError(
            _("The afternoon cannot open before the morning closes."), field="afternoon_start"
        )
    if not afternoon_start < afternoon_end:
        raise DomainError(_("The afternoon must close after it opens."), field="afternoon_end")
    clash = HallHours.objects.filter(center=center, from_month=month, from_day=day)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    other = clash.first()
    if other is not None:
        raise DomainError(
            _("“{name}” already starts on {month}月{day}日.").format(
                name=other.name, month=month, day=day
            ),
            field="from_day",
        )
    return {
        "name": name,
        "from_month": int(month),
        "from_day": int(day),
        **dict(zip(HOURS_FIELDS, times, strict=True)),
    }


@transaction.atomic
def hall_hours_create(*, by: Actor, center: Center, **data: Any) -> HallHours:
    """Add a variant of the hall's hours (e.g. 夏季作息时间 from 5月1日)."""
    require(by, "org.add_hallhours", center_id=center.pk)
    hours = HallHours.objects.create(center=center, **_clean_hours(center, None, data))
    audit_record(
        by=by, action="hall_hours.create", obj=hours, center_id=center.pk, after=snapshot(hours)
    )
    return hours


@transaction.atomic
def hall_hours_update(
    *,
    by: Actor,
    hours: HallHours,
    name: str | Unchanged = UNCHANGED,
    from_month: int | Unchanged = UNCHANGED,
    from_day: int | Unchanged = UNCHANGED,
    morning_start: dt.time | Unchanged = UNCHANGED,
    morning_end: dt.time | Unchanged = UNCHANGED,
    afternoon_start: dt.time | Unchanged = UNCHANGED,
    afternoon_end: dt.time | Unchanged = UNCHANGED,
) -> HallHours:
    """Change a variant of the hall's hours."""
    require(by, "org.change_hallhours", center_id=hours.center_id)
    before = snapshot(hours)
    data = {f: getattr(hours, f) for f in ("name", "from_month", "from_day", *HOURS_FIELDS)}
    data.update(
        given(
            name=name, from_month=from_month, from_day=from_day, morning_start=morning_start,
            morning_end=morning_end, afternoon_start=afternoon_start, afternoon_end=afternoon_end,
        )
    )  # fmt: skip
    for key, value in _clean_hours(hours.center, hours, data).items():
        setattr(hours, key, value)
    hours.save()
    audit_record(
        by=by,
        action="hall_hours.update",
        obj=hours,
        center_id=hours.center_id,
        before=before,
        after=snapshot(hours),
    )
    return hours


@transaction.atomic
def hall_hours_delete(*, by: Actor, hours: HallHours) -> None:
    """Remove a variant of the hall's hours."""
    require(by, "org.delete_hallhours", center_id=hours.center_id)
    audit_record(
        by=by,
        action="hall_hours.delete",
        obj=hours,
        center_id=hours.center_id,
        before=snapshot(hours),
    )
    hours.delete()


# --- accounts and roles ---------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *, by: Actor, user: Any, center: Center, role: str, unit: Unit | None = None
) -> Membership:
    """Let an account work in a center with a role (and, for unit roles, in one unit)."""
    require(by, "org.add_membership", center_id=center.pk)
    if role in RegionRole.values:
        raise DomainError(_("A regional role is held in a region, not a center."), field="role")
    if role not in Role.values:
        raise DomainError(_("Unknown role “{role}”.").format(role=role), field="role")
    if role in Role.center_wide():
        unit = None
    elif unit is None:
        raise DomainError(_("This role needs a unit."), field="unit")
    elif unit.center_id != center.pk:
        raise DomainError(_("The unit belongs to another center."), field="unit")
    membership, created = Membership.objects.get_or_create(
        user=user, center=center, unit=unit, role=role
    )
    forget_scope(user)
    if created:
        audit_record(
            by=by,
            action="membership.grant",
            obj=membership,
            center_id=center.pk,
            after=snapshot(membership),
        )
    return membership


@transaction.atomic
def membership_revoke(
    *, by: Actor, user: Any, center: Center, role: str, unit: Unit | None = None
) -> None:
    """End an account's role in a center (and unit); its other roles stay."""
    require(by, "org.change_membership", center_id=center.pk)
    membership = Membership.objects.filter(
        user=user, center=center, role=role, unit=None if role in Role.center_wide() else unit
    ).first()
    if membership is None:
        raise DomainError(
            _("{name} holds no such role in {center}.").format(
                name=user.get_username(), center=center.name
            ),
            field="role",
        )
    audit_record(
        by=by,
        action="membership.revoke",
        obj=membership,
        center_id=center.pk,
        before=snapshot(membership),
    )
    membership.delete()
    forget_scope(user)


@transaction.atomic
def account_register(*, by: Actor, username: str, full_name: str, password: str | None) -> Any:
    """An account that holds no role yet: operators grant it roles center by center. Without a
    password it cannot log in until one is set."""
    if by is not None and not by.is_superuser:
        raise NotAllowed(_("Only a system administrator may open an account without a center."))
    username = _clean_name(username, "username", _("Username"), 150)
    full_name = _clean_name(full_name, "full_name", _("Name"), 150)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(_("Username “{name}” is taken.").format(name=username), field="username")
    if password is not None:
        try:
            validate_password(password, user_model(username=username, first_name=full_name))
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="password") from error
    try:
        user = user_model.objects.create_user(
            username=username, password=password, first_name=full_name
        )
    except IntegrityError as exc:  # a concurrent request took the name
        raise DomainError(
            _("Username “{name}” is taken.").format(name=username), field="username"
        ) from exc
    audit_record(
        by=by,
        action="account.create",
        object_type="auth.user",
        object_id=str(user.pk),
        object_repr=username,
        after={"username": username, "name": full_name, "password_set": password is not None},
    )
    return user


@transaction.atomic
def account_create(
    *,
    by: Actor,
    center: Center,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    staff: Staff | None = None,
    full_name: str = "",
) -> Any:
    """Create a login account with one role, optionally linked to a staff member."""
    require(by, "org.add_membership", center_id=center.pk)
    username = _clean_name(username, "username", _("Username"), 150)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(_("Username “{name}” is taken.").format(name=username), field="username")
    if staff is not None:
        if staff.center_id != center.pk:
            raise DomainError(_("The staff member works in another center."), field="staff")
        if staff.user_id is not None:
            raise DomainError(
                _("{name} already has an account.").format(name=staff.name), field="staff"
            )
        unit = unit or staff.unit
        full_name = full_name or staff.name
    try:
        user = user_model.objects.create_user(
            username=username, password=password, first_name=full_name[:150]
        )
    except IntegrityError as exc:  # a concurrent request took the name
        raise DomainError(
            _("Username “{name}” is taken.").format(name=username), field="username"
        ) from exc
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    audit_record(
        by=by,
        action="account.create",
        object_type="auth.user",
        object_id=str(user.pk),
        object_repr=username,
        center_id=center.pk,
        after={"username": username, "role": role, "staff": staff.pk if staff else None},
    )
    membership_grant(by=by, user=user, center=center, role=role, unit=unit)
    return user


@transaction.atomic
def account_set_active(*, by: Actor, user: Any, active: bool) -> Any:
    """Suspend or restore a login; allowed to the office of every center the account works in."""
    center_ids = set(user.memberships.values_list("center_id", flat=True))
    if not center_ids:
        raise DomainError(_("This account belongs to no center."))
    for center_id in sorted(center_ids):
        require(by, "org.change_membership", center_id=center_id)
    if by is not None and by.pk == user.pk and not active:
        raise DomainError(_("You cannot suspend your own account."))
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    for center_id in sorted(center_ids):
        audit_record(
            by=by,
            action="account.activate" if active else "account.suspend",
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
            center_id=center_id,
            before=before,
            after={"is_active": active},
        )
    return user


@transaction.atomic
def staff_photo_set(*, by: Actor, staff: Staff, photo: UploadedFile | None) -> Staff:
    """The photo shown on the window's rating pad and screen (JPEG or PNG, judged by its
    content); None removes it."""
    require(by, "org.change_staff", center_id=staff.center_id, unit_id=staff.unit_id)
    before = staff.photo.name or ""
    if photo is None:
        staff.photo = ""
    else:
        staff.photo = checked_upload(photo, allowed=IMAGES, field="photo", prefix="staff")
    staff.save(update_fields=["photo"])
    audit_record(
        by=by,
        action="staff.photo",
        obj=staff,
        center_id=staff.center_id,
        before={"photo": before},
        after={"photo": staff.photo.name or ""},
    )
    return staff
