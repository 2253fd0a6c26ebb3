"""Forms of the application pages. They check the shape of input only; the services judge the answers
(through the scoring engine), the files and the decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm


class ApplyForm(BootstrapForm):
    campaign = forms.IntegerField(widget=forms.HiddenInput)
    org = forms.IntegerField(label=_("Applicant"))


class AnswerForm(BootstrapForm):
    """One leaf's answer as typed (``answer``; a checklist posts its ticked ``items``) and its statement."""

    answer = forms.CharField(required=False, max_length=40)
    statement = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(BootstrapForm):
    file = forms.FileField(label=_("File"))
    indicator = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(BootstrapForm):
    RECOMMEND, RETURN, NOT_RECOMMEND = "recommend", "return", "not_recommend"
    decision = forms.ChoiceField(
        choices=[
            (RECOMMEND, _("Recommend")),
            (RETURN, _("Return for correction")),
            (NOT_RECOMMEND, _("Do not recommend")),
        ]
    )
    reason = forms.CharField(required=False, max_length=2000, label=_("Reason"))
