"""Public notice, objections, naming and designations.

Public (no credentials, ``auth=None``): the open notices, a campaign's units on notice, filing an objection, and
a campaign's named list with its SHA-256. The rest needs the campaign's administrators: the objections with the
objectors' contacts (each reading is audited), deciding them, naming, the designations and their re-review.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Literal

from ninja import Router, Schema, Status

from fazhi.campaigns.access import campaign_get_for_user
from fazhi.campaigns.models import NamedList
from fazhi.campaigns.selectors import notice as selectors
from fazhi.campaigns.services import designations as designation_services
from fazhi.campaigns.services import notice as notice_services
from fazhi.core.middleware import client_ip

router = Router()


class NoticeOut(Schema):
    id: int
    title: str
    batch: str
    year: int
    organiser: str
    notice_starts: date
    notice_ends: date
    units: int

    @staticmethod
    def resolve_organiser(campaign) -> str:
        return campaign.organiser.name


class UnitOut(Schema):
    application: int
    name: str
    code: str
    composite: float | None
    rank: int | None


class NoticeDetailOut(Schema):
    id: int
    title: str
    notice_starts: date | None
    notice_ends: date | None
    open: bool
    units: list[UnitOut]


class ObjectionIn(Schema):
    name: str
    contact: str
    reasons: str


class ObjectionFiled(Schema):
    id: int
    status: str


class ObjectionOut(Schema):
    id: int
    application: int
    unit: str
    name: str
    contact: str
    reasons: str
    status: str
    filed_at: datetime
    decision_reason: str
    decided_at: datetime | None

    @staticmethod
    def resolve_application(objection) -> int:
        return objection.application_id

    @staticmethod
    def resolve_unit(objection) -> str:
        return objection.application.org.name


class DecisionIn(Schema):
    decision: Literal["uphold", "dismiss"]
    reason: str


class DesignationOut(Schema):
    id: int
    application: int
    unit: str
    code: str
    certificate_number: str
    named_at: datetime
    status: str
    status_reason: str
    status_changed_at: datetime | None

    @staticmethod
    def resolve_application(designation) -> int:
        return designation.application_id

    @staticmethod
    def resolve_unit(designation) -> str:
        return designation.org.name

    @staticmethod
    def resolve_code(designation) -> str:
        return designation.org.code


class RereviewIn(Schema):
    outcome: Literal["keep", "revoke", "cancel"]
    reason: str


class NamedListOut(Schema):
    campaign: int
    version: int
    sha256: str
    published_at: datetime
    content: str  # the canonical JSON text whose UTF-8 bytes the SHA-256 covers
    list: dict  # the same, parsed


def _named_list_out(named: NamedList) -> dict:
    return {
        "campaign": named.campaign_id,
        "version": named.number,
        "sha256": named.sha256,
        "published_at": named.published_at,
        "content": named.content,
        "list": json.loads(named.content),
    }


@router.get("/campaigns/notices", response=list[NoticeOut], auth=None, url_name="notice_list")
def notice_list(request):
    """Campaigns whose public notice is open today (public)."""
    return list(selectors.notices_open())


@router.get("/campaigns/{int:campaign_id}/notice", response=NoticeDetailOut, auth=None, url_name="notice_detail")
def notice_detail(request, campaign_id: int):
    """A campaign's notice: its period, whether it is open, and the units on notice while it is (public)."""
    campaign = selectors.notice_campaign_get(campaign_id)
    is_open = notice_services.notice_is_open(campaign)
    units = selectors.notice_units(campaign) if is_open else []
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "notice_starts": campaign.notice_starts,
        "notice_ends": campaign.notice_ends,
        "open": is_open,
        "units": [
            {
                "application": a.pk,
                "name": a.org.name,
                "code": a.org.code,
                "composite": None if a.composite is None else a.composite / 100,
                "rank": a.rank,
            }
            for a in units
        ],
    }


@router.post(
    "/applications/{int:application_id}/objections",
    response={201: ObjectionFiled},
    auth=None,
    url_name="objection_file",
)
def objection_file(request, application_id: int, payload: ObjectionIn):
    """File an objection against a unit on notice (public, no credentials; rate-limited per address). The
    contact is seen only by the campaign's administrators."""
    unit = selectors.public_application_get(application_id)
    objection = notice_services.objection_file(
        application=unit,
        name=payload.name,
        contact=payload.contact,
        reasons=payload.reasons,
        source=notice_services.objection_source(client_ip(request)),
    )
    return Status(201, {"id": objection.pk, "status": objection.status})


@router.get("/campaigns/{int:campaign_id}/objections", response=list[ObjectionOut], url_name="objection_list")
def objection_list(request, campaign_id: int, status: str = ""):
    """The campaign's objections with the objectors' contacts (administrators; each reading is audited)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    objections = selectors.objections_of(campaign, status=status or None)
    if objections:
        notice_services.objection_list_viewed(actor=request.auth, campaign=campaign, count=len(objections))
    return objections


@router.post("/campaigns/objections/{int:objection_id}/decide", response=ObjectionOut, url_name="objection_decide")
def objection_decide(request, objection_id: int, payload: DecisionIn):
    """Uphold (the unit is removed and the results recomputed) or dismiss an objection, with a reason."""
    objection = selectors.objection_get_for_user(request.auth, objection_id)
    decide = notice_services.objection_uphold if payload.decision == "uphold" else notice_services.objection_dismiss
    decide(actor=request.auth, objection=objection, reason=payload.reason)
    return selectors.objection_get_for_user(request.auth, objection_id)


@router.post("/campaigns/{int:campaign_id}/name", response={201: list[DesignationOut]}, url_name="designations_name")
def designations_name(request, campaign_id: int):
    """Name every unit on notice (naming stage, after the notice, every objection decided)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    named = designation_services.designations_name(actor=request.auth, campaign=campaign)
    return Status(201, named)


@router.get("/campaigns/{int:campaign_id}/designations", response=list[DesignationOut], url_name="designation_list")
def designation_list(request, campaign_id: int, status: str = ""):
    """The campaign's designations (its administrators)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    return list(selectors.designations_for_user(request.auth, campaign=campaign, status=status or None))


@router.post(
    "/campaigns/designations/{int:designation_id}/rereview",
    response=DesignationOut,
    url_name="designation_rereview",
)
def designation_rereview(request, designation_id: int, payload: RereviewIn):
    """Re-review a designation: keep, revoke or cancel, with a reason. Revoking or cancelling publishes a new
    version of the named list."""
    designation = selectors.designation_get_for_user(request.auth, designation_id, manage=True)
    designation_services.designation_rereview(
        actor=request.auth, designation=designation, outcome=payload.outcome, reason=payload.reason
    )
    return selectors.designation_get_for_user(request.auth, designation_id)


@router.get("/campaigns/{int:campaign_id}/named-list", response=NamedListOut, auth=None, url_name="named_list")
def named_list(request, campaign_id: int, version: int | None = None):
    """A campaign's published list of named units (the latest version, or ``version``) with the SHA-256 of its
    canonical content (public)."""
    campaign = selectors.named_campaign_get(campaign_id)
    return _named_list_out(selectors.named_list_get(campaign, version))
