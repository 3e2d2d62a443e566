from django.urls import path

from govhall.queueing.views import public

app_name = "queueing"

urlpatterns = [
    # The public side (no login): taking a number, the printed ticket, its live page.
    path("kiosk/", public.kiosk_take, name="kiosk"),
    path("take/", public.phone_take, name="take"),
    path("t/<str:token>/", public.ticket_live, name="ticket"),
    path("t/<str:token>/print/", public.ticket_print, name="ticket_print"),
    path("t/<str:token>/state", public.ticket_state, name="ticket_state"),
]
