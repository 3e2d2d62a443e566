"""Public pages (no login) under /service/, and the staff-only file download."""

from django.urls import path

from govhall.cases.views import public

app_name = "service"

urlpatterns = [
    path("", public.home, name="home"),
    path("supplement/<str:token>/", public.supplement, name="supplement"),
    path("uploads/<int:pk>/", public.upload_file, name="upload_file"),
    path("progress/", public.progress, name="progress"),
    path("appointments/", public.appointments, name="appointments"),
    path("appointments/book/<int:slot_id>/", public.appointment_book, name="appointment_book"),
    path("appointments/done/<str:code>/", public.appointment_done, name="appointment_done"),
    path("appointments/cancel/", public.appointment_cancel, name="appointment_cancel"),
]
