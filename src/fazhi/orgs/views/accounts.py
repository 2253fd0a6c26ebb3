"""Signing in and out, and changing one's password. The rules live in :mod:`fazhi.orgs.accounts`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from fazhi.core.errors import DomainError
from fazhi.core.middleware import client_ip
from fazhi.orgs.account_forms import LoginForm, PasswordChangeForm
from fazhi.orgs.accounts import LoginRefused, login_attempt, user_password_change

BACKEND = "fazhi.orgs.backends.LockoutBackend"


def _safe_next(request) -> str:
    """The ``next`` page if it is on this site, else the empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    next_url = _safe_next(request)
    form = LoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            auth_login(request, user, backend=BACKEND)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password", "new_password_again")
@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = user_password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            update_session_auth_hash(request, user)  # stay signed in with the new password
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})
