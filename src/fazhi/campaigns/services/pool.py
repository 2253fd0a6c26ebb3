"""Campaigns: the pool of reviewers and inspectors, and the conflicts of interest its members declare.

Every function is one transaction and writes its audit events ("campaigns.campaign.reviewer_added" …) in it; a
broken rule raises :class:`~fazhi.core.errors.DomainError` and nothing is written. An administrator of the
campaign (``campaign.manage`` over the organiser) changes the pool; a pool member declares a conflict for
themselves, and withdraws it (or an administrator does).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Assignment,
    Campaign,
    Conflict,
    InspectionScore,
    PoolMember,
    PoolRole,
)
from fazhi.campaigns.services.common import locked, require_manager
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability

# --- the pool of reviewers and inspectors, and conflicts ---------------------------------------------------------


@transaction.atomic
def pool_add(*, actor, campaign: Campaign, user, role: str = PoolRole.REVIEWER) -> PoolMember:
    """Put a user who may score (``review.score`` somewhere) in the campaign's pool."""
    campaign = locked(Campaign, campaign.pk)
    require_manager(actor, campaign)
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
    require_manager(actor, campaign)
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
        require_manager(actor, conflict.campaign)
    audit_record(
        actor=actor,
        action="campaigns.campaign.conflict_removed",
        obj=conflict.campaign,
        old={"reviewer": conflict.reviewer_id, "org": conflict.org_id, "reason": conflict.reason},
    )
    conflict.delete()
