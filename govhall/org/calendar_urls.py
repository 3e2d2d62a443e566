from django.urls import path

from govhall.org import calendar_views

app_name = "calendar"

urlpatterns = [
    path("", calendar_views.calendar_overview, name="overview"),
    path("<int:year>/", calendar_views.calendar_year, name="year"),
    path("<int:year>/complete/", calendar_views.calendar_year_complete, name="year_complete"),
    path("<int:year>/import/", calendar_views.calendar_year_import, name="year_import"),
    path("notice/dismiss/", calendar_views.calendar_banner_dismiss, name="banner_dismiss"),
    path("day/<int:pk>/remove/", calendar_views.calendar_day_remove, name="day_remove"),
]
