"""The ledger "Disputes": four registers, each record belonging to the unit (org) whose ledger it is.

- :class:`ReconsiderationCase` — administrative reconsideration (行政复议): received, accepted, handlers, the
  decision due a number of days after acceptance (one extension), the decision and whether it corrected the act.
- :class:`LitigationCase` — administrative litigation (行政应诉): court, hearing, whether the agency head appeared,
  outcome, whether the judgment was complied with.
- :class:`Mediation` — people's, administrative or judicial mediation (三调): screened → mediated → settled or not.
- :class:`DisclosureRequest` — information disclosure on request (依申请公开): answer due in working days.

Personal data is kept to the minimum a rule or a clerk needs to tell cases apart: the applicant's or parties' name
(optional), never contact details or ID numbers; it is never shown on a public page.

Dates that the services derive (the due dates) are stored, so the deadline board and the metrics filter on them
in SQL; the services recompute them whenever an input changes.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DecisionType(models.TextChoices):
    UPHOLD = "uphold", _("Upheld")
    REVOKE = "revoke", _("Revoked")
    ALTER = "alter", _("Altered")
    CONFIRM_ILLEGAL = "confirm_illegal", _("Confirmed illegal")
    ORDER_PERFORMANCE = "order_performance", _("Ordered to perform")
    DISMISS = "dismiss", _("Dismissed")
    MEDIATION = "mediation", _("Mediated")
    SETTLEMENT = "settlement", _("Settled")
    TERMINATE = "terminate", _("Terminated")


class LitigationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    WON = "won", _("Agency won")
    LOST = "lost", _("Agency lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SETTLED = "settled", _("Mediated or settled")
    OTHER = "other", _("Other")


class MediationKind(models.TextChoices):
    PEOPLES = "peoples", _("People's mediation")
    ADMINISTRATIVE = "administrative", _("Administrative mediation")
    JUDICIAL = "judicial", _("Judicial mediation")


class MediationOutcome(models.TextChoices):
    SETTLED = "settled", _("Settled")
    FAILED = "failed", _("Not settled")


class DisclosureReply(models.TextChoices):
    DISCLOSED = "disclosed", _("Disclosed")
    PARTLY = "partly", _("Partly disclosed")
    REFUSED = "refused", _("Not disclosed")
    NOT_EXIST = "not_exist", _("Information does not exist")
    NOT_OURS = "not_ours", _("Not held by this agency")
    OTHER = "other", _("Other reply")


class _Record(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    register = ""
    # Whether the record names people (parties, applicants, handlers): opening one is audited (PIPL).
    holds_personal_data = True

    def get_absolute_url(self) -> str:
        return reverse(f"{self.register}_detail", args=[self.pk])


class ReconsiderationCase(_Record):
    register = "reconsideration"

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="reconsideration_cases"
    )
    case_number = models.CharField(_("case number"), max_length=64)
    applicant = models.CharField(_("applicant's name"), max_length=100, blank=True)  # personal data: name only
    respondent = models.CharField(_("respondent agency"), max_length=200)
    matter = models.CharField(_("matter"), max_length=200)
    received_on = models.DateField(_("received on"))
    accepted_on = models.DateField(_("accepted on"))
    handlers = models.CharField(_("handlers"), max_length=300)
    handler_count = models.PositiveSmallIntegerField(_("number of handlers"), editable=False)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    due_on = models.DateField(_("decision due"), editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=DecisionType.choices, blank=True)
    act_corrected = models.BooleanField(_("act corrected"), null=True, blank=True)
    complied = models.BooleanField(_("decision complied with"), null=True, blank=True)

    class Meta:
        verbose_name = _("reconsideration case")
        verbose_name_plural = _("reconsideration cases")
        ordering = ["-received_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["org", "case_number"], name="disputes_reconsideration_number")]
        indexes = [
            models.Index(fields=["received_on"], name="disputes_recon_received"),
            models.Index(fields=["decided_on"], name="disputes_recon_decided"),
            models.Index(fields=["due_on"], name="disputes_recon_due"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.matter}"

    @property
    def on_time(self) -> bool | None:
        """Decided by the due date (None while undecided)."""
        return None if self.decided_on is None else self.decided_on <= self.due_on


class LitigationCase(_Record):
    register = "litigation"
    holds_personal_data = False  # court, case number, matter, outcome: no one's name

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="litigation_cases"
    )
    court = models.CharField(_("court"), max_length=200)
    case_number = models.CharField(_("case number"), max_length=64)
    matter = models.CharField(_("matter"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    head_appeared = models.BooleanField(_("agency head appeared"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=LitigationOutcome.choices, default=LitigationOutcome.PENDING
    )
    closed_on = models.DateField(_("judgment date"), null=True, blank=True)
    complied = models.BooleanField(_("judgment complied with"), null=True, blank=True)

    class Meta:
        verbose_name = _("litigation case")
        verbose_name_plural = _("litigation cases")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "court", "case_number"], name="disputes_litigation_number"),
        ]
        indexes = [
            models.Index(fields=["filed_on"], name="disputes_litig_filed"),
            models.Index(fields=["hearing_on"], name="disputes_litig_hearing"),
            models.Index(fields=["closed_on"], name="disputes_litig_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.matter}"


class Mediation(_Record):
    register = "mediation"

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="mediations"
    )
    number = models.CharField(_("number"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=MediationKind.choices)
    matter = models.CharField(_("matter"), max_length=200)
    parties = models.CharField(_("parties"), max_length=200, blank=True)  # personal data: names only
    screened_on = models.DateField(_("screened on"))
    mediated_on = models.DateField(_("mediation started on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=MediationOutcome.choices, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["-screened_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="disputes_mediation_number")]
        indexes = [models.Index(fields=["screened_on"], name="disputes_mediation_screened")]

    def __str__(self) -> str:
        return f"{self.number} {self.matter}"


class DisclosureRequest(_Record):
    register = "disclosure"

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    number = models.CharField(_("number"), max_length=64)
    applicant = models.CharField(_("applicant's name"), max_length=100, blank=True)  # personal data: name only
    subject = models.CharField(_("information requested"), max_length=300)
    received_on = models.DateField(_("received on"))
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    due_on = models.DateField(_("answer due"), editable=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    reply = models.CharField(_("reply"), max_length=20, choices=DisclosureReply.choices, blank=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-received_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="disputes_disclosure_number")]
        indexes = [
            models.Index(fields=["received_on"], name="disputes_discl_received"),
            models.Index(fields=["due_on"], name="disputes_discl_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def on_time(self) -> bool | None:
        return None if self.answered_on is None else self.answered_on <= self.due_on
