"""Who may see and change a campaign, an application, an assignment: the access helpers every page and
API endpoint fetches through (404 outside the scope, 403 for an action the role does not allow).

- A **campaign** is seen by those with ``campaign.view`` over its organising org (its administrators and
  leaders, and those above), and — once it has left the draft stage — by everyone whose memberships lie
  inside its eligible area (clerks and recommenders who may apply or recommend) and by its pool
  (reviewers, inspectors). It is managed by those with ``campaign.manage`` over the organising org.
- An **application** is seen by the campaign's viewers, by those with ``campaign.view``,
  ``application.edit`` or ``application.recommend`` over the applicant, and by its assigned reviewers.
  The clerk (``application.edit`` over the applicant) edits it; the recommenders of its recommending org
  (``application.recommend`` over that org) decide on it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from fazhi.campaigns.models import Application, Assignment, Campaign, PoolMember
from fazhi.campaigns.workflow import DRAFT
from fazhi.orgs import roles
from fazhi.orgs.access import grants, has_capability, scope_paths, scope_q

# Capabilities that bring a user into a campaign's eligible area as a participant.
PARTICIPANT_CAPABILITIES = (roles.APPLICATION_EDIT, roles.APPLICATION_RECOMMEND)


def _paths_with(user, capabilities) -> list[str]:
    allowed = set()
    for capability in capabilities:
        allowed |= roles.roles_with(capability)
    return sorted({path for path, role in grants(user) if role in allowed})


def campaigns_for_user(user):
    """The campaigns ``user`` may see (a queryset; superusers see all)."""
    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    if scope_paths(user, roles.CAMPAIGN_VIEW) is None:  # a superuser: Q() | X would reduce to X
        return Campaign.objects.all()
    visible = scope_q(user, roles.CAMPAIGN_VIEW, "organiser__path")
    # Participants: a membership inside the organiser's subtree, i.e. the organiser's path is a prefix of it.
    inside = Q()
    for path in _paths_with(user, PARTICIPANT_CAPABILITIES):
        inside |= Q(organiser__path__in=[path[:i] for i in range(9, len(path) + 1, 9)])
    pool = Exists(PoolMember.objects.filter(campaign=OuterRef("pk"), user=user))
    launched = ~Q(stage=DRAFT)
    condition = visible | (launched & pool)
    if inside:
        condition |= launched & inside
    return Campaign.objects.filter(condition)


def can_manage(user, campaign: Campaign) -> bool:
    return has_capability(user, roles.CAMPAIGN_MANAGE, campaign.organiser)


def can_view_all(user, campaign: Campaign) -> bool:
    """Sees every application of the campaign (its administrators and leaders)."""
    return has_capability(user, roles.CAMPAIGN_VIEW, campaign.organiser)


def campaign_get_for_user(user, pk, *, manage: bool = False) -> Campaign:
    try:
        campaign = campaigns_for_user(user).select_related("organiser", "standard").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage and not can_manage(user, campaign):
        raise PermissionDenied
    return campaign


def applications_for_user(user):
    """The applications ``user`` may see (a queryset)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    if scope_paths(user, roles.CAMPAIGN_VIEW) is None:  # a superuser: Q() | X would reduce to X
        return Application.objects.all()
    condition = (
        scope_q(user, roles.CAMPAIGN_VIEW, "campaign__organiser__path")
        | scope_q(user, roles.CAMPAIGN_VIEW, "org__path")
        | scope_q(user, roles.APPLICATION_EDIT, "org__path")
        | scope_q(user, roles.APPLICATION_RECOMMEND, "org__path")
        | Q(Exists(Assignment.objects.filter(application=OuterRef("pk"), reviewer=user)))
    )
    return Application.objects.filter(condition)


def can_edit(user, application: Application) -> bool:
    return has_capability(user, roles.APPLICATION_EDIT, application.org)


def can_recommend(user, application: Application) -> bool:
    org = application.recommender_org or application.org.parent or application.org
    return has_capability(user, roles.APPLICATION_RECOMMEND, org)


def application_get_for_user(user, pk, *, edit: bool = False, recommend: bool = False) -> Application:
    """The application if ``user`` may see it (404 otherwise); 403 for an edit or a recommendation decision
    the user may not make."""
    try:
        application = (
            applications_for_user(user)
            .select_related("campaign__organiser", "campaign__standard", "org__parent", "recommender_org")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if edit and not can_edit(user, application):
        raise PermissionDenied
    if recommend and not can_recommend(user, application):
        raise PermissionDenied
    return application


def assignment_get_for_user(user, pk, *, manage: bool = False) -> Assignment:
    """A reviewer's own assignment (404 for anyone else's); with ``manage``, any assignment of a campaign
    the user manages (for reassigning and reopening sheets)."""
    try:
        assignment = Assignment.objects.select_related(
            "application__campaign__organiser", "application__campaign__standard", "application__org", "reviewer"
        ).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage:
        if not can_manage(user, assignment.application.campaign):
            raise Http404
    elif assignment.reviewer_id != getattr(user, "pk", None):
        raise Http404
    return assignment
