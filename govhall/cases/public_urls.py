from django.urls import path

app_name = "service"

urlpatterns: list = []
