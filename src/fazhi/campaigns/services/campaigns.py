"""Campaigns: configuration, stages, the reviewer pool and declared conflicts.

Every function is one transaction and writes its audit events ("campaigns.campaign.*") in it; a broken
rule raises :class:`~fazhi.core.errors.DomainError` with a stable ``rule`` and the ``field`` at fault, and
nothing is written. ``actor=None`` is the system (the daily ``fazhi campaigns advance-due`` run, the demo);
any other actor must hold ``campaign.manage`` over the organiser, except for declaring a conflict, which a
pool member does for themselves.

Points: the pass score is hundredths of the 0–100 composite (60.5 is ``6050``). Stage dates are given as
``stages={stage: (opens_on, closes_on)}`` for the dated stages of :data:`fazhi.campaigns.workflow.DATED_STAGES`;
a refusal about a date names the field ``<stage>_opens`` or ``<stage>_closes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Assignment,
    Campaign,
    CampaignKind,
    CampaignStage,
    Conflict,
    InspectionScore,
    Method,
    Objection,
    ObjectionStatus,
    PoolMember,
    PoolRole,
    ResultVersion,
    SheetStatus,
    Stage,
)
from fazhi.campaigns.services.common import locked
from fazhi.campaigns.services.notice import notice_ends_on, notice_fill
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators.models import Standard
from fazhi.indicators.selectors import standard_get_for_user
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability
from fazhi.orgs.models import Membership, OrgKind, OrgLevel, subtree_q

UNCHANGED = object()

# The settings a campaign carries (besides its organiser and its stage dates), in form order.
SETTINGS = (
    "kind",
    "title",
    "batch",
    "year",
    "standard",
    "eligible_kinds",
    "eligible_levels",
    "recommend_level",
    "reviewers_per_application",
    "method",
    "weight_review",
    "weight_inspection",
    "weight_survey",
    "pass_score",
    "quota",
    "notice_days",
    "period_start",
    "period_end",
    "scores_from_records",
)
WEIGHTS = ("weight_review", "weight_inspection", "weight_survey")
# What may still change once the campaign has left the draft stage, and until which stage.
CHANGEABLE_UNTIL = {"quota": workflow.NOTICE, "notice_days": workflow.NOTICE}
# How many names a refusal lists before "and N more".
LIST_AT_MOST = 10

StageDates = Mapping[str, tuple[dt.date | None, dt.date | None]]


# --- helpers -------------------------------------------------------------------------------------------------


def _require_manager(actor, campaign_or_org) -> None:
    if actor is None:
        return
    organiser = campaign_or_org.organiser if isinstance(campaign_or_org, Campaign) else campaign_or_org
    if not has_capability(actor, roles.CAMPAIGN_MANAGE, organiser):
        raise DomainError(
            _("Only an administrator of %(org)s may manage its campaigns.") % {"org": organiser},
            rule="campaigns.not_manager",
            field="organiser",
        )


def _names(items: list[str], total: int | None = None) -> str:
    """Up to ten names, then "and N more"."""
    total = len(items) if total is None else total
    shown = "、".join(items[:LIST_AT_MOST])
    if total > LIST_AT_MOST:
        more = total - LIST_AT_MOST
        shown += ngettext(" and %(count)d more", " and %(count)d more", more) % {"count": more}
    return shown


def _summary(campaign: Campaign) -> dict:
    values = {name: getattr(campaign, name) for name in SETTINGS if name != "standard"}
    return {
        **values,
        "organiser": campaign.organiser_id,
        "standard": campaign.standard_id,
        "stage": campaign.stage,
    }


def _stage_dates(campaign: Campaign) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    rows = {row.stage: row for row in campaign.stages.all()}
    return {
        stage: (rows[stage].opens_on, rows[stage].closes_on) if stage in rows else (None, None)
        for stage in workflow.DATED_STAGES
    }


def _dates_json(dates: Mapping) -> dict:
    return {stage: [opens, closes] for stage, (opens, closes) in dates.items() if opens or closes}


def _int_between(values: dict, name: str, low: int, high: int | None, rule: str, message: str) -> None:
    value = values[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        raise DomainError(message, rule=rule, field=name)


# --- validation of a whole configuration ------------------------------------------------------------------


def _validate_period(values: dict) -> None:
    """The assessment period: both dates or neither (neither: the calendar year before the campaign's year),
    the end not before the start."""
    start, end = values.get("period_start"), values.get("period_end")
    if (start is None) != (end is None):
        raise DomainError(
            _("Give both dates of the assessment period, or neither (the year before the campaign's year)."),
            rule="campaigns.period_incomplete",
            field="period_end" if end is None else "period_start",
        )
    if start is not None and end < start:
        raise DomainError(
            _("The assessment period ends (%(end)s) before it starts (%(start)s).")
            % {"start": start.isoformat(), "end": end.isoformat()},
            rule="campaigns.period_order",
            field="period_end",
        )


def _validate_settings(values: dict, *, organiser) -> None:
    if values["kind"] not in CampaignKind.values:
        raise DomainError(_("Choose a kind of campaign."), rule="campaigns.kind", field="kind")
    for name, message in (("title", _("The title is required.")), ("batch", _("The batch is required."))):
        if not (values[name] or "").strip():
            raise DomainError(message, rule=f"campaigns.{name}", field=name)
    _int_between(values, "year", 2000, 2100, "campaigns.year", _("The year must be between 2000 and 2100."))
    for name in WEIGHTS:
        _int_between(values, name, 0, 100, "campaigns.weight_range", _("Each weight must be between 0 and 100."))
    total = sum(values[name] for name in WEIGHTS)
    if total != 100:
        raise DomainError(
            _("The weights must add up to 100; they add up to %(total)d.") % {"total": total},
            rule="campaigns.weights_sum",
            field="weight_review",
        )
    _int_between(values, "pass_score", 0, 10000, "campaigns.pass_score", _("The pass score must be between 0 and 100."))
    _int_between(values, "quota", 1, None, "campaigns.quota", _("The quota must be at least 1."))
    _int_between(values, "notice_days", 1, 365, "campaigns.notice_days", _("The notice period must be 1 to 365 days."))
    _int_between(
        values,
        "reviewers_per_application",
        1,
        100,
        "campaigns.reviewers",
        _("Each application needs at least one reviewer."),
    )
    if values["method"] not in Method.values:
        raise DomainError(_("Choose an aggregation method."), rule="campaigns.method", field="method")
    _validate_period(values)
    minimum = settings.FAZHI_TRIMMED_MIN_SHEETS
    if values["method"] == Method.TRIMMED and values["reviewers_per_application"] < minimum:
        raise DomainError(
            _(
                "The trimmed mean drops the highest and the lowest score, so it needs at least %(min)d "
                "reviewers per application."
            )
            % {"min": minimum},
            rule="campaigns.trimmed_reviewers",
            field="reviewers_per_application",
        )
    _validate_eligibility(values, organiser=organiser)


def _validate_eligibility(values: dict, *, organiser) -> None:
    kinds, levels = values["eligible_kinds"], values["eligible_levels"]
    if not isinstance(kinds, list | tuple) or any(kind not in OrgKind.values for kind in kinds):
        raise DomainError(
            _("An org kind that may apply is not a known kind."),
            rule="campaigns.eligible_kinds",
            field="eligible_kinds",
        )
    if not isinstance(levels, list | tuple) or any(level not in OrgLevel.values for level in levels):
        raise DomainError(
            _("A level that may apply is not a known level."),
            rule="campaigns.eligible_levels",
            field="eligible_levels",
        )
    recommend = values["recommend_level"]
    if recommend is None:
        return
    # Levels are numbered from the top (province 1 … village 5): "above" is a smaller number.
    applying = levels or [level for level in OrgLevel.values if level > organiser.level]
    if recommend not in OrgLevel.values or recommend < organiser.level or any(recommend >= lv for lv in applying):
        raise DomainError(
            _(
                "The recommending level must be above every level that may apply, and not above the "
                "organising org (%(org)s)."
            )
            % {"org": organiser},
            rule="campaigns.recommend_level",
            field="recommend_level",
        )


def _validate_standard(standard: Standard, *, actor) -> None:
    if actor is not None:
        try:
            standard_get_for_user(actor, standard.pk)
        except Http404:
            raise DomainError(
                _("No such scoring standard."), rule="campaigns.standard_not_visible", field="standard"
            ) from None
    if standard.status != Standard.Status.PUBLISHED:
        raise DomainError(
            _("%(standard)s is %(status)s: a campaign needs a published scoring standard.")
            % {"standard": standard, "status": standard.get_status_display()},
            rule="campaigns.standard_not_published",
            field="standard",
        )


def _validate_dates(dates: Mapping) -> None:
    previous_closes, previous_stage = None, None
    for stage in workflow.DATED_STAGES:
        opens, closes = dates.get(stage, (None, None))
        label = Stage(stage).label
        if opens and closes and opens > closes:
            raise DomainError(
                _("The %(stage)s stage closes before it opens.") % {"stage": label},
                rule="campaigns.stage_dates",
                field=f"{stage}_closes",
            )
        if opens and previous_closes and opens < previous_closes:
            raise DomainError(
                _("The %(stage)s stage cannot open before the %(previous)s stage closes (%(date)s).")
                % {"stage": label, "previous": Stage(previous_stage).label, "date": previous_closes.isoformat()},
                rule="campaigns.stage_order",
                field=f"{stage}_opens",
            )
        if closes:
            previous_closes, previous_stage = closes, stage


def _clean_dates(stages: StageDates | None) -> dict:
    cleaned = {}
    for stage, pair in (stages or {}).items():
        if stage not in workflow.DATED_STAGES:
            raise DomainError(
                _("%(stage)s is not a stage with dates.") % {"stage": stage}, rule="campaigns.stage_unknown"
            )
        opens, closes = pair
        cleaned[stage] = (opens, closes)
    return cleaned


def _write_dates(campaign: Campaign, dates: Mapping) -> None:
    rows = {row.stage: row for row in CampaignStage.objects.filter(campaign=campaign)}
    for stage in workflow.DATED_STAGES:
        opens, closes = dates.get(stage, (None, None))
        row = rows.get(stage)
        if row is None:
            CampaignStage.objects.create(campaign=campaign, stage=stage, opens_on=opens, closes_on=closes)
        elif (row.opens_on, row.closes_on) != (opens, closes):
            row.opens_on, row.closes_on = opens, closes
            row.save(update_fields=["opens_on", "closes_on"])


# --- create and update ------------------------------------------------------------------------------------


def campaign_defaults() -> dict:
    return {
        "eligible_kinds": [],
        "eligible_levels": [],
        "recommend_level": None,
        "reviewers_per_application": settings.FAZHI_CAMPAIGN_REVIEWERS,
        "method": Method.MEAN,
        "weight_review": 100,
        "weight_inspection": 0,
        "weight_survey": 0,
        "notice_days": settings.FAZHI_NOTICE_DAYS,
    }


def _seed_pool(campaign: Campaign) -> int:
    """Put every active user holding ``review.score`` on an org inside the organiser's subtree in the pool."""
    users = (
        Membership.objects.filter(
            subtree_q(campaign.organiser.path, "org__path"),
            role__in=roles.roles_with(roles.REVIEW_SCORE),
            org__is_active=True,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    members = [PoolMember(campaign=campaign, user_id=user, role=PoolRole.REVIEWER) for user in sorted(set(users))]
    PoolMember.objects.bulk_create(members)
    return len(members)


@transaction.atomic
def campaign_create(
    *,
    actor,
    organiser,
    kind: str,
    title: str,
    batch: str,
    year: int,
    standard: Standard,
    pass_score: int,
    quota: int,
    eligible_kinds: list[str] | None = None,
    eligible_levels: list[int] | None = None,
    recommend_level: int | None = None,
    reviewers_per_application: int | None = None,
    method: str | None = None,
    weight_review: int | None = None,
    weight_inspection: int | None = None,
    weight_survey: int | None = None,
    notice_days: int | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    scores_from_records: bool = True,
    stages: StageDates | None = None,
) -> Campaign:
    """A new campaign in the draft stage, its stage dates, and its pool seeded with the reviewers of the
    organiser's subtree."""
    _require_manager(actor, organiser)
    given = {
        "kind": kind,
        "title": (title or "").strip(),
        "batch": (batch or "").strip(),
        "year": year,
        "standard": standard,
        "pass_score": pass_score,
        "quota": quota,
        "eligible_kinds": eligible_kinds,
        "eligible_levels": eligible_levels,
        "recommend_level": recommend_level,
        "reviewers_per_application": reviewers_per_application,
        "method": method,
        "weight_review": weight_review,
        "weight_inspection": weight_inspection,
        "weight_survey": weight_survey,
        "notice_days": notice_days,
        "period_start": period_start,
        "period_end": period_end,
        "scores_from_records": bool(scores_from_records),
    }
    values = {**campaign_defaults(), **{name: value for name, value in given.items() if value is not None}}
    values["eligible_kinds"], values["eligible_levels"] = (
        list(values["eligible_kinds"]),
        list(values["eligible_levels"]),
    )
    _validate_standard(standard, actor=actor)
    _validate_settings(values, organiser=organiser)
    dates = _clean_dates(stages)
    _validate_dates(dates)
    campaign = Campaign.objects.create(
        organiser=organiser, stage=Stage.DRAFT, created_by=actor if actor is not None else None, **values
    )
    _write_dates(campaign, dates)
    pool = _seed_pool(campaign)
    audit_record(
        actor=actor,
        action="campaigns.campaign.created",
        obj=campaign,
        new=_summary(campaign) | {"stages": _dates_json(dates), "pool": pool},
    )
    return campaign


def _refuse_locked(campaign: Campaign, name: str) -> None:
    raise DomainError(
        _("The campaign is in the %(stage)s stage: %(field)s can no longer change.")
        % {"stage": Stage(campaign.stage).label, "field": _field_label(name)},
        rule="campaigns.locked_field",
        field=name,
    )


def _field_label(name: str) -> str:
    if name.endswith(("_opens", "_closes")):
        stage, which = name.rsplit("_", 1)
        label = _("opening date") if which == "opens" else _("closing date")
        return f"{Stage(stage).label} · {label}"
    return str(Campaign._meta.get_field(name).verbose_name)


def _check_changeable(campaign: Campaign, changed: set[str], old_dates: dict, new_dates: dict) -> None:
    """After launch only the dates of stages not yet reached change, and the quota and notice period
    until the notice stage; everything else only in the draft."""
    if campaign.stage == workflow.DRAFT:
        return
    for name in SETTINGS:
        if name not in changed:
            continue
        until = CHANGEABLE_UNTIL.get(name)
        if until is None or workflow.stage_reached(campaign.stage, until):
            _refuse_locked(campaign, name)
    for stage in workflow.DATED_STAGES:
        (old_opens, old_closes), (new_opens, new_closes) = old_dates[stage], new_dates.get(stage, (None, None))
        if workflow.stage_reached(campaign.stage, stage):
            if old_opens != new_opens:
                _refuse_locked(campaign, f"{stage}_opens")
            if old_closes != new_closes:
                _refuse_locked(campaign, f"{stage}_closes")


def locked_fields(campaign: Campaign) -> set[str]:
    """The form fields the campaign's stage no longer lets change (for showing them disabled)."""
    if campaign.stage == workflow.DRAFT:
        return set()
    names = {
        name
        for name in SETTINGS
        if CHANGEABLE_UNTIL.get(name) is None or workflow.stage_reached(campaign.stage, CHANGEABLE_UNTIL[name])
    }
    names |= {"organiser"}
    for stage in workflow.DATED_STAGES:
        if workflow.stage_reached(campaign.stage, stage):
            names |= {f"{stage}_opens", f"{stage}_closes"}
    return names


@transaction.atomic
def campaign_update(
    *,
    actor,
    campaign: Campaign,
    kind=UNCHANGED,
    title=UNCHANGED,
    batch=UNCHANGED,
    year=UNCHANGED,
    standard=UNCHANGED,
    eligible_kinds=UNCHANGED,
    eligible_levels=UNCHANGED,
    recommend_level=UNCHANGED,
    reviewers_per_application=UNCHANGED,
    method=UNCHANGED,
    weight_review=UNCHANGED,
    weight_inspection=UNCHANGED,
    weight_survey=UNCHANGED,
    pass_score=UNCHANGED,
    quota=UNCHANGED,
    notice_days=UNCHANGED,
    period_start=UNCHANGED,
    period_end=UNCHANGED,
    scores_from_records=UNCHANGED,
    stages: StageDates | None = None,
) -> Campaign:
    """Change settings and stage dates (``stages`` replaces the dates of the stages it names)."""
    campaign = Campaign.objects.select_for_update().select_related("organiser", "standard").get(pk=campaign.pk)
    _require_manager(actor, campaign)
    given = {
        "kind": kind,
        "title": title,
        "batch": batch,
        "year": year,
        "standard": standard,
        "eligible_kinds": eligible_kinds,
        "eligible_levels": eligible_levels,
        "recommend_level": recommend_level,
        "reviewers_per_application": reviewers_per_application,
        "method": method,
        "weight_review": weight_review,
        "weight_inspection": weight_inspection,
        "weight_survey": weight_survey,
        "pass_score": pass_score,
        "quota": quota,
        "notice_days": notice_days,
        "period_start": period_start,
        "period_end": period_end,
        "scores_from_records": scores_from_records,
    }
    old = _summary(campaign)
    values = {name: getattr(campaign, name) for name in SETTINGS}
    changed = set()
    for name, value in given.items():
        if value is UNCHANGED:
            continue
        if name in {"title", "batch"}:
            value = (value or "").strip()
        if name in {"eligible_kinds", "eligible_levels"}:
            value = list(value or [])
        current = values[name]
        if (value.pk if name == "standard" else value) != (current.pk if name == "standard" else current):
            changed.add(name)
        values[name] = value
    if campaign.stage == workflow.CLOSED and (changed or stages):
        raise DomainError(_("The campaign is closed: nothing can change."), rule="campaigns.closed")
    old_dates = _stage_dates(campaign)
    new_dates = {**old_dates, **_clean_dates(stages)}
    _check_changeable(campaign, changed, old_dates, new_dates)
    if "standard" in changed:
        _validate_standard(values["standard"], actor=actor)
    _validate_settings(values, organiser=campaign.organiser)
    _validate_dates(new_dates)
    if not changed and new_dates == old_dates:
        return campaign
    for name in changed:
        setattr(campaign, name, values[name])
    campaign.save()
    _write_dates(campaign, new_dates)
    old_json, new_json = _dates_json(old_dates), _dates_json(new_dates)
    audit_record(
        actor=actor,
        action="campaigns.campaign.updated",
        obj=campaign,
        old={name: old[name] for name in changed} | ({"stages": old_json} if old_json != new_json else {}),
        new={name: _summary(campaign)[name] for name in changed}
        | ({"stages": new_json} if old_json != new_json else {}),
    )
    return campaign


# --- stages -------------------------------------------------------------------------------------------------


def campaign_missing(campaign: Campaign) -> list[str]:
    """What the configuration still lacks before the campaign may open for applications (for people)."""
    missing = []
    if campaign.standard.status != Standard.Status.PUBLISHED:
        missing.append(_("a published scoring standard"))
    dates = _stage_dates(campaign)
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
    _require_manager(actor, campaign)
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


# --- the pool of reviewers and inspectors, and conflicts ---------------------------------------------------------


@transaction.atomic
def pool_add(*, actor, campaign: Campaign, user, role: str = PoolRole.REVIEWER) -> PoolMember:
    """Put a user who may score (``review.score`` somewhere) in the campaign's pool."""
    campaign = locked(Campaign, campaign.pk)
    _require_manager(actor, campaign)
    if campaign.stage == workflow.CLOSED:
        raise DomainError(_("The campaign is closed: its pool cannot change."), rule="campaigns.closed")
    if role not in PoolRole.values:
        raise DomainError(_("Choose reviewer or inspector."), rule="campaigns.pool_role", field="role")
    if not user.is_active or not has_any_capability(user, roles.REVIEW_SCORE):
        raise DomainError(
            _("%(user)s does not hold a reviewer's role anywhere.") % {"user": user},
            rule="campaigns.pool_not_reviewer",
            field="user",
        )
    if PoolMember.objects.filter(campaign=campaign, user=user, role=role).exists():
        raise DomainError(
            _("%(user)s is already in the pool as %(role)s.") % {"user": user, "role": PoolRole(role).label},
            rule="campaigns.pool_duplicate",
            field="user",
        )
    member = PoolMember.objects.create(campaign=campaign, user=user, role=role)
    audit_record(
        actor=actor,
        action="campaigns.campaign.reviewer_added",
        obj=campaign,
        new={"user": user.pk, "username": user.get_username(), "role": role},
    )
    return member


@transaction.atomic
def pool_remove(*, actor, member: PoolMember) -> None:
    """Take a user out of the pool, unless they already have work in the campaign."""
    member = PoolMember.objects.select_related("campaign__organiser", "user").get(pk=member.pk)
    campaign = locked(Campaign, member.campaign_id)
    _require_manager(actor, campaign)
    if member.role == PoolRole.REVIEWER:
        busy = Assignment.objects.filter(application__campaign=campaign, reviewer=member.user_id).exists()
    else:
        busy = InspectionScore.objects.filter(application__campaign=campaign, inspector=member.user_id).exists()
    if busy:
        raise DomainError(
            _("%(user)s already has work in this campaign and cannot leave its pool.") % {"user": member.user},
            rule="campaigns.pool_assigned",
            field="user",
        )
    audit_record(
        actor=actor,
        action="campaigns.campaign.reviewer_removed",
        obj=campaign,
        old={"user": member.user_id, "username": member.user.get_username(), "role": member.role},
    )
    member.delete()


@transaction.atomic
def conflict_declare(*, actor, campaign: Campaign, org, reason: str) -> Conflict:
    """A pool member declares, for themselves, a conflict of interest with ``org`` (and its subtree)."""
    campaign = locked(Campaign, campaign.pk)
    if actor is None or not PoolMember.objects.filter(campaign=campaign, user=actor).exists():
        raise DomainError(
            _("Only a member of the campaign's pool may declare a conflict."), rule="campaigns.conflict_not_pool"
        )
    if campaign.stage == workflow.CLOSED:
        raise DomainError(_("The campaign is closed."), rule="campaigns.closed")
    organiser = campaign.organiser
    if not org.path.startswith(organiser.path):
        raise DomainError(
            _("%(org)s is outside the campaign's area.") % {"org": org}, rule="campaigns.conflict_org", field="org"
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the conflict."), rule="campaigns.conflict_reason", field="reason")
    if Conflict.objects.filter(campaign=campaign, reviewer=actor, org=org).exists():
        raise DomainError(
            _("You have already declared a conflict with %(org)s.") % {"org": org},
            rule="campaigns.conflict_duplicate",
            field="org",
        )
    conflict = Conflict.objects.create(campaign=campaign, reviewer=actor, org=org, reason=reason)
    audit_record(
        actor=actor,
        action="campaigns.campaign.conflict_declared",
        obj=campaign,
        new={"reviewer": actor.pk, "org": org.pk, "org_name": org.name, "reason": reason},
    )
    return conflict


@transaction.atomic
def conflict_remove(*, actor, conflict: Conflict) -> None:
    """Withdraw a declared conflict: the reviewer themselves, or an administrator of the campaign."""
    conflict = Conflict.objects.select_related("campaign__organiser", "org").get(pk=conflict.pk)
    if actor is not None and conflict.reviewer_id != actor.pk:
        _require_manager(actor, conflict.campaign)
    audit_record(
        actor=actor,
        action="campaigns.campaign.conflict_removed",
        obj=conflict.campaign,
        old={"reviewer": conflict.reviewer_id, "org": conflict.org_id, "reason": conflict.reason},
    )
    conflict.delete()
