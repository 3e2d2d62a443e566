"""Staff pages of the provincial links (outbox, acknowledgements)."""

app_name = "province"
urlpatterns: list = []
