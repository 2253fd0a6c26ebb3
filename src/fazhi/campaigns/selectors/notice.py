"""Reading the public notice, objections, designations and named lists.

Public readers (no sign-in) get only what is public: campaigns that have reached the notice stage, the units on
notice with their composite and rank, the named units and the named lists. Objections (with the objector's
contact) and designations for management are read through the ``*_for_user`` functions, scoped to the campaigns
the user manages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from fazhi.campaigns import workflow
from fazhi.campaigns.access import applications_for_user, can_manage
from fazhi.campaigns.models import (
    Application,
    ApplicationResult,
    ApplicationState,
    Campaign,
    Designation,
    DesignationStatus,
    NamedList,
    Objection,
    ObjectionStatus,
    ResultVersion,
)
from fazhi.orgs import roles
from fazhi.orgs.access import scope_q

# Stages in which a campaign's notice is public (open, or over).
NOTICE_PUBLIC_STAGES = (workflow.NOTICE, workflow.NAMING, workflow.CLOSED)


# --- the public notice ---------------------------------------------------------------------------


def notices_open(today: dt.date | None = None):
    """Campaigns whose public notice is open today."""
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(stage=workflow.NOTICE, notice_starts__lte=today, notice_ends__gte=today)
        .select_related("organiser")
        .annotate(units=Count("applications", filter=Q(applications__state=ApplicationState.ON_NOTICE)))
        .order_by("notice_ends", "pk")
    )


def notice_campaign_get(pk) -> Campaign:
    """A campaign whose notice is public (the notice stage or later); 404 otherwise."""
    try:
        return Campaign.objects.select_related("organiser").get(pk=pk, stage__in=NOTICE_PUBLIC_STAGES)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _latest_published(campaign_ref) -> Subquery:
    return Subquery(
        ResultVersion.objects.filter(campaign=campaign_ref, published_at__isnull=False)
        .order_by("-number")
        .values("pk")[:1]
    )


def notice_units(campaign: Campaign) -> list[Application]:
    """The units on notice, with ``composite`` and ``rank`` from the latest published results (one query)."""
    results = ApplicationResult.objects.filter(
        application=OuterRef("pk"), version=_latest_published(OuterRef("application__campaign"))
    )
    return list(
        Application.objects.filter(campaign=campaign, state=ApplicationState.ON_NOTICE)
        .select_related("org")
        .annotate(
            composite=Subquery(results.values("composite")[:1]),
            rank=Subquery(results.values("rank")[:1]),
        )
        .order_by(F("rank").asc(nulls_last=True), "org__code")
    )


def notice_unit_get(campaign: Campaign, pk) -> Application:
    """A unit on notice in ``campaign`` (404 otherwise)."""
    try:
        return Application.objects.select_related("org", "campaign").get(
            pk=pk, campaign=campaign, state=ApplicationState.ON_NOTICE
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_application_get(pk) -> Application:
    """An application of a campaign whose notice is public, in any state (the service then says whether it may
    be objected to); 404 for any other."""
    try:
        return Application.objects.select_related("org", "campaign").get(
            pk=pk, campaign__stage__in=NOTICE_PUBLIC_STAGES
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def application_public_get(campaign: Campaign, pk) -> Application:
    """An application of ``campaign`` whose unit was on notice at some time (for the confirmation page)."""
    try:
        return Application.objects.select_related("org").get(
            pk=pk,
            campaign=campaign,
            state__in=(ApplicationState.ON_NOTICE, ApplicationState.NAMED, ApplicationState.REMOVED),
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- objections (administrators) -----------------------------------------------------------------


def objections_of(campaign: Campaign, *, status: str | None = None) -> list[Objection]:
    objections = Objection.objects.filter(application__campaign=campaign).select_related(
        "application__org", "decided_by"
    )
    if status:
        objections = objections.filter(status=status)
    return list(objections.order_by("-filed_at", "-pk"))


def objection_counts(campaign: Campaign) -> dict[str, int]:
    rows = (
        Objection.objects.filter(application__campaign=campaign)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(ObjectionStatus.values, 0)
    counts.update(dict(rows))
    return counts


def objection_get_for_user(user, pk) -> Objection:
    """An objection of a campaign ``user`` manages: 404 when the user cannot see the campaign's objections
    at all (not an administrator over the organiser), so that no objection's existence is revealed."""
    try:
        objection = Objection.objects.select_related("application__campaign__organiser", "application__org").get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, objection.application.campaign):
        raise Http404
    return objection


