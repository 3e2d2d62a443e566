from django.urls import path

from govhall.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.month_view, name="month"),
    path("compute/", views.compute_view, name="compute"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("lines/<int:pk>/object/", views.line_object, name="line_object"),
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("adjustments/new/", views.adjustment_create_view, name="adjustment_create"),
    path("votes/", views.votes_view, name="votes"),
    path("awards/", views.awards_view, name="awards"),
    path("awards/reopen/", views.reopen_view, name="reopen"),
    path("annual/", views.annual_view, name="annual"),
    path("rules/", views.rules_list, name="rules_list"),
    path("rules/edit/", views.rules_edit, name="rules_edit"),
]
