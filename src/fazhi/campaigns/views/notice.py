"""The administrator's side of the notice and naming: a campaign's objections (with the objectors' contacts:
administrators only, and each showing is audited), deciding an objection, naming the units, the designations
of the campaigns one manages with re-review and revocation for a veto event, and the certificate PDF.

The certificate downloads for the campaign's administrators and for anyone who may see the designated unit's
application (its clerks, its recommenders); the public sees the named list only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.campaigns import certificates, workflow
from fazhi.campaigns.access import campaign_get_for_user
from fazhi.campaigns.forms.notice import DecisionForm, RereviewForm, VetoRevokeForm
from fazhi.campaigns.models import DesignationStatus, ObjectionStatus
from fazhi.campaigns.selectors import notice as selectors
from fazhi.campaigns.services import designations as designation_services
from fazhi.campaigns.services import notice as notice_services
from fazhi.core.errors import DomainError


def _ctx(**context) -> dict:
    return {"section": "campaigns", **context}


@login_required
@require_GET
def objection_list(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk, manage=True)
    status = request.GET.get("status", "")
    if status not in ObjectionStatus.values:
        status = ""
    objections = selectors.objections_of(campaign, status=status or None)
    if objections:  # the contacts are personal data: showing them is recorded
        notice_services.objection_list_viewed(actor=request.user, campaign=campaign, count=len(objections))
    return render(
        request,
        "campaigns/notice/objection_list.html",
        _ctx(
            campaign=campaign,
            objections=objections,
            status=status,
            statuses=ObjectionStatus.choices,
            counts=selectors.objection_counts(campaign),
            may_decide=campaign.stage == workflow.NOTICE,
            notice_open=notice_services.notice_is_open(campaign),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_decide(request, pk: int):
    objection = selectors.objection_get_for_user(request.user, pk)
    campaign = objection.application.campaign
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decide = (
            notice_services.objection_uphold
            if form.cleaned_data["decision"] == "uphold"
            else notice_services.objection_dismiss
        )
        try:
            decide(actor=request.user, objection=objection, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The objection is decided."))
            return redirect("objection_list", campaign_pk=campaign.pk)
    return render(
        request,
        "campaigns/notice/objection_decide.html",
        _ctx(campaign=campaign, objection=objection, form=form),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_naming(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk, manage=True)
    error = None
    if request.method == "POST":
        try:
            named = designation_services.designations_name(actor=request.user, campaign=campaign)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                ngettext("%(count)d unit is named.", "%(count)d units are named.", len(named)) % {"count": len(named)},
            )
            return redirect(f"{reverse('designation_list')}?campaign={campaign.pk}")
    return render(
        request,
        "campaigns/notice/naming.html",
        _ctx(
            campaign=campaign,
            units=selectors.notice_units(campaign),
            pending=selectors.objection_counts(campaign)[ObjectionStatus.FILED],
            error=error,
            may_name=campaign.stage == workflow.NAMING
            and (campaign.notice_ends is None or campaign.notice_ends < timezone.localdate()),
        ),
        status=400 if error else 200,
    )


@login_required
@require_GET
def designation_list(request):
    campaigns = list(selectors.managed_named_campaigns(request.user))
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign", "")), None)
    status = request.GET.get("status", "")
    if status not in DesignationStatus.values:
        status = ""
    designations = list(selectors.designations_for_user(request.user, campaign=campaign, status=status or None))
    return render(
        request,
        "campaigns/notice/designation_list.html",
        _ctx(
            campaigns=campaigns,
            campaign=campaign,
            status=status,
            statuses=DesignationStatus.choices,
            designations=designations,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def designation_rereview(request, pk: int):
    designation = selectors.designation_get_for_user(request.user, pk, manage=True)
    form = RereviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            designation_services.designation_rereview(
                actor=request.user,
                designation=designation,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The re-review of %(org)s is recorded.") % {"org": designation.org})
            return redirect("designation_rereview", pk=designation.pk)
    veto_form = VetoRevokeForm(veto_items=designation.campaign.standard.veto.all())
    return _designation_page(request, designation, form, veto_form)


@login_required
@require_http_methods(["POST"])
def designation_veto(request, pk: int):
    designation = selectors.designation_get_for_user(request.user, pk, manage=True)
    veto_form = VetoRevokeForm(request.POST, veto_items=designation.campaign.standard.veto.all())
    if veto_form.is_valid():
        try:
            designation_services.designation_revoke_for_veto(
                actor=request.user,
                designation=designation,
                veto_item=veto_form.cleaned_data["veto_item"],
                reason=veto_form.cleaned_data["reason"],
            )
        except DomainError as error:
            veto_form.add_domain_error(error)
        else:
            messages.success(request, _("%(org)s's designation is revoked.") % {"org": designation.org})
            return redirect("designation_rereview", pk=designation.pk)
    return _designation_page(request, designation, RereviewForm(), veto_form, status=400)


def _designation_page(request, designation, form, veto_form, status=None):
    status = status or (400 if request.method == "POST" else 200)
    return render(
        request,
        "campaigns/notice/designation_detail.html",
        _ctx(
            designation=designation,
            campaign=designation.campaign,
            reviews=list(designation.reviews.select_related("reviewed_by")),
            form=form,
            veto_form=veto_form,
            active=designation.status == DesignationStatus.ACTIVE,
            managed=designation.campaign.stage in designation_services.MANAGED_STAGES,
        ),
        status=status,
    )


@login_required
@require_GET
def designation_certificate(request, pk: int):
    designation = selectors.designation_get_for_user(request.user, pk)
    response = HttpResponse(certificates.certificate_pdf(designation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.certificate_filename(designation)}"'
    return response


urlpatterns = [
    path("campaigns/<int:campaign_pk>/objections/", objection_list, name="objection_list"),
    path("objections/<int:pk>/decide/", objection_decide, name="objection_decide"),
    path("campaigns/<int:campaign_pk>/naming/", campaign_naming, name="campaign_naming"),
    path("designations/", designation_list, name="designation_list"),
    path("designations/<int:pk>/", designation_rereview, name="designation_rereview"),
    path("designations/<int:pk>/veto/", designation_veto, name="designation_veto"),
    path("designations/<int:pk>/certificate.pdf", designation_certificate, name="designation_certificate"),
]
