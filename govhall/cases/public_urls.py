"""Public pages (no login) under /service/, and the staff-only file download."""

from django.urls import path

from govhall.cases import public_views

app_name = "service"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("supplement/<str:token>/", public_views.supplement, name="supplement"),
    path("uploads/<int:pk>/", public_views.upload_file, name="upload_file"),
    path("progress/", public_views.progress, name="progress"),
    path("appointments/", public_views.appointments, name="appointments"),
    path(
        "appointments/book/<int:slot_id>/", public_views.appointment_book, name="appointment_book"
    ),
    path("appointments/done/<str:code>/", public_views.appointment_done, name="appointment_done"),
    path("appointments/cancel/", public_views.appointment_cancel, name="appointment_cancel"),
]
