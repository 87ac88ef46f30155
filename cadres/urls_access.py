"""Signing in and out, the start page by role, the password change and the API token: the
routes of access, at the site's root (included by config/urls.py without a prefix)."""

from django.urls import path

from . import views_access
from .views_password import PasswordChangeView

urlpatterns = [
    path("", views_access.home, name="home"),
    path("accounts/login/", views_access.LoginView.as_view(), name="login"),
    path("accounts/logout/", views_access.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    # Before the admin's own routes (config/urls.py includes these first).
    path("admin/login/", views_access.admin_login),
    path("api/auth/token/", views_access.ObtainTokenView.as_view(), name="api-token"),
]
