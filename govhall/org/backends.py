"""`user.has_perm` from the roles an account holds in the center it is working in.

Accounts log in as with Django's ModelBackend; permissions never come from Django groups or
per-user grants, which are global and would let a role held in one center act in another.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from govhall.core.access import Place
from govhall.org.scoping import acting_center_id, scope_for


class CenterRoleBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)
        if isinstance(obj, Place):  # a record's center and unit (core.access.require)
            return set(scope_for(user_obj).perms_in(obj.center_id, obj.unit_id))
        if obj is not None:
            return set()
        center_id = acting_center_id(user_obj)
        if center_id is None:
            return set()
        return set(scope_for(user_obj).perms_in(center_id))
