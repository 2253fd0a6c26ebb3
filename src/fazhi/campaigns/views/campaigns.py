"""The campaign pages: the list, create and edit, the administrator's dashboard (settings, stage timeline,
progress by state and by org with a chart), advancing the stage (with a confirm page), the reviewer pool,
and a reviewer's own conflict declarations.

Campaigns are fetched through :mod:`fazhi.campaigns.access` (404 outside the user's sight, 403 for managing
without ``campaign.manage`` over the organiser); reads go through :mod:`fazhi.campaigns.selectors.campaigns`
and every change through :mod:`fazhi.campaigns.services.campaigns` (configuration),
:mod:`~fazhi.campaigns.services.stages` and :mod:`~fazhi.campaigns.services.pool`. Participants (clerks,
recommenders, reviewers) see a reduced detail page: the title, the stages and their dates, and what they may do
next.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.campaigns import workflow
from fazhi.campaigns.access import campaign_get_for_user, can_manage, can_view_all
from fazhi.campaigns.forms.campaigns import CampaignForm, ConflictForm, PoolAddForm
from fazhi.campaigns.models import Stage
from fazhi.campaigns.selectors import campaigns as selectors
from fazhi.campaigns.services import campaigns as services
from fazhi.campaigns.services import pool as pool_services
from fazhi.campaigns.services import stages as stage_services
from fazhi.campaigns.services.notice import notice_ends_on
from fazhi.core.errors import DomainError
from fazhi.indicators.models import Standard
from fazhi.indicators.selectors import standards_for_user
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, scope_paths


def _ctx(**context) -> dict:
    return {"section": "campaigns", **context}


def _standards(user) -> list[Standard]:
    return list(standards_for_user(user, status=Standard.Status.PUBLISHED))


@login_required
@require_GET
def campaign_list(request):
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    campaigns = selectors.campaign_list_for_user(request.user, stage=stage)
    # Counts of applications only for those who see every application of the campaign (its administrators).
    rows = [
        {
            "campaign": c,
            "counts": [s for s in selectors.counts_of(c) if s.count]
            if has_capability(request.user, roles.CAMPAIGN_VIEW, c.organiser)
            else None,
        }
        for c in campaigns
    ]
    return render(
        request,
        "campaigns/campaigns/campaign_list.html",
        _ctx(
            rows=rows,
            stage=stage,
            stages=Stage.choices,
            can_create=has_any_capability(request.user, roles.CAMPAIGN_MANAGE),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    if not has_any_capability(request.user, roles.CAMPAIGN_MANAGE):
        raise PermissionDenied
    organisers = selectors.organiser_choices(request.user)
    standards = _standards(request.user)
    form = CampaignForm(
        request.POST or None,
        organisers=organisers,
        standards=standards,
        initial={
            "reviewers_per_application": services.campaign_defaults()["reviewers_per_application"],
            "notice_days": services.campaign_defaults()["notice_days"],
            "weight_review": 100,
            "weight_inspection": 0,
            "weight_survey": 0,
            "method": "mean",
        },
    )
    if request.method == "POST" and form.is_valid():
        organiser = next(org for org in organisers if str(org.pk) == form.cleaned_data["organiser"])
        try:
            campaign = services.campaign_create(
                actor=request.user,
                organiser=organiser,
                **form.service_values({str(s.pk): s for s in standards}),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(campaign)s created as a draft.") % {"campaign": campaign})
            return redirect("campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/campaigns/campaign_form.html",
        _ctx(form=form, heading=_("New campaign"), button=_("Create"), campaign=None),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk, manage=True)
    standards = _standards(request.user)
    if campaign.standard not in standards:
        standards.append(campaign.standard)
    dates = selectors.stage_dates(campaign)
    form = CampaignForm(
        request.POST or None,
        standards=standards,
        locked=services.locked_fields(campaign),
        initial=CampaignForm.initial_for(campaign, dates),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=request.user, campaign=campaign, **form.service_values({str(s.pk): s for s in standards})
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The settings of %(campaign)s are saved.") % {"campaign": campaign})
            return redirect("campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/campaigns/campaign_form.html",
        _ctx(form=form, heading=_("Edit %(campaign)s") % {"campaign": campaign}, button=_("Save"), campaign=campaign),
        status=400 if request.method == "POST" else 200,
    )


def _holds_in_area(user, capability: str, campaign) -> bool:
    """Whether ``user`` holds ``capability`` over some org of the campaign's area (or above it)."""
    paths = scope_paths(user, capability)
    area = campaign.organiser.path
    return paths is None or any(path.startswith(area) or area.startswith(path) for path in paths)


def _next_steps(user, campaign) -> list[str]:
    """What a participant may do in the current stage (words; the links are the other areas' pages)."""
    steps = []
    stage = campaign.stage
    if stage in {workflow.APPLICATION, workflow.RECOMMENDATION}:
        if _holds_in_area(user, roles.APPLICATION_EDIT, campaign):
            steps.append(_("Applications are open: prepare your unit's self-assessment and evidence, then submit it."))
        if _holds_in_area(user, roles.APPLICATION_RECOMMEND, campaign):
            steps.append(_("Recommend, return or turn down the applications of your area."))
    if stage == workflow.REVIEW and selectors.is_pool_member(user, campaign):
        steps.append(_("Review is open: score the applications assigned to you."))
    if stage == workflow.NOTICE:
        steps.append(_("The proposed units are on public notice."))
    if stage == workflow.NAMING and can_manage(user, campaign):
        if selectors.is_named(campaign):
            steps.append(
                _("The units are named: re-review a designation when needed, and advance to Closed when done.")
            )
        else:
            steps.append(
                _(
                    "The notice is over: name the units on the Naming page, which gives each a certificate number "
                    "and publishes the list of named units."
                )
            )
    return steps


