from __future__ import annotations

from typing import Any

from django.contrib import admin

from govhall.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["seq", "chain", "created_at", "actor_name", "action", "object_repr"]
    list_filter = ["chain", "action"]
    search_fields = ["object_repr", "actor_name"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
