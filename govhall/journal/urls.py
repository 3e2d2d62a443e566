from django.urls import path

from govhall.journal import views

app_name = "journal"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("new/<str:kind>/", views.entry_create, name="entry_create"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("<int:pk>/clipping/", views.entry_clipping, name="entry_clipping"),
]
