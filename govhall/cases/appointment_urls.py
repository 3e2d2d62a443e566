from django.urls import path

from govhall.cases.views import appointments

urlpatterns = [
    path("today/", appointments.today, name="appointments_today"),
    path("<int:pk>/mark/", appointments.mark, name="appointment_mark"),
    path("slots/", appointments.slots, name="appointment_slots"),
    path("slots/<int:pk>/close/", appointments.slot_close, name="appointment_slot_close"),
]
