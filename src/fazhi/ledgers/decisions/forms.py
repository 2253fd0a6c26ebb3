"""Forms of the decisions ledger: they check the shape of input; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.decisions.models import Category, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(BootstrapForm):
    year = forms.IntegerField(label=_("Catalogue year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    technical = forms.BooleanField(
        label=_("Highly specialised or technical (needs expert argumentation)"), required=False
    )
    public_comment_required = forms.BooleanField(
        label=_("Public comment required (untick only when the law keeps the matter from public comment)"),
        required=False,
        initial=True,
    )
    hearing_required = forms.BooleanField(label=_("Hearing required"), required=False)
    evaluation_due = forms.DateField(label=_("Post-decision evaluation due"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionCreateForm(DecisionForm):
    """``orgs``: the organisations whose catalogue may take the decision (typed by code, no cap on their number)."""

    org = OrgField(label=_("Organisation"))
    field_order = ["org"]

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ProcedureForm(BootstrapForm):
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE)
    ended_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = STEP_DATE_LABELS[kind]
        if start is None:
            del self.fields["started_on"]
        else:
            self.fields["started_on"].label = start
        self.fields["ended_on"].label = end


STEP_DATE_LABELS = {
    "public_participation": (_("Comment period opens"), _("Comment period closes")),
    "hearing": (_("Hearing announced (materials published)"), _("Hearing held")),
    "expert_argumentation": (None, _("Date of the experts' opinion")),
    "risk_assessment": (None, _("Date of the risk assessment report")),
    "legality_review": (_("Sent for legality review"), _("Date of the review opinion")),
    "collective_decision": (None, _("Date of the meeting that decided")),
}


class EvidenceForm(BootstrapForm):
    file = forms.FileField(label=_("Evidence file"))


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for withdrawal"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluateForm(BootstrapForm):
    evaluated_on = forms.DateField(label=_("Evaluated on"), required=False, widget=DATE)
    finding = forms.CharField(label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    domain_fields = {"evaluation_finding": "finding"}


class FilterForm(forms.Form):
    """``orgs``: the organisations the user may filter by (typed by code: any of them, however many)."""

    org = OrgField(label=_("Organisation (and below)"), required=False, help_text="")
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])

    def __init__(self, *args, orgs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["year"].choices = [("", _("Any year"))] + [(y, str(y)) for y in years]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "org" else "form-select form-select-sm"
            )