@login_required
@require_GET
def campaign_detail(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk)
    full = can_view_all(request.user, campaign)
    context = _ctx(
        campaign=campaign,
        full=full,
        may_manage=can_manage(request.user, campaign),
        timeline=selectors.stage_timeline(campaign),
        next_stage=Stage(workflow.next_stage(campaign.stage)).label if workflow.next_stage(campaign.stage) else None,
        in_pool=selectors.is_pool_member(request.user, campaign),
        next_steps=_next_steps(request.user, campaign),
    )
    if full:
        by_org = selectors.progress_by_org(campaign)
        states = selectors.state_counts(campaign)
        shown = [s for s in states if s.count] or states[:2]
        context.update(
            states=states,
            by_org=by_org,
            org_states=shown,
            org_rows=[{"progress": p, "cells": [p.counts.get(s.state, 0) for s in shown]} for p in by_org],
            chart={
                "orgs": [p.label for p in by_org],
                "series": [{"name": str(s.label), "data": [p.counts.get(s.state, 0) for p in by_org]} for s in shown],
            },
            pool_size=len(selectors.pool_members(campaign)),
        )
    return render(request, "campaigns/campaigns/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_advance(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk, manage=True)
    target = workflow.next_stage(campaign.stage)
    problem = None
    if request.method == "POST":
        try:
            stage_services.campaign_advance(actor=request.user, campaign=campaign)
        except DomainError as error:
            problem = error.message
        else:
            campaign.refresh_from_db()
            messages.success(
                request,
                _("%(campaign)s is now in the %(stage)s stage.")
                % {"campaign": campaign, "stage": Stage(campaign.stage).label},
            )
            return redirect("campaign_detail", campaign.pk)
    else:
        problem = stage_services.campaign_advance_problem(campaign)
    return render(
        request,
        "campaigns/campaigns/campaign_advance.html",
        _ctx(
            campaign=campaign,
            current=Stage(campaign.stage).label,
            target=Stage(target).label if target else None,
            problem=problem,
            entering_notice=target == workflow.NOTICE,
            notice_ends=notice_ends_on(timezone.localdate(), campaign.notice_days),
        ),
        status=400 if problem and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_pool(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk, manage=True)
    query = request.GET.get("q", "")
    candidates = selectors.pool_candidates(campaign, query)
    form = PoolAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        user = selectors.reviewer_user(request.POST.get("user"))
        form = PoolAddForm(request.POST, candidates=[*candidates, *([user] if user else [])])
        if form.is_valid() and user is not None:
            try:
                pool_services.pool_add(actor=request.user, campaign=campaign, user=user, role=form.cleaned_data["role"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("%(user)s added to the pool.") % {"user": user})
                return redirect("campaign_pool", campaign.pk)
    return render(
        request,
        "campaigns/campaigns/campaign_pool.html",
        _ctx(
            campaign=campaign,
            members=selectors.pool_members(campaign),
            conflicts=selectors.conflicts_of(campaign),
            form=form,
            query=query,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def campaign_pool_remove(request, pk: int, member_pk: int):
    campaign = campaign_get_for_user(request.user, pk, manage=True)
    member = selectors.pool_member_get(campaign, member_pk)
    try:
        pool_services.pool_remove(actor=request.user, member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(user)s removed from the pool.") % {"user": member.user})
    return redirect("campaign_pool", campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_conflict_declare(request, pk: int):
    campaign = campaign_get_for_user(request.user, pk)
    if not selectors.is_pool_member(request.user, campaign):
        raise PermissionDenied
    orgs = selectors.conflict_orgs(campaign)
    form = ConflictForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        org = next(org for org in orgs if str(org.pk) == form.cleaned_data["org"])
        try:
            pool_services.conflict_declare(
                actor=request.user, campaign=campaign, org=org, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Conflict with %(org)s declared.") % {"org": org})
            return redirect("campaign_conflict_declare", campaign.pk)
    return render(
        request,
        "campaigns/campaigns/conflict_declare.html",
        _ctx(campaign=campaign, form=form, conflicts=selectors.conflicts_of(campaign, reviewer=request.user)),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def campaign_conflict_remove(request, pk: int, conflict_pk: int):
    campaign = campaign_get_for_user(request.user, pk)
    conflict = selectors.conflict_get(campaign, conflict_pk)
    manager = can_manage(request.user, campaign)
    if conflict.reviewer_id != request.user.pk and not manager:
        raise Http404
    try:
        pool_services.conflict_remove(actor=request.user, conflict=conflict)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Conflict with %(org)s withdrawn.") % {"org": conflict.org})
    if conflict.reviewer_id != request.user.pk:
        return redirect("campaign_pool", campaign.pk)
    return redirect("campaign_conflict_declare", campaign.pk)


urlpatterns = [
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/advance/", campaign_advance, name="campaign_advance"),
    path("campaigns/<int:pk>/pool/", campaign_pool, name="campaign_pool"),
    path("campaigns/<int:pk>/pool/<int:member_pk>/remove/", campaign_pool_remove, name="campaign_pool_remove"),
    path("campaigns/<int:pk>/conflicts/", campaign_conflict_declare, name="campaign_conflict_declare"),
    path(
        "campaigns/<int:pk>/conflicts/<int:conflict_pk>/remove/",
        campaign_conflict_remove,
        name="campaign_conflict_remove",
    ),
]
