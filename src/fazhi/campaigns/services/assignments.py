"""Expert review: assigning the campaign's reviewers to the applications, and reassigning a review.

Each service is one transaction that checks the campaign's stage and the sheet's state through
:mod:`fazhi.campaigns.services.common`, writes, and records audit events (``campaigns.review.assigned``,
``.in_review``, ``.assignment_run``, ``.reassigned``). Who may act: the view or API fetches the object through
:mod:`fazhi.campaigns.access` first (404/403); the services check again that only a campaign's administrator
assigns and reassigns, and raise :class:`~django.core.exceptions.PermissionDenied` otherwise. ``actor=None`` is
the system (tests, commands). Row locks: application, then score sheet (as in
:mod:`fazhi.campaigns.services.sheets`).

The plan itself (who may review what, balanced loads) is the pure :mod:`fazhi.campaigns.assignment`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import assignment as planner
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Assignment,
    BonusAward,
    Campaign,
    Conflict,
    LeafScore,
    PoolMember,
    PoolRole,
    ScoreSheet,
    SheetStatus,
)
from fazhi.campaigns.services.common import check_transition, deny_unless_manager, locked, require_stage
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.orgs.models import Membership

# --- assignment ----------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    assigned: int = 0  # new assignments
    applications: int = 0  # applications that got at least one
    shortfalls: list[dict] = field(
        default_factory=list
    )  # {application, application_id, missing, eligible, pool, message}
    spread: int = 0  # largest minus smallest reviewer load afterwards


def reviewer_pool(campaign: Campaign) -> list[planner.ReviewerIn]:
    """The campaign's reviewers with their memberships, conflicts and current loads (four queries)."""
    ids = list(PoolMember.objects.filter(campaign=campaign, role=PoolRole.REVIEWER).values_list("user_id", flat=True))
    members, conflicts = defaultdict(list), defaultdict(list)
    for user_id, path in Membership.objects.filter(user_id__in=ids).values_list("user_id", "org__path"):
        members[user_id].append(path)
    for user_id, path in Conflict.objects.filter(campaign=campaign, reviewer_id__in=ids).values_list(
        "reviewer_id", "org__path"
    ):
        conflicts[user_id].append(path)
    loads = dict(
        Assignment.objects.filter(application__campaign=campaign, reviewer_id__in=ids)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    return [
        planner.ReviewerIn(
            user_id, tuple(sorted(members[user_id])), tuple(sorted(conflicts[user_id])), loads.get(user_id, 0)
        )
        for user_id in sorted(ids)
    ]


def shortfall_message(name: str, shortfall: planner.Shortfall) -> str:
    if shortfall.pool == 0:
        return _("%(application)s: no reviewer assigned — the campaign has no reviewers in its pool.") % {
            "application": name
        }
    return ngettext(
        "%(application)s: %(missing)d reviewer missing — only %(eligible)d of the %(pool)d reviewers may review "
        "it (the others belong to its area or declared a conflict).",
        "%(application)s: %(missing)d reviewers missing — only %(eligible)d of the %(pool)d reviewers may review "
        "it (the others belong to its area or declared a conflict).",
        shortfall.missing,
    ) % {"application": name, "missing": shortfall.missing, "eligible": shortfall.eligible, "pool": shortfall.pool}


@transaction.atomic
def assignments_run(*, actor, campaign: Campaign) -> RunOutcome:
    """Give every recommended application (and every one in review short of reviewers) the campaign's number
    of reviewers from its pool; create the assignments with empty score sheets; move the applications to
    in review. Shortfalls come back by application name."""
    campaign = locked(Campaign, campaign.pk)
    deny_unless_manager(actor, campaign)
    require_stage(campaign, wf.REVIEW, doing=_("assigning reviewers"))
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, state__in=[ApplicationState.RECOMMENDED, ApplicationState.IN_REVIEW])
        .select_related("org")
        .order_by("decided_at", "first_submitted_at", "pk")
    )
    existing = defaultdict(set)
    for application_id, reviewer_id in Assignment.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id"
    ):
        existing[application_id].add(reviewer_id)
    plan = planner.plan(
        [
            planner.ApplicationIn(a.pk, a.org.path, order=index, reviewers=frozenset(existing[a.pk]))
            for index, a in enumerate(applications)
        ],
        reviewer_pool(campaign),
        campaign.reviewers_per_application,
    )
    by_id = {a.pk: a for a in applications}
    created = Assignment.objects.bulk_create(
        Assignment(application_id=a, reviewer_id=r, assigned_by=actor) for a, r in plan.assignments
    )
    if created and created[0].pk is None:  # a backend that does not return keys from bulk inserts
        created = list(
            Assignment.objects.filter(application__in=applications, sheet__isnull=True).select_related("reviewer")
        )
    ScoreSheet.objects.bulk_create(ScoreSheet(assignment=a) for a in created)
    moved = []
    for application in applications:
        if application.state == ApplicationState.RECOMMENDED and existing[application.pk] | {
            a.reviewer_id for a in created if a.application_id == application.pk
        }:
            application.state = check_transition(application=application, action="assign", campaign=campaign)
            moved.append(application)
    now = timezone.now()
    for application in moved:
        application.updated_at = now
    Application.objects.bulk_update(moved, ["state", "updated_at"])
    reviewers = {r.pk: r for r in _users({a.reviewer_id for a in created})}
    audit_record_many(
        actor=actor,
        action="campaigns.review.assigned",
        entries=[
            (by_id[a.application_id], None, {"assignment": a.pk, "reviewer": reviewers[a.reviewer_id].get_username()})
            for a in created
        ],
    )
    audit_record_many(
        actor=actor,
        action="campaigns.review.in_review",
        entries=[(a, {"state": ApplicationState.RECOMMENDED}, {"state": a.state}) for a in moved],
    )
    outcome = RunOutcome(
        assigned=len(created), applications=len({a.application_id for a in created}), spread=plan.spread
    )
    for shortfall in plan.shortfalls:
        name = str(by_id[shortfall.application].org)
        outcome.shortfalls.append(
            {
                "application": name,
                "application_id": shortfall.application,
                "missing": shortfall.missing,
                "eligible": shortfall.eligible,
                "pool": shortfall.pool,
                "message": shortfall_message(name, shortfall),
            }
        )
    audit_record(
        actor=actor,
        action="campaigns.review.assignment_run",
        obj=campaign,
        new={
            "assigned": outcome.assigned,
            "spread": outcome.spread,
            "shortfalls": {s["application"]: s["missing"] for s in outcome.shortfalls},
        },
    )
    return outcome


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids)


