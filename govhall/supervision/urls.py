from django.urls import path

from govhall.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("run/", views.run_now, name="run_now"),
    path("settings/", views.settings_edit, name="settings"),
    path("month/", views.month_report, name="month_report"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/supervise/", views.warning_supervise, name="warning_supervise"),
    path("warnings/<int:pk>/appeal/", views.warning_appeal, name="warning_appeal"),
    path("warnings/<int:pk>/appeal/evidence/", views.appeal_evidence, name="appeal_evidence"),
    path("warnings/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/read/", views.alerts_read_all, name="alerts_read_all"),
    path("alerts/<int:pk>/", views.alert_open, name="alert_open"),
]
