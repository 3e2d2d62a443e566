"""The permissions each login role carries, in the center (and unit) where it is held."""

from __future__ import annotations

from govhall.org.choices import RegionRole, Role

_ORG_MODELS = ("center", "unit", "window", "staff", "post", "membership")

CATALOG_READ = ("catalog.view_serviceitem", "catalog.view_itemversion")
CASES_READ = ("cases.view_case", "cases.view_consultation")
CASES_WORK = (*CASES_READ, "cases.handle_case", "cases.add_consultation")
SUPERVISION_READ = ("supervision.view_warning", "supervision.view_appeal", "supervision.view_alert")
SUPERVISION_OFFICE = (
    *SUPERVISION_READ,
    "supervision.add_warning",
    "supervision.supervise_warning",
    "supervision.decide_appeal",
    "supervision.view_supervisionsettings",
    "supervision.change_supervisionsettings",
)
# Opening and closing appointment slots (延时预约 too) is for the chief and the office.
APPOINTMENT_SLOTS = ("cases.add_appointmentslot", "cases.change_appointmentslot")
# Oversight (inspections, patrol sign-in) and the work journal: the office writes, others read.
OVERSIGHT_READ = (
    "oversight.view_inspection",
    "oversight.view_patrolsignin",
    "oversight.view_unitleader",
)
OVERSIGHT_OFFICE = (
    *OVERSIGHT_READ,
    "oversight.add_inspection",
    "oversight.change_inspection",
    "oversight.add_unitleader",
    "oversight.change_unitleader",
    "oversight.add_patrolsignin",
    "oversight.open_patrol_screen",
    "oversight.view_patrolquota",
    "oversight.change_patrolquota",
)
JOURNAL_OFFICE = (
    "journal.view_journalentry",
    "journal.add_journalentry",
    "journal.change_journalentry",
    "journal.delete_journalentry",
)

# Staffing: one's own punches, leave, outings; the unit's (chief) and center's (office) records.
STAFFING_SELF = ("staffing.clock_attendance", "staffing.request_leave", "staffing.register_outing")
STAFFING_READ = (
    "staffing.view_attendancerecord",
    "staffing.view_leave",
    "staffing.view_outing",
    "staffing.view_vacancy",
)
STAFFING_UNIT = (
    "staffing.approve_leave",
    "staffing.add_leave",
    "staffing.change_leave",
    "staffing.add_outing",
    "staffing.change_outing",
)
STAFFING_OFFICE = (
    *STAFFING_READ,
    *STAFFING_UNIT,
    "staffing.add_attendancerecord",
    "staffing.add_vacancy",
    "staffing.view_leaverule",
    "staffing.add_leaverule",
    "staffing.change_leaverule",
    "staffing.delete_leaverule",
    "staffing.view_attendancesettings",
    "staffing.change_attendancesettings",
    "org.view_hallhours",
    "org.add_hallhours",
    "org.change_hallhours",
    "org.delete_hallhours",
)

# Public feedback: units see and handle their own ratings, tasks and complaints; the office routes
# complaints, reviews ratings' validity and sets the limits.
FEEDBACK_READ = ("feedback.view_rating", "feedback.view_rectification", "feedback.view_feedback")
FEEDBACK_UNIT = (
    *FEEDBACK_READ,
    "feedback.use_rating_pad",
    "feedback.handle_rectification",
    "feedback.answer_feedback",
)
FEEDBACK_OFFICE = (
    *FEEDBACK_UNIT,
    "feedback.review_rating",
    "feedback.route_feedback",
    "feedback.view_feedbacksettings",
    "feedback.change_feedbacksettings",
)

# Monthly evaluation: units see their own scorecards and object through their chief; the office
# computes, rules on objections, enters votes and bonus/penalty lines, confirms the awards.
EVALUATION_READ = (
    "evaluation.view_monthevaluation",
    "evaluation.view_scorecard",
    "evaluation.view_objection",
)
EVALUATION_OFFICE = (
    *EVALUATION_READ,
    "evaluation.compute_evaluation",
    "evaluation.confirm_awards",
    "evaluation.decide_objection",
    "evaluation.add_scoreadjustment",
    "evaluation.add_unitvote",
    "evaluation.change_unitvote",
    "evaluation.view_scoringrules",
    "evaluation.add_scoringrules",
    "evaluation.change_scoringrules",
)
# The monthly bulletin and its dashboard: the office writes and publishes, chiefs, leaders and
# supervisors read what was published.
BULLETINS_READ = ("bulletins.view_bulletin", "bulletins.view_bulletinversion")
BULLETINS_OFFICE = (
    *BULLETINS_READ,
    "bulletins.add_bulletin",
    "bulletins.change_bulletin",
    "bulletins.publish_bulletin",
)

# The provincial platform's outbox and warnings: the office reads and retries, supervisors read.
PROVINCE_READ = ("province.view_outboxmessage", "province.view_provincialwarning")
PROVINCE_OFFICE = (*PROVINCE_READ, "province.retry_outboxmessage")

