"""Staff pages of the provincial links (outbox, acknowledgements, inbound warnings)."""

from django.urls import path

from govhall.province import views

app_name = "province"

urlpatterns = [
    path("", views.outbox_list, name="outbox_list"),
    path("messages/<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("messages/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("warnings/", views.warning_list, name="warning_list"),
]