def reviewer_may_review(campaign: Campaign, reviewer_id: int, application: Application) -> bool:
    for candidate in reviewer_pool(campaign):
        if candidate.id == reviewer_id:
            return planner.eligible(candidate, application.org.path)
    return False


@transaction.atomic
def assignment_reassign(*, actor, assignment: Assignment, reviewer) -> Assignment:
    """Give the assignment to another reviewer of the pool (while its sheet is not submitted). The draft
    answers of the old reviewer are discarded: the new one scores afresh."""
    application = locked(Application, assignment.application_id)
    campaign = application.campaign
    deny_unless_manager(actor, campaign)
    require_stage(campaign, wf.REVIEW, doing=_("reassigning a review"))
    assignment = Assignment.objects.select_related("reviewer").get(pk=assignment.pk)
    sheet = locked(ScoreSheet, assignment.sheet.pk)
    if sheet.status == SheetStatus.SUBMITTED:
        raise DomainError(
            _("%(reviewer)s has already submitted this score sheet: reopen it before reassigning.")
            % {"reviewer": assignment.reviewer},
            rule="review.sheet_submitted",
        )
    if reviewer.pk == assignment.reviewer_id:
        raise DomainError(_("This reviewer is already assigned."), rule="review.same_reviewer", field="reviewer")
    if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise DomainError(
            _("%(reviewer)s already reviews this application.") % {"reviewer": reviewer},
            rule="review.already_assigned",
            field="reviewer",
        )
    if not reviewer_may_review(campaign, reviewer.pk, application):
        raise DomainError(
            _(
                "%(reviewer)s may not review %(application)s: not in the campaign's reviewer pool, "
                "a member of its area, or a declared conflict."
            )
            % {"reviewer": reviewer, "application": application.org},
            rule="review.not_eligible",
            field="reviewer",
        )
    old = assignment.reviewer
    LeafScore.objects.filter(sheet=sheet).delete()
    BonusAward.objects.filter(sheet=sheet).delete()
    assignment.reviewer = reviewer
    assignment.assigned_by = actor
    assignment.save(update_fields=["reviewer", "assigned_by"])
    sheet.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="campaigns.review.reassigned",
        obj=application,
        old={"assignment": assignment.pk, "reviewer": old.get_username()},
        new={"assignment": assignment.pk, "reviewer": reviewer.get_username()},
    )
    return assignment
