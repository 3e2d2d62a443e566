from django.urls import path

from govhall.bulletins import region_views

app_name = "regions"

urlpatterns = [
    path("", region_views.region_list, name="list"),
    path("<int:pk>/", region_views.region_overview, name="overview"),
    path(
        "<int:pk>/centers/<int:center_pk>/<str:month>/",
        region_views.region_center_month,
        name="center_month",
    ),
    path("<int:pk>/<str:month>/download.<str:fmt>", region_views.region_download, name="download"),
]
