from django.urls import path

from govhall.staffing import views

app_name = "staffing"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/clock/", views.clock, name="clock"),
    path("attendance/", views.sheet, name="sheet"),
    path("attendance/sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("attendance/add/", views.punch_add, name="punch_add"),
    path("leave/", views.leave_list_view, name="leave_list"),
    path("leave/new/", views.leave_new, name="leave_new"),
    path("leave/rules/", views.rule_list, name="rule_list"),
    path("leave/rules/new/", views.rule_new, name="rule_new"),
    path("leave/rules/defaults/", views.rule_defaults, name="rule_defaults"),
    path("leave/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("leave/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("leave/<int:pk>/", views.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/note/", views.leave_note, name="leave_note"),
    path("leave/<int:pk>/note/file/", views.leave_note_file, name="leave_note_file"),
    path("leave/<int:pk>/approve/", views.leave_approve_view, name="leave_approve"),
    path("leave/<int:pk>/reject/", views.leave_reject_view, name="leave_reject"),
    path("leave/<int:pk>/cancel/", views.leave_cancel_view, name="leave_cancel"),
    path("leave/<int:pk>/shorten/", views.leave_shorten_view, name="leave_shorten"),
    path("outings/", views.outing_list_view, name="outing_list"),
    path("outings/new/", views.outing_new, name="outing_new"),
    path("outings/<int:pk>/return/", views.outing_return_view, name="outing_return"),
    path("vacancies/", views.vacancy_list_view, name="vacancy_list"),
    path("hours/", views.hours_list, name="hours_list"),
    path("hours/new/", views.hours_new, name="hours_new"),
    path("hours/<int:pk>/", views.hours_edit, name="hours_edit"),
    path("hours/<int:pk>/delete/", views.hours_delete, name="hours_delete"),
    path("settings/", views.settings_edit, name="settings"),
]
