from django.urls import path

from govhall.org import views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list_view, name="unit_list"),
    path("units/new/", views.unit_create_view, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/toggle/", views.unit_toggle, name="unit_toggle"),
    path("units/<int:unit_pk>/windows/new/", views.window_create_view, name="window_create"),
    path("windows/<int:pk>/edit/", views.window_edit, name="window_edit"),
    path("staff/", views.staff_list_view, name="staff_list"),
    path("staff/new/", views.staff_create_view, name="staff_create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/toggle/", views.staff_toggle, name="staff_toggle"),
    path("staff/<int:pk>/photo/", views.staff_photo, name="staff_photo"),
    path("staff/<int:pk>/account/", views.staff_account, name="staff_account"),
    path("posts/", views.post_list_view, name="post_list"),
    path("posts/<int:staff_pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/remove/", views.post_remove_view, name="post_remove"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create_view, name="account_create"),
    path("accounts/<int:user_pk>/toggle/", views.account_toggle, name="account_toggle"),
    path("import/", views.import_view, name="import"),
]
