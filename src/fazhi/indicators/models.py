"""Scoring standards in the database: a standard, its indicator tree, its bonus and veto items.

The rows hold exactly what :mod:`fazhi.indicators.spec` holds, so a standard goes file → rows →
file without loss (:func:`fazhi.indicators.services.standard_to_spec`). Points are integer
hundredths. A leaf's rule parameters live in one JSON object, ``Indicator.params``, with the keys
of :class:`~fazhi.indicators.spec.Rule` that its kind uses: ``step`` and ``per`` as hundredths,
``items`` as ``[{"title", "points"}]``, ``full_at``/``zero_at`` as decimal strings, ``tiers`` as
``[{"min": "<decimal>", "points": <hundredths>}]`` (strings keep decimals exact on every database).

Only a draft may change; every edit goes through :mod:`fazhi.indicators.services`, which refuses
to touch a published or retired standard.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.indicators import spec

CODE_VALIDATOR = RegexValidator(r"^[a-z0-9-]+\Z", _("Use lower-case letters, digits and hyphens only."))


class Standard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.CharField(_("code"), max_length=64, validators=[CODE_VALIDATOR])
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    total = models.PositiveIntegerField(_("total (hundredths)"))
    pass_score = models.PositiveIntegerField(_("pass score (hundredths)"), null=True, blank=True)
    bonus_cap = models.PositiveIntegerField(_("bonus cap (hundredths)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    owner_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="standards"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("scoring standard")
        verbose_name_plural = _("scoring standards")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="standard_code_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.code} {self.version})"

    @property
    def org(self):
        """The organisation the audit log files this standard's events under."""
        return self.owner_org

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Indicator(models.Model):
    """A node of a standard's tree: a branch (``rule`` empty) or a scored leaf (``rule`` set)."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)  # order among siblings, from 0
    depth = models.PositiveSmallIntegerField(_("level"), default=1)  # 1 = level 1 (一级)
    points = models.PositiveIntegerField(_("points (hundredths)"), default=0)
    rule = models.CharField(
        _("rule"), max_length=16, blank=True, choices=[(kind, kind) for kind in spec.RULE_KINDS]
    )  # "" for a branch
    params = models.JSONField(_("rule parameters"), default=dict, blank=True)
    metric = models.CharField(_("metric"), max_length=100, blank=True)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence = models.JSONField(_("expected evidence"), default=list, blank=True)

    class Meta:
        ordering = ["standard", "depth", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_unique")]
        indexes = [models.Index(fields=["standard", "parent", "position"], name="indicator_siblings")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def org(self):
        return self.standard.owner_org


class BonusItem(models.Model):
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="bonus")
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    points = models.PositiveIntegerField(_("points (hundredths)"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["standard", "position"]
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="bonus_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def org(self):
        return self.standard.owner_org


class VetoItem(models.Model):
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="veto")
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["standard", "position"]
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="veto_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def org(self):
        return self.standard.owner_org
