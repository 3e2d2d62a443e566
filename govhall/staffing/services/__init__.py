"""Every write of the hall's staffing: attendance, leave and its approval, the approval rules,
outings, A/B vacancies. Each is checked, runs in one transaction and leaves an audit entry.

One module per topic; callers import from the package (`services.leave_approve`). The hall's
hours are the organization's: see `govhall.org.services`.
"""

from govhall.staffing.services.attendance import (
    attendance_clock,
    attendance_punches_import,
    attendance_record_add,
    attendance_settings_update,
)
from govhall.staffing.services.leave import (
    MAX_LEAVE_DAYS,
    leave_approve,
    leave_cancel,
    leave_gaps,
    leave_note_attach,
    leave_record,
    leave_reject,
    leave_request,
    leave_shorten,
    plan_leave_parts,
)
from govhall.staffing.services.leave_rules import (
    leave_rule_create,
    leave_rule_delete,
    leave_rule_update,
    leave_rules_install_defaults,
)
from govhall.staffing.services.outings import outing_record, outing_register, outing_return
from govhall.staffing.services.vacancies import vacancies_record

__all__ = [
    "MAX_LEAVE_DAYS",
    "attendance_clock",
    "attendance_punches_import",
    "attendance_record_add",
    "attendance_settings_update",
    "leave_approve",
    "leave_cancel",
    "leave_gaps",
    "leave_note_attach",
    "leave_record",
    "leave_reject",
    "leave_request",
    "leave_rule_create",
    "leave_rule_delete",
    "leave_rule_update",
    "leave_rules_install_defaults",
    "leave_shorten",
    "outing_record",
    "outing_register",
    "outing_return",
    "plan_leave_parts",
    "vacancies_record",
]
