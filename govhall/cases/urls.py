from django.urls import include, path

app_name = "cases"

urlpatterns = [
    path("", include("govhall.cases.window_urls")),
    path("appointments/", include("govhall.cases.appointment_urls")),
]
