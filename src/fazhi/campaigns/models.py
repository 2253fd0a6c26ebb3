"""Creation campaigns in the database.

A :class:`Campaign` is run by an organising org (its subtree is the eligible area) against a published
scoring standard. Units apply (:class:`Application`, with a self-assessment :class:`Answer` per leaf and
:class:`Evidence` files), are recommended by the level above, assigned to reviewers
(:class:`Assignment`), scored on :class:`ScoreSheet`\\ s (one :class:`LeafScore` row per leaf, one
:class:`BonusAward` per bonus item awarded: the rows the set-based results path sums), inspected
(:class:`InspectionScore`) and surveyed (:class:`SurveyToken`). Results are frozen in numbered
:class:`ResultVersion`\\ s of :class:`ApplicationResult` rows; the proposed units go on public notice
(:class:`Objection`), are named (:class:`Designation`, :class:`NamedList`) and watched afterwards
(:class:`DesignationReview`).

Points are integer hundredths, as everywhere (4.5 points is ``450``); components and the composite are
hundredths of a 0–100 scale (85.5 is ``8550``). States and stages are the ones of
:mod:`fazhi.campaigns.workflow`; only the services in :mod:`fazhi.campaigns.services` change them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fazhi.campaigns import workflow as wf

USER = settings.AUTH_USER_MODEL


class CampaignKind(models.TextChoices):
    # The seven kinds of creation of ❶ …
    LAW_BASED_ADMINISTRATION = "law_based_administration", _("Law-based administration demonstration unit")
    DEMOCRACY_VILLAGE = "democracy_village", _("Democracy and rule-of-law demonstration village (community)")
    TOWNSHIP = "township", _("Rule-of-law township")
    SCHOOL = "school", _("Rule-of-law school")
    COMMUNITY = "community", _("Rule-of-law community")
    ENTERPRISE = "enterprise", _("Honest and law-abiding enterprise")
    JUSTICE = "justice", _("Fair justice demonstration unit")
    # … and the two tracks of national demonstration creation.
    NATIONAL_COMPREHENSIVE = "national_comprehensive", _("National demonstration: comprehensive (region)")
    NATIONAL_SINGLE = "national_single", _("National demonstration: single-item project")


class Stage(models.TextChoices):
    DRAFT = wf.DRAFT, _("Draft")
    APPLICATION = wf.APPLICATION, _("Application")
    RECOMMENDATION = wf.RECOMMENDATION, _("Recommendation")
    REVIEW = wf.REVIEW, _("Expert review")
    INSPECTION = wf.INSPECTION, _("Inspection and results")
    NOTICE = wf.NOTICE, _("Public notice")
    NAMING = wf.NAMING, _("Naming")
    CLOSED = wf.CLOSED, _("Closed")


class Method(models.TextChoices):
    MEAN = "mean", _("Mean of all reviewers")
    TRIMMED = "trimmed", _("Trimmed mean (drop the highest and the lowest)")


def _default_reviewers() -> int:
    return settings.FAZHI_CAMPAIGN_REVIEWERS


def _default_notice_days() -> int:
    return settings.FAZHI_NOTICE_DAYS


class Campaign(models.Model):
    organiser = models.ForeignKey(
        "orgs.Org", verbose_name=_("organising org"), on_delete=models.PROTECT, related_name="campaigns"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=300)
    batch = models.CharField(_("batch"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    standard = models.ForeignKey(
        "indicators.Standard", verbose_name=_("scoring standard"), on_delete=models.PROTECT, related_name="campaigns"
    )
    # Who may apply: org kinds (OrgKind values) and levels (OrgLevel values); empty means any.
    eligible_kinds = models.JSONField(_("org kinds that may apply"), default=list, blank=True)
    eligible_levels = models.JSONField(_("levels that may apply"), default=list, blank=True)
    # The level (OrgLevel value) whose org above the applicant recommends; null: the applicant's parent.
    recommend_level = models.PositiveSmallIntegerField(_("recommending level"), null=True, blank=True)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=_default_reviewers
    )
    method = models.CharField(_("aggregation method"), max_length=16, choices=Method.choices, default=Method.MEAN)
    # Component weights in percent; they add up to 100 (checked by the service).
    weight_review = models.PositiveSmallIntegerField(_("weight of expert review (%)"), default=100)
    weight_inspection = models.PositiveSmallIntegerField(_("weight of on-site inspection (%)"), default=0)
    weight_survey = models.PositiveSmallIntegerField(_("weight of satisfaction survey (%)"), default=0)
    pass_score = models.PositiveIntegerField(
        _("pass score (hundredths of the composite)"), validators=[MaxValueValidator(10000)]
    )
    quota = models.PositiveIntegerField(_("quota (units that may be named)"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=_default_notice_days)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    notice_starts = models.DateField(_("notice starts"), null=True, blank=True)
    notice_ends = models.DateField(_("notice ends"), null=True, blank=True)
    # The assessment period: the ledger records whose dates fall in it feed the metric-bound leaves. Null:
    # the calendar year before the campaign's year (see ``assessment_period``).
    period_start = models.DateField(_("assessment period starts"), null=True, blank=True)
    period_end = models.DateField(_("assessment period ends"), null=True, blank=True)
    # Metric-bound leaves scored from the ledgers (services/metrics_scoring.py). False for rows made before
    # (their leaves were answered by hand); ``campaign_create`` makes new campaigns with True unless told not to.
    scores_from_records = models.BooleanField(_("score metric-bound indicators from the ledgers"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("creation campaign")
        verbose_name_plural = _("creation campaigns")

    def __str__(self) -> str:
        return f"{self.title}（{self.batch}）"

    @property
    def org(self):
        """The org the audit log files this campaign's events under."""
        return self.organiser

    @property
    def assessment_period(self):
        """``(start, end)``: the dates set, or by default the whole calendar year before the campaign's year
        (a 2025 campaign judges the work of 2024, whose ledgers are complete when units apply)."""
        start = self.period_start or dt.date(self.year - 1, 1, 1)
        end = self.period_end or dt.date(self.year - 1, 12, 31)
        return start, end


