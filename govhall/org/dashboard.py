"""What each role sees first on its home page (later issues add their figures)."""

from __future__ import annotations

from typing import Any

from govhall.org.choices import StaffRole, role_label
from govhall.org.models import Center, Post, Staff
from govhall.org.scoping import scope_for
from govhall.org.selectors import post_list, staff_list, unit_list


def dashboard_for(user: Any, center: Center) -> dict[str, Any]:
    scope = scope_for(user)
    units = list(unit_list(user=user, center=center))
    staff = staff_list(user=user, center=center)
    me = Staff.objects.filter(user=user, center=center).select_related("unit", "window").first()
    my_post = None
    covering: list[Post] = []
    if me is not None:
        my_post = Post.objects.filter(primary=me).select_related("backup", "window").first()
        covering = list(Post.objects.filter(backup=me).select_related("primary", "window"))
    return {
        "center": center,
        "roles": [role_label(r) for r in sorted(scope.roles_in(center.pk))],
        "center_wide": scope.everything or center.pk in scope.wide_center_ids,
        "unit_count": len(units),
        "window_count": sum(u.window_count for u in units),
        "staff_count": staff.count(),
        "chief_count": staff.filter(role=StaffRole.CHIEF).count(),
        "units_without_chief": [u for u in units if u.chief_count == 0],
        "posts_count": post_list(user=user, center=center).count(),
        "me": me,
        "my_post": my_post,
        "covering": covering,
        "units": units,
    }
