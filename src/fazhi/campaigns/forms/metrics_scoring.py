"""The reviewer's override of a metric-bound leaf's computed score: the points and the written reason (the
service judges both, so the page and any other caller refuse the same things with the same words)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OverrideForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score (points)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    reason = forms.CharField(
        label=_("Reason for the override"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
