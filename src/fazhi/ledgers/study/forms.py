"""Forms of the study ledger's pages: they check the shape of input; the services enforce the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.core.i18n import translate
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.study import rules
from fazhi.ledgers.study.models import SessionKind, ThemeDay
from fazhi.orgs import roles
from fazhi.orgs.access import orgs_for_user

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceForm(BootstrapForm):
    """A form whose first field picks the organisation, by code, among the active ones whose ledger the user may
    keep (``ledger.edit``); on an edit form (``fixed_org``) the organisation is not asked."""

    org = OrgField(label=_("Organisation"))

    def __init__(self, *args, user=None, fixed_org=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_org is not None:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs_for_user(user, roles.LEDGER_EDIT).filter(is_active=True)


class OrgFilterForm(forms.Form):
    """A list's organisation filter: an organisation of the user's ``ledger.view`` scope, by code (its subtree)."""

    org = OrgField(label=_("Organisation (with those under it)"), required=False, help_text="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs_for_user(user, roles.LEDGER_VIEW)
        self.fields["org"].widget.attrs.update({"class": "form-control form-control-sm", "id": "filter-org"})


class LearnerForm(OrgChoiceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    is_leader = forms.BooleanField(
        label=_("Leader"), required=False, help_text=_("A leading cadre: counted in the leaders' average hours.")
    )


class LearnerEditForm(LearnerForm):
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Untick when the person has left.")
    )


class SessionForm(OrgChoiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=4, decimal_places=1, min_value=Decimal("0.1"), help_text=_("e.g. 2.5")
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Names of the organisation's learners separated by 、 or a comma; for an online course a person's own "
            "hours may follow the name in brackets: 张伟(2.5)."
        ),
    )

    def clean_attendees(self):
        entries, problems = rules.parse_attendees(self.cleaned_data.get("attendees", ""))
        if problems:
            raise forms.ValidationError([translate(p) for p in problems])
        return entries

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours > settings.FAZHI_STUDY_SESSION_HOURS_MAX:
            problems = rules.hours_problems(hours, max_hours=settings.FAZHI_STUDY_SESSION_HOURS_MAX)
            raise forms.ValidationError(translate(problems[0].problem))
        return hours


class MeetingForm(OrgChoiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. 县政府第12次常务会议"))


class AppointmentForm(OrgChoiceForm):
    domain_fields = {"learner": "learner_name"}

    learner_name = forms.CharField(
        label=_("Name"), max_length=50, help_text=_("A learner of the organisation (add them as a learner first).")
    )
    post = forms.CharField(label=_("Post"), max_length=100)
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DATE)
    tested_on = forms.DateField(
        label=_("Law test taken on"),
        widget=DATE,
        required=False,
        help_text=_("The pre-appointment law test; leave empty when none was taken."),
    )
    score = forms.IntegerField(label=_("Test score"), required=False, min_value=0, max_value=100)


class PublicityForm(OrgChoiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    theme = forms.ChoiceField(label=_("Theme day"), choices=ThemeDay.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.IntegerField(label=_("Participants"), min_value=1)
    materials = forms.IntegerField(label=_("Materials handed out"), min_value=0, initial=0)


def year_choices(today: dt.date | None = None) -> list[int]:
    today = today or dt.date.today()
    return list(range(today.year, today.year - 6, -1))
