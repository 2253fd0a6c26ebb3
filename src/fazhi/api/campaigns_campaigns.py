"""Campaigns: list, get, create, update, advance the stage, and the reviewer pool.

A campaign is named by its id; its organiser by the org's code, its scoring standard by the standard's id. The
pass score is a number on the 0–100 composite scale (60.5), stored in hundredths. Stage dates are given per
dated stage (``application`` … ``naming``) as ``{"opens_on": "2026-03-01", "closes_on": "2026-03-10"}``.
Refusals are the services' (400 with ``rule`` and ``field``): weights not adding up to 100, stages out of
order, a setting that can no longer change after launch (``campaigns.locked_field``), a stage that cannot
close yet (``campaigns.sheets_open``, ``campaigns.notice_running`` …).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fazhi.campaigns import workflow
from fazhi.campaigns.access import campaign_get_for_user
from fazhi.campaigns.selectors import campaigns as selectors
from fazhi.campaigns.services import campaigns as services
from fazhi.campaigns.services import pool as pool_services
from fazhi.campaigns.services import stages as stage_services
from fazhi.core.errors import DomainError
from fazhi.indicators.selectors import standard_get_for_user
from fazhi.orgs import roles
from fazhi.orgs.selectors import org_find_by_code

router = Router()

StageName = Literal["application", "recommendation", "review", "inspection", "notice", "naming"]


class StageDatesIn(Schema):
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None


class CampaignPatch(Schema):
    kind: str | None = None
    title: str | None = None
    batch: str | None = None
    year: int | None = None
    standard: int | None = Field(None, description="the id of a published scoring standard")
    eligible_kinds: list[str] | None = None
    eligible_levels: list[int] | None = None
    recommend_level: int | None = Field(None, description="an org level (1 province … 5 village); null: the parent")
    reviewers_per_application: int | None = None
    method: Literal["mean", "trimmed"] | None = None
    weight_review: int | None = None
    weight_inspection: int | None = None
    weight_survey: int | None = None
    pass_score: Decimal | None = Field(None, description="0–100, on the composite scale")
    quota: int | None = None
    notice_days: int | None = None
    period_start: dt.date | None = Field(None, description="the assessment period; null: the year before `year`")
    period_end: dt.date | None = None
    scores_from_records: bool | None = Field(None, description="metric-bound leaves from the ledgers (default: yes)")
    stages: dict[StageName, StageDatesIn] | None = None


class CampaignIn(CampaignPatch):
    organiser: str = Field(description="the organising org's code")
    kind: str
    title: str
    batch: str
    year: int
    standard: int
    pass_score: Decimal
    quota: int


class StageOut(Schema):
    stage: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class CampaignSummary(Schema):
    id: int
    title: str
    kind: str
    batch: str
    year: int
    organiser: str
    stage: str
    applications: dict[str, int]


class CampaignOut(Schema):
    id: int
    title: str
    kind: str
    batch: str
    year: int
    organiser: str
    standard: int
    stage: str
    eligible_kinds: list[str]
    eligible_levels: list[int]
    recommend_level: int | None
    reviewers_per_application: int
    method: str
    weight_review: int
    weight_inspection: int
    weight_survey: int
    pass_score: float
    quota: int
    notice_days: int
    notice_starts: dt.date | None
    notice_ends: dt.date | None
    period_start: dt.date = Field(description="the assessment period (the default when none was set)")
    period_end: dt.date
    scores_from_records: bool
    stages: list[StageOut]
    applications: dict[str, int]


class PoolIn(Schema):
    username: str
    role: Literal["reviewer", "inspector"] = "reviewer"


class PoolMemberOut(Schema):
    id: int
    username: str
    name: str
    role: str
    assigned: int = 0


def _score(hundredths: int) -> float:
    return hundredths / 100


def _hundredths(points: Decimal) -> int:
    return int((points * 100).to_integral_value())


def _detail(campaign) -> dict:
    values = {
        name: getattr(campaign, name)
        for name in (
            "id",
            "title",
            "kind",
            "batch",
            "year",
            "stage",
            "eligible_kinds",
            "eligible_levels",
            "recommend_level",
            "reviewers_per_application",
            "method",
            "weight_review",
            "weight_inspection",
            "weight_survey",
            "quota",
            "notice_days",
            "notice_starts",
            "notice_ends",
            "scores_from_records",
        )
    }
    return {
        **values,
        "organiser": campaign.organiser.code,
        "standard": campaign.standard_id,
        "pass_score": _score(campaign.pass_score),
        "period_start": campaign.assessment_period[0],
        "period_end": campaign.assessment_period[1],
        "stages": [
            {
                "stage": row.stage,
                "opens_on": row.opens_on,
                "closes_on": row.closes_on,
                "opened_at": row.opened_at,
                "closed_at": row.closed_at,
            }
            for row in selectors.stage_timeline(campaign)
            if row.stage in workflow.DATED_STAGES
        ],
        "applications": {s.state: s.count for s in selectors.state_counts(campaign)},
    }


def _standard(user, pk: int):
    try:
        return standard_get_for_user(user, pk)
    except Http404:
        raise DomainError(
            _("No such scoring standard."), rule="campaigns.standard_not_visible", field="standard"
        ) from None


def _service_values(user, data: dict) -> dict:
    values = dict(data)
    if "standard" in values:
        values["standard"] = _standard(user, values["standard"])
    if "pass_score" in values:
        values["pass_score"] = _hundredths(values["pass_score"])
    if "stages" in values:
        values["stages"] = {
            stage: (dates["opens_on"], dates["closes_on"]) for stage, dates in (values["stages"] or {}).items()
        }
    return values


@router.get("/campaigns", response=list[CampaignSummary], url_name="campaigns")
def campaign_list(request, stage: str = "", year: int | None = None):
    """The campaigns you may see, with the number of applications in each state."""
    return [
        {
            "id": c.pk,
            "title": c.title,
            "kind": c.kind,
            "batch": c.batch,
            "year": c.year,
            "organiser": c.organiser.code,
            "stage": c.stage,
            "applications": {s.state: s.count for s in selectors.counts_of(c)},
        }
        for c in selectors.campaign_list_for_user(request.auth, stage=stage, year=year)
    ]


@router.post("/campaigns", response={201: CampaignOut}, url_name="campaigns")
def campaign_create(request, payload: CampaignIn):
    """Create a campaign (draft stage) organised by an org where you hold ``campaign.manage``; its pool starts
    with the reviewers of the organiser's subtree."""
    data = payload.dict(exclude_unset=True)
    organiser = org_find_by_code(user=request.auth, code=data.pop("organiser"), capability=roles.CAMPAIGN_MANAGE)
    if organiser is None:
        raise DomainError(
            _("No organisation with this code where you may manage campaigns."),
            rule="campaigns.not_manager",
            field="organiser",
        )
    campaign = services.campaign_create(actor=request.auth, organiser=organiser, **_service_values(request.auth, data))
    return Status(201, _detail(campaign_get_for_user(request.auth, campaign.pk)))


