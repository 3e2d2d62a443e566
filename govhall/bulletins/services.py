"""Writes of the bulletin: create an issue, edit its texts and number, publish.

Publishing freezes the figures and texts as a version; a published bulletin stays as printed,
and every later change (texts, number, or publishing again with the current figures) makes a
new version rather than altering one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.bulletins.choices import CONFIRMABLE, BulletinStatus, Register
from govhall.bulletins.figures import figures, next_number
from govhall.bulletins.models import Bulletin, BulletinVersion, RegisterCheck
from govhall.bulletins.selectors import latest_version
from govhall.bulletins.text import Texts
from govhall.bulletins.types import MonthFigures
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.core.months import month_start
from govhall.org.models import Center

TEXT_FIELDS = ("title", "intro", "problems", "plans", "copy_to")
LIMITS = {"title": 100, "intro": 2000, "problems": 20000, "plans": 20000, "copy_to": 300}
UNCHANGED: Any = object()


def _user(by: Actor) -> Any:
    return by if getattr(by, "pk", None) else None


def _check_number(center: Center, year: int, number: Any, *, exclude: int | None) -> int:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise DomainError(_("The issue number must be a whole number."), field="number") from None
    if not 1 <= number <= 999:
        raise DomainError(_("The issue number must be between 1 and 999."), field="number")
    taken = Bulletin.objects.filter(center=center, year=year, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(
            _("Issue {number} of {year} already exists.").format(number=number, year=year),
            field="number",
        )
    return number


def _clean_text(name: str, value: Any) -> str:
    text = "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())
    if name == "title" and not text:
        raise DomainError(_("Enter the title."), field="title")
    if len(text) > LIMITS[name]:
        raise DomainError(
            _("The text is too long (at most {limit} characters).").format(limit=LIMITS[name]),
            field=name,
        )
    return text


def _snapshot(bulletin: Bulletin) -> dict[str, Any]:
    return {
        "number": bulletin.number,
        "status": bulletin.status,
        "issued_on": bulletin.issued_on,
        **{name: getattr(bulletin, name) for name in TEXT_FIELDS},
    }


def _freeze(bulletin: Bulletin, frozen: dict[str, Any], *, by: Actor, note: str) -> BulletinVersion:
    last = latest_version(bulletin)
    issued_on = bulletin.issued_on or timezone.localdate()
    return BulletinVersion.objects.create(
        bulletin=bulletin,
        version=(last.version + 1) if last else 1,
        number=bulletin.number,
        title=bulletin.title,
        issued_on=issued_on,
        figures=frozen,
        intro=bulletin.intro,
        problems=bulletin.problems,
        plans=bulletin.plans,
        copy_to=bulletin.copy_to,
        note=note[:200],
        published_at=timezone.now(),
        published_by=_user(by),
    )


@transaction.atomic
def bulletin_create(
    *, by: Actor, center: Center, month: dt.date | str, number: int | None = None, title: str = ""
) -> Bulletin:
    """Open the month's issue: numbered next in its year unless the office gives a number, with
    the texts drafted from the month's figures for the office to edit."""
    require(by, "bulletins.add_bulletin", center_id=center.pk)
    try:
        month = month_start(month)
    except (TypeError, ValueError):
        raise DomainError(_("Give the month as YYYY-MM."), field="month") from None
    if Bulletin.objects.filter(center=center, month=month).exists():
        raise DomainError(
            _("The bulletin of {year}-{month:02d} already exists.").format(
                year=month.year, month=month.month
            ),
            field="month",
        )
    year = month.year
    number = _check_number(
        center, year, number if number is not None else next_number(center, year), exclude=None
    )
    drafts = Texts.drafts(figures(center, month, number=number))
    bulletin = Bulletin.objects.create(
        center=center,
        month=month,
        year=year,
        number=number,
        title=_clean_text("title", title) if title.strip() else drafts.title,
        intro=drafts.intro,
        problems=drafts.problems,
        plans=drafts.plans,
        created_by=_user(by),
    )
    audit_record(
        by=by,
        action="bulletin.create",
        obj=bulletin,
        center_id=center.pk,
        after={"month": f"{month:%Y-%m}", **_snapshot(bulletin)},
    )
    return bulletin


