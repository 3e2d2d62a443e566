from django.urls import path

from govhall.core import calendar_views

urlpatterns = [
    path("", calendar_views.calendar_overview, name="calendar"),
]
