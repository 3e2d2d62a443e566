from django.urls import path

from govhall.queueing.views import config, desk

app_name = "queueing"

urlpatterns = [
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
