from django.urls import include, path

from govhall.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("workbook/", include("govhall.catalog.workbook_urls")),
]
