"""The audit log's filter form: checks the shape of the filters and that the organisation asked for
lies in the reader's scope; :func:`fazhi.orgs.selectors.audit_events_for_user` does the filtering."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.orgs import roles, selectors


def object_type_choices() -> list[tuple[str, str]]:
    """Fazhi's models as (``app.model`` label, name): the values an event's object type takes."""
    models = [model for model in apps.get_models() if model.__module__.startswith("fazhi.")]
    named = sorted((str(model._meta.verbose_name), model._meta.label_lower) for model in models)
    return [("", _("Any"))] + [(label, f"{name} ({label})") for name, label in named]


class AuditFilterForm(BootstrapForm):
    org = forms.CharField(
        label=_("Organisation code"),
        max_length=18,
        required=False,
        help_text=_("Events of this organisation and everything beneath it; empty for your whole scope."),
    )
    actor = forms.CharField(label=_("User name"), max_length=150, required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False, choices=object_type_choices)
    object_id = forms.CharField(label=_("Object ID"), max_length=64, required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=100,
        required=False,
        help_text=_("The beginning of the action name, e.g. orgs.org or auth.login.failed."),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["org"].widget.attrs.update({"list": "audit-scope-roots", "autocomplete": "off"})

    def clean_org(self):
        code = self.cleaned_data["org"].strip()
        if not code:
            return None
        org = selectors.org_find_by_code(user=self.user, code=code, capability=roles.AUDIT_VIEW)
        if org is None:
            raise forms.ValidationError(
                gettext("No organisation with the code %(code)s lies within the part of the log you may read.")
                % {"code": code}
            )
        return org

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean_object_id(self):
        return self.cleaned_data["object_id"].strip()

    def clean_action(self):
        return self.cleaned_data["action"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The keyword arguments of :func:`~fazhi.orgs.selectors.audit_events_for_user`."""
        return dict(self.cleaned_data)
