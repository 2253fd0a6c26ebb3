"""Forms of the notice area: the public objection form, the decision on an objection, re-review."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fazhi.campaigns.models import RereviewOutcome
from fazhi.campaigns.services import notice as notice_services
from fazhi.core.forms import BootstrapForm


class ObjectionForm(BootstrapForm):
    name = forms.CharField(label=_("Your name"), max_length=notice_services.NAME_MAX)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=100,
        help_text=_(
            "A mobile number, a telephone number with its area code, or an e-mail address. Only the "
            "campaign's administrators see it; it is never published."
        ),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=notice_services.REASONS_MAX,
        help_text=lazy(
            lambda: (
                gettext("What is wrong, with facts that can be checked (at least %(min)d characters).")
                % {"min": notice_services.REASONS_MIN}
            ),
            str,
        )(),
    )

    def clean(self):
        data = super().clean()
        problems = notice_services.objection_problems(
            name=data.get("name", ""), contact=data.get("contact", ""), reasons=data.get("reasons", "")
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class DecisionForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismiss", _("Dismiss: the unit stays on notice")), ("uphold", _("Uphold: remove the unit"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RereviewForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RereviewOutcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class VetoRevokeForm(BootstrapForm):
    veto_item = forms.ModelChoiceField(label=_("Veto item"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, veto_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veto_item"].queryset = veto_items
