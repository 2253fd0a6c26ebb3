"""Stub: to be written."""

from django.contrib.auth import views as auth_views

login = auth_views.LoginView.as_view()
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view()
