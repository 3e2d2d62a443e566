"""System administrators configure each center's provincial link; the outbox is read-only here
(people act on it through the staff pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from govhall.org.admin import AuditedAdmin
from govhall.province.models import OutboxMessage, ProvinceLink, ProvincialWarning


@admin.register(ProvinceLink)
class ProvinceLinkAdmin(AuditedAdmin):
    list_display = ["center", "adapter", "base_url", "enabled", "send_personal_data"]
    list_filter = ["adapter", "enabled"]
    readonly_fields = ["warnings_since", "last_pull_at", "last_pull_error"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "center", "kind", "reference", "event", "status", "attempts"]
    list_filter = ["status", "kind", "center"]
    search_fields = ["reference"]


@admin.register(ProvincialWarning)
class ProvincialWarningAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "center", "warning_id", "case_number", "level"]
    list_filter = ["center", "level"]
    search_fields = ["case_number", "warning_id"]
