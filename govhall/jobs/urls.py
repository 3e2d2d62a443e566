"""Staff pages of the scheduled jobs."""

from django.urls import path

from govhall.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("run/", views.job_run, name="run"),
    path("<slug:name>/", views.job_history, name="history"),
]