class CampaignStage(models.Model):
    """A stage's planned dates and when it actually opened and closed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "stage"], name="campaign_stage_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_stage_display()}"


class PoolRole(models.TextChoices):
    REVIEWER = "reviewer", _("Expert reviewer")
    INSPECTOR = "inspector", _("On-site inspector")


class PoolMember(models.Model):
    """A user in a campaign's pool of reviewers or inspectors."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pool")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="campaign_pools")
    role = models.CharField(_("role"), max_length=16, choices=PoolRole.choices, default=PoolRole.REVIEWER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user", "role"], name="pool_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Conflict(models.Model):
    """A reviewer's declared conflict of interest with an org (and its subtree) in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="campaign_conflicts")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "reviewer", "org"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.org}"


class ApplicationState(models.TextChoices):
    DRAFT = wf.A_DRAFT, _("Draft")
    SUBMITTED = wf.SUBMITTED, _("Submitted")
    RETURNED = wf.RETURNED, _("Returned for correction")
    RECOMMENDED = wf.RECOMMENDED, _("Recommended")
    NOT_RECOMMENDED = wf.NOT_RECOMMENDED, _("Not recommended")
    IN_REVIEW = wf.IN_REVIEW, _("In review")
    SCORED = wf.SCORED, _("Scored")
    PASSED = wf.PASSED, _("Passed")
    FAILED = wf.FAILED, _("Failed")
    ON_NOTICE = wf.ON_NOTICE, _("On public notice")
    NAMED = wf.NAMED, _("Named")
    REMOVED = wf.REMOVED, _("Removed after an objection")


class Application(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    org = models.ForeignKey("orgs.Org", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    # The org whose recommenders decide (derived from the campaign's recommending level when created).
    recommender_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("recommending org"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    submissions = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason (returned / not recommended)"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="application_unique")]
        indexes = [models.Index(fields=["campaign", "state"], name="application_state")]

    def __str__(self) -> str:
        return f"{self.org} · {self.campaign}"


class Answer(models.Model):
    """The clerk's self-assessment of one leaf: the answer its rule asks for, and a statement."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(_("answer"), null=True, blank=True)  # as scoring.leaf_score takes it, JSON-encoded
    statement = models.TextField(_("statement"), blank=True)
    # A metric-bound leaf: the figure computed from the ledgers (``answer`` holds the leaf's value, null when
    # the metric had no records), its numerator and denominator, and when it was computed.
    metric_numerator = models.IntegerField(null=True, blank=True)
    metric_denominator = models.IntegerField(null=True, blank=True)
    metric_computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "indicator"], name="answer_unique")]

    def __str__(self) -> str:
        return f"{self.application} · {self.indicator_id}"


