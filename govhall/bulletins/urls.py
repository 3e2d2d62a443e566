from django.urls import path

from govhall.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("new/", views.bulletin_create_view, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/edit/", views.bulletin_edit, name="edit"),
    path("<int:pk>/publish/", views.bulletin_publish_view, name="publish"),
    path("<int:pk>/registers/", views.register_check_view, name="registers"),
    path("<int:pk>/download.<str:fmt>", views.bulletin_download, name="download"),
    path("<int:pk>/v<int:version>/", views.version_detail, name="version"),
    path(
        "<int:pk>/v<int:version>/download.<str:fmt>",
        views.version_download,
        name="version_download",
    ),
]
