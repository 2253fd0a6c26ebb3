"""The period and org filter of a metric's page: shape only (the scope is checked by the selectors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm


class MetricFilterForm(BootstrapForm):
    org = forms.CharField(label=_("Organisation code"), max_length=18)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two are added by name, and read as cleaned_data["from"].
        self.fields["from"] = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["to"] = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
        for name in ("from", "to"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The period ends before it starts."))
        return data
