"""The login roles as Django groups, and the permissions each role carries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from govhall.org.choices import Role

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

# app_label.codename per role; a permission whose app is not installed is skipped.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.OFFICE: {
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
    },
    Role.CHIEF: {
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


def group_name(role: str) -> str:
    return f"govhall:{role}"


def sync_role_groups(**_kwargs: Any) -> None:
    """Create or update one group per role with exactly its permissions (after every migrate)."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in sorted(ROLE_PERMISSIONS.get(role, set())):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
