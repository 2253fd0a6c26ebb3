"""Forms of the campaign pages. They check the shape of input (numbers, dates, known choices) and turn the
pass score into hundredths; the services enforce the rules (weights adding up to 100, stage order, what may
change after launch)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.campaigns import workflow
from fazhi.campaigns.models import CampaignKind, Method, PoolRole, Stage
from fazhi.core.forms import BootstrapForm
from fazhi.orgs.models import OrgKind, OrgLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INT_SETTINGS = (
    "year",
    "reviewers_per_application",
    "weight_review",
    "weight_inspection",
    "weight_survey",
    "quota",
    "notice_days",
)


def date_fields(stage: str) -> tuple[str, str]:
    return f"{stage}_opens", f"{stage}_closes"


class CampaignForm(BootstrapForm):
    """A campaign's settings and the planned dates of its stages. With ``organisers`` (on creation) it asks
    for the organising org; ``locked`` names the fields the campaign's stage no longer lets change (shown
    disabled)."""

    organiser = forms.ChoiceField(label=_("Organising org"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    batch = forms.CharField(label=_("Batch"), max_length=100, help_text=_("For example 第一批."))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    standard = forms.ChoiceField(label=_("Scoring standard"), help_text=_("Published standards only."))
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Org kinds that may apply"),
        choices=OrgKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None ticked: any kind."),
    )
    eligible_levels = forms.TypedMultipleChoiceField(
        label=_("Levels that may apply"),
        choices=OrgLevel.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("None ticked: any level below the organiser."),
    )
    recommend_level = forms.TypedChoiceField(
        label=_("Recommending level"),
        choices=[("", _("The applicant's parent org")), *OrgLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reviewers_per_application = forms.IntegerField(label=_("Reviewers per application"), min_value=1, max_value=100)
    method = forms.ChoiceField(label=_("Aggregation method"), choices=Method.choices)
    weight_review = forms.IntegerField(label=_("Weight of expert review (%)"), min_value=0, max_value=100)
    weight_inspection = forms.IntegerField(label=_("Weight of on-site inspection (%)"), min_value=0, max_value=100)
    weight_survey = forms.IntegerField(label=_("Weight of satisfaction survey (%)"), min_value=0, max_value=100)
    pass_score = forms.DecimalField(
        label=_("Pass score (composite, 0–100)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    quota = forms.IntegerField(label=_("Quota (units that may be named)"), min_value=1)
    notice_days = forms.IntegerField(label=_("Notice period (days)"), min_value=1, max_value=365)
    period_start = forms.DateField(
        label=_("Assessment period starts"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "The ledger records of this period score the indicators computed from the ledgers. Empty: "
            "the calendar year before the campaign's year."
        ),
    )
    period_end = forms.DateField(label=_("Assessment period ends"), required=False, widget=DATE_WIDGET)
    scores_from_records = forms.BooleanField(
        label=_("Score the indicators bound to a metric from the ledgers"),
        required=False,
        initial=True,
        help_text=_("Off: applicants answer those indicators by hand, like any other."),
    )

    def __init__(self, *args, organisers=None, standards=(), locked=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = [(str(org.pk), org.name) for org in organisers]
        self.fields["standard"].choices = [(str(s.pk), f"{s.title}（{s.code} {s.version}）") for s in standards]
        for stage in workflow.DATED_STAGES:
            opens, closes = date_fields(stage)
            label = Stage(stage).label
            self.fields[opens] = forms.DateField(
                label=_("%(stage)s opens") % {"stage": label}, required=False, widget=DATE_WIDGET
            )
            self.fields[closes] = forms.DateField(
                label=_("%(stage)s closes") % {"stage": label}, required=False, widget=DATE_WIDGET
            )
            for name in (opens, closes):
                self.fields[name].widget.attrs.setdefault("class", "form-control")
        for name in locked:
            if name in self.fields:
                self.fields[name].disabled = True

    def settings_fields(self):
        return [self[name] for name in self.fields if not name.endswith(("_opens", "_closes"))]

    def stage_rows(self):
        return [
            (Stage(stage).label, self[date_fields(stage)[0]], self[date_fields(stage)[1]])
            for stage in workflow.DATED_STAGES
        ]

    def service_values(self, standards_by_pk: dict) -> dict:
        """The cleaned data as the service's keyword arguments (pass score in hundredths, dates per stage)."""
        data = self.cleaned_data
        values = {
            "kind": data["kind"],
            "title": data["title"],
            "batch": data["batch"],
            "standard": standards_by_pk[data["standard"]],
            "eligible_kinds": list(data["eligible_kinds"]),
            "eligible_levels": list(data["eligible_levels"]),
            "recommend_level": data["recommend_level"],
            "method": data["method"],
            "pass_score": int((data["pass_score"] * 100).to_integral_value()),
            "period_start": data.get("period_start"),
            "period_end": data.get("period_end"),
            "scores_from_records": bool(data.get("scores_from_records")),
            "stages": {
                stage: (data[date_fields(stage)[0]], data[date_fields(stage)[1]]) for stage in workflow.DATED_STAGES
            },
        }
        values.update({name: data[name] for name in INT_SETTINGS})
        return values

    @staticmethod
    def initial_for(campaign, dates: dict) -> dict:
        initial = {
            name: getattr(campaign, name)
            for name in (*INT_SETTINGS, "kind", "title", "batch", "eligible_kinds", "eligible_levels", "method")
        }
        initial["standard"] = str(campaign.standard_id)
        initial["recommend_level"] = campaign.recommend_level or ""
        initial["pass_score"] = campaign.pass_score / 100
        initial["period_start"], initial["period_end"] = campaign.period_start, campaign.period_end
        initial["scores_from_records"] = campaign.scores_from_records
        for stage, (opens, closes) in dates.items():
            initial[f"{stage}_opens"], initial[f"{stage}_closes"] = opens, closes
        return initial


class PoolAddForm(BootstrapForm):
    user = forms.ChoiceField(label=_("User"))
    role = forms.ChoiceField(label=_("Role in the pool"), choices=PoolRole.choices)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(u.pk), f"{u}（{u.username}）") for u in candidates]


class ConflictForm(BootstrapForm):
    org = forms.ChoiceField(label=_("Organisation"))
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(str(org.pk), org.name) for org in orgs]
