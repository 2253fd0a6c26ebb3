"""Metrics of the ledger ``decisions``: each registered with ``fazhi.metrics.registry.register``.

Every metric counts the major decisions **decided** in the period (``decided_on`` from start to end inclusive,
status decided), in the org subtree; withdrawn and undecided matters are not counted. A step counts when its record
exists and was completed on or before the decision. The figures (comment days, hearing notice days, the risk
categories) are read from settings when the metric is computed; whether a legality review was given its working
days was judged when the review was recorded (``Procedure.review_period_ok``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.decisions.models import Decision, Procedure, ProcedureKind, Status
from fazhi.metrics.registry import RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import subtree_q

LEDGER = "decisions"


def decided_in(start: dt.date, end: dt.date):
    return Decision.objects.filter(status=Status.DECIDED, decided_on__range=(start, end))


def step(kind: str, **conditions) -> Q:
    """The decision has a record of this step, completed on or before the decision, meeting ``conditions``."""
    return Q(
        Exists(
            Procedure.objects.filter(
                decision=OuterRef("pk"), kind=kind, ended_on__lte=OuterRef("decided_on"), **conditions
            )
        )
    )


def comment_period_met() -> Q:
    return step(ProcedureKind.PUBLIC_PARTICIPATION, period_days__gte=settings.FAZHI_DECISION_COMMENT_DAYS)


def hearing_notice_met() -> Q:
    return step(ProcedureKind.HEARING, period_days__gte=settings.FAZHI_DECISION_HEARING_NOTICE_DAYS)


def in_risk_categories() -> Q:
    return Q(category__in=list(settings.FAZHI_DECISION_RISK_CATEGORIES))


def compliant() -> Q:
    """Every step the decision needed, in order and on time: review (given its working days) and collective
    decision; public participation with the full comment period unless exempt; the hearing, announced in time,
    where required; expert argumentation for a technical matter; risk assessment for a risk category; and no step
    completed after the decision."""
    late = Q(Exists(Procedure.objects.filter(decision=OuterRef("pk"), ended_on__gt=OuterRef("decided_on"))))
    return (
        step(ProcedureKind.LEGALITY_REVIEW, review_period_ok=True)
        & step(ProcedureKind.COLLECTIVE_DECISION)
        & (Q(public_comment_required=False) | comment_period_met())
        & (Q(hearing_required=False) | hearing_notice_met())
        & (Q(technical=False) | step(ProcedureKind.EXPERT_ARGUMENTATION))
        & (~in_risk_categories() | step(ProcedureKind.RISK_ASSESSMENT))
        & ~late
    )


def _rate(
    code: str,
    title,
    formula,
    numerator: Callable[[], Q],
    denominator: Callable[[], Q] | None = None,
) -> Metric:
    """A rate over the decisions decided in the period: ``numerator`` among those matching ``denominator``."""

    def den_q() -> Q:
        return denominator() if denominator is not None else Q()

    def counts(paths: Sequence[str], start: dt.date, end: dt.date) -> Mapping[str, tuple[int, int]]:
        # The denominator filters the rows (as in ``records``): the numerator is counted among them.
        return count_by_subtree(decided_in(start, end).filter(den_q()), paths, numerator=numerator())

    def records(path: str, start: dt.date, end: dt.date):
        return (
            decided_in(start, end)
            .filter(subtree_q(path, "org__path"))
            .filter(den_q())
            .select_related("org")
            .annotate(
                in_numerator=Case(
                    When(numerator(), then=Value(True)), default=Value(False), output_field=BooleanField()
                )
            )
            .order_by("decided_on", "id")
        )

    return register(Metric(code, title, formula, RATE, LEDGER, counts, records))


legality_review_rate = _rate(
    "decisions.legality_review_rate",
    _("Legality review rate of major decisions"),
    _("Decisions with a legality review completed before the decision ÷ decisions decided in the period × 100%."),
    lambda: step(ProcedureKind.LEGALITY_REVIEW),
)
collective_decision_rate = _rate(
    "decisions.collective_decision_rate",
    _("Collective decision rate of major decisions"),
    _(
        "Decisions taken by collective discussion (a recorded collective decision) ÷ decisions decided in the "
        "period × 100%."
    ),
    lambda: step(ProcedureKind.COLLECTIVE_DECISION),
)
public_participation_rate = _rate(
    "decisions.public_participation_rate",
    _("Public comment rate of major decisions"),
    _(
        "Decisions put to public comment for at least FAZHI_DECISION_COMMENT_DAYS days before the decision ÷ "
        "decisions decided in the period that required public comment × 100%."
    ),
    comment_period_met,
    lambda: Q(public_comment_required=True),
)
hearing_rate = _rate(
    "decisions.hearing_rate",
    _("Hearing rate of major decisions"),
    _(
        "Decisions whose hearing was held before the decision and announced at least "
        "FAZHI_DECISION_HEARING_NOTICE_DAYS days ahead ÷ decisions decided in the period that required a hearing × "
        "100%."
    ),
    hearing_notice_met,
    lambda: Q(hearing_required=True),
)
expert_argumentation_rate = _rate(
    "decisions.expert_argumentation_rate",
    _("Expert argumentation rate of technical decisions"),
    _(
        "Technical decisions with expert argumentation before the decision ÷ technical decisions decided in the "
        "period × 100%."
    ),
    lambda: step(ProcedureKind.EXPERT_ARGUMENTATION),
    lambda: Q(technical=True),
)
risk_assessment_rate = _rate(
    "decisions.risk_assessment_rate",
    _("Risk assessment rate of major decisions"),
    _(
        "Decisions in the categories of FAZHI_DECISION_RISK_CATEGORIES with a risk assessment before the decision ÷ "
        "decisions in those categories decided in the period × 100%."
    ),
    lambda: step(ProcedureKind.RISK_ASSESSMENT),
    in_risk_categories,
)
review_period_rate = _rate(
    "decisions.review_period_rate",
    _("Legality reviews given their working days"),
    _(
        "Decisions whose legality review opinion came at least FAZHI_DECISION_REVIEW_WORKING_DAYS working days after "
        "the draft was sent for review ÷ decisions decided in the period with a legality review × 100%."
    ),
    lambda: step(ProcedureKind.LEGALITY_REVIEW, review_period_ok=True),
    lambda: step(ProcedureKind.LEGALITY_REVIEW),
)
procedure_compliance_rate = _rate(
    "decisions.procedure_compliance_rate",
    _("Procedure compliance rate of major decisions"),
    _(
        "Decisions that went through every procedure they needed, in order and on time (legality review given its "
        "working days; collective decision; public comment for the full period unless exempt; a hearing announced "
        "in time where required; expert argumentation if technical; risk assessment in a risk category; no step "
        "after the decision) ÷ decisions decided in the period × 100%."
    ),
    compliant,
)
