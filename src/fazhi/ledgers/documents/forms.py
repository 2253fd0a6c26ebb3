"""Forms of the normative-documents pages: the shape of input only; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.documents.models import Channel, CleanupOutcome, DocumentStatus, FilingOutcome, ReviewOutcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


class DocumentForm(BootstrapForm):
    org = OrgField(label=_("Issuing organisation"))
    title = forms.CharField(label=_("Title"), max_length=300)
    provisional = forms.BooleanField(label=_("Provisional or trial (暂行/试行)"), required=False)
    affects_rights = forms.BooleanField(label=_("Affects citizens' or organisations' rights or duties"), required=False)
    drafted_on = _date(_("Drafting started"), required=False)
    effective_from = _date(_("In force from"), required=False)
    expires_on = _date(_("In force until"), required=False)

    def __init__(self, *args, orgs=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs


class CommentForm(BootstrapForm):
    comment_start = _date(_("Comment period from"))
    comment_end = _date(_("Comment period to"))


class SubmitReviewForm(BootstrapForm):
    submitted_on = _date(_("Submitted for legality review"))
    domain_fields = {"review_submitted_on": "submitted_on", "comment_start": None}


class ReviewForm(BootstrapForm):
    reported_on = _date(_("Review report"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    domain_fields = {"review_reported_on": "reported_on", "review_outcome": "outcome"}


class DecideForm(BootstrapForm):
    decided_on = _date(_("Collective decision"))
    meeting = forms.CharField(label=_("Meeting"), max_length=200, required=False)


class RegisterForm(BootstrapForm):
    office = OrgField(label=_("Registering office"))
    registered_on = _date(_("Registered"))
    number_prefix = forms.CharField(label=_("Document number prefix (e.g. 青政规)"), max_length=30)
    number_serial = forms.IntegerField(
        label=_("Document number serial"), min_value=1, required=False, help_text=_("Empty: the next free one.")
    )
    effective_from = _date(_("In force from"), required=False)
    expires_on = _date(_("In force until"), required=False)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class PublishForm(BootstrapForm):
    published_on = _date(_("Published"))
    channel = forms.ChoiceField(label=_("Publication channel"), choices=Channel.choices)


class FileForm(BootstrapForm):
    filed_on = _date(_("Filed with the government above"))
    filing_outcome = forms.ChoiceField(label=_("Filing review"), choices=FilingOutcome.choices, required=False)


class EvaluateForm(BootstrapForm):
    evaluated_on = _date(_("Evaluated"))


END_CHOICES = [
    (DocumentStatus.REPEALED.value, DocumentStatus.REPEALED.label),
    (DocumentStatus.REPLACED.value, DocumentStatus.REPLACED.label),
    (DocumentStatus.INVALID.value, DocumentStatus.INVALID.label),
]


# How many documents the replacement's suggestion list offers (the newest registered or in force).
DOCUMENT_SUGGESTIONS = 200


class DocumentNumberInput(forms.TextInput):
    """A text box for a document's number, followed by a ``<datalist>`` of the newest documents of ``queryset``."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.queryset = None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, {**(attrs or {}), "list": f"id_{name}-documents"}, renderer)
        documents = self.queryset.select_related(None).only("document_number", "title")[:DOCUMENT_SUGGESTIONS]
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((d.document_number, d.title) for d in documents),
        )
        return html + format_html('<datalist id="id_{}-documents">{}</datalist>', name, options)


class DocumentNumberField(forms.CharField):
    """A document of ``queryset`` typed as its document number (青政规〔2025〕3号) or its unified registration
    number: no select of every document in scope, which a province holds by the thousand. Cleans to the Document."""

    widget = DocumentNumberInput

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(max_length=60, **kwargs)
        self.queryset = queryset

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset) -> None:
        self._queryset = queryset
        self.widget.queryset = queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset
        return result

    def clean(self, value):
        number = (super().clean(value) or "").strip()
        if not number:
            return None
        found = list(self._queryset.filter(Q(document_number=number) | Q(registration_number=number))[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                _("No single registered or in-force document you may see has the number %(number)s.")
                if not found
                else _("Several documents have the number %(number)s: give the registration number."),
                params={"number": number},
                code="unknown",
            )
        return found[0]


class EndForm(BootstrapForm):
    status = forms.ChoiceField(label=_("How it ends"), choices=END_CHOICES)
    ended_on = _date(_("Date"))
    replaced_by = DocumentNumberField(
        label=_("Replaced by"),
        required=False,
        help_text=_("The replacing document's number or registration number."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = candidates


class CleanupForm(BootstrapForm):
    org = OrgField(label=_("Organisation (with everything under it)"))
    title = forms.CharField(label=_("Title"), max_length=200)
    started_on = _date(_("Started"))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CleanupDecideForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in CleanupOutcome.choices if c[0]])
    decided_on = _date(_("Decided"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
