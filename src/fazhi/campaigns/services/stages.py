"""Campaigns: moving a campaign through its stages — by hand, or by the daily run when a stage's planned
closing date has passed — once what the current stage needs is done.

Every function is one transaction and writes its audit events ("campaigns.campaign.stage_advanced") in it; a
stage that may not close yet is refused with a :class:`~fazhi.core.errors.DomainError` naming what is missing.
``actor=None`` is the system (the daily ``fazhi campaigns advance-due`` run, the demo); any other actor must hold
``campaign.manage`` over the organiser. Entering the notice stage starts the notice period and puts the passed
units within the quota on notice (:mod:`fazhi.campaigns.services.notice`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Assignment,
    Campaign,
    CampaignStage,
    Objection,
    ObjectionStatus,
    ResultVersion,
    SheetStatus,
    Stage,
)
from fazhi.campaigns.services.campaigns import stage_dates
from fazhi.campaigns.services.common import locked, require_manager
from fazhi.campaigns.services.notice import notice_ends_on, notice_fill
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators.models import Standard

# How many names a refusal lists before "and N more".
LIST_AT_MOST = 10


def _names(items: list[str], total: int | None = None) -> str:
    """Up to ten names, then "and N more"."""
    total = len(items) if total is None else total
    shown = "、".join(items[:LIST_AT_MOST])
    if total > LIST_AT_MOST:
        more = total - LIST_AT_MOST
        shown += ngettext(" and %(count)d more", " and %(count)d more", more) % {"count": more}
    return shown


# --- stages -------------------------------------------------------------------------------------------------


def campaign_missing(campaign: Campaign) -> list[str]:
    """What the configuration still lacks before the campaign may open for applications (for people)."""
    missing = []
    if campaign.standard.status != Standard.Status.PUBLISHED:
        missing.append(_("a published scoring standard"))
    dates = stage_dates(campaign)
    for stage in workflow.DATED_STAGES:
        opens, closes = dates[stage]
        if not opens or not closes:
            missing.append(_("the dates of the %(stage)s stage") % {"stage": Stage(stage).label})
    return missing


def _open_sheets(campaign: Campaign) -> list[str]:
    open_assignments = (
        Assignment.objects.filter(application__campaign=campaign)
        .exclude(sheet__status=SheetStatus.SUBMITTED)
        .select_related("reviewer", "application__org")
        .order_by("application__org__path", "reviewer__username")
    )
    total = open_assignments.count()
    if not total:
        return []
    rows = [f"{a.reviewer} → {a.application.org}" for a in open_assignments[:LIST_AT_MOST]]
    return [_names(rows, total)]


def _latest_published(campaign: Campaign) -> ResultVersion | None:
    return ResultVersion.objects.filter(campaign=campaign, published_at__isnull=False).order_by("-number").first()


def _check_can_leave(campaign: Campaign, *, today: dt.date) -> None:
    """Refuse (naming what is missing) unless the campaign may leave its current stage."""
    stage = campaign.stage
    if stage == workflow.DRAFT:
        missing = campaign_missing(campaign)
        if missing:
            raise DomainError(
                _("The campaign cannot open for applications yet; it still needs: %(missing)s.")
                % {"missing": "；".join(missing)},
                rule="campaigns.incomplete",
            )
    elif stage == workflow.REVIEW:
        still_open = _open_sheets(campaign)
        if still_open:
            raise DomainError(
                _("Review cannot close while score sheets are not submitted: %(open)s.") % {"open": still_open[0]},
                rule="campaigns.sheets_open",
            )
    elif stage == workflow.INSPECTION:
        if _latest_published(campaign) is None:
            raise DomainError(
                _("The notice cannot start before results are published."), rule="campaigns.results_unpublished"
            )
    elif stage == workflow.NOTICE:
        if campaign.notice_ends is None or today <= campaign.notice_ends:
            raise DomainError(
                _("The public notice runs until %(date)s: naming may start the day after.")
                % {"date": campaign.notice_ends.isoformat() if campaign.notice_ends else "?"},
                rule="campaigns.notice_running",
            )
        filed = list(
            Objection.objects.filter(application__campaign=campaign, status=ObjectionStatus.FILED)
            .select_related("application__org")
            .order_by("filed_at")
        )
        if filed:
            raise DomainError(
                _("Objections are still to be decided: %(objections)s.")
                % {"objections": _names([str(o.application.org) for o in filed])},
                rule="campaigns.objections_open",
            )
    elif stage == workflow.NAMING:
        waiting = list(
            Application.objects.filter(campaign=campaign, state=ApplicationState.ON_NOTICE)
            .select_related("org")
            .order_by("org__path")
        )
        if waiting:
            raise DomainError(
                _("Units on notice are still to be named or removed: %(units)s.")
                % {"units": _names([str(a.org) for a in waiting])},
                rule="campaigns.still_on_notice",
            )


def campaign_advance_problem(campaign: Campaign, *, today: dt.date | None = None) -> str | None:
    """Why the campaign cannot move to its next stage now (for the confirm page), or None."""
    if workflow.next_stage(campaign.stage) is None:
        return _("The campaign is closed: it has no next stage.")
    try:
        _check_can_leave(campaign, today=today or timezone.localdate())
    except DomainError as refused:
        return refused.message
    return None


@transaction.atomic
def campaign_advance(*, actor, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """Move the campaign to its next stage once the current one may close; record when each closed and
    opened. Entering the notice stage starts the notice period today and puts the passed units within the
    quota on notice."""
    campaign = locked(Campaign, campaign.pk)
    require_manager(actor, campaign)
    today = today or timezone.localdate()
    old = campaign.stage
    new = workflow.next_stage(old)
    if new is None:
        raise DomainError(_("The campaign is closed: it has no next stage."), rule="campaigns.closed")
    _check_can_leave(campaign, today=today)
    now = timezone.now()
    CampaignStage.objects.filter(campaign=campaign, stage=old).update(closed_at=now)
    entered, _created = CampaignStage.objects.get_or_create(campaign=campaign, stage=new)
    entered.opened_at = now
    entered.save(update_fields=["opened_at"])
    campaign.stage = new
    extra = {}
    if new == workflow.NOTICE:
        campaign.notice_starts = today
        campaign.notice_ends = notice_ends_on(today, campaign.notice_days)
        extra = {
            "notice_starts": campaign.notice_starts,
            "notice_ends": campaign.notice_ends,
            "on_notice": [a.pk for a in notice_fill(actor=actor, campaign=campaign)],
        }
    campaign.save()
    audit_record(
        actor=actor,
        action="campaigns.campaign.stage_advanced",
        obj=campaign,
        old={"stage": old},
        new={"stage": new, **extra},
    )
    return campaign


@dataclass
class AdvanceReport:
    moved: list[tuple[Campaign, str, str]] = field(default_factory=list)  # (campaign, from, to)
    blocked: list[tuple[Campaign, str, str]] = field(default_factory=list)  # (campaign, stage, why)


def campaigns_due(*, today: dt.date):
    """Launched, unfinished campaigns whose current stage's planned closing date is before ``today``."""
    due = CampaignStage.objects.filter(closes_on__lt=today, stage=F("campaign__stage")).values("campaign")
    return (
        Campaign.objects.filter(pk__in=due)
        .exclude(stage__in=[workflow.DRAFT, workflow.CLOSED])
        .select_related("organiser", "standard")
        .order_by("pk")
    )


def campaigns_advance_due(*, today: dt.date) -> AdvanceReport:
    """Advance (as the system) every campaign whose current stage was planned to close before ``today``, as
    far as its dates and preconditions allow; a campaign whose precondition fails stays and is reported."""
    report = AdvanceReport()
    for campaign in campaigns_due(today=today):
        for _step in workflow.STAGES:
            current = campaign.stage
            row = CampaignStage.objects.filter(campaign=campaign, stage=current).first()
            if current == workflow.CLOSED or row is None or row.closes_on is None or row.closes_on >= today:
                break
            try:
                campaign = campaign_advance(actor=None, campaign=campaign, today=today)
            except DomainError as refused:
                report.blocked.append((campaign, current, refused.message))
                break
            report.moved.append((campaign, current, campaign.stage))
    return report
