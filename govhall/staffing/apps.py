from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "govhall.staffing"
    verbose_name = _("Staffing")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, holds_post, register_menu

        register_menu(
            MenuEntry(
                _("My attendance"),
                "staffing:me",
                "staffing.clock_attendance",
                50,
                applies=holds_post,
            )
        )
        register_menu(
            MenuEntry(_("Attendance"), "staffing:sheet", "staffing.view_attendancerecord", 51)
        )
        register_menu(MenuEntry(_("Leave"), "staffing:leave_list", "staffing.view_leave", 52))
        register_menu(MenuEntry(_("Outings"), "staffing:outing_list", "staffing.view_outing", 53))
        # Vacancies, hall hours, approval rules and settings: tabs of the attendance pages.

        from govhall.staffing import imports  # noqa: F401  (registers the import kinds)
