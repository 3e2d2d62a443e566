"""System administrators' back office (`/sysadmin/`); the center office uses the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from govhall.core.audit import audit_record, snapshot
from govhall.org.models import Center, Membership, Post, Staff, Unit, Window


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave an audit entry like every service call."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        center_id = obj.pk if isinstance(obj, Center) else obj.center_id
        audit_record(
            by=request.user,
            action=f"admin.{'change' if change else 'add'}",
            obj=obj,
            center_id=center_id,
            before=before,
            after=snapshot(obj),
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # records are deactivated, never deleted, so history stays whole


@admin.register(Center)
class CenterAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "is_active"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "center", "position", "is_active"]
    list_filter = ["center", "is_active"]
    search_fields = ["name", "sort_key"]


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ["name", "unit", "number", "floor", "is_active"]
    list_filter = ["center"]
    search_fields = ["name", "unit__name"]


@admin.register(Staff)
class StaffAdmin(AuditedAdmin):
    list_display = ["name", "unit", "window", "role", "is_active"]
    list_filter = ["center", "role", "is_active"]
    search_fields = ["name", "sort_key", "phone"]
    raw_id_fields = ["user"]


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["window", "primary", "backup"]
    list_filter = ["center"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "center", "unit", "role"]
    list_filter = ["center", "role"]
