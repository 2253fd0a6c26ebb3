"""Scores from records through the API: an application's metric-bound figures, the records behind one, and the
assigned reviewer's override of a computed leaf score. The same selectors and services as the pages, so the same
scope (the drill-down through the application: its assigned reviewers, or anyone who sees it) and the same refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from ninja import Router, Schema

from fazhi.campaigns.access import assignment_get_for_user
from fazhi.campaigns.selectors import metrics_scoring as selectors
from fazhi.campaigns.services.metrics_scoring import leaf_score_override
from fazhi.campaigns.views.metrics_scoring import _application_for_drilldown
from fazhi.metrics.selectors import metric_record_ids

router = Router()


def _points(hundredths: int | None) -> float | None:
    return None if hundredths is None else float(Decimal(hundredths) / 100)


class FigureOut(Schema):
    code: str  # the leaf
    metric: str
    value: float | None  # in the metric's unit (a rate in percent); null: no records
    numerator: int
    denominator: int | None
    records: str  # the API address of the records behind it


class FiguresOut(Schema):
    application: int
    period_start: dt.date
    period_end: dt.date
    figures: list[FigureOut]


class RecordsOut(Schema):
    metric: str
    ids: list[int]  # every record counted
    numerator: list[int]  # those in the numerator


class OverrideIn(Schema):
    code: str
    score: Any = None  # points; null takes the computed score back
    reason: str = ""


class OverrideOut(Schema):
    code: str
    score: float
    computed_score: float | None
    reason: str


@router.get("/applications/{int:application_id}/figures", response=FiguresOut, url_name="application_figures")
def application_figures(request, application_id: int):
    """The metric-bound leaves' figures as stored on the self-assessment (computed now for any never stored)."""
    application = _application_for_drilldown(request.auth, application_id)
    start, end = application.campaign.assessment_period
    figures = selectors.stored_figures(application, selectors.campaign_spec(application.campaign))
    return {
        "application": application.pk,
        "period_start": start,
        "period_end": end,
        "figures": [
            {
                "code": code,
                "metric": f.metric.code,
                "value": None if f.metric_value is None else float(f.metric_value),
                "numerator": f.numerator,
                "denominator": f.denominator,
                "records": f"/api/v1/applications/{application.pk}/metrics/{f.metric.code}/records",
            }
            for code, f in figures.items()
        ],
    }


@router.get(
    "/applications/{int:application_id}/metrics/{metric_code}/records",
    response=RecordsOut,
    url_name="application_metric_record_ids",
)
def application_metric_record_ids(request, application_id: int, metric_code: str):
    """The ids of the records the metric counts for the applicant over the campaign's assessment period."""
    application = _application_for_drilldown(request.auth, application_id)
    metric = selectors.campaign_metric(application.campaign, metric_code)
    if metric is None:
        raise Http404
    ids, numerator = metric_record_ids(selectors.application_metric_records(application, metric))
    return {"metric": metric.code, "ids": ids, "numerator": numerator}


@router.post(
    "/campaigns/assignments/{int:assignment_id}/sheet/override", response=OverrideOut, url_name="sheet_override"
)
def sheet_override(request, assignment_id: int, payload: OverrideIn):
    """Override a metric-bound leaf's computed score on your draft sheet (a reason is required), or take the computed
    score back (``score`` null)."""
    assignment = assignment_get_for_user(request.auth, assignment_id)
    row = leaf_score_override(
        actor=request.auth, sheet=assignment.sheet, code=payload.code, score=payload.score, reason=payload.reason
    )
    return {
        "code": payload.code,
        "score": _points(row.score),
        "computed_score": _points(row.computed_score),
        "reason": row.override_reason,
    }
