"""Metrics: the registry, and one metric's figure for an org subtree and a period with the records counted (the
ids a page at a time, ``PAGE_SIZE`` a page, like the ledgers' lists).

Scope: the caller's LEDGER_VIEW scope (403 without it anywhere; 404 for an org outside it or an unknown metric).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema

from fazhi.metrics import selectors

router = Router()

PAGE_SIZE = 100


class MetricOut(Schema):
    code: str
    title: str
    formula: str
    kind: str
    ledger: str


class RecordOut(Schema):
    id: int
    in_numerator: bool


class MetricValueOut(Schema):
    code: str
    title: str
    kind: str
    org: str
    org_name: str
    start: dt.date
    end: dt.date
    value: float | None
    numerator: int | float  # an average's numerator may be a sum of hours (study.leader_law_hours)
    denominator: int | None
    count: int  # records counted (for a count metric: those in the numerator)
    page: int
    pages: int
    page_size: int
    results: list[RecordOut]


def _metric_out(metric) -> dict:
    return {
        "code": metric.code,
        "title": str(metric.title),
        "formula": str(metric.formula),
        "kind": metric.kind,
        "ledger": metric.ledger,
    }


def _require_reader(user) -> None:
    if not selectors.metrics_visible(user):
        raise PermissionDenied


@router.get("/metrics", response=list[MetricOut], url_name="metrics")
def metrics_list(request):
    """Every registered metric: code, title, formula, kind (rate, average or count) and ledger."""
    _require_reader(request.auth)
    return [_metric_out(metric) for _name, _title, group in selectors.metrics_by_ledger() for metric in group]


@router.get("/metrics/{metric_code}", response=MetricValueOut, url_name="metric_value")
def metric_value_get(
    request,
    metric_code: str,
    org: str | None = None,
    start: dt.date | None = Query(None, alias="from"),  # noqa: B008
    end: dt.date | None = Query(None, alias="to"),  # noqa: B008
    page: int = 1,
):
    """The metric for ``org``'s whole subtree (default: the top of your scope) from ``from`` to ``to`` (default:
    the current year): value (a rate in %, null when there is nothing to count), numerator, denominator; then the
    records counted, a page at a time (``count``, ``page``, ``pages``, ``page_size``, ``results``: each record's id
    and whether it is in the numerator). 400 (rule ``metrics.period_order``) when ``to`` is before ``from``."""
    user = request.auth
    _require_reader(user)
    metric = selectors.metric_find(metric_code)
    if metric is None:
        raise Http404
    found = selectors.metric_org_for_user(user=user, code=org) if org else selectors.metric_default_org(user)
    if found is None:
        raise Http404
    default_start, default_end = selectors.period_default(timezone.localdate())
    start, end = start or default_start, end or default_end
    (figure,) = selectors.metric_compute(metric, [found], start, end)
    current = selectors.metric_record_ids_page(selectors.metric_records(metric, found, start, end), page, PAGE_SIZE)
    return {
        "code": metric.code,
        "title": str(metric.title),
        "kind": metric.kind,
        "org": found.code,
        "org_name": found.name,
        "start": start,
        "end": end,
        "value": None if figure.value is None else float(figure.value),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "page_size": PAGE_SIZE,
        "results": [{"id": pk, "in_numerator": bool(flag)} for pk, flag in current.object_list],
    }