def evidence_path(instance, filename: str) -> str:
    # The stored name carries no user input: the original name is kept in ``Evidence.name``.
    return f"evidence/{instance.application.campaign_id}/{instance.application_id}/{instance.sha256}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(
        "indicators.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=evidence_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "indicator", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class VetoStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by a reviewer")
    RECORDED = "recorded", _("Recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Veto(models.Model):
    """A veto item found to apply to an application. Only a recorded veto disqualifies."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="vetoes")
    item = models.ForeignKey("indicators.VetoItem", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=VetoStatus.choices)
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.item}"


class Assignment(models.Model):
    """A reviewer assigned to score an application (one score sheet each)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique")]
        indexes = [models.Index(fields=["reviewer"], name="assignment_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ScoreSheet(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    status = models.CharField(_("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    total = models.IntegerField(_("total (hundredths)"), null=True, blank=True)  # set on submission
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return f"{self.assignment}"


class LeafScore(models.Model):
    """A reviewer's answer to one leaf and its score (hundredths), computed by the engine when saved."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="leaf_scores")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(_("answer"))
    score = models.IntegerField(_("score (hundredths)"))  # the effective score (an override's when overridden)
    comment = models.TextField(_("comment"), blank=True)
    # A metric-bound leaf: the score of the value computed from the ledgers (null: the metric had no records),
    # and the reviewer's override of it, with the written reason.
    computed_score = models.IntegerField(_("computed score (hundredths)"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"], name="leaf_score_unique")]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.indicator_id}: {self.score}"


class BonusAward(models.Model):
    """A bonus item a reviewer awards (its full points)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="bonus_awards")
    item = models.ForeignKey("indicators.BonusItem", on_delete=models.PROTECT, related_name="+")
    points = models.IntegerField(_("points (hundredths)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="bonus_award_unique")]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.item_id}: {self.points}"


class InspectionScore(models.Model):
    """An inspector's on-site score for an application, 0–100 in hundredths."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="inspection_scores")
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveIntegerField(_("score"), validators=[MaxValueValidator(10000)])
    note = models.TextField(_("note"), blank=True)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "inspector"], name="inspection_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} → {self.application}: {self.score}"


class SurveyToken(models.Model):
    """One respondent's single-use link to an application's satisfaction questionnaire."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="survey_tokens")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.BooleanField(null=True)
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.application} · {self.token[:6]}…"


class ResultVersion(models.Model):
    """One computation of a campaign's results. Published versions are frozen and stay readable."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="result_versions")
    number = models.PositiveIntegerField(_("version"))
    reason = models.TextField(_("reason"), blank=True)
    computed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    computed_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sha256 = models.CharField(max_length=64, blank=True)  # of the canonical content, set on publication

    class Meta:
        ordering = ["campaign", "-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="result_version_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · v{self.number}"

    @property
    def org(self):
        return self.campaign.organiser


class ApplicationResult(models.Model):
    version = models.ForeignKey(ResultVersion, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="results")
    review_total = models.IntegerField(_("review total (hundredths)"), null=True)  # null: no sheets
    review_component = models.IntegerField(_("expert review (0–100)"), null=True)
    inspection_component = models.IntegerField(_("on-site inspection (0–100)"), null=True)
    survey_component = models.IntegerField(_("satisfaction survey (0–100)"), null=True)
    composite = models.IntegerField(_("composite (0–100)"), null=True)
    subtotals = models.JSONField(default=dict)  # level-1 code -> hundredths
    bonus = models.IntegerField(default=0)
    reviewers = models.PositiveSmallIntegerField(default=0)
    sheets = models.PositiveSmallIntegerField(default=0)
    vetoed = models.BooleanField(default=False)
    passed = models.BooleanField(default=False)
    rank = models.PositiveIntegerField(_("rank"))
    in_quota = models.BooleanField(_("within the quota"), default=False)
    outliers = models.JSONField(default=list)  # reviewer ids whose totals stray from the others'

    class Meta:
        ordering = ["version", "rank"]
        constraints = [models.UniqueConstraint(fields=["version", "application"], name="application_result_unique")]

    def __str__(self) -> str:
        return f"{self.version} · {self.application} #{self.rank}"


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection from the public against a unit on notice. The contact is never shown publicly."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=64, blank=True)  # a hash of the sender's address, for the rate limit
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices, default="filed")
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["source", "filed_at"], name="objection_rate")]

    def __str__(self) -> str:
        return f"{self.application} · {self.filed_at:%Y-%m-%d}"


class DesignationStatus(models.TextChoices):
    ACTIVE = wf.ACTIVE, _("Active")
    # "designation" context: a withdrawn title (撤销), not a revoked API key (吊销).
    REVOKED = wf.REVOKED, pgettext_lazy("designation", "Revoked")
    CANCELLED = wf.CANCELLED, _("Cancelled")


class Designation(models.Model):
    """A named demonstration unit, with its certificate number and its status under dynamic management."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="designation")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="designations")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="designations")
    certificate_number = models.CharField(_("certificate number"), max_length=64, unique=True)
    named_at = models.DateTimeField(_("named at"))
    named_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "certificate_number"]

    def __str__(self) -> str:
        return f"{self.org} · {self.certificate_number}"


class RereviewOutcome(models.TextChoices):
    KEEP = wf.KEEP, _("Keep")
    REVOKE = wf.REVOKE, pgettext_lazy("designation", "Revoke")
    CANCEL = wf.CANCEL, pgettext_lazy("designation", "Cancel")  # 注销, not a form's "Cancel" (取消)


class DesignationReview(models.Model):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(_("outcome"), max_length=16, choices=RereviewOutcome.choices)
    reason = models.TextField(_("reason"))
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["designation", "-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.designation} · {self.outcome}"


class NamedList(models.Model):
    """The published list of named units of a campaign, with the SHA-256 of its canonical content."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="named_lists")
    number = models.PositiveIntegerField(_("version"))
    content = models.TextField()  # canonical JSON (sorted keys, no spaces, UTF-8)
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["campaign", "-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="named_list_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · v{self.number}"
