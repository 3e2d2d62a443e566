from django.urls import path

from govhall.cases import window_views

urlpatterns = [
    path("today/", window_views.desk, name="appointments_today"),
]
