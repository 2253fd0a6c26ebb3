"""Metrics of the ledger ``study``: each registered with ``fazhi.metrics.registry.register``.

People are the learners on the ledger (active ones) of the org subtree; their hours are those of sessions dated
in the period (individual hours for online courses). The hours requirement is a yearly figure: ask these
metrics for a calendar year. Sessions, meetings and appointments count by their date in the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.study import rules
from fazhi.ledgers.study.models import Appointment, Learner, StandingMeeting, StudySession
from fazhi.ledgers.study.selectors import hours_subquery
from fazhi.metrics.registry import AVERAGE, COUNT, RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import subtree_q


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _learners(start: dt.date, end: dt.date, *, leaders: bool = False):
    qs = Learner.objects.filter(is_active=True)
    if leaders:
        qs = qs.filter(is_leader=True)
    return qs.annotate(period_hours=hours_subquery(start, end))


# study.hours_compliance_rate ------------------------------------------------------------------


def _met_q() -> Q:
    return Q(period_hours__gte=settings.FAZHI_STUDY_HOURS_PER_YEAR)


def _hours_compliance_counts(paths: Sequence[str], start: dt.date, end: dt.date):
    return count_by_subtree(_learners(start, end), paths, numerator=_met_q())


def _hours_compliance_records(path: str, start: dt.date, end: dt.date):
    return (
        _learners(start, end)
        .filter(subtree_q(path, "org__path"))
        .annotate(in_numerator=_flag(Q(period_hours__gte=settings.FAZHI_STUDY_HOURS_PER_YEAR)))
        .select_related("org")
        .order_by("org__path", "name")
    )


register(
    Metric(
        code="study.hours_compliance_rate",
        title=_("Study-hours compliance rate"),
        formula=_(
            "People on the study ledger whose law-study hours in the period reach FAZHI_STUDY_HOURS_PER_YEAR "
            "÷ people on the ledger × 100% (ask for a calendar year)"
        ),
        kind=RATE,
        ledger="study",
        counts=_hours_compliance_counts,
        records=_hours_compliance_records,
    )
)


# study.leader_law_hours -----------------------------------------------------------------------


def _leader_hours_counts(paths: Sequence[str], start: dt.date, end: dt.date):
    return count_by_subtree(_learners(start, end, leaders=True), paths, numerator=Q(), numerator_sum="period_hours")


def _leader_hours_records(path: str, start: dt.date, end: dt.date):
    return (
        _learners(start, end, leaders=True)
        .filter(subtree_q(path, "org__path"))
        .annotate(in_numerator=Value(True, output_field=BooleanField()))
        .select_related("org")
        .order_by("org__path", "name")
    )


register(
    Metric(
        code="study.leader_law_hours",
        title=_("Leaders' law-study hours (average)"),
        formula=_("Sum of the law-study hours of the leaders on the ledger in the period ÷ number of leaders"),
        kind=AVERAGE,
        ledger="study",
        counts=_leader_hours_counts,
        records=_leader_hours_records,
    )
)


# Counts of sessions: study.sessions_held, study.leader_seminar_count ---------------------------


def _sessions(start: dt.date, end: dt.date, kind: str | None = None):
    qs = StudySession.objects.filter(date__gte=start, date__lte=end)
    return qs.filter(kind=kind) if kind else qs


def _session_counter(kind: str | None):
    def counts(paths: Sequence[str], start: dt.date, end: dt.date):
        return count_by_subtree(_sessions(start, end, kind), paths, numerator=Q())

    def records(path: str, start: dt.date, end: dt.date):
        return (
            _sessions(start, end, kind)
            .filter(subtree_q(path, "org__path"))
            .annotate(in_numerator=Value(True, output_field=BooleanField()))
            .select_related("org")
            .order_by("date", "pk")
        )

    return counts, records


_held_counts, _held_records = _session_counter(None)
register(
    Metric(
        code="study.sessions_held",
        title=_("Law-study sessions held"),
        formula=_("Number of study sessions (every kind) of the org subtree dated in the period"),
        kind=COUNT,
        ledger="study",
        counts=_held_counts,
        records=_held_records,
    )
)

_seminar_counts, _seminar_records = _session_counter(rules.SEMINAR)
register(
    Metric(
        code="study.leader_seminar_count",
        title=_("Law seminars for leaders held"),
        formula=_("Number of law seminars for leaders of the org subtree dated in the period"),
        kind=COUNT,
        ledger="study",
        counts=_seminar_counts,
        records=_seminar_records,
    )
)


# study.pre_meeting_study_rate -----------------------------------------------------------------


def _meetings(start: dt.date, end: dt.date):
    studied = Exists(StudySession.objects.filter(org=OuterRef("org"), date=OuterRef("date"), kind=rules.PRE_MEETING))
    return StandingMeeting.objects.filter(date__gte=start, date__lte=end).annotate(studied=studied)


def _pre_meeting_counts(paths: Sequence[str], start: dt.date, end: dt.date):
    return count_by_subtree(_meetings(start, end), paths, numerator=Q(studied=True))


def _pre_meeting_records(path: str, start: dt.date, end: dt.date):
    return (
        _meetings(start, end)
        .filter(subtree_q(path, "org__path"))
        .annotate(in_numerator=_flag(Q(studied=True)))
        .select_related("org")
        .order_by("date", "pk")
    )


register(
    Metric(
        code="study.pre_meeting_study_rate",
        title=_("Standing meetings preceded by law study"),
        formula=_(
            "Standing meetings in the period with a “study before a standing meeting” session of the same "
            "organisation on the same day ÷ standing meetings in the period × 100%"
        ),
        kind=RATE,
        ledger="study",
        counts=_pre_meeting_counts,
        records=_pre_meeting_records,
    )
)


# study.pre_appointment_test_rate --------------------------------------------------------------


def _appointments(start: dt.date, end: dt.date):
    return Appointment.objects.filter(appointed_on__gte=start, appointed_on__lte=end)


def _pre_appointment_counts(paths: Sequence[str], start: dt.date, end: dt.date):
    return count_by_subtree(_appointments(start, end), paths, numerator=Q(tested_on__isnull=False))


def _pre_appointment_records(path: str, start: dt.date, end: dt.date):
    return (
        _appointments(start, end)
        .filter(subtree_q(path, "org__path"))
        .annotate(in_numerator=_flag(Q(tested_on__isnull=False)))
        .select_related("org", "learner")
        .order_by("appointed_on", "pk")
    )


register(
    Metric(
        code="study.pre_appointment_test_rate",
        title=_("Pre-appointment law test rate"),
        formula=_(
            "Leaders appointed in the period who took the law test before their appointment ÷ leaders appointed "
            "in the period × 100%"
        ),
        kind=RATE,
        ledger="study",
        counts=_pre_appointment_counts,
        records=_pre_appointment_records,
    )
)
