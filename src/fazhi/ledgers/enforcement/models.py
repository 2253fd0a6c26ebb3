"""Records of the ledger "Administrative enforcement": officers, their certificates, their year (exams and
training), and the annual case-file reviews.

An officer's status is derived, never stored (``rules.officer_status``; ``selectors.status_annotation`` is the
same logic as a query). The officer's name and ID number are personal data: shown only to the ledger's readers,
never on a public page.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.enforcement import rules


class Absence(models.TextChoices):
    PRESENT = rules.PRESENT, _("Sat the exam")
    EXCUSED = rules.EXCUSED, _("Absent with excuse")
    UNEXCUSED = rules.UNEXCUSED, _("Absent without excuse")


class OfficerStatus(models.TextChoices):
    ACTIVE = rules.ACTIVE, _("Active")
    SUSPENDED = rules.SUSPENDED, _("Suspended")
    EXPIRED = rules.EXPIRED, _("Certificate expired")
    LEFT = rules.LEFT, _("Not in post")


class ExamOutcome(models.TextChoices):
    NOT_RECORDED = rules.NOT_RECORDED, _("Not recorded")
    PASSED = rules.PASSED, _("Passed")
    FAILED = rules.FAILED, _("Failed")
    EXCUSED = rules.EXCUSED, _("Absent with excuse")
    UNEXCUSED = rules.UNEXCUSED, _("Absent without excuse")


class Grade(models.TextChoices):
    EXCELLENT = rules.EXCELLENT, _("Excellent")
    PASS = rules.PASS, _("Pass")
    FAIL = rules.FAIL, _("Fail")


class Officer(models.Model):
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="enforcement_officers"
    )
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=32, unique=True)
    joined_on = models.DateField(_("in post since"), null=True, blank=True)
    left_on = models.DateField(_("left the post on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enforcement officer")
        ordering = ["org__path", "name", "pk"]
        indexes = [models.Index(fields=["org", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement_officer_detail", args=[self.pk])


class Certificate(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enforcement certificate")
        ordering = ["officer", "-expires_on"]
        indexes = [models.Index(fields=["officer", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")), name="enforcement_certificate_dates"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.officer.get_absolute_url()

    @property
    def org(self):
        return self.officer.org


class OfficerYear(models.Model):
    """One officer's year: the general-law exam, the specialised exam and the training hours."""

    officer = models.ForeignKey(Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="years")
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="enforcement_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    general_score = models.PositiveSmallIntegerField(_("general-law exam score"), null=True, blank=True)
    general_absence = models.CharField(
        _("general-law exam absence"), max_length=12, choices=Absence.choices, blank=True, default=""
    )
    special_score = models.PositiveSmallIntegerField(_("specialised exam score"), null=True, blank=True)
    special_absence = models.CharField(
        _("specialised exam absence"), max_length=12, choices=Absence.choices, blank=True, default=""
    )
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("officer's exams and training")
        ordering = ["-year", "officer__name", "pk"]
        indexes = [models.Index(fields=["year", "org"])]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="enforcement_officer_year_unique")]

    def __str__(self) -> str:
        return f"{self.officer.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement_officer_detail", args=[self.officer_id])

    def outcome(self, kind: str, pass_mark: int) -> str:
        return rules.exam_outcome(getattr(self, f"{kind}_score"), getattr(self, f"{kind}_absence"), pass_mark)


class CaseFile(models.Model):
    """One sampled case file of the annual review, scored on the checklist (``checklist.CHECKLIST``)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="enforcement_case_files"
    )
    year = models.PositiveSmallIntegerField(_("review year"))
    case_number = models.CharField(_("case number"), max_length=100)
    title = models.CharField(_("case"), max_length=200)
    reviewed_on = models.DateField(_("reviewed on"))
    score = models.PositiveSmallIntegerField(_("score"))
    items = models.JSONField(_("checklist scores"), default=dict, blank=True)
    full_record = models.BooleanField(_("full-process records kept"), default=False)
    major = models.BooleanField(_("major enforcement decision"), default=False)
    legal_review = models.BooleanField(_("legal review before the decision"), default=False)
    disclosed = models.BooleanField(_("decision disclosed"), default=False)
    online = models.BooleanField(_("handled online"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reviewed case file")
        ordering = ["-year", "org__path", "case_number", "pk"]
        indexes = [models.Index(fields=["year", "org"]), models.Index(fields=["reviewed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "case_number"], name="enforcement_case_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement_casefile_detail", args=[self.pk])