# --- designations --------------------------------------------------------------------------------


def designations_for_user(user, *, campaign: Campaign | None = None, status: str | None = None):
    """Designations of the campaigns ``user`` manages."""
    if not getattr(user, "is_authenticated", False):
        return Designation.objects.none()
    designations = Designation.objects.filter(scope_q(user, roles.CAMPAIGN_MANAGE, "campaign__organiser__path"))
    if campaign is not None:
        designations = designations.filter(campaign=campaign)
    if status:
        designations = designations.filter(status=status)
    return designations.select_related("campaign", "org").order_by("-campaign__year", "campaign", "certificate_number")


def managed_named_campaigns(user):
    """Campaigns the user manages that have designations (for the filter of the designations page)."""
    return (
        Campaign.objects.filter(scope_q(user, roles.CAMPAIGN_MANAGE, "organiser__path"))
        .filter(Exists(Designation.objects.filter(campaign=OuterRef("pk"))))
        .order_by("-year", "title")
    )


def designation_get_for_user(user, pk, *, manage: bool = False) -> Designation:
    """A designation the user may see: the campaign's administrators and anyone who may see the designated
    unit's application (404 otherwise); with ``manage``, 403 for those who may only see it."""
    try:
        designation = Designation.objects.select_related(
            "campaign__organiser", "campaign__standard", "org", "application"
        ).get(pk=pk)
    except (Designation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    manager = can_manage(user, designation.campaign)
    if not manager and not applications_for_user(user).filter(pk=designation.application_id).exists():
        raise Http404
    if manage and not manager:
        raise PermissionDenied
    return designation


# --- named units (public) ------------------------------------------------------------------------


def named_campaigns(*, year: int | None = None, batch: str = "", query: str = ""):
    """Campaigns with a published named list, newest first, with counts of active and withdrawn units."""
    campaigns = (
        Campaign.objects.filter(Exists(NamedList.objects.filter(campaign=OuterRef("pk"))))
        .select_related("organiser")
        .annotate(
            active=Count("designations", filter=Q(designations__status=DesignationStatus.ACTIVE)),
            withdrawn=Count("designations", filter=~Q(designations__status=DesignationStatus.ACTIVE)),
        )
    )
    if year:
        campaigns = campaigns.filter(year=year)
    if batch:
        campaigns = campaigns.filter(batch=batch)
    if query:
        campaigns = campaigns.filter(Q(title__icontains=query) | Q(organiser__name__icontains=query))
    return campaigns.order_by("-year", "title", "pk")


def named_filters() -> dict:
    published = Campaign.objects.filter(Exists(NamedList.objects.filter(campaign=OuterRef("pk"))))
    return {
        "years": sorted(set(published.values_list("year", flat=True)), reverse=True),
        "batches": sorted(set(published.values_list("batch", flat=True))),
    }


def named_campaign_get(pk) -> Campaign:
    try:
        return Campaign.objects.select_related("organiser").get(
            Exists(NamedList.objects.filter(campaign=OuterRef("pk"))), pk=pk
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def named_designations(campaign: Campaign) -> list[Designation]:
    return list(campaign.designations.select_related("org").order_by("certificate_number"))


def named_lists(campaign: Campaign) -> list[NamedList]:
    return list(campaign.named_lists.order_by("-number").only("pk", "campaign_id", "number", "sha256", "published_at"))


def named_list_get(campaign: Campaign, number: int | None = None) -> NamedList:
    """A version of the campaign's named list (the latest when ``number`` is None); 404 if there is none."""
    lists = campaign.named_lists.order_by("-number")
    found = lists.filter(number=number).first() if number is not None else lists.first()
    if found is None:
        raise Http404
    return found
