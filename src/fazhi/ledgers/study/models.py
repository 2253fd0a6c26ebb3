"""The records of the ledger "Law study and publicity" (学法与普法).

- :class:`Learner`: a person of an organisation who owes law-study hours (personal data: never public).
- :class:`StudySession`: one study session of an organisation (kind, date, hours, topic) and its
  :class:`Attendance` rows (session × learner, with individual hours for online courses).
- :class:`StandingMeeting`: a standing meeting of a government, preceded by study or not (derived from the sessions).
- :class:`Appointment`: a leader's appointment and the pre-appointment law test (任前法律知识考试).
- :class:`PublicityEvent`: a law-publicity event around a theme day.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.study import rules

HOURS = {"max_digits": 4, "decimal_places": 1}


class SessionKind(models.TextChoices):
    CENTRAL_GROUP = rules.CENTRAL_GROUP, _("Central study group")
    PRE_MEETING = rules.PRE_MEETING, _("Study before a standing meeting")
    SEMINAR = rules.SEMINAR, _("Law seminar for leaders")
    LECTURE = rules.LECTURE, _("Lecture")
    ONLINE_COURSE = rules.ONLINE_COURSE, _("Online course")
    REPORT_HEARING = rules.REPORT_HEARING, _("Standing meeting hears the law-based-administration report")


class ThemeDay(models.TextChoices):
    CONSUMER_RIGHTS = "consumer_rights", _("3.15 Consumer Rights Day")
    NATIONAL_SECURITY = "national_security", _("4.15 National Security Education Day")
    ANTI_DRUG = "anti_drug", _("6.26 International Day against Drug Abuse")
    CONSTITUTION = "constitution", _("12.4 National Constitution Day")
    OTHER = "other", _("Other")


class Learner(models.Model):
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="study_learners"
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    is_leader = models.BooleanField(_("leader"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["org__path", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="study_learner_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name

    def get_absolute_url(self) -> str:
        return reverse("study_learner_detail", args=[self.pk])


class StudySession(models.Model):
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="study_sessions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), **HOURS)
    topic = models.CharField(_("topic"), max_length=200)
    learners = models.ManyToManyField(Learner, through="Attendance", related_name="sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["org", "date"], name="study_session_org_date"),
            models.Index(fields=["date", "kind"], name="study_session_date_kind"),
        ]

    def __str__(self) -> str:
        # SessionKind(...).label: one lookup (get_kind_display builds a dict of lazy labels on every call, which
        # cost an import of thousands of sessions a fifth of its time in audit labels).
        kind = SessionKind(self.kind).label if self.kind in SessionKind.values else self.kind
        return f"{self.date:%Y-%m-%d} {kind}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("study_session_detail", args=[self.pk])


class Attendance(models.Model):
    """A learner at a session; ``hours`` (online courses) overrides the session's hours for this person."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendance")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="attendance")
    hours = models.DecimalField(_("individual hours"), null=True, blank=True, **HOURS)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "learner"], name="study_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.learner.name} @ {self.session_id}"


class StandingMeeting(models.Model):
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="study_meetings"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standing meeting")
        verbose_name_plural = _("standing meetings")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"], name="study_meeting_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("study_meeting_detail", args=[self.pk])


class Appointment(models.Model):
    """A leader's appointment; ``tested_on`` is the pre-appointment law test (empty: not tested)."""

    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="study_appointments"
    )
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="appointments"
    )
    post = models.CharField(_("post"), max_length=100)
    appointed_on = models.DateField(_("appointed on"))
    tested_on = models.DateField(_("law test taken on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("test score"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-appointed_on", "-pk"]
        indexes = [models.Index(fields=["org", "appointed_on"], name="study_appointment_org_date")]

    def __str__(self) -> str:
        return f"{self.appointed_on:%Y-%m-%d} {self.learner.name} {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("study_appointment_detail", args=[self.pk])


class PublicityEvent(models.Model):
    org = models.ForeignKey(
        "orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="study_publicity"
    )
    date = models.DateField(_("date"))
    theme = models.CharField(_("theme day"), max_length=20, choices=ThemeDay.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    materials = models.PositiveIntegerField(_("materials handed out"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publicity event")
        verbose_name_plural = _("publicity events")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["org", "date"], name="study_publicity_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("study_publicity_detail", args=[self.pk])
