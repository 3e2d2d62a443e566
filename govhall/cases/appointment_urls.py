from django.urls import path

from govhall.cases import appointment_views

urlpatterns = [
    path("today/", appointment_views.today, name="appointments_today"),
    path("<int:pk>/mark/", appointment_views.mark, name="appointment_mark"),
    path("slots/", appointment_views.slots, name="appointment_slots"),
    path("slots/<int:pk>/close/", appointment_views.slot_close, name="appointment_slot_close"),
]
