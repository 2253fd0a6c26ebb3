"""Forms of the disputes pages: the shape of the input only; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.disputes import services


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _form_field(model_field: models.Field) -> forms.Field:
    if isinstance(model_field, models.BooleanField):
        return forms.NullBooleanField(
            label=model_field.verbose_name,
            required=False,
            widget=forms.NullBooleanSelect(),
        )
    if isinstance(model_field, models.DateField):
        return forms.DateField(
            label=model_field.verbose_name, required=not (model_field.null or model_field.blank), widget=DateInput()
        )
    if model_field.choices:
        required = not model_field.blank and not model_field.has_default()
        choices = ([] if required else [("", "—")]) + list(model_field.choices)
        return forms.ChoiceField(label=model_field.verbose_name, choices=choices, required=required)
    if isinstance(model_field, models.PositiveSmallIntegerField):
        return forms.IntegerField(label=model_field.verbose_name, min_value=0, required=False)
    return forms.CharField(
        label=model_field.verbose_name, max_length=model_field.max_length, required=not model_field.blank
    )


class RecordForm(BootstrapForm):
    """A register's editable fields (and, for a new record, the organisation: ``orgs``, typed as its code)."""

    def __init__(self, *args, register: str, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        spec = services.SPECS[register]
        with_org = orgs is not None
        fields = {}
        if with_org:
            fields["org"] = OrgField(
                queryset=orgs,
                label=_("Organisation"),
                widget=OrgField.widget(attrs={"class": "form-control font-monospace"}),
            )
        for name in spec.fields:
            fields[name] = _form_field(spec.model._meta.get_field(name))
        if "extension_days" in fields and not with_org:
            # An extension is granted with its own button once the record exists.
            fields["extension_days"].disabled = True
        self.fields = fields
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "org" and not self.fields[k].disabled}


class FilterForm(forms.Form):
    """The list filters: an org subtree (``?org=<code>``, any org of ``orgs``), year, status."""

    org = OrgField(label=_("Organisation and below"), required=False, help_text="")
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, orgs, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["status"].choices = [("", _("Any"))] + [(k, s.label) for k, s in statuses.items()]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css


class ExtendForm(BootstrapForm):
    days = forms.IntegerField(label=_("Extension"), min_value=1, max_value=365)
