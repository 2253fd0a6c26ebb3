"""Scores from records: the metric-bound leaves of a campaign's standard, valued from the ledgers.

A ``ratio`` or ``tiers`` leaf whose rule names a registered metric (``spec.Rule.metric``) takes its value from
the metric computed for the applicant org's subtree over the campaign's assessment period
(:attr:`~fazhi.campaigns.models.Campaign.assessment_period`), through :mod:`fazhi.metrics.selectors`. A ratio
leaf takes a value in [0, 1]: a RATE metric's percent ÷ 100 (a ratio leaf on another kind of metric is not
bound: nothing converts it). A tiers leaf takes the metric's value as it is (an average, a count, or a rate in
percent: the standard's thresholds are in the metric's unit).

A metric with no records (denominator 0: the value is None) gives the leaf no value: it scores 0 — "no ledger
records, no points" (无台账不得分) — as a :class:`~fazhi.indicators.scoring.Fixed` score, until a reviewer
overrides it with a written reason. A leaf naming a code no metric is registered under is not bound: the
clerk answers it by hand (the shipped standards' codes all resolve; a test checks it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from fazhi.campaigns.models import Answer, Application, Campaign, LeafScore
from fazhi.campaigns.selectors.applications import campaign_indicator_ids, campaign_spec
from fazhi.indicators import spec
from fazhi.indicators.scoring import leaf_score
from fazhi.metrics.batch import metrics_compute_for_org
from fazhi.metrics.registry import RATE, Metric
from fazhi.metrics.selectors import metric_display, metric_find, metric_records
from fazhi.orgs.models import Org


@dataclass(frozen=True)
class LeafFigure:
    """One metric-bound leaf's figure for one applicant and period."""

    code: str  # the leaf's code
    metric: Metric
    metric_value: Decimal | None  # in the metric's unit (a rate in percent); None: no records
    numerator: int
    denominator: int | None  # None for a count

    @property
    def no_records(self) -> bool:
        return self.metric_value is None

    @property
    def display(self) -> str:
        return metric_display(self.metric, self.metric_value)


def leaf_metric(leaf: spec.Indicator) -> Metric | None:
    """The registered metric ``leaf`` is bound to, or None (no metric named, an unknown code, or a ratio leaf on
    a metric that is not a rate)."""
    rule = leaf.rule
    if rule is None or not rule.metric or rule.kind not in (spec.RATIO, spec.TIERS):
        return None
    metric = metric_find(rule.metric)
    if metric is None or (rule.kind == spec.RATIO and metric.kind != RATE):
        return None
    return metric


def metric_leaves(standard: spec.Standard) -> dict[str, tuple[spec.Indicator, Metric]]:
    """The standard's metric-bound leaves by code, in standard order, with their metrics."""
    found = {}
    for leaf in standard.leaves():
        metric = leaf_metric(leaf)
        if metric is not None:
            found[leaf.code] = (leaf, metric)
    return found


def campaign_metric_leaves(campaign: Campaign) -> dict[str, tuple[spec.Indicator, Metric]]:
    """The metric-bound leaves of the campaign's standard when the campaign scores from records (none otherwise:
    a campaign made before, or told not to, has every leaf answered by hand)."""
    if not campaign.scores_from_records:
        return {}
    return metric_leaves(campaign_spec(campaign))


def leaf_value(leaf: spec.Indicator, metric: Metric, value: Decimal | None) -> Decimal | None:
    """The metric's value as the leaf's answer: a ratio leaf's [0, 1] (percent ÷ 100), a tiers leaf's as is."""
    if value is None:
        return None
    if leaf.rule.kind == spec.RATIO and metric.kind == RATE:
        return min(Decimal(1), value / 100).normalize()  # 80.00 % → 0.8
    return value


def application_period(application: Application) -> tuple[dt.date, dt.date]:
    return application.campaign.assessment_period


def figures_compute(
    bound: dict[str, tuple[spec.Indicator, Metric]], org: Org, start: dt.date, end: dt.date
) -> dict[str, LeafFigure]:
    """The figures of the metric-bound leaves ``bound`` for ``org``'s subtree: every metric computed once, all of
    them together (one query for the rates and counts, whatever their number: :mod:`fazhi.metrics.batch`)."""
    values = metrics_compute_for_org([metric for _leaf, metric in bound.values()], org, start, end)
    return {
        code: LeafFigure(
            code=code,
            metric=metric,
            metric_value=values[metric.code].value,
            numerator=values[metric.code].numerator,
            denominator=values[metric.code].denominator,
        )
        for code, (_leaf, metric) in bound.items()
    }


def application_figures(application: Application) -> dict[str, LeafFigure]:
    start, end = application_period(application)
    return figures_compute(campaign_metric_leaves(application.campaign), application.org, start, end)


