from django.urls import path

from govhall.oversight import views

app_name = "oversight"

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create_view, name="inspection_create"),
    path("inspections/print/", views.inspection_print, name="inspection_print"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/withdraw/", views.inspection_withdraw_view, name="inspection_withdraw"
    ),
    path("inspections/<int:pk>/photo/", views.inspection_photo, name="inspection_photo"),
    path("patrol/", views.patrol_list, name="patrol_list"),
    path("patrol/month/", views.patrol_month, name="patrol_month"),
    path("patrol/quotas/", views.patrol_quotas, name="patrol_quotas"),
    path("patrol/quotas/edit/", views.patrol_quota_edit, name="patrol_quota_edit"),
    path("patrol/leaders/", views.leader_list_view, name="leader_list"),
    path("patrol/leaders/new/", views.leader_create, name="leader_create"),
    path("patrol/leaders/<int:pk>/edit/", views.leader_edit, name="leader_edit"),
    path("patrol/record/", views.patrol_record_view, name="patrol_record"),
    # The hall screen (office login) and the pages a leader's phone opens (no login needed).
    path("patrol/screen/", views.patrol_screen, name="patrol_screen"),
    path("patrol/screen/code.svg", views.patrol_screen_code, name="patrol_screen_code"),
    path(
        "patrol/s/<int:center_id>/<int:minute>/<str:token>/",
        views.patrol_scan_view,
        name="patrol_scan",
    ),
    path("patrol/sign/", views.patrol_sign, name="patrol_sign"),
    path("patrol/sent/", views.patrol_sent, name="patrol_sent"),
    path("patrol/c/<str:token>/", views.patrol_confirm, name="patrol_confirm"),
]
