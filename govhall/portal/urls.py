from django.urls import path

from govhall.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("units/<int:unit_id>/", views.unit_items, name="unit"),
    path("category/<str:code>/", views.category_items, name="category"),
    path("for/<str:target>/", views.target_items, name="target"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/guide/", views.item_guide, name="guide"),
    path("items/<int:item_id>/checklist/", views.item_checklist, name="checklist"),
    path("items/<int:item_id>/files/<slug:kind>/<int:pk>/", views.item_file, name="item_file"),
    path("elderly/", views.elderly_mode, name="elderly"),
]
