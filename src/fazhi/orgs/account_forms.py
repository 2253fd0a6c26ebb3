"""Forms for signing in, changing a password and managing users' roles.

They check the shape of the input only; the rules (lockout, password validators, scope, the last
administrator role) are enforced by the services in :mod:`fazhi.orgs.accounts`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.orgs.models import Role


class LoginForm(BootstrapForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(BootstrapForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validators_help_text_html, str)(),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password"), data.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


def _role_choices():
    return [("", _("Choose a role")), *Role.choices]


class MembershipFilterForm(BootstrapForm):
    """The list's filters; every field is optional and a bad value is simply ignored."""

    org = forms.CharField(label=_("Organisation code"), required=False, max_length=18)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    user = forms.CharField(label=_("User name or full name"), required=False, max_length=150)
    page = forms.IntegerField(required=False, min_value=1)


class MembershipForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    org_code = forms.CharField(
        label=_("Organisation code"),
        max_length=18,
        help_text=_("Division code or unified social credit code of an organisation you administer."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)

    def clean_org_code(self):
        return self.cleaned_data["org_code"].strip().upper()


class UserCreateForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Optional. Leave empty to create an account that cannot sign in until a password is set."),
    )
    org_code = forms.CharField(
        label=_("Organisation code"),
        max_length=18,
        help_text=_("Division code or unified social credit code of an organisation you administer."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)

    def clean_org_code(self):
        return self.cleaned_data["org_code"].strip().upper()
