"""The center's leave approval rules: who signs last for which type and length of leave."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.org.models import Center
from govhall.staffing.choices import ApprovalLevel, LeaveKind
from govhall.staffing.models import LeaveRule
from govhall.staffing.rules import DEFAULT_RULES


def _clean_rule(
    center: Center, current: LeaveRule | None, kind: str, max_days: Any, level: str
) -> dict[str, Any]:
    if kind and kind not in LeaveKind.values:
        raise DomainError(_("Choose a type of leave."), field="kind")
    if level not in ApprovalLevel.values:
        raise DomainError(_("Choose who approves last."), field="level")
    if max_days is not None:
        try:
            max_days = Decimal(str(max_days))
        except ArithmeticError:
            raise DomainError(_("Enter a number of days."), field="max_days") from None
        if max_days <= 0 or max_days > 999 or max_days * 2 != int(max_days * 2):
            raise DomainError(_("Enter whole or half days, more than 0."), field="max_days")
    clash = LeaveRule.objects.filter(center=center, kind=kind or "", max_days=max_days)
    if max_days is None:
        clash = LeaveRule.objects.filter(center=center, kind=kind or "", max_days__isnull=True)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise DomainError(_("A rule for this type and length already exists."), field="max_days")
    return {"kind": kind or "", "max_days": max_days, "level": level}


@transaction.atomic
def leave_rule_create(
    *, by: Actor, center: Center, kind: str, max_days: Any, level: str
) -> LeaveRule:
    """Add a rule of the approval chain (the center's rules replace the defaults)."""
    require(by, "staffing.add_leaverule", center_id=center.pk)
    rule = LeaveRule.objects.create(
        center=center, **_clean_rule(center, None, kind, max_days, level)
    )
    audit_record(
        by=by, action="leave_rule.create", obj=rule, center_id=center.pk, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def leave_rule_update(
    *, by: Actor, rule: LeaveRule, kind: str, max_days: Any, level: str
) -> LeaveRule:
    require(by, "staffing.change_leaverule", center_id=rule.center_id)
    before = snapshot(rule)
    for key, value in _clean_rule(rule.center, rule, kind, max_days, level).items():
        setattr(rule, key, value)
    rule.save()
    audit_record(
        by=by, action="leave_rule.update", obj=rule, center_id=rule.center_id, before=before,
        after=snapshot(rule),
    )  # fmt: skip
    return rule


@transaction.atomic
def leave_rule_delete(*, by: Actor, rule: LeaveRule) -> None:
    require(by, "staffing.delete_leaverule", center_id=rule.center_id)
    audit_record(
        by=by, action="leave_rule.delete", obj=rule, center_id=rule.center_id, before=snapshot(rule)
    )
    rule.delete()


@transaction.atomic
def leave_rules_install_defaults(*, by: Actor, center: Center) -> list[LeaveRule]:
    """Write the default chain as the center's own rules, to edit from there."""
    if LeaveRule.objects.filter(center=center).exists():
        raise DomainError(_("The center already has its own rules."))
    return [
        leave_rule_create(by=by, center=center, kind=r.kind, max_days=r.max_days, level=r.level)
        for r in DEFAULT_RULES
    ]
