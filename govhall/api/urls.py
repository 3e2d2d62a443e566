"""The JSON API for other systems (/api/v1/); the routes are filled in by govhall.api."""

urlpatterns: list = []