@router.get("/campaigns/{int:campaign_id}", response=CampaignOut, url_name="campaign")
def campaign_get(request, campaign_id: int):
    """One campaign: its settings, stage dates and the number of applications in each state."""
    return _detail(campaign_get_for_user(request.auth, campaign_id))


@router.patch("/campaigns/{int:campaign_id}", response=CampaignOut, url_name="campaign")
def campaign_update(request, campaign_id: int, payload: CampaignPatch):
    """Change settings and stage dates (only what is sent). After launch only the dates of stages not yet
    reached, the quota and the notice period (until the notice) may change."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    services.campaign_update(
        actor=request.auth, campaign=campaign, **_service_values(request.auth, payload.dict(exclude_unset=True))
    )
    return _detail(campaign_get_for_user(request.auth, campaign_id))


@router.post("/campaigns/{int:campaign_id}/advance", response=CampaignOut, url_name="campaign_advance")
def campaign_advance(request, campaign_id: int):
    """Close the current stage and open the next one (refused, naming what is missing, when it cannot close)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    stage_services.campaign_advance(actor=request.auth, campaign=campaign)
    return _detail(campaign_get_for_user(request.auth, campaign_id))


def _member(member) -> dict:
    return {
        "id": member.pk,
        "username": member.user.username,
        "name": str(member.user),
        "role": member.role,
        "assigned": getattr(member, "assigned", 0),
    }


@router.get("/campaigns/{int:campaign_id}/pool", response=list[PoolMemberOut], url_name="campaign_pool")
def pool_list(request, campaign_id: int):
    """The campaign's pool of reviewers and inspectors, with each one's number of assignments."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    return [_member(member) for member in selectors.pool_members(campaign)]


@router.post("/campaigns/{int:campaign_id}/pool", response={201: PoolMemberOut}, url_name="campaign_pool")
def pool_add(request, campaign_id: int, payload: PoolIn):
    """Add a user who holds a reviewer's role somewhere to the pool, as reviewer or inspector."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    user = selectors.reviewer_by_username(payload.username)
    if user is None:
        raise DomainError(
            _("No user with this name holds a reviewer's role."), rule="campaigns.pool_not_reviewer", field="username"
        )
    member = pool_services.pool_add(actor=request.auth, campaign=campaign, user=user, role=payload.role)
    return Status(201, _member(member))


@router.delete(
    "/campaigns/{int:campaign_id}/pool/{int:member_id}", response={204: None}, url_name="campaign_pool_member"
)
def pool_remove(request, campaign_id: int, member_id: int):
    """Take a member out of the pool (refused once they have assignments or inspection scores)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    pool_services.pool_remove(actor=request.auth, member=selectors.pool_member_get(campaign, member_id))
    return Status(204, None)
