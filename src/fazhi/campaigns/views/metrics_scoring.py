"""Scores from records: the drill-down from an application's metric-bound leaf to the ledger records behind it,
and the reviewer's override of a computed leaf score.

The drill-down is scoped through the application, not the ledgers: the application's assigned reviewers may open
it without ``ledger.view`` over the applicant (they judge the figure), as may anyone who sees the application
(``campaigns.access.application_get_for_user``); anyone else gets a 404. It lists the records the metric counts
for the applicant's subtree over the campaign's assessment period — the figure's denominator (a count's
numerator) — each marked whether it is in the numerator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.campaigns import access
from fazhi.campaigns.forms.metrics_scoring import OverrideForm
from fazhi.campaigns.models import Application, Assignment
from fazhi.campaigns.selectors import metrics_scoring as selectors
from fazhi.campaigns.selectors.applications import campaign_indicator_ids
from fazhi.campaigns.services.metrics_scoring import leaf_score_override
from fazhi.core.errors import DomainError
from fazhi.metrics.selectors import metric_compute, metric_display, metric_records_page, record_org, record_url


def _application_for_drilldown(user, pk: int) -> Application:
    """The application for its assigned reviewer, or for anyone who may see it; 404 otherwise."""
    assignment = (
        Assignment.objects.filter(application_id=pk, reviewer_id=getattr(user, "pk", None))
        .select_related("application__campaign__organiser", "application__campaign__standard", "application__org")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if assignment is not None:
        return assignment.application
    return access.application_get_for_user(user, pk)


@login_required
@require_GET
def application_metric_records(request, pk: int, metric_code: str):
    application = _application_for_drilldown(request.user, pk)
    metric = selectors.campaign_metric(application.campaign, metric_code)
    if metric is None:
        raise Http404
    start, end = application.campaign.assessment_period
    figure = metric_compute(metric, [application.org], start, end)[0]
    page = metric_records_page(selectors.application_metric_records(application, metric), request.GET.get("page"))
    rows = [(record, record_url(record), record_org(record)) for record in page.object_list]
    return render(
        request,
        "campaigns/metrics_scoring/records.html",
        {
            "section": "reviews",
            "application": application,
            "campaign": application.campaign,
            "metric": metric,
            "figure": figure,
            "display": metric_display(metric, figure.value),
            "start": start,
            "end": end,
            "page": page,
            "rows": rows,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_leaf_override(request, pk: int, indicator_pk: int):
    assignment = access.assignment_get_for_user(request.user, pk)
    application = assignment.application
    codes = {i: c for c, i in campaign_indicator_ids(application.campaign).items()}
    code = codes.get(indicator_pk)
    figures = selectors.sheet_figures(assignment)
    if code not in figures:
        raise Http404
    leaf = selectors.campaign_metric_leaves(application.campaign)[code][0]
    form = OverrideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        take_back = request.POST.get("action") == "take_back"
        if form.is_valid() and not take_back and form.cleaned_data["score"] is None:
            form.add_error("score", _("Give the score."))
        if form.is_valid():
            try:
                leaf_score_override(
                    actor=request.user,
                    sheet=assignment.sheet,
                    code=code,
                    score=None if take_back else form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("The computed score of %(code)s is back.") % {"code": code}
                    if take_back
                    else _("The score of %(code)s is overridden.") % {"code": code},
                )
                return redirect(reverse("assignment_sheet", args=[assignment.pk]) + f"#leaf-{code}")
        status = 400
    return render(
        request,
        "campaigns/metrics_scoring/override.html",
        {
            "section": "reviews",
            "assignment": assignment,
            "application": application,
            "campaign": application.campaign,
            "leaf": leaf,
            "sheet_figure": figures[code],
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path(
        "campaigns/applications/<int:pk>/metrics/<str:metric_code>/",
        application_metric_records,
        name="application_metric_records",
    ),
    path(
        "campaigns/reviews/<int:pk>/leaves/<int:indicator_pk>/override/",
        assignment_leaf_override,
        name="assignment_leaf_override",
    ),
]
