"""Public pages of feedback, no login (mounted at /feedback/): rating, complaints, messages."""

from django.urls import path

from govhall.feedback import public_views

app_name = "public_feedback"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("rate/", public_views.rate_lookup, name="rate_lookup"),
    path("rate/thanks/", public_views.rated, name="rated"),
    path("rate/<str:token>/", public_views.rate, name="rate"),
    path("write/", public_views.write, name="write"),
    path("write/<str:code>/", public_views.written, name="written"),
    path("answer/", public_views.answer, name="answer"),
]
