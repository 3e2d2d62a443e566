"""Staff pages of public feedback (mounted at /feedback/manage/)."""

from django.urls import path

from govhall.feedback import views

app_name = "feedback"

urlpatterns = [
    path("pad/case/<int:pk>/", views.pad_case, name="pad_case"),
    path("pad/consultation/<int:pk>/", views.pad_consultation, name="pad_consultation"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("ratings/<int:pk>/<slug:action>/", views.rating_act, name="rating_act"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/<slug:action>/", views.task_act, name="task_act"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("inbox/<int:pk>/<slug:action>/", views.feedback_act, name="feedback_act"),
    path("figures/", views.figures, name="figures"),
    path("overdue/", views.overdue, name="overdue"),
    path("settings/", views.settings_edit, name="settings"),
]
