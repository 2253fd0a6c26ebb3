"""Forms of the enforcement ledger's pages: the shape of input only; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.enforcement import rules
from fazhi.ledgers.enforcement.checklist import CHECKLIST
from fazhi.ledgers.enforcement.models import Absence, ExamOutcome, Grade, OfficerStatus


class DateInput(forms.DateInput):
    input_type = "date"


def _org_field(orgs, *, required: bool = True, label=None) -> OrgField:
    """An organisation of ``orgs`` typed as its code (with suggestions), cleaned to the Org."""
    field = OrgField(queryset=orgs, required=required, label=label or _("Organisation"))
    if not required:
        field.help_text = _("Empty: every organisation in your scope.")
    return field


class FilterForm(BootstrapForm):
    """The list filters: org subtree (``?org=<code>``), year, status."""

    def __init__(self, data, *, orgs, statuses):
        super().__init__(data)
        self.fields = {
            "org": _org_field(orgs, required=False, label=_("Organisation and below")),
            "year": forms.IntegerField(
                label=_("Year"), required=False, min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR
            ),
            "status": forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *statuses]),
        }
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


OFFICER_STATUSES = OfficerStatus.choices
EXAM_STATUSES = [
    ("passed", _("Passed both exams")),
    ("suspending", _("Failed or absent without excuse")),
    ("not_recorded", _("A result not recorded")),
]
GRADES = Grade.choices


class OfficerForm(BootstrapForm):
    domain_fields = {"number": "certificate_number"}

    def __init__(self, *args, orgs, create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            "org": _org_field(orgs),
            "name": forms.CharField(label=_("Name"), max_length=100),
        }
        if create:
            fields["id_number"] = forms.CharField(
                label=_("ID number"), max_length=32, help_text=_("Personal data: shown only to the ledger's readers.")
            )
            fields["certificate_number"] = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
            fields["issued_on"] = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
            fields["expires_on"] = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)
        fields["joined_on"] = forms.DateField(
            label=_("In post since"), required=False, widget=DateInput, help_text=_("Empty: in post throughout.")
        )
        fields["left_on"] = forms.DateField(
            label=_("Left the post on"), required=False, widget=DateInput, help_text=_("Empty while in post.")
        )
        self.fields = fields
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class CertificateForm(BootstrapForm):
    number = forms.CharField(label=_("Certificate number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput)


class YearForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR)
    general_score = forms.IntegerField(label=_("General-law exam score"), required=False)
    general_absence = forms.ChoiceField(label=_("General-law exam absence"), choices=Absence.choices, required=False)
    special_score = forms.IntegerField(label=_("Specialised exam score"), required=False)
    special_absence = forms.ChoiceField(label=_("Specialised exam absence"), choices=Absence.choices, required=False)
    training_hours = forms.DecimalField(
        label=_("Training hours"), required=False, min_value=0, max_digits=6, decimal_places=1
    )


class CaseFileForm(BootstrapForm):
    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            "org": _org_field(orgs),
            "year": forms.IntegerField(label=_("Review year"), min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR),
            "case_number": forms.CharField(label=_("Case number"), max_length=100),
            "title": forms.CharField(label=_("Case"), max_length=200),
            "reviewed_on": forms.DateField(label=_("Reviewed on"), widget=DateInput),
            "score": forms.IntegerField(
                label=_("Score"),
                required=False,
                help_text=_("Leave empty when you fill in the checklist below: the score is its sum."),
            ),
        }
        for item in CHECKLIST:
            fields[f"item_{item.code}"] = forms.IntegerField(
                label=_(item.title),
                required=False,
                min_value=0,
                max_value=item.points,
                help_text=_("0 to %(points)d points") % {"points": item.points},
            )
        for flag, label in (
            ("full_record", _("Full-process records kept")),
            ("major", _("Major enforcement decision")),
            ("legal_review", _("Legal review before the decision")),
            ("disclosed", _("Decision disclosed")),
            ("online", _("Handled online")),
        ):
            fields[flag] = forms.BooleanField(label=label, required=False)
        self.fields = fields
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def items(self) -> dict[str, int]:
        return {
            item.code: self.cleaned_data[f"item_{item.code}"]
            for item in CHECKLIST
            if self.cleaned_data.get(f"item_{item.code}") is not None
        }


__all__ = ["ExamOutcome"]
