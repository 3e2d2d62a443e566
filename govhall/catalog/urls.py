from django.urls import include, path

from govhall.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/keywords/", views.item_keywords, name="item_keywords"),
    path("items/<int:item_pk>/change/", views.version_start, name="version_start"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/files/<slug:kind>/<int:row>/", views.version_file, name="version_file"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/edit/<slug:part>/", views.part_edit, name="part_edit"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("versions/<int:pk>/review/", views.version_review, name="version_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("workbook/", include("govhall.catalog.workbook_urls")),
]
