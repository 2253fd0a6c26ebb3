"""Normative documents (规范性文件): the document through its workflow, the registration counters, cleanups.

A document moves drafting → public comment (when it affects rights or duties) → legality review → collective
decision → registration (unified registration number, document number) → publication (in force) → expired,
repealed, replaced or declared invalid. The dates of each step are fields of the document, so the ledger is one
row per document; the statuses are in ``rules`` (plain strings) and here as ``TextChoices``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.documents import rules


class DocumentStatus(models.TextChoices):
    DRAFTING = rules.DRAFTING, _("Drafting")
    COMMENT = rules.COMMENT, _("Public comment")
    REVIEW = rules.REVIEW, _("Legality review")
    DECISION = rules.DECISION, _("Awaiting collective decision")
    DECIDED = rules.DECIDED, _("Decided, awaiting registration")
    REGISTERED = rules.REGISTERED, _("Registered, awaiting publication")
    IN_FORCE = rules.IN_FORCE, _("In force")
    EXPIRED = rules.EXPIRED, _("Expired")
    REPEALED = rules.REPEALED, _("Repealed")
    REPLACED = rules.REPLACED, _("Replaced")
    INVALID = rules.INVALID, _("Declared invalid")


class ReviewOutcome(models.TextChoices):
    PASS = rules.REVIEW_PASS, _("Passed")
    PASS_WITH_CHANGES = rules.REVIEW_PASS_WITH_CHANGES, _("Passed with changes")
    FAIL = rules.REVIEW_FAIL, _("Failed")


class Channel(models.TextChoices):
    GAZETTE = "gazette", _("Government gazette")
    WEBSITE = "website", _("Government website")
    PLATFORM = "platform", _("Unified publication platform")
    NEWSPAPER = "newspaper", _("Newspaper")
    OTHER = "other", _("Other")


# Channels that count as published online, and as the government's unified (official) channels.
ONLINE_CHANNELS = (Channel.WEBSITE, Channel.PLATFORM)
UNIFIED_CHANNELS = (Channel.GAZETTE, Channel.WEBSITE, Channel.PLATFORM)


class FilingOutcome(models.TextChoices):
    PENDING = "", _("Not yet reviewed")
    CONFORMING = "conforming", _("Conforming")
    NONCONFORMING = "nonconforming", _("Not conforming (to correct)")


class Document(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="normative_documents")
    title = models.CharField(_("title"), max_length=300)
    provisional = models.BooleanField(_("provisional or trial (暂行/试行)"), default=False)
    affects_rights = models.BooleanField(_("affects rights or duties"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=rules.DRAFTING)
    drafted_on = models.DateField(_("drafting started"), null=True, blank=True)
    # Public comment.
    comment_start = models.DateField(_("comment period from"), null=True, blank=True)
    comment_end = models.DateField(_("comment period to"), null=True, blank=True)
    # Legality review: submitted, due (working days), reported, outcome.
    review_submitted_on = models.DateField(_("submitted for legality review"), null=True, blank=True)
    review_due = models.DateField(_("review report due"), null=True, blank=True)
    review_reported_on = models.DateField(_("review report"), null=True, blank=True)
    review_outcome = models.CharField(_("review outcome"), max_length=20, choices=ReviewOutcome.choices, blank=True)
    # Collective decision.
    decided_on = models.DateField(_("collective decision"), null=True, blank=True)
    decision_meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    # Registration: unified registration number (office, year, serial) and document number (org, year, serial).
    registering_office = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="registered_documents"
    )
    registered_on = models.DateField(_("registered"), null=True, blank=True)
    registration_year = models.PositiveIntegerField(null=True, blank=True)
    registration_serial = models.PositiveIntegerField(null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    number_prefix = models.CharField(_("document number prefix"), max_length=30, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_serial = models.PositiveIntegerField(null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    # Validity.
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("in force until"), null=True, blank=True)
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True)
    evaluated_on = models.DateField(_("evaluated before expiry"), null=True, blank=True)
    # Publication and filing with the government above.
    published_on = models.DateField(_("published"), null=True, blank=True)
    channel = models.CharField(_("publication channel"), max_length=12, choices=Channel.choices, blank=True)
    filing_due = models.DateField(_("filing due"), null=True, blank=True)
    filed_on = models.DateField(_("filed with the government above"), null=True, blank=True)
    filing_outcome = models.CharField(
        _("filing review"), max_length=16, choices=FilingOutcome.choices, blank=True, default=""
    )
    # The end.
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("normative document")
        verbose_name_plural = _("normative documents")
        ordering = ("-published_on", "-pk")
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["published_on"]),
            models.Index(fields=["review_reported_on"]),
            models.Index(fields=["evaluation_due"]),
            models.Index(fields=["filing_due"]),
            models.Index(fields=["review_due"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registering_office", "registration_year", "registration_serial"],
                name="documents_registration_unique",
            ),
            models.UniqueConstraint(
                fields=["org", "number_year", "number_serial"], name="documents_number_unique_per_org_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    @property
    def is_provisional(self) -> bool:
        return rules.is_provisional(self.title, self.provisional)

    def status_on(self, today) -> str:
        return rules.display_status(self.status, self.expires_on, today)

    @property
    def filed_on_time(self) -> bool | None:
        if self.filed_on is None or self.filing_due is None:
            return None
        return self.filed_on <= self.filing_due

    @property
    def review_on_time(self) -> bool | None:
        if self.review_reported_on is None or self.review_due is None:
            return None
        return self.review_reported_on <= self.review_due


class RegistrationCounter(models.Model):
    """The last registration serial used by a registering office in a year: the row is locked
    (``select_for_update``) while the next number is taken, so numbers never collide or skip."""

    office = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="documents_counter_unique")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class CleanupOutcome(models.TextChoices):
    PENDING = "", _("Not yet decided")
    CONTINUE = "continue", _("Continue in force")
    AMEND = "amend", _("Amend")
    REPEAL = "repeal", _("Repeal")
    INVALID = "invalid", _("Declare invalid")


class Cleanup(models.Model):
    """A cleanup campaign (清理): the documents in force of an org subtree when it started, each with an outcome."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="document_cleanups")
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-started_on", "-pk")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document_cleanup_detail", args=[self.pk])


class CleanupItem(models.Model):
    cleanup = models.ForeignKey(Cleanup, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="cleanup_items")
    outcome = models.CharField(_("outcome"), max_length=10, choices=CleanupOutcome.choices, blank=True, default="")
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [models.UniqueConstraint(fields=["cleanup", "document"], name="documents_cleanup_item_unique")]

    def __str__(self) -> str:
        return f"{self.cleanup} · {self.document}"
