"""The metric pages under /metrics/: the registry, and one metric for an org subtree and a period.

A metric's page computes the chosen org's figure and its child orgs' figures in one set-based call of the
metric's ``counts``, and lists the records behind the chosen org's figure (paginated, the numerator's marked).
Readers need LEDGER_VIEW somewhere (403 otherwise); an org outside their scope is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from fazhi.core.xlsx import xlsx_response
from fazhi.metrics import exports, selectors
from fazhi.metrics.forms import MetricFilterForm


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _require_reader(user) -> None:
    if not selectors.metrics_visible(user):
        raise PermissionDenied


def _metric_or_404(code: str):
    metric = selectors.metric_find(code)
    if metric is None:
        raise Http404
    return metric


def _filter(request) -> MetricFilterForm:
    """The filter bound to the query string, the missing parts filled with the defaults (the top of the user's
    scope, the current year)."""
    start, end = selectors.period_default(timezone.localdate())
    default_org = selectors.metric_default_org(request.user)
    data = {"org": default_org.code if default_org else "", "from": start.isoformat(), "to": end.isoformat()}
    data.update({key: value for key, value in request.GET.items() if key in data and value.strip()})
    return MetricFilterForm(data)


def _chosen(request):
    """(form, metric-ready filter or None): 404 when the org named lies outside the user's scope."""
    form = _filter(request)
    if not form.is_valid():
        return form, None
    org = selectors.metric_org_for_user(user=request.user, code=form.cleaned_data["org"])
    if org is None:
        raise Http404
    return form, (org, form.cleaned_data["from"], form.cleaned_data["to"])


@login_required
@require_GET
def metric_list(request):
    _require_reader(request.user)
    return render(request, "metrics/metric_list.html", {"section": "metrics", "groups": selectors.metrics_by_ledger()})


@login_required
@require_GET
def metric_detail(request, metric_code: str):
    _require_reader(request.user)
    metric = _metric_or_404(metric_code)
    form, chosen = _chosen(request)
    context = {"section": "metrics", "metric": metric, "form": form, "kind": selectors.KIND_LABELS[metric.kind]}
    if chosen is not None:
        org, start, end = chosen
        children = selectors.org_children_for_metrics(org)
        total, *rows = selectors.metric_compute(metric, [org, *children], start, end)
        records = selectors.metric_records(metric, org, start, end)
        page = selectors.metric_records_page(records, _page_number(request))
        context.update(
            org=org,
            start=start,
            end=end,
            total=total,
            display=selectors.metric_display(metric, total.value),
            rows=[(row, selectors.metric_display(metric, row.value)) for row in rows],
            ancestors=selectors.org_ancestors_in_scope(user=request.user, org=org),
            page=page,
            records=[
                (record, selectors.record_url(record), selectors.record_org(record)) for record in page.object_list
            ],
        )
        if request.htmx and request.GET.get("page"):
            return render(request, "metrics/metric_detail.html#records", context)
    return render(request, "metrics/metric_detail.html", context)


@login_required
@require_GET
def metric_export(request, metric_code: str):
    """The child-org table (the chosen org first, as the total) as XLSX."""
    _require_reader(request.user)
    metric = _metric_or_404(metric_code)
    form, chosen = _chosen(request)
    if chosen is None:  # the page shows what is wrong with the filter
        context = {"section": "metrics", "metric": metric, "form": form, "kind": selectors.KIND_LABELS[metric.kind]}
        return render(request, "metrics/metric_detail.html", context, status=400)
    org, start, end = chosen
    children = selectors.org_children_for_metrics(org)
    values = selectors.metric_compute(metric, [org, *children], start, end)
    data = exports.metric_table_xlsx(metric, values, start, end)
    return xlsx_response(data, f"{metric.code}-{org.code}-{start.isoformat()}-{end.isoformat()}.xlsx")


urlpatterns = [
    path("", metric_list, name="metric_list"),
    path("<str:metric_code>/", metric_detail, name="metric_detail"),
    path("<str:metric_code>/export.xlsx", metric_export, name="metric_export"),
]
