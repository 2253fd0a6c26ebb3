"""Metrics of the ledger ``enforcement``: each registered with ``fazhi.metrics.registry.register``.

Officer metrics look at the officers in post on the period's last day (``end``): their certificate on that day,
their exams and training of that day's year. Case-file metrics count the case files reviewed within the period
(``reviewed_on`` from ``start`` to ``end``). Formulas: docs/ledgers/enforcement.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.enforcement.models import CaseFile, Officer, OfficerYear
from fazhi.ledgers.enforcement.selectors import in_post_q, passed_both_q, valid_certificate_q
from fazhi.metrics.registry import RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import subtree_q

LEDGER = "enforcement"


# --- Officers -----------------------------------------------------------------------------------------------


def _officers(end: dt.date, flag):
    return Officer.objects.filter(in_post_q(end)).annotate(in_numerator=flag)


def _certified(end: dt.date):
    return valid_certificate_q(end)


def _passed(end: dt.date):
    return Exists(
        OfficerYear.objects.filter(officer=OuterRef("pk"), year=end.year).filter(
            passed_both_q(settings.FAZHI_EXAM_PASS_MARK)
        )
    )


def _trained(end: dt.date):
    return Exists(
        OfficerYear.objects.filter(
            officer=OuterRef("pk"), year=end.year, training_hours__gte=settings.FAZHI_ENFORCEMENT_TRAINING_HOURS
        )
    )


def _officer_metric(code: str, title, formula, flag) -> Metric:
    def counts(paths, start, end):
        return count_by_subtree(_officers(end, flag(end)), paths, numerator=Q(in_numerator=True))

    def records(path, start, end):
        return (
            _officers(end, flag(end))
            .filter(subtree_q(path, "org__path"))
            .select_related("org")
            .order_by("org__path", "name", "pk")
        )

    return register(Metric(code, title, formula, RATE, LEDGER, counts, records))


certified_officer_rate = _officer_metric(
    "enforcement.certified_officer_rate",
    _("Certified enforcement officers"),
    _(
        "Officers in post on the period's last day holding a certificate valid on that day ÷ officers in post on "
        "that day × 100%."
    ),
    _certified,
)
exam_pass_rate = _officer_metric(
    "enforcement.exam_pass_rate",
    _("Enforcement exam pass rate"),
    _(
        "Officers in post on the period's last day who passed both that year's general-law and specialised exams "
        "(score at least the pass mark, FAZHI_EXAM_PASS_MARK) ÷ officers in post on that day × 100%. An absence, "
        "with or without excuse, is not a pass."
    ),
    _passed,
)
training_hours_rate = _officer_metric(
    "enforcement.training_hours_rate",
    _("Enforcement officers with enough training"),
    _(
        "Officers in post on the period's last day with at least FAZHI_ENFORCEMENT_TRAINING_HOURS training hours "
        "recorded for that year ÷ officers in post on that day × 100%."
    ),
    _trained,
)


# --- Case files ---------------------------------------------------------------------------------------------


def _case_metric(code: str, title, formula, numerator, denominator=None) -> Metric:
    def condition() -> Q:
        return numerator() if callable(numerator) else numerator

    def cases(start, end):
        cases = CaseFile.objects.filter(reviewed_on__gte=start, reviewed_on__lte=end)
        return cases.filter(denominator) if denominator is not None else cases

    def counts(paths, start, end):
        return count_by_subtree(cases(start, end), paths, numerator=condition())

    def records(path, start, end):
        return (
            cases(start, end)
            .filter(subtree_q(path, "org__path"))
            .annotate(in_numerator=ExpressionWrapper(condition(), output_field=BooleanField()))
            .select_related("org")
            .order_by("reviewed_on", "org__path", "case_number", "pk")
        )

    return register(Metric(code, title, formula, RATE, LEDGER, counts, records))


case_file_pass_rate = _case_metric(
    "enforcement.case_file_pass_rate",
    _("Case-file review pass rate"),
    _(
        "Case files reviewed in the period scoring at least FAZHI_CASE_FILE_PASS (excellent ones included) ÷ case "
        "files reviewed in the period × 100%."
    ),
    lambda: Q(score__gte=settings.FAZHI_CASE_FILE_PASS),
)
case_file_excellent_rate = _case_metric(
    "enforcement.case_file_excellent_rate",
    _("Case-file review excellent rate"),
    _(
        "Case files reviewed in the period scoring at least FAZHI_CASE_FILE_EXCELLENT ÷ case files reviewed in the "
        "period × 100%."
    ),
    lambda: Q(score__gte=settings.FAZHI_CASE_FILE_EXCELLENT),
)
full_record_rate = _case_metric(
    "enforcement.full_record_rate",
    _("Full-process record rate"),
    _("Reviewed case files with full-process records kept ÷ case files reviewed in the period × 100%."),
    Q(full_record=True),
)
legal_review_rate = _case_metric(
    "enforcement.legal_review_rate",
    _("Legal review rate of major enforcement decisions"),
    _(
        "Reviewed case files of a major enforcement decision with the legal review done before the decision ÷ "
        "reviewed case files of a major enforcement decision in the period × 100%."
    ),
    Q(legal_review=True),
    Q(major=True),
)
decision_disclosure_rate = _case_metric(
    "enforcement.decision_disclosure_rate",
    _("Enforcement decision disclosure rate"),
    _("Reviewed case files whose decision was disclosed ÷ case files reviewed in the period × 100%."),
    Q(disclosed=True),
)
online_case_rate = _case_metric(
    "enforcement.online_case_rate",
    _("Enforcement cases handled online"),
    _("Reviewed case files handled on the enforcement platform ÷ case files reviewed in the period × 100%."),
    Q(online=True),
)
