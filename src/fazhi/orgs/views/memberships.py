"""Administrators manage who holds which role, within their own subtree.

Someone without the MEMBERSHIP_MANAGE capability anywhere gets 403; an organisation or a
membership outside the administrator's subtree is a 404 (or, typed into a form, the same error as
an unknown code), so its existence is not revealed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from fazhi.core.errors import DomainError
from fazhi.orgs import roles
from fazhi.orgs.access import require_capability
from fazhi.orgs.account_forms import MembershipFilterForm, MembershipForm, UserCreateForm
from fazhi.orgs.account_selectors import (
    membership_get_for_user,
    membership_list_for_user,
    user_find_by_username,
    user_get_for_user,
    users_recent_for_user,
)
from fazhi.orgs.accounts import membership_add, membership_remove, user_create_with_membership
from fazhi.orgs.accounts import user_unlock as user_unlock_service
from fazhi.orgs.selectors import org_find_by_code

SECTION = "memberships"
# Service error fields that are named differently on the forms.
FORM_FIELDS = {"org": "org_code"}


def _add_error(form, error: DomainError) -> None:
    field = FORM_FIELDS.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _list_url(**params) -> str:
    params = {k: v for k, v in params.items() if v}
    return reverse("membership_list") + (f"?{urlencode(params)}" if params else "")


def _managed_org(form, user):
    """The organisation the form's code names, if the user manages roles there; a form error otherwise."""
    code = form.cleaned_data["org_code"]
    org = org_find_by_code(user=user, code=code, capability=roles.MEMBERSHIP_MANAGE)
    if org is None:
        form.add_error("org_code", _("No organisation you administer has the code %(code)s.") % {"code": code})
    return org


@login_required
def membership_list(request):
    require_capability(request.user, roles.MEMBERSHIP_MANAGE)
    filters = MembershipFilterForm(request.GET)
    filters.is_valid()  # a bad filter value is left out, not an error page
    data = filters.cleaned_data
    listing = membership_list_for_user(
        user=request.user,
        org_code=data.get("org") or "",
        role=data.get("role") or "",
        query=data.get("user") or "",
        page=data.get("page") or 1,
    )
    template = "orgs/membership_list.html#results" if request.htmx else "orgs/membership_list.html"
    return render(request, template, {"filters": filters, "listing": listing, "section": SECTION})


@login_required
def membership_create(request):
    require_capability(request.user, roles.MEMBERSHIP_MANAGE)
    initial = {}
    if request.GET.get("org"):
        org = org_find_by_code(user=request.user, code=request.GET["org"], capability=roles.MEMBERSHIP_MANAGE)
        if org is None:
            raise Http404
        initial["org_code"] = org.code
    if request.GET.get("user"):
        initial["username"] = request.GET["user"]
    form = MembershipForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        member = user_find_by_username(username=form.cleaned_data["username"])
        if member is None:
            form.add_error(
                "username",
                _("No account has the user name %(username)s.") % {"username": form.cleaned_data["username"]},
            )
        org = _managed_org(form, request.user)
        if member is not None and org is not None:
            try:
                membership = membership_add(actor=request.user, user=member, org=org, role=form.cleaned_data["role"])
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(user)s is now %(role)s at %(org)s.")
                    % {"user": member, "role": membership.get_role_display(), "org": org.name},
                )
                return redirect(_list_url(org=org.code))
    return render(request, "orgs/membership_form.html", {"form": form, "section": SECTION})


@login_required
def membership_delete(request, pk: int):
    membership = membership_get_for_user(request.user, pk)
    if request.method == "POST":
        try:
            membership_remove(actor=request.user, membership=membership)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(user)s no longer holds the role %(role)s at %(org)s.")
                % {"user": membership.user, "role": membership.get_role_display(), "org": membership.org.name},
            )
        return redirect(_list_url(org=membership.org.code))
    return render(request, "orgs/membership_delete.html", {"membership": membership, "section": SECTION})


@sensitive_post_parameters("password")
@login_required
def user_create(request):
    require_capability(request.user, roles.MEMBERSHIP_MANAGE)
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        org = _managed_org(form, request.user)
        if org is not None:
            data = form.cleaned_data
            try:
                membership = user_create_with_membership(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"] or None,
                    org=org,
                    role=data["role"],
                )
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _("The account %(username)s was created: %(role)s at %(org)s.")
                    % {
                        "username": membership.user.username,
                        "role": membership.get_role_display(),
                        "org": org.name,
                    },
                )
                return redirect(_list_url(user=membership.user.username))
    recent = users_recent_for_user(user=request.user)
    return render(request, "orgs/user_form.html", {"form": form, "recent_users": recent, "section": SECTION})


@login_required
@require_POST
def user_unlock(request, pk: int):
    """Lift a lockout (an administrator's help-desk action on an account in their scope)."""
    target = user_get_for_user(request.user, pk)
    user_unlock_service(actor=request.user, user=target)
    messages.success(request, _("%(user)s can sign in again.") % {"user": target})
    return redirect(_list_url(user=target.username))
