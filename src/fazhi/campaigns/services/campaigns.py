"""Campaigns: configuration — creating a campaign and changing its settings and stage dates.

Every function is one transaction and writes its audit events ("campaigns.campaign.*") in it; a broken
rule raises :class:`~fazhi.core.errors.DomainError` with a stable ``rule`` and the ``field`` at fault, and
nothing is written. ``actor=None`` is the system (the daily ``fazhi campaigns advance-due`` run, the demo);
any other actor must hold ``campaign.manage`` over the organiser.

Points: the pass score is hundredths of the 0–100 composite (60.5 is ``6050``). Stage dates are given as
``stages={stage: (opens_on, closes_on)}`` for the dated stages of :data:`fazhi.campaigns.workflow.DATED_STAGES`;
a refusal about a date names the field ``<stage>_opens`` or ``<stage>_closes``.

Moving a campaign through its stages is :mod:`fazhi.campaigns.services.stages`; its pool of reviewers and
inspectors and their declared conflicts, :mod:`fazhi.campaigns.services.pool`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignStage,
    Method,
    PoolMember,
    PoolRole,
    Stage,
)
from fazhi.campaigns.services.common import require_manager
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators.models import Standard
from fazhi.indicators.selectors import standard_get_for_user
from fazhi.orgs import roles
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

StageDates = Mapping[str, tuple[dt.date | None, dt.date | None]]


# --- helpers -------------------------------------------------------------------------------------------------


def _summary(campaign: Campaign) -> dict:
    values = {name: getattr(campaign, name) for name in SETTINGS if name != "standard"}
    return {
        **values,
        "organiser": campaign.organiser_id,
        "standard": campaign.standard_id,
        "stage": campaign.stage,
    }


def stage_dates(campaign: Campaign) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """The planned dates of every dated stage: ``{stage: (opens_on, closes_on)}``, None where not set."""
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
    require_manager(actor, organiser)
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
    require_manager(actor, campaign)
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
    old_dates = stage_dates(campaign)
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
