"""Major administrative decisions (重大行政决策): the year's catalogue, the five procedures with their evidence, and the
evaluation after the decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.decisions import rules


class Category(models.TextChoices):
    # The categories that may need a risk assessment (❹; FAZHI_DECISION_RISK_CATEGORIES names which do) …
    GOVERNMENT_INVESTMENT = "government_investment", _("Major government investment project")
    PUBLIC_FACILITIES = "public_facilities", _("Major public facilities")
    UTILITY_PRICES = "utility_prices", _("Public utility prices")
    ENTERPRISE_RESTRUCTURING = "enterprise_restructuring", _("Restructuring of state enterprises")
    LAND_ACQUISITION = "land_acquisition", _("Land acquisition")
    DEMOLITION = "demolition", _("Housing demolition and relocation")
    ENVIRONMENT = "environment", _("Environmental protection")
    EDUCATION_HEALTH = "education_health", _("Education and health care")
    SOCIAL_SECURITY = "social_security", _("Social security")
    # … and the other matters of article 3 of the 2019 regulation.
    PUBLIC_POLICY = "public_policy", _("Major public policy or measure")
    DEVELOPMENT_PLAN = "development_plan", _("Economic and social development plan")
    NATURAL_CULTURAL_RESOURCES = "natural_cultural_resources", _("Natural or cultural resources")
    OTHER = "other", _("Other major matter")


class Status(models.TextChoices):
    CATALOGUED = "catalogued", _("In the catalogue")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProcedureKind(models.TextChoices):
    PUBLIC_PARTICIPATION = rules.PUBLIC_PARTICIPATION, _("Public participation")
    HEARING = rules.HEARING, _("Hearing")
    EXPERT_ARGUMENTATION = rules.EXPERT_ARGUMENTATION, _("Expert argumentation")
    RISK_ASSESSMENT = rules.RISK_ASSESSMENT, _("Risk assessment")
    LEGALITY_REVIEW = rules.LEGALITY_REVIEW, _("Legality review")
    COLLECTIVE_DECISION = rules.COLLECTIVE_DECISION, _("Collective decision")


class Decision(models.Model):
    """One matter in an org's catalogue of major decisions for a year."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="major_decisions")
    year = models.PositiveSmallIntegerField(_("catalogue year"))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    technical = models.BooleanField(
        _("technical"), default=False, help_text=_("Highly specialised or technical: needs expert argumentation.")
    )
    public_comment_required = models.BooleanField(
        _("public comment required"),
        default=True,
        help_text=_("Untick only when the law keeps the matter from public comment."),
    )
    hearing_required = models.BooleanField(
        _("hearing required"), default=False, help_text=_("A hearing is due by law or was decided on.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CATALOGUED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluation_finding = models.TextField(_("evaluation finding"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("major administrative decision")
        verbose_name_plural = _("major administrative decisions")
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "title"], name="decision_unique_title"),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="decision_year_status"),
            models.Index(fields=["decided_on"], name="decision_decided_on"),
            models.Index(fields=["evaluation_due"], name="decision_evaluation_due"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("decision_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == Status.CATALOGUED

    @property
    def needs_risk_assessment(self) -> bool:
        return self.category in settings.FAZHI_DECISION_RISK_CATEGORIES


class Procedure(models.Model):
    """One of the five procedures (or the hearing) of a decision, at most one of each kind.

    ``started_on``: the comment period opens, the hearing is announced, the draft is sent for legality review.
    ``ended_on``: the comment period closes, the hearing is held, the experts' opinion, the risk assessment report,
    the review opinion, the meeting that decided. ``period_days`` is derived from the two (first day not counted);
    ``review_period_ok`` (legality review only) whether the review was given FAZHI_DECISION_REVIEW_WORKING_DAYS
    working days, judged with the setting when the review was recorded.
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="procedures")
    kind = models.CharField(_("step"), max_length=32, choices=ProcedureKind.choices)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("completed on"))
    period_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    review_period_ok = models.BooleanField(null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["decision", "ended_on", "id"]
        verbose_name = _("decision procedure")
        verbose_name_plural = _("decision procedures")
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="procedure_one_per_kind")]
        indexes = [models.Index(fields=["kind", "ended_on"], name="procedure_kind_ended")]

    def __str__(self) -> str:
        return f"{self.decision.title}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("decision_detail", args=[self.decision_id]) + f"#{self.kind}"


def evidence_path(instance, filename: str) -> str:
    # The stored name carries no user input: the original name is kept in ``ProcedureEvidence.name``.
    return f"ledgers/decisions/{instance.procedure.decision_id}/{instance.procedure_id}/{instance.sha256}"


class ProcedureEvidence(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure", "id"]
        verbose_name = _("procedure evidence file")
        verbose_name_plural = _("procedure evidence files")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("decision_evidence_download", args=[self.pk])

    @property
    def org(self):
        """The organisation whose ledger holds the file (its decision's), for the audit of who opened it."""
        return self.procedure.decision.org
