"""Reading metrics: values for many orgs at once, the drill-down to the records, and the scope.

Scope: a metric is read for an org subtree in the user's LEDGER_VIEW scope (``orgs.access``); an org outside it
is treated as one that does not exist (404 on the pages and the API). The pages, the API and ``fazhi metrics``
all go through these functions, so they give the same figures.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.errors import DomainError
from fazhi.metrics.registry import AVERAGE, COUNT, RATE, Metric, MetricValue, metric_get, metric_value, metrics
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, scope_paths
from fazhi.orgs.models import Org
from fazhi.orgs.selectors import org_find_by_code

RECORDS_PER_PAGE = 50


@dataclass(frozen=True)
class OrgValue:
    """One org's figure for a metric and a period."""

    org: Org
    numerator: int
    denominator: int | None
    value: Decimal | None

    @classmethod
    def of(cls, org: Org, result: MetricValue) -> OrgValue:
        return cls(org=org, numerator=result.numerator, denominator=result.denominator, value=result.value)


# --- the registry ---------------------------------------------------------------------------------------------


def metric_find(code: str) -> Metric | None:
    try:
        return metric_get(code.strip())
    except KeyError:
        return None


def metric_close_codes(code: str, limit: int = 5) -> list[str]:
    """Registered codes that look like ``code`` (a typo, or the name without its ledger)."""
    codes = [m.code for m in metrics()]
    code = code.strip()
    close = difflib.get_close_matches(code, codes, n=limit, cutoff=0.6)
    tail = code.rsplit(".", 1)[-1]
    close += [c for c in codes if tail and tail in c and c not in close]
    return close[:limit]


def metrics_by_ledger() -> list[tuple[str, str, list[Metric]]]:
    """``[(ledger name, ledger title, metrics)]`` in the ledgers' navigation order (unknown ledgers last)."""
    from fazhi.ledgers.common.registry import ledgers

    grouped: dict[str, list[Metric]] = defaultdict(list)
    for metric in metrics():
        grouped[metric.ledger].append(metric)
    result = []
    for info in ledgers():
        if info.name in grouped:
            result.append((info.name, str(info.title), grouped.pop(info.name)))
    for name in sorted(grouped):
        result.append((name, name, grouped[name]))
    return result


def metric_display(metric: Metric, value: Decimal | None) -> str:
    """The value as people read it: "95.37 %", "12.50", "3"; "—" when there are no records to judge by."""
    if value is None:
        return "—"
    if metric.kind == RATE:
        return f"{value} %"
    if metric.kind == COUNT:
        return str(int(value))
    return str(value)


KIND_LABELS = {RATE: gettext_lazy("Rate"), AVERAGE: gettext_lazy("Average"), COUNT: gettext_lazy("Count")}


# --- periods --------------------------------------------------------------------------------------------------


def period_default(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current year: 1 January to 31 December."""
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def period_check(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError(
            _("The period ends (%(end)s) before it starts (%(start)s).")
            % {"start": start.isoformat(), "end": end.isoformat()},
            rule="metrics.period_order",
            field="to",
        )


# --- scope ----------------------------------------------------------------------------------------------------


def metrics_visible(user) -> bool:
    return has_any_capability(user, roles.LEDGER_VIEW)


def metric_org_for_user(*, user, code: str) -> Org | None:
    """The org with this code if it lies in the user's LEDGER_VIEW scope (None otherwise: not revealed)."""
    return org_find_by_code(user=user, code=code, capability=roles.LEDGER_VIEW)


def metric_default_org(user) -> Org | None:
    """The top of the user's LEDGER_VIEW scope (the first, when there are several); a superuser's first root."""
    paths = scope_paths(user, roles.LEDGER_VIEW)
    if paths is None:
        return Org.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
    if not paths:
        return None
    return Org.objects.filter(path=paths[0]).first()


def org_children_for_metrics(org: Org) -> list[Org]:
    """The org's active direct children, in tree order: the rows of a metric's child table."""
    return list(Org.objects.filter(parent=org, is_active=True).order_by("path"))


def org_ancestors_in_scope(*, user, org: Org) -> list[Org]:
    """The org's ancestors the user may read metrics for (root first), for the breadcrumbs: one query."""
    paths = scope_paths(user, roles.LEDGER_VIEW)
    wanted = [p for p in org.ancestor_paths()[:-1] if paths is None or any(p.startswith(s) for s in paths)]
    if not wanted:
        return []
    return list(Org.objects.filter(path__in=wanted).order_by("path"))


# --- figures --------------------------------------------------------------------------------------------------


def metric_compute(metric: Metric, orgs: list[Org], start: dt.date, end: dt.date) -> list[OrgValue]:
    """Each org's figure, by one call of the metric's set-based ``counts`` for all of them."""
    period_check(start, end)
    counts = metric.counts([org.path for org in orgs], start, end)
    return [OrgValue.of(org, metric_value(metric.kind, *counts.get(org.path, (0, 0)))) for org in orgs]


def metric_records(metric: Metric, org: Org, start: dt.date, end: dt.date) -> QuerySet:
    """The records behind the org's figure, each annotated with ``in_numerator``, in a stable order."""
    period_check(start, end)
    records = metric.records(org.path, start, end)
    if _has_org(records.model):
        records = records.select_related("org")
    if not records.ordered:
        records = records.order_by("pk")
    return records


def metric_records_page(records: QuerySet, number: int, per_page: int | None = None) -> Page:
    return Paginator(records, per_page or RECORDS_PER_PAGE).get_page(number)


def metric_record_ids_page(records: QuerySet, number, per_page: int) -> Page:
    """One page of ``(id, in_numerator)`` pairs of the records, in the records' order (two queries: the count and
    the page)."""
    return Paginator(records.values_list("pk", "in_numerator"), per_page).get_page(number)


def metric_record_ids(records: QuerySet) -> tuple[list[int], list[int]]:
    """(ids of every record counted, ids of those in the numerator), by one query."""
    ids, numerator = [], []
    for pk, in_numerator in records.values_list("pk", "in_numerator"):
        ids.append(pk)
        if in_numerator:
            numerator.append(pk)
    return ids, numerator


def record_url(record) -> str | None:
    get = getattr(record, "get_absolute_url", None)
    return get() if callable(get) else None


def record_org(record) -> Org | None:
    """The record's org (selected with it by ``metric_records``), or None for a record without one."""
    return getattr(record, "org", None) if _has_org(type(record)) else None


def _has_org(model) -> bool:
    return any(f.name == "org" and f.is_relation for f in model._meta.get_fields())