@transaction.atomic
def bulletin_update_texts(
    *,
    by: Actor,
    bulletin: Bulletin,
    title: Any = UNCHANGED,
    intro: Any = UNCHANGED,
    problems: Any = UNCHANGED,
    plans: Any = UNCHANGED,
    copy_to: Any = UNCHANGED,
    number: Any = UNCHANGED,
    issued_on: Any = UNCHANGED,
) -> Bulletin:
    """Edit the office's texts (title, opening, 存在问题, 下步工作, 抄送), the issue number or the
    date of issue. On a published bulletin the change is published as a new version at once,
    with the figures of the version it corrects."""
    require(by, "bulletins.change_bulletin", center_id=bulletin.center_id)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    before = _snapshot(bulletin)
    given = {"title": title, "intro": intro, "problems": problems, "plans": plans,
             "copy_to": copy_to}  # fmt: skip
    for name, value in given.items():
        if value is not UNCHANGED:
            setattr(bulletin, name, _clean_text(name, value))
    if number is not UNCHANGED and number != bulletin.number:
        bulletin.number = _check_number(bulletin.center, bulletin.year, number, exclude=bulletin.pk)
    if issued_on is not UNCHANGED:
        if issued_on is not None and issued_on < bulletin.month:
            raise DomainError(
                _("The date of issue cannot come before the month reported."), field="issued_on"
            )
        bulletin.issued_on = issued_on
    after = _snapshot(bulletin)
    if after == before:
        return bulletin
    bulletin.save()
    changed = sorted(key for key in after if after[key] != before[key])
    if bulletin.is_published:
        last = latest_version(bulletin)
        if last is not None:
            frozen = MonthFigures.from_json(last.figures).with_number(bulletin.number).as_json()
            _freeze(bulletin, frozen, by=by, note="修改：" + "、".join(changed))
    audit_record(
        by=by,
        action="bulletin.update",
        obj=bulletin,
        center_id=bulletin.center_id,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return bulletin


@transaction.atomic
def bulletin_publish(*, by: Actor, bulletin: Bulletin, note: str = "") -> BulletinVersion:
    """Publish: freeze the month's figures as they stand now with the office's texts as a new
    version (the first, or a reissue with the current figures)."""
    require(by, "bulletins.publish_bulletin", center_id=bulletin.center_id)
    bulletin = Bulletin.objects.select_for_update().select_related("center").get(pk=bulletin.pk)
    if not bulletin.title.strip():
        raise DomainError(_("Enter the title."), field="title")
    republished = bulletin.is_published
    if bulletin.issued_on is None:
        bulletin.issued_on = timezone.localdate()
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.save()
    frozen = figures(bulletin.center, bulletin.month, number=bulletin.number).as_json()
    version = _freeze(
        bulletin,
        frozen,
        by=by,
        note=note.strip() or ("按当前数据重新发布" if republished else "发布"),
    )
    audit_record(
        by=by,
        action="bulletin.publish",
        obj=bulletin,
        center_id=bulletin.center_id,
        after={
            "version": version.version,
            "issue": frozen["issue"],
            "cases": frozen["cases"],
            "issued_on": version.issued_on,
        },
    )
    return version


# --- registers kept ----------------------------------------------------------------------------


@transaction.atomic
def register_confirm(*, by: Actor, center: Center, month: dt.date | str, register: str) -> None:
    """The office confirms that a register was kept in the month with nothing to record (no
    complaint came in, no inspection found anything), so the bulletin may state the absence."""
    require(by, "bulletins.change_bulletin", center_id=center.pk)
    try:
        month = month_start(month)
    except (TypeError, ValueError):
        raise DomainError(_("Give the month as YYYY-MM."), field="month") from None
    if register not in CONFIRMABLE:
        raise DomainError(
            _("Attendance is shown by the punches alone; it cannot be confirmed by hand.")
            if register == Register.ATTENDANCE
            else _("Unknown register “{register}”.").format(register=register),
            field="register",
        )
    check, created = RegisterCheck.objects.get_or_create(
        center=center,
        month=month,
        register=register,
        defaults={"confirmed_by": _user(by), "confirmed_at": timezone.now()},
    )
    if created:
        audit_record(
            by=by,
            action="register.confirm",
            obj=check,
            center_id=center.pk,
            after={"month": f"{month:%Y-%m}", "register": register},
        )


@transaction.atomic
def register_withdraw(*, by: Actor, center: Center, month: dt.date | str, register: str) -> None:
    """Take back the office's confirmation that a register was kept in the month."""
    require(by, "bulletins.change_bulletin", center_id=center.pk)
    try:
        month = month_start(month)
    except (TypeError, ValueError):
        raise DomainError(_("Give the month as YYYY-MM."), field="month") from None
    check = RegisterCheck.objects.filter(center=center, month=month, register=register).first()
    if check is None:
        return
    audit_record(
        by=by,
        action="register.withdraw",
        obj=check,
        center_id=center.pk,
        before={"month": f"{month:%Y-%m}", "register": register},
    )
    check.delete()
