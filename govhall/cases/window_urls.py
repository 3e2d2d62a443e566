from django.urls import path

from govhall.cases import window_views

urlpatterns = [
    path("desk/", window_views.desk, name="desk"),
    path("list/", window_views.desk, name="case_list"),
]
