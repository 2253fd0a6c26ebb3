"""Many metrics for one org subtree at once: one query for all the rate and count metrics, whatever their number.

A page that shows many metrics of one org (the clerk's self-assessment scores every metric-bound leaf of the
campaign's standard from the ledgers: 34 metrics for the shipped city/county standard) would otherwise call each
metric's ``counts`` — one grouped query per metric. Here each metric's drill-down queryset (``records(path, start,
end)``: the records counted in the denominator — for a count metric, in the numerator — each marked
``in_numerator``) is counted, and the counts of all of them are read by one ``UNION ALL`` query: one round trip,
the same database work as the metrics' own queries for one subtree, and the figures are exactly those of
``counts`` (the registry's contract; ``tests/metrics/test_batch.py`` checks every registered metric against
:func:`fazhi.metrics.selectors.metric_compute`).

An average's numerator is a sum its records do not carry (e.g. the hours of each leader): an average is computed
by its own ``counts``, one query each.

Building and compiling the querysets costs far more than running them (the shipped city/county standard's 34
metrics on the demo city: ~60 ms against ~5 ms), and a clerk reloads the same page, so the compiled SQL with its
parameters is kept (the last 64) for the same metrics, subtree, period, day (``timezone.localdate()``, which some
metrics read) and ``FAZHI_*`` settings: a reload only runs it, and the figures still come from the records as
they are. This relies on a metric's ``records`` building the same SQL for the same arguments on the same day under
the same settings; one that reads the database while its queryset is built is noticed and never kept.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import ExitStack

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from fazhi.metrics.registry import AVERAGE, Metric, metric_value
from fazhi.metrics.selectors import OrgValue, period_check
from fazhi.orgs.models import Org


def metrics_compute_for_org(metrics: Iterable[Metric], org: Org, start: dt.date, end: dt.date) -> dict[str, OrgValue]:
    """``{code: the org subtree's figure}`` for each metric given (each computed once): one query for the rates
    and counts together, one more per average."""
    period_check(start, end)
    unique = {metric.code: metric for metric in metrics}
    counted = [metric for metric in unique.values() if metric.kind != AVERAGE]
    figures: dict[str, tuple[int, int]] = {}
    if counted:
        figures.update(_counts_together(counted, org.path, start, end))
    for metric in unique.values():
        if metric.kind == AVERAGE:
            figures[metric.code] = metric.counts([org.path], start, end).get(org.path, (0, 0))
    return {
        code: OrgValue.of(org, metric_value(metric.kind, *figures.get(code, (0, 0)))) for code, metric in unique.items()
    }


def _counts_together(metrics: list[Metric], path: str, start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """``{code: (records in the numerator, records)}`` of each metric's drill-down, by one ``UNION ALL``."""
    db, sql, params = _union_sql(metrics, path, start, end)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {metrics[index].code: (int(numerator or 0), int(total or 0)) for index, total, numerator in rows}


# The compiled SQL kept (see the module's docstring): {key: (database alias, SQL, parameters)}, the oldest first.
_SQL_KEPT = 64
_sql: OrderedDict[tuple, tuple[str, str, tuple]] = OrderedDict()
_sql_lock = threading.Lock()


def _union_sql(metrics: list[Metric], path: str, start: dt.date, end: dt.date) -> tuple[str, str, tuple]:
    key = (tuple((m.code, m.records) for m in metrics), path, start, end, timezone.localdate(), _settings_fingerprint())
    with _sql_lock:
        kept = _sql.get(key)
        if kept is not None:
            _sql.move_to_end(key)
            return kept
    read: list[str] = []

    def noted(execute, sql, params, many, context):
        read.append(sql)
        return execute(sql, params, many, context)

    arms, params, db = [], [], DEFAULT_DB_ALIAS
    with ExitStack() as watching:
        for connection in connections.all():
            watching.enter_context(connection.execute_wrapper(noted))
        for index, metric in enumerate(metrics):
            records = metric.records(path, start, end).order_by().values_list("in_numerator")
            sql, arm_params = records.query.sql_with_params()
            db = records.db
            arms.append(
                f"SELECT {index} AS metric, COUNT(*) AS total, "
                f"COALESCE(SUM(CASE WHEN counted.in_numerator THEN 1 ELSE 0 END), 0) AS numerator "
                f"FROM ({sql}) counted"
            )
            params.extend(arm_params)
    built = (db, " UNION ALL ".join(arms), tuple(params))
    if not read:
        with _sql_lock:
            _sql[key] = built
            while len(_sql) > _SQL_KEPT:
                _sql.popitem(last=False)
    return built


def _settings_fingerprint() -> tuple:
    return tuple((name, repr(getattr(settings, name))) for name in sorted(dir(settings)) if name.startswith("FAZHI_"))
