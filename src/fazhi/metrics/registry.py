"""The registry of metrics: a code, a title, a documented formula, and two functions over the ledgers.

``counts(paths, start, end)`` answers for many org subtrees at once, by set-based queries (a handful per metric,
whatever the number of orgs): ``{path: (numerator, denominator)}`` for every path given, records whose date falls
in ``[start, end]`` (each metric's docstring says which date). ``records(path, start, end)`` is the drill-down: a
queryset of the records counted in the denominator (for a ``count`` metric: in the numerator), annotated with a
boolean ``in_numerator``; each record has ``__str__`` and ``get_absolute_url``.

The value is derived in one place (``metric_value``): a rate is numerator ÷ denominator × 100 rounded half up to
0.01 (None when the denominator is 0: "no records", which is not 0 %); an average is numerator ÷ denominator
rounded half up to 0.01 (e.g. study hours ÷ people); a count is the numerator. A scoring standard's ``ratio`` leaf
takes a value in [0, 1]: a rate is divided by 100 when it feeds one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATE, AVERAGE, COUNT = "rate", "average", "count"


@dataclass(frozen=True)
class MetricValue:
    value: Decimal | None
    numerator: int
    denominator: int | None  # None for a count


@dataclass(frozen=True)
class Metric:
    code: str  # "<ledger>.<name>", e.g. "disputes.mediation_success_rate"
    title: str  # lazy translation
    formula: str  # lazy translation: the formula in people's words, shown on the metric's page
    kind: str  # RATE, AVERAGE or COUNT
    ledger: str  # the ledger's name
    counts: Callable[[Sequence[str], dt.date, dt.date], dict[str, tuple[int, int]]]
    records: Callable[[str, dt.date, dt.date], object]


def metric_value(kind: str, numerator: int, denominator: int) -> MetricValue:
    if kind == COUNT:
        return MetricValue(Decimal(numerator), numerator, None)
    if not denominator:
        return MetricValue(None, numerator, denominator)
    scale = 100 if kind == RATE else 1
    value = (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return MetricValue(value, numerator, denominator)


_METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.code in _METRICS:
        raise ValueError(f"metric {metric.code} is registered twice")
    _METRICS[metric.code] = metric
    return metric


def metric_get(code: str) -> Metric:
    """The metric, or KeyError."""
    return _METRICS[code]


def metrics() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.code)