def figure_from_answer(leaf: spec.Indicator, metric: Metric, answer) -> LeafFigure | None:
    """The figure stored on a self-assessment row (an :class:`~fazhi.campaigns.models.Answer` with
    ``metric_computed_at``), or None when it was never computed."""
    if answer is None or answer.metric_computed_at is None:
        return None
    if answer.answer is None:
        value = None
    elif leaf.rule.kind == spec.RATIO:
        value = Decimal(str(answer.answer)) * 100
    else:
        value = Decimal(str(answer.answer))
    if value is not None and metric.kind == RATE:
        value = value.quantize(Decimal("0.01"))
    return LeafFigure(
        code=leaf.code,
        metric=metric,
        metric_value=value,
        numerator=answer.metric_numerator or 0,
        denominator=answer.metric_denominator,
    )


def fixed_json(points: int) -> dict:
    """A :class:`~fazhi.indicators.scoring.Fixed` score as stored in ``LeafScore.answer``."""
    return {"fixed": points}


def computed_leaf(leaf: spec.Indicator, figure: LeafFigure) -> tuple[Any, int | None]:
    """(the answer a sheet stores for the figure, the computed score — None when the metric had no records)."""
    value = leaf_value(leaf, figure.metric, figure.metric_value)
    if value is None:
        return fixed_json(0), None
    return str(value), leaf_score(leaf, value)


def stored_figures(application: Application, standard: spec.Standard) -> dict[str, LeafFigure]:
    """The figures stored on the self-assessment (at submission); those never stored (an application submitted
    before scores came from records) are computed now."""
    bound = campaign_metric_leaves(application.campaign)
    if not bound:
        return {}
    ids = campaign_indicator_ids(application.campaign)
    rows = {
        row.indicator_id: row
        for row in Answer.objects.filter(application=application, indicator_id__in=[ids[c] for c in bound])
    }
    figures = {}
    for code, (leaf, metric) in bound.items():
        figure = figure_from_answer(leaf, metric, rows.get(ids[code]))
        if figure is not None:
            figures[code] = figure
    if len(figures) < len(bound):
        fresh = application_figures(application)
        figures = {code: figures.get(code) or fresh[code] for code in bound}
    return figures


@dataclass(frozen=True)
class SheetFigure:
    """What a reviewer's sheet shows for a metric-bound leaf."""

    figure: LeafFigure
    computed_score: int | None  # None: no records
    score: int  # the effective score (the override's when overridden)
    override_reason: str
    records_url: str


def sheet_figures(assignment) -> dict[str, SheetFigure]:
    """The metric-bound leaves of an assignment's application: the stored figure, the computed and effective
    scores (from the reviewer's own sheet when it has the row), any override, the drill-down address."""
    from django.urls import reverse

    application = assignment.application
    standard = campaign_spec(application.campaign)
    bound = campaign_metric_leaves(application.campaign)
    if not bound:
        return {}
    figures = stored_figures(application, standard)
    mine = {
        row.indicator.code: row
        for row in LeafScore.objects.filter(sheet_id=assignment.sheet.pk, indicator__code__in=list(bound))
        .select_related("indicator")
        .only("indicator__code", "score", "computed_score", "override_reason")
    }
    result = {}
    for code, (leaf, metric) in bound.items():
        figure = figures[code]
        row = mine.get(code)
        if row is not None:
            computed, score, reason = row.computed_score, row.score, row.override_reason
        else:
            computed = computed_leaf(leaf, figure)[1]
            score, reason = computed or 0, ""
        result[code] = SheetFigure(
            figure=figure,
            computed_score=computed,
            score=score,
            override_reason=reason,
            records_url=reverse("application_metric_records", args=[application.pk, metric.code]),
        )
    return result


def campaign_metric(campaign: Campaign, code: str) -> Metric | None:
    """A metric some leaf of the campaign's standard is bound to (None otherwise: the drill-down shows only
    the metrics the campaign scores by)."""
    for _leaf, metric in campaign_metric_leaves(campaign).values():
        if metric.code == code:
            return metric
    return None


def application_metric_records(application: Application, metric: Metric) -> QuerySet:
    """The records behind the applicant's figure for ``metric`` over the campaign's period (the drill-down)."""
    start, end = application_period(application)
    return metric_records(metric, application.org, start, end)


def application_overrides(application: Application) -> list[LeafScore]:
    """The reviewers' overridden leaf scores of an application, with reviewer and leaf (one query)."""
    return list(
        LeafScore.objects.filter(sheet__assignment__application=application)
        .exclude(override_reason="")
        .select_related("indicator", "sheet__assignment__reviewer", "overridden_by")
        .order_by("indicator__id", "sheet__assignment__reviewer__username")
    )
