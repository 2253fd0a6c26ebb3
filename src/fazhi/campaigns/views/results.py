"""The results pages: a campaign's results and ranking (the latest version, or any published one), the
compute (a background job with a progress bar) and publish buttons, and the exports.

Administrators of the campaign (``campaign.manage``) see every version, unpublished ones included, with
the reviewer outlier flags; leaders (``campaign.view``) read published versions only; clerks and other
participants get 403; everyone else 404. Every change goes through :mod:`fazhi.campaigns.services.results`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fazhi.campaigns import access, exports
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.exports import CONTENT_TYPES, FORMATS
from fazhi.campaigns.selectors import results as selectors
from fazhi.campaigns.services import results as services
from fazhi.core.errors import DomainError


def _format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _download(data: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_GET
def results_page(request, pk: int):
    campaign = selectors.results_campaign_get_for_user(request.user, pk)
    manager = access.can_manage(request.user, campaign)
    versions = list(selectors.versions_for_user(request.user, campaign))
    version = versions[0] if versions else None
    wanted = request.GET.get("version")
    if wanted:
        version = next((v for v in versions if str(v.number) == wanted), None)
        if version is None:
            raise Http404
    rows = list(selectors.version_rows(version)) if version else []
    tops = list(campaign.standard.indicators.filter(parent__isnull=True).order_by("position", "pk"))
    names = selectors.outlier_names(rows) if manager else {}
    for row in rows:
        row.subtotal_list = [row.subtotals.get(top.code) for top in tops]
        row.outlier_names = [names.get(pk, str(pk)) for pk in row.outliers] if manager else []
    weighted_missing = []
    if rows and campaign.weight_inspection and any(r.inspection_component is None for r in rows):
        weighted_missing.append(_("on-site inspection"))
    if rows and campaign.weight_survey and any(r.survey_component is None for r in rows):
        weighted_missing.append(_("satisfaction survey"))
    return render(
        request,
        "campaigns/results/results.html",
        {
            "section": "campaigns",
            "campaign": campaign,
            "versions": versions,
            "version": version,
            "rows": rows,
            "tops": tops,
            "manager": manager,
            "may_compute": manager and campaign.stage in (wf.INSPECTION, wf.NOTICE, wf.NAMING),
            "weighted_missing": weighted_missing,
            "formats": FORMATS,
        },
    )


@login_required
@require_POST
def results_compute(request, pk: int):
    campaign = selectors.results_campaign_get_for_user(request.user, pk, manage=True)
    try:
        job = services.results_compute_start(
            actor=request.user, campaign=campaign, reason=request.POST.get("reason", "")[:1000]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("results_page", campaign.pk)
    return redirect("job_detail", job.pk)


@login_required
@require_POST
def results_publish(request, version_pk: int):
    version = selectors.version_get_for_user(request.user, version_pk, manage=True)
    try:
        services.results_publish(actor=request.user, version=version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect("results_page", version.campaign_id)


@login_required
@require_GET
def results_export(request, version_pk: int):
    version = selectors.version_get_for_user(request.user, version_pk)
    fmt = _format(request)
    data, name = exports.results_export(version, fmt)
    return _download(data, name, fmt)


@login_required
@require_GET
def results_sheets_export(request, pk: int):
    campaign = selectors.results_campaign_get_for_user(request.user, pk, manage=True)
    fmt = _format(request)
    data, name = exports.sheets_export(campaign, fmt)
    return _download(data, name, fmt)


urlpatterns = [
    path("campaigns/<int:pk>/results/", results_page, name="results_page"),
    path("campaigns/<int:pk>/results/compute/", results_compute, name="results_compute"),
    path("campaigns/<int:pk>/results/sheets/", results_sheets_export, name="results_sheets_export"),
    path("campaigns/results/<int:version_pk>/publish/", results_publish, name="results_publish"),
    path("campaigns/results/<int:version_pk>/export/", results_export, name="results_export"),
]
