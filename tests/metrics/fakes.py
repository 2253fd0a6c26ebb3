"""Fake metrics over organisations, so the metric pages, API and command are tested without any ledger.

``test.village_share`` (a rate): of the orgs created in the period in the subtree, the share that are villages
or communities. ``test.township_count`` (a count): townships created in the period. Both date an org by its
``created_at``.
``fake_metrics_register()`` registers them, ``fake_metrics_unregister()`` takes them out (the registry is global).
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from fazhi.metrics.registry import _METRICS, COUNT, RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import Org, subtree_q

VILLAGES = Q(kind__in=["village", "community"])
TOWNSHIPS = Q(kind="township")


def _created(start, end):
    return Org.objects.filter(created_at__date__gte=start, created_at__date__lte=end)


def _share_counts(paths, start, end):
    return count_by_subtree(_created(start, end), paths, numerator=VILLAGES, org_field="path")


def _share_records(path, start, end):
    return (
        _created(start, end)
        .filter(subtree_q(path))
        .annotate(in_numerator=ExpressionWrapper(VILLAGES, output_field=BooleanField()))
    )


def _township_counts(paths, start, end):
    return count_by_subtree(_created(start, end), paths, numerator=TOWNSHIPS, org_field="path")


def _township_records(path, start, end):
    return (
        _created(start, end)
        .filter(subtree_q(path), TOWNSHIPS)
        .annotate(in_numerator=ExpressionWrapper(TOWNSHIPS, output_field=BooleanField()))
    )


VILLAGE_SHARE = Metric(
    code="test.village_share",
    title="村（社区）占比",
    formula="期间内新建的村和社区数 ÷ 期间内新建的组织数 × 100%",
    kind=RATE,
    ledger="test",
    counts=_share_counts,
    records=_share_records,
)
TOWNSHIP_COUNT = Metric(
    code="test.township_count",
    title="新建乡镇数",
    formula="期间内新建的乡镇数",
    kind=COUNT,
    ledger="test",
    counts=_township_counts,
    records=_township_records,
)


def fake_metrics_register() -> None:
    for metric in (VILLAGE_SHARE, TOWNSHIP_COUNT):
        if metric.code not in _METRICS:
            register(metric)


def fake_metrics_unregister() -> None:
    """The registry is global: take the fakes out again so no later test (or page) sees them."""
    for metric in (VILLAGE_SHARE, TOWNSHIP_COUNT):
        _METRICS.pop(metric.code, None)
