from django.urls import path

from govhall.queueing.views import config, desk, public, screens, window_photo

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
    path("window/<int:window_id>/photo", window_photo.window_photo, name="window_photo"),
    # the staff side: the window desk, the rating pad, the office's settings and today's list
    path("desk/", desk.desk, name="desk"),
    path("desk/<int:window_id>/<slug:action>/", desk.desk_act, name="desk_act"),
    path("pad/<int:window_id>/", desk.pad, name="pad"),
    path("pad/<int:window_id>/state", desk.pad_state, name="pad_state"),
    path("pad/<int:window_id>/rate", desk.pad_rate, name="pad_rate"),
    path("categories/", config.category_list, name="category_list"),
    path("categories/new/", config.category_create, name="category_create"),
    path("categories/<int:pk>/", config.category_edit, name="category_edit"),
    path("categories/<int:pk>/delete/", config.category_delete, name="category_delete"),
    path("settings/", config.settings_edit, name="settings"),
    path("tickets/", config.ticket_list, name="ticket_list"),
]
