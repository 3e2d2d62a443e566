from django.urls import path

from govhall.queueing.views import public, screens

app_name = "queueing"

urlpatterns = [
    # The public side (no login): taking a number, the printed ticket, its live page.
    path("kiosk/", public.kiosk_take, name="kiosk"),
    path("take/", public.phone_take, name="take"),
    path("t/<str:token>/", public.ticket_live, name="ticket"),
    path("t/<str:token>/print/", public.ticket_print, name="ticket_print"),
    path("t/<str:token>/state", public.ticket_state, name="ticket_state"),
    # The hall's screens (no login, no personal data).
    path("screen/", screens.hall_screen, name="screen"),
    path("screen/feed", screens.screen_feed, name="screen_feed"),
    path("screen/today/", screens.today_screen, name="screen_today"),
    path("screen/today/panel", screens.today_panel, name="screen_today_panel"),
    path("announce/<int:call_id>.wav", screens.announce_wav, name="announce"),
    path("window/<int:window_id>/screen/", screens.window_screen, name="window_screen"),
    path(
        "window/<int:window_id>/screen/panel",
        screens.window_screen_panel,
        name="window_screen_panel",
    ),
]
