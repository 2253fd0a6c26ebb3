"""Naming and dynamic management: designations, certificate numbers, the published named list.

**Certificate numbers** are ``<organiser code>-<year>-<campaign id>-<serial>``, e.g. ``990101-2026-12-001``: the
organising org's code, the campaign's year, the campaign's id (so that two campaigns of one organiser in one year
never collide) and a 3-digit serial (more digits past 999), gap-free within the campaign, given in the order of
the latest published ranking (then by the unit's code).

**The named list** is published as a numbered :class:`NamedList` version whose ``content`` is canonical JSON
(sorted keys, ``ensure_ascii=False``, separators ``(",", ":")``, UTF-8) and whose ``sha256`` is the SHA-256 of
those UTF-8 bytes. Anyone can download the content and recompute the hash. The content holds the campaign (id,
title, kind, batch, year), the version number, the active ``units`` (name, code, certificate number, named date)
and the ``withdrawn`` ones (the same, with the status and the date of the change). Every revocation or
cancellation publishes a new version; the older versions stay readable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Application,
    ApplicationResult,
    ApplicationState,
    Campaign,
    Designation,
    DesignationReview,
    DesignationStatus,
    NamedList,
    Objection,
    ObjectionStatus,
    RereviewOutcome,
    Veto,
    VetoStatus,
)
from fazhi.campaigns.services.common import check_transition, locked, require_stage
from fazhi.campaigns.services.notice import latest_published_version
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError

# Stages in which named units are managed (re-review, revocation).
MANAGED_STAGES = (workflow.NAMING, workflow.CLOSED)


def certificate_number(campaign: Campaign, serial: int) -> str:
    return f"{campaign.organiser.code}-{campaign.year}-{campaign.pk}-{serial:03d}"


def canonical_json(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _local_date(moment: dt.datetime | None) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


def named_list_content(campaign: Campaign, number: int) -> dict:
    designations = list(campaign.designations.select_related("org").order_by("certificate_number"))

    def unit(d: Designation) -> dict:
        return {
            "name": d.org.name,
            "code": d.org.code,
            "certificate_number": d.certificate_number,
            "named_on": _local_date(d.named_at),
        }

    return {
        "campaign": {
            "id": campaign.pk,
            "title": campaign.title,
            "kind": campaign.kind,
            "batch": campaign.batch,
            "year": campaign.year,
        },
        "version": number,
        "units": [unit(d) for d in designations if d.status == DesignationStatus.ACTIVE],
        "withdrawn": [
            {**unit(d), "status": d.status, "changed_on": _local_date(d.status_changed_at)}
            for d in designations
            if d.status != DesignationStatus.ACTIVE
        ],
    }


def named_list_publish(*, actor, campaign: Campaign) -> NamedList:
    """Publish the next version of the campaign's named list. Runs inside the caller's transaction."""
    number = (campaign.named_lists.aggregate(n=Max("number"))["n"] or 0) + 1
    content = canonical_json(named_list_content(campaign, number))
    named_list = NamedList.objects.create(
        campaign=campaign, number=number, content=content, sha256=sha256_of(content), published_by=actor
    )
    audit_record(
        actor=actor,
        action="campaigns.designation.list_published",
        obj=named_list,
        org=campaign.organiser,
        new={"version": number, "sha256": named_list.sha256},
    )
    return named_list


def designations_name(*, actor, campaign: Campaign, today: dt.date | None = None) -> list[Designation]:
    """Name every unit on notice: a designation with a certificate number each, and the named list."""
    today = today or timezone.localdate()
    with transaction.atomic():
        campaign = locked(Campaign, campaign.pk)
        require_stage(campaign, workflow.NAMING, doing=_("naming the units"))
        if campaign.notice_ends and today <= campaign.notice_ends:
            raise DomainError(
                _("The public notice runs until %(ends)s: the units can be named after it.")
                % {"ends": date_format(campaign.notice_ends, "DATE_FORMAT")},
                rule="campaigns.designation.notice_not_over",
            )
        pending = Objection.objects.filter(application__campaign=campaign, status=ObjectionStatus.FILED).count()
        if pending:
            raise DomainError(
                ngettext(
                    "%(count)d objection is not decided yet: decide it before naming.",
                    "%(count)d objections are not decided yet: decide them before naming.",
                    pending,
                )
                % {"count": pending},
                rule="campaigns.designation.objections_pending",
            )
        version = latest_published_version(campaign)
        ranks = (
            dict(ApplicationResult.objects.filter(version=version).values_list("application_id", "rank"))
            if version
            else {}
        )
        applications = sorted(
            Application.objects.select_for_update(of=("self",))
            .filter(campaign=campaign, state=ApplicationState.ON_NOTICE)
            .select_related("org"),
            key=lambda a: (ranks.get(a.pk, 10**9), a.org.code),
        )
        if not applications:
            raise DomainError(_("No unit is on notice: there is nobody to name."), rule="campaigns.designation.none")
        now = timezone.now()
        serial = campaign.designations.count()
        designations = []
        for application in applications:
            application.state = check_transition(application=application, action="name", campaign=campaign)
            application.save(update_fields=["state", "updated_at"])
            serial += 1
            designations.append(
                Designation.objects.create(
                    application=application,
                    campaign=campaign,
                    org=application.org,
                    certificate_number=certificate_number(campaign, serial),
                    named_at=now,
                    named_by=actor,
                )
            )
        for designation in designations:
            audit_record(
                actor=actor,
                action="campaigns.designation.named",
                obj=designation,
                org=campaign.organiser,
                old={"state": ApplicationState.ON_NOTICE},
                new={"state": ApplicationState.NAMED, "certificate_number": designation.certificate_number},
            )
        named_list_publish(actor=actor, campaign=campaign)
    return designations


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), rule="campaigns.reason_required", field="reason")
    return reason


def _require_active(designation: Designation) -> None:
    if designation.status != DesignationStatus.ACTIVE:
        raise DomainError(
            _("%(org)s's designation is already %(status)s.")
            % {"org": designation.org, "status": DesignationStatus(designation.status).label},
            rule="campaigns.designation.not_active",
        )


def _withdraw(*, actor, designation: Designation, status: str, reason: str) -> None:
    designation.status = status
    designation.status_reason = reason
    designation.status_changed_at = timezone.now()
    designation.save(update_fields=["status", "status_reason", "status_changed_at"])


def designation_rereview(*, actor, designation: Designation, outcome: str, reason: str) -> DesignationReview:
    """Re-review a designation: keep it, revoke it or cancel it (``workflow.REREVIEW_OUTCOMES``). Revoking or
    cancelling publishes a new version of the named list."""
    if outcome not in workflow.REREVIEW_OUTCOMES:
        raise DomainError(
            _("Unknown outcome %(outcome)s: choose keep, revoke or cancel.") % {"outcome": outcome},
            rule="campaigns.designation.outcome",
            field="outcome",
        )
    reason = _require_reason(reason)
    with transaction.atomic():
        designation = locked(Designation, designation.pk)
        campaign = designation.campaign
        require_stage(campaign, *MANAGED_STAGES, doing=_("re-reviewing a designation"))
        _require_active(designation)
        status = workflow.REREVIEW_OUTCOMES[outcome]
        review = DesignationReview.objects.create(
            designation=designation, outcome=outcome, reason=reason, reviewed_by=actor
        )
        if status != DesignationStatus.ACTIVE:
            _withdraw(actor=actor, designation=designation, status=status, reason=reason)
        audit_record(
            actor=actor,
            action="campaigns.designation.rereviewed",
            obj=designation,
            org=campaign.organiser,
            old={"status": DesignationStatus.ACTIVE},
            new={"status": designation.status, "outcome": outcome, "reason": reason},
        )
        if status != DesignationStatus.ACTIVE:
            named_list_publish(actor=actor, campaign=campaign)
    return review


def designation_revoke_for_veto(*, actor, designation: Designation, veto_item, reason: str) -> Designation:
    """A veto event after naming (e.g. a major incident): the veto is recorded on the application and the
    designation revoked; a new version of the named list is published."""
    reason = _require_reason(reason)
    with transaction.atomic():
        designation = locked(Designation, designation.pk)
        campaign = designation.campaign
        require_stage(campaign, *MANAGED_STAGES, doing=_("revoking a designation"))
        _require_active(designation)
        if veto_item is None or veto_item.standard_id != campaign.standard_id:
            raise DomainError(
                _("Choose a veto item of the campaign's scoring standard."),
                rule="campaigns.designation.veto_item",
                field="veto_item",
            )
        now = timezone.now()
        Veto.objects.create(
            application_id=designation.application_id,
            item=veto_item,
            status=VetoStatus.RECORDED,
            reason=reason,
            proposed_by=actor,
            decided_by=actor,
            decided_at=now,
        )
        DesignationReview.objects.create(
            designation=designation,
            outcome=RereviewOutcome.REVOKE,
            reason=f"{veto_item.code} {reason}",
            reviewed_by=actor,
        )
        _withdraw(actor=actor, designation=designation, status=DesignationStatus.REVOKED, reason=reason)
        audit_record(
            actor=actor,
            action="campaigns.designation.revoked_for_veto",
            obj=designation,
            org=campaign.organiser,
            old={"status": DesignationStatus.ACTIVE},
            new={"status": designation.status, "veto_item": veto_item.code, "reason": reason},
        )
        named_list_publish(actor=actor, campaign=campaign)
    return designation
