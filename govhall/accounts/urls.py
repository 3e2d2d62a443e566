from django.urls import include, path

from govhall.accounts import views

app_patterns = [
    path("login/code/", views.login_code_view, name="login_code"),
    path("authenticator/", views.totp_enrol_view, name="totp"),
    path("security/", views.security_list_view, name="security"),
    path("security/<int:pk>/<slug:action>/", views.security_action_view, name="security_action"),
]

# login, logout and password_change keep Django's global names (LOGIN_URL, templates, tests).
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("", include((app_patterns, "accounts"))),
]
