"""The public pages of the notice and naming (no sign-in): open notices, a campaign's notice with its units,
the objection form and its confirmation, the named units by campaign and batch, and each campaign's named list
with its SHA-256 and its canonical content for download.

Nothing personal is ever shown here: objections appear on no public page. URL parameters: ``notice_pk`` is the
campaign whose notice is shown, ``unit_pk`` an application on notice, ``named_pk`` a campaign with a named list.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.campaigns.forms.notice import ObjectionForm
from fazhi.campaigns.models import DesignationStatus
from fazhi.campaigns.selectors import notice as selectors
from fazhi.campaigns.services import notice as services
from fazhi.core.errors import DomainError
from fazhi.core.middleware import client_ip


@require_GET
def notice_list(request):
    return render(request, "portal/notice_list.html", {"campaigns": list(selectors.notices_open())})


@require_GET
def notice_detail(request, notice_pk: int):
    campaign = selectors.notice_campaign_get(notice_pk)
    today = timezone.localdate()
    is_open = services.notice_is_open(campaign, today)
    not_yet = campaign.notice_starts is not None and today < campaign.notice_starts
    return render(
        request,
        "portal/notice_detail.html",
        {
            "campaign": campaign,
            "is_open": is_open,
            "not_yet": not_yet,
            "units": selectors.notice_units(campaign) if is_open else [],
            "named": campaign.stage != "notice" and campaign.named_lists.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def objection_create(request, notice_pk: int, unit_pk: int):
    campaign = selectors.notice_campaign_get(notice_pk)
    unit = selectors.notice_unit_get(campaign, unit_pk)
    is_open = services.notice_is_open(campaign)
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.objection_file(
                    application=unit,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    reasons=form.cleaned_data["reasons"],
                    source=services.objection_source(client_ip(request)),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect("public_objection_filed", notice_pk=campaign.pk, unit_pk=unit.pk)
        status = 400
    return render(
        request,
        "portal/objection_form.html",
        {"campaign": campaign, "unit": unit, "form": form, "is_open": is_open},
        status=status,
    )


@require_GET
def objection_filed(request, notice_pk: int, unit_pk: int):
    campaign = selectors.notice_campaign_get(notice_pk)
    unit = selectors.application_public_get(campaign, unit_pk)
    return render(request, "portal/objection_filed.html", {"campaign": campaign, "unit": unit})


@require_GET
def named_list(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    batch = request.GET.get("batch", "").strip()
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "portal/named_list.html",
        {
            "campaigns": list(selectors.named_campaigns(year=year, batch=batch, query=query)),
            "year": year,
            "batch": batch,
            "query": query,
            **selectors.named_filters(),
        },
    )


@require_GET
def named_detail(request, named_pk: int):
    campaign = selectors.named_campaign_get(named_pk)
    designations = selectors.named_designations(campaign)
    versions = selectors.named_lists(campaign)
    return render(
        request,
        "portal/named_detail.html",
        {
            "campaign": campaign,
            "active": [d for d in designations if d.status == DesignationStatus.ACTIVE],
            "withdrawn": [d for d in designations if d.status != DesignationStatus.ACTIVE],
            "current": versions[0],
            "versions": versions,
        },
    )


@require_GET
def named_list_content(request, named_pk: int):
    """The canonical content of the named list (the latest, or ``?version=N``): the exact bytes its SHA-256
    covers, so that anyone can recompute it (``sha256sum list.json``)."""
    campaign = selectors.named_campaign_get(named_pk)
    try:
        number = int(request.GET["version"]) if request.GET.get("version") else None
    except ValueError:
        number = None
    named = selectors.named_list_get(campaign, number)
    response = HttpResponse(named.content.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="named-list-{campaign.pk}-v{named.number}.json"'
    response["X-Content-SHA256"] = named.sha256
    return response


urlpatterns = [
    path("notices/", notice_list, name="public_notice_list"),
    path("notices/<int:notice_pk>/", notice_detail, name="public_notice_detail"),
    path("notices/<int:notice_pk>/object/<int:unit_pk>/", objection_create, name="public_objection_create"),
    path("notices/<int:notice_pk>/object/<int:unit_pk>/filed/", objection_filed, name="public_objection_filed"),
    path("named/", named_list, name="public_named_list"),
    path("named/<int:named_pk>/", named_detail, name="public_named_detail"),
    path("named/<int:named_pk>/list.json", named_list_content, name="public_named_list_content"),
]
