"""What each audit action code (`case.accept`) means, in words the office reads.

The trail stores the code (stable, greppable, hashed into the chain); the audit pages show the
label. Every code a service writes must be here: tests/core/test_audit_actions.py finds the codes
in the source, and under the tests `audit_record` refuses a code without a label.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# One context for every label ("Case received" is also a column meaning the time received);
# written out in each call, as makemessages reads only literal contexts.

# The case transitions (cases.services.ACTION_NAMES) are written as `case.<transition>`.
CASE_ACTIONS: dict[str, str | Promise] = {
    "case.receive": pgettext_lazy("audit action", "Case received"),
    "case.accept": pgettext_lazy("audit action", "Case accepted"),
    "case.reject": pgettext_lazy("audit action", "Case not accepted"),
    "case.request_supplement": pgettext_lazy(
        "audit action", "Supplement requested (one-time notice)"
    ),
    "case.supplement_complete": pgettext_lazy("audit action", "Supplement complete"),
    "case.record_step": pgettext_lazy("audit action", "Case handling step recorded"),
    "case.suspend": pgettext_lazy("audit action", "Special procedure started"),
    "case.resume": pgettext_lazy("audit action", "Special procedure ended"),
    "case.extend": pgettext_lazy("audit action", "Case deadline extended"),
    "case.complete": pgettext_lazy("audit action", "Case completed"),
    "case.return": pgettext_lazy("audit action", "Case returned"),
    "case.withdraw": pgettext_lazy("audit action", "Case withdrawn"),
    "case.void": pgettext_lazy("audit action", "Case voided"),
    "case.import": pgettext_lazy("audit action", "Case imported"),
    "case.supplement_upload": pgettext_lazy("audit action", "Supplement uploaded online"),
    "case.supplement_upload_review": pgettext_lazy("audit action", "Uploaded supplement reviewed"),
}

# The catalog's list parts are written as `item.<part>_set` (catalog.choices.Part).
ITEM_PART_ACTIONS: dict[str, str | Promise] = {
    "item.basic_set": pgettext_lazy("audit action", "Item basic information saved"),
    "item.flowchart_set": pgettext_lazy("audit action", "Item power flowchart saved"),
    "item.materials_set": pgettext_lazy("audit action", "Item application materials saved"),
    "item.fees_set": pgettext_lazy("audit action", "Item fees saved"),
    "item.forms_set": pgettext_lazy("audit action", "Item service forms saved"),
    "item.steps_set": pgettext_lazy("audit action", "Item handling steps saved"),
    "item.risks_set": pgettext_lazy("audit action", "Item integrity risk points saved"),
    "item.faqs_set": pgettext_lazy("audit action", "Item frequently asked questions saved"),
}

ACTION_LABELS: dict[str, str | Promise] = {
    **CASE_ACTIONS,
    **ITEM_PART_ACTIONS,
    # accounts and organisation
    "account.create": pgettext_lazy("audit action", "Account created"),
    "account.activate": pgettext_lazy("audit action", "Account activated"),
    "account.suspend": pgettext_lazy("audit action", "Account suspended"),
    "account.password_change": pgettext_lazy("audit action", "Password changed"),
    "account.require_password_change": pgettext_lazy("audit action", "New password required"),
    "account.totp_enrol": pgettext_lazy("audit action", "Authenticator enrolled"),
    "account.totp_reset": pgettext_lazy("audit action", "Authenticator removed"),
    "account.unlock": pgettext_lazy("audit action", "Account unlocked"),
    "admin.add": pgettext_lazy("audit action", "Added in the administration site"),
    "admin.change": pgettext_lazy("audit action", "Changed in the administration site"),
    "api_client.create": pgettext_lazy("audit action", "API token issued"),
    "api_client.revoke": pgettext_lazy("audit action", "API token revoked"),
    "center.create": pgettext_lazy("audit action", "Center created"),
    "unit.create": pgettext_lazy("audit action", "Unit created"),
    "unit.update": pgettext_lazy("audit action", "Unit changed"),
    "window.create": pgettext_lazy("audit action", "Window created"),
    "window.update": pgettext_lazy("audit action", "Window changed"),
    "staff.create": pgettext_lazy("audit action", "Staff member added"),
    "staff.update": pgettext_lazy("audit action", "Staff member changed"),
    "post.set": pgettext_lazy("audit action", "A/B post set"),
    "post.remove": pgettext_lazy("audit action", "A/B post removed"),
    "membership.grant": pgettext_lazy("audit action", "Role granted"),
    "membership.revoke": pgettext_lazy("audit action", "Role revoked"),
    "hall_hours.create": pgettext_lazy("audit action", "Hall hours added"),
    "hall_hours.update": pgettext_lazy("audit action", "Hall hours changed"),
    "hall_hours.delete": pgettext_lazy("audit action", "Hall hours removed"),
    "calendar.day_set": pgettext_lazy("audit action", "Calendar day set"),
    "calendar.day_remove": pgettext_lazy("audit action", "Calendar day removed"),
    "calendar.year_complete": pgettext_lazy(
        "audit action", "Holiday schedule of the year marked complete"
    ),
    "calendar.year_incomplete": pgettext_lazy(
        "audit action", "Holiday schedule of the year marked incomplete"
    ),
    "job.run": pgettext_lazy("audit action", "Scheduled job run"),
    # cases
    "consultation.log": pgettext_lazy("audit action", "Consultation logged"),
    "consultation.import": pgettext_lazy("audit action", "Consultations imported"),
    "appointment.book": pgettext_lazy("audit action", "Appointment booked"),
    "appointment.cancel": pgettext_lazy("audit action", "Appointment cancelled"),
    "appointment.mark": pgettext_lazy("audit action", "Appointment attendance marked"),
    "appointment.slot_open": pgettext_lazy("audit action", "Appointment slot opened"),
    "appointment.slot_close": pgettext_lazy("audit action", "Appointment slot closed"),
    # catalog
    "item.create": pgettext_lazy("audit action", "Item created"),
    "item.delete": pgettext_lazy("audit action", "Item deleted"),
    "item.import": pgettext_lazy("audit action", "Items imported"),
    "item.publish": pgettext_lazy("audit action", "Item version published"),
    "item.version_start": pgettext_lazy("audit action", "Item revision started"),
    "item.version_edit": pgettext_lazy("audit action", "Item revision edited"),
    "item.version_submit": pgettext_lazy("audit action", "Item revision submitted for review"),
    "item.version_return": pgettext_lazy("audit action", "Item revision returned"),
    "item.version_discard": pgettext_lazy("audit action", "Item revision discarded"),
    "item.keywords": pgettext_lazy("audit action", "Item search keywords saved"),
    "campaign.create": pgettext_lazy("audit action", "Catalog review campaign started"),
    # supervision
    "warning.issue": pgettext_lazy("audit action", "Deadline warning issued"),
    "warning.withdraw": pgettext_lazy("audit action", "Deadline warning withdrawn"),
    "warning.supervise": pgettext_lazy("audit action", "Warning supervised"),
    "warning.appeal": pgettext_lazy("audit action", "Warning appealed"),
    "warning.appeal_decide": pgettext_lazy("audit action", "Appeal decided"),
    "warning.cancel": pgettext_lazy("audit action", "Warning cancelled"),
    "supervision.settings": pgettext_lazy("audit action", "Supervision settings changed"),
    # staffing
    "attendance.punch": pgettext_lazy("audit action", "Clocked in or out"),
    "attendance.import": pgettext_lazy("audit action", "Attendance imported"),
    "attendance_settings.update": pgettext_lazy("audit action", "Attendance settings changed"),
    "leave.request": pgettext_lazy("audit action", "Leave requested"),
    "leave.record": pgettext_lazy("audit action", "Leave recorded"),
    "leave.approve": pgettext_lazy("audit action", "Leave approved"),
    "leave.reject": pgettext_lazy("audit action", "Leave refused"),
    "leave.cancel": pgettext_lazy("audit action", "Leave cancelled"),
    "leave.shorten": pgettext_lazy("audit action", "Leave shortened"),
    "leave.note_attach": pgettext_lazy("audit action", "Stamped approval note attached"),
    "leave_rule.create": pgettext_lazy("audit action", "Leave approval rule added"),
    "leave_rule.update": pgettext_lazy("audit action", "Leave approval rule changed"),
    "leave_rule.delete": pgettext_lazy("audit action", "Leave approval rule removed"),
    "outing.register": pgettext_lazy("audit action", "Outing registered"),
    "outing.record": pgettext_lazy("audit action", "Outing recorded"),
    "outing.return": pgettext_lazy("audit action", "Return from outing"),
    "vacancy.record": pgettext_lazy("audit action", "Vacancy recorded"),
    # oversight
    "inspection.create": pgettext_lazy("audit action", "Inspection recorded"),
    "inspection.update": pgettext_lazy("audit action", "Inspection changed"),
    "inspection.withdraw": pgettext_lazy("audit action", "Inspection withdrawn"),
    "patrol.sign_in": pgettext_lazy("audit action", "Patrol signed in"),
    "patrol.sign_out": pgettext_lazy("audit action", "Patrol signed out"),
    "patrol.record": pgettext_lazy("audit action", "Patrol recorded"),
    "patrol.link_sent": pgettext_lazy("audit action", "Patrol sign-in link sent"),
    "patrol_quota.set": pgettext_lazy("audit action", "Patrol quota set"),
    "unit_leader.create": pgettext_lazy("audit action", "Unit leader added"),
    "unit_leader.update": pgettext_lazy("audit action", "Unit leader changed"),
    # journal
    "journal.create": pgettext_lazy("audit action", "Journal entry added"),
    "journal.update": pgettext_lazy("audit action", "Journal entry changed"),
    "journal.delete": pgettext_lazy("audit action", "Journal entry removed"),
    # feedback
    "rating.submit": pgettext_lazy("audit action", "Rating submitted"),
    "ticket.issue": pgettext_lazy("audit action", "Queue number taken"),
    "ticket.call": pgettext_lazy("audit action", "Queue number called"),
    "ticket.skip": pgettext_lazy("audit action", "Queue number missed"),
    "ticket.transfer": pgettext_lazy("audit action", "Queue number transferred"),
    "ticket.finish": pgettext_lazy("audit action", "Queue number finished"),
    "window.pause": pgettext_lazy("audit action", "Window paused"),
    "window.resume": pgettext_lazy("audit action", "Window resumed"),
    "queue.settings": pgettext_lazy("audit action", "Queue settings saved"),
    "queue.alert": pgettext_lazy("audit action", "Queue alert raised"),
    "queue.category_save": pgettext_lazy("audit action", "Queue category saved"),
    "queue.category_delete": pgettext_lazy("audit action", "Queue category deleted"),
    "register.confirm": pgettext_lazy("audit action", "Register confirmed kept"),
    "register.withdraw": pgettext_lazy("audit action", "Register confirmation withdrawn"),
    "rating.review_request": pgettext_lazy("audit action", "Rating review requested"),
    "rating.review": pgettext_lazy("audit action", "Rating reviewed"),
    "rectification.open": pgettext_lazy("audit action", "Rectification opened"),
    "rectification.contact": pgettext_lazy("audit action", "Rater contacted"),
    "rectification.rectify": pgettext_lazy("audit action", "Rectification done"),
    "rectification.follow_up": pgettext_lazy("audit action", "Rectification followed up"),
    "rectification.cancel": pgettext_lazy("audit action", "Rectification cancelled"),
    "feedback.submit": pgettext_lazy("audit action", "Complaint or message received"),
    "feedback.route": pgettext_lazy("audit action", "Complaint or message routed"),
    "feedback.answer": pgettext_lazy("audit action", "Complaint or message answered"),
    "feedback.dismiss": pgettext_lazy("audit action", "Complaint or message dismissed"),
    "feedback.accept": pgettext_lazy("audit action", "Answer accepted"),
    "feedback.reopen": pgettext_lazy("audit action", "Complaint or message reopened"),
    "feedback.settings": pgettext_lazy("audit action", "Feedback time limits changed"),
    # evaluation and bulletins
    "evaluation.compute": pgettext_lazy("audit action", "Month evaluated"),
    "evaluation.reopen": pgettext_lazy("audit action", "Month evaluation reopened"),
    "evaluation.rules_save": pgettext_lazy("audit action", "Scoring rules saved"),
    "evaluation.vote_set": pgettext_lazy("audit action", "Unit vote entered"),
    "evaluation.adjustment_create": pgettext_lazy("audit action", "Bonus or penalty added"),
    "evaluation.objection_raise": pgettext_lazy("audit action", "Objection raised"),
    "evaluation.objection_decide": pgettext_lazy("audit action", "Objection decided"),
    "evaluation.awards_confirm": pgettext_lazy("audit action", "Awards confirmed"),
    "bulletin.create": pgettext_lazy("audit action", "Bulletin drafted"),
    "bulletin.update": pgettext_lazy("audit action", "Bulletin edited"),
    "bulletin.publish": pgettext_lazy("audit action", "Bulletin published"),
    # the provincial platform
    "province.link_save": pgettext_lazy("audit action", "Provincial platform link saved"),
    "province.pull": pgettext_lazy("audit action", "Provincial platform pulled"),
    "province.retry": pgettext_lazy("audit action", "Provincial message retried"),
    "province.give_up": pgettext_lazy("audit action", "Provincial message given up"),
}


def action_label(code: str) -> str:
    """The label of an action code; an unknown code (an older release's) shows as itself."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