# The queue (排队叫号): window staff call at their own window (or the one they cover); the office
# configures categories and windows and reads the queue's alerts; leaders and supervisors read.
QUEUE_READ = ("queueing.view_ticket", "queueing.view_queuealert")
QUEUE_WINDOW = (*QUEUE_READ, "queueing.call_ticket")
QUEUE_OFFICE = (
    *QUEUE_WINDOW,
    "queueing.view_queuecategory",
    "queueing.add_queuecategory",
    "queueing.change_queuecategory",
    "queueing.delete_queuecategory",
    "queueing.view_queuesettings",
    "queueing.change_queuesettings",
    "queueing.add_ticket",
    "queueing.view_queue_screen",
)

# app_label.codename per role (govhall.org.backends answers `user.has_perm` from these).
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.OFFICE: {
        *QUEUE_OFFICE,
        *PROVINCE_OFFICE,
        *BULLETINS_OFFICE,
        *EVALUATION_OFFICE,
        *FEEDBACK_OFFICE,
        *STAFFING_OFFICE,
        *OVERSIGHT_OFFICE,
        *JOURNAL_OFFICE,
        *SUPERVISION_OFFICE,
        *(f"org.{verb}_{model}" for model in _ORG_MODELS for verb in ("add", "change", "view")),
        "core.view_auditentry",
        "core.view_calendarday",
        "core.add_calendarday",
        "core.change_calendarday",
        "core.delete_calendarday",
        "core.change_calendaryear",
        *CATALOG_READ,
        "catalog.add_serviceitem",
        "catalog.change_serviceitem",
        "catalog.change_itemversion",
        "catalog.submit_itemversion",
        "catalog.review_itemversion",
        "catalog.view_reviewcampaign",
        "catalog.add_reviewcampaign",
        "catalog.change_reviewcampaign",
        *CASES_WORK,
        *APPOINTMENT_SLOTS,
        "cases.view_id_number",
        "cases.add_case",
    },
    Role.CHIEF: {
        *QUEUE_WINDOW,
        # The month at a glance (with the unit's own row) and the published bulletins.
        *BULLETINS_READ,
        *EVALUATION_READ,
        "evaluation.raise_objection",
        *FEEDBACK_UNIT,
        *STAFFING_SELF,
        *STAFFING_READ,
        *STAFFING_UNIT,
        *OVERSIGHT_READ,
        "journal.view_journalentry",
        "journal.submit_info",
        *SUPERVISION_READ,
        "supervision.appeal_warning",
        *CATALOG_READ,
        *CASES_WORK,
        *APPOINTMENT_SLOTS,
        "cases.view_id_number",
        "catalog.add_serviceitem",
        "catalog.change_itemversion",
        "catalog.submit_itemversion",
        "catalog.view_reviewcampaign",
        "org.view_unit",
        "org.view_window",
        "org.view_staff",
        "org.view_post",
        "org.add_post",
        "org.change_post",
        "core.view_calendarday",
    },
    Role.WINDOW_STAFF: {
        *QUEUE_WINDOW,
        *EVALUATION_READ,
        *FEEDBACK_READ,
        "feedback.use_rating_pad",
        *STAFFING_SELF,
        "journal.view_journalentry",
        *SUPERVISION_READ,
        *CATALOG_READ,
        *CASES_WORK,
        "cases.view_id_number",
        "org.view_unit",
        "org.view_window",
        "org.view_staff",
        "org.view_post",
        "core.view_calendarday",
    },
    Role.UNIT_LEADER: {
        *QUEUE_READ,
        *BULLETINS_READ,
        *EVALUATION_READ,
        *FEEDBACK_READ,
        *STAFFING_READ,
        *OVERSIGHT_READ,
        "journal.view_journalentry",
        *SUPERVISION_READ,
        *CATALOG_READ,
        *CASES_READ,
        "org.view_unit",
        "org.view_window",
        "org.view_staff",
        "org.view_post",
        "core.view_calendarday",
    },
    Role.SUPERVISOR: {
        *QUEUE_READ,
        *PROVINCE_READ,
        *BULLETINS_READ,
        *EVALUATION_READ,
        *FEEDBACK_READ,
        *STAFFING_READ,
        *OVERSIGHT_READ,
        "journal.view_journalentry",
        *SUPERVISION_READ,
        "supervision.supervise_warning",
        *CATALOG_READ,
        *CASES_READ,
        "catalog.view_reviewcampaign",
        "org.view_center",
        "org.view_unit",
        "org.view_window",
        "org.view_staff",
        "org.view_post",
        "core.view_auditentry",
        "core.view_calendarday",
    },
}

# 区域监管: a city's (or province's) supervisors read every center under their region. They get
# the center supervisor's view permissions and nothing that writes (not even 督办, which records a
# supervision note): `view_*` only, plus the region overview itself.
REGION_READ: set[str] = {
    perm for perm in ROLE_PERMISSIONS[Role.SUPERVISOR] if perm.split(".", 1)[1].startswith("view_")
} | {"org.view_region"}
ROLE_PERMISSIONS[RegionRole.SUPERVISOR] = REGION_READ
