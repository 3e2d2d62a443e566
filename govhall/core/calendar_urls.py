from django.urls import path

from govhall.core import calendar_views

urlpatterns = [
    path("", calendar_views.calendar_overview, name="calendar"),
    path("<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path(
        "<int:year>/complete/", calendar_views.calendar_year_complete, name="calendar_year_complete"
    ),
    path("day/<int:pk>/remove/", calendar_views.calendar_day_remove, name="calendar_day_remove"),
]
