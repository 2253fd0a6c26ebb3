"""Reads for the campaign pages: the list with counts of applications per state, the administrator's
dashboard (progress by stage and by org), stage timelines, the pool and conflicts.

Every function takes objects already fetched through :mod:`fazhi.campaigns.access` (or the user, for the
list) and runs a fixed number of queries, whatever the number of campaigns, applications or orgs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from fazhi.campaigns import workflow
from fazhi.campaigns.access import campaigns_for_user
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Campaign,
    CampaignStage,
    Conflict,
    PoolMember,
    PoolRole,
    Stage,
)
from fazhi.orgs import roles
from fazhi.orgs.access import orgs_for_user
from fazhi.orgs.models import Membership, Org, User, subtree_q
from fazhi.orgs.rules import is_area


def _state_counts() -> dict:
    return {
        f"n_{state}": Count("applications", filter=Q(applications__state=state))
        for state in workflow.APPLICATION_STATES
    }


def campaign_list_for_user(user, *, stage: str = "", year: int | None = None) -> QuerySet[Campaign]:
    """The campaigns ``user`` may see, newest year first, each with ``n_<state>`` and ``n_total`` counts of its
    applications (one query however many campaigns)."""
    campaigns = campaigns_for_user(user)
    if stage:
        campaigns = campaigns.filter(stage=stage)
    if year:
        campaigns = campaigns.filter(year=year)
    return (
        campaigns.select_related("organiser", "standard")
        .annotate(n_total=Count("applications"), **_state_counts())
        .order_by("-year", "title", "pk")
    )


@dataclass
class StateCount:
    state: str
    label: str
    count: int


def state_counts(campaign: Campaign) -> list[StateCount]:
    """Applications per state, in workflow order (states with none included), one query."""
    found = dict(Application.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("id")).order_by())
    return [
        StateCount(state, ApplicationState(state).label, found.get(state, 0)) for state in workflow.APPLICATION_STATES
    ]


def counts_of(campaign: Campaign) -> list[StateCount]:
    """The ``n_<state>`` annotations of a campaign of :func:`campaign_list_for_user` as rows (no query)."""
    return [
        StateCount(state, ApplicationState(state).label, getattr(campaign, f"n_{state}", 0))
        for state in workflow.APPLICATION_STATES
    ]


@dataclass
class OrgProgress:
    org: Org | None  # None: the organising org itself (applications not inside any child)
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def progress_by_org(campaign: Campaign) -> list[OrgProgress]:
    """For each child org of the organiser whose subtree holds an org that may apply (of an eligible kind and
    level, active) or holds applications, the applications per state inside its subtree; two queries (the
    children with whether an eligible org lies below, then one grouped count that sorts each application into
    its child by path range)."""
    eligible = Org.objects.filter(path__startswith=OuterRef("path"), is_active=True)
    if campaign.eligible_kinds:
        eligible = eligible.filter(kind__in=campaign.eligible_kinds)
    if campaign.eligible_levels:
        eligible = eligible.filter(level__in=campaign.eligible_levels)
    children = list(
        Org.objects.filter(parent=campaign.organiser_id).annotate(may_apply=Exists(eligible)).order_by("path")
    )
    whens = [When(subtree_q(child.path, "org__path"), then=Value(child.pk)) for child in children]
    branch = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    rows = (
        Application.objects.filter(campaign=campaign)
        .annotate(branch=branch)
        .values_list("branch", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for pk, state, n in rows:
        counts.setdefault(pk, {})[state] = n
    progress = [
        OrgProgress(child, child.name, counts.get(child.pk, {}))
        for child in children
        if child.may_apply or counts.get(child.pk)  # an org that cannot apply would be a row of zeros forever
    ]
    if counts.get(0):
        progress.append(OrgProgress(None, campaign.organiser.name, counts[0]))
    return progress


@dataclass
class StageRow:
    stage: str
    label: str
    opens_on: object
    closes_on: object
    opened_at: object
    closed_at: object
    current: bool
    done: bool


def stage_timeline(campaign: Campaign) -> list[StageRow]:
    """Every stage from draft to closed with its planned dates and when it actually opened and closed."""
    rows = {row.stage: row for row in CampaignStage.objects.filter(campaign=campaign)}
    timeline = []
    for stage in workflow.STAGES:
        row = rows.get(stage)
        timeline.append(
            StageRow(
                stage=stage,
                label=Stage(stage).label,
                opens_on=row.opens_on if row else None,
                closes_on=row.closes_on if row else None,
                opened_at=row.opened_at if row else None,
                closed_at=row.closed_at if row else None,
                current=stage == campaign.stage,
                done=workflow.STAGES.index(stage) < workflow.STAGES.index(campaign.stage),
            )
        )
    return timeline


def stage_dates(campaign: Campaign) -> dict[str, tuple]:
    """Planned (opens_on, closes_on) per dated stage (for the edit form)."""
    rows = {row.stage: row for row in CampaignStage.objects.filter(campaign=campaign)}
    return {
        stage: (rows[stage].opens_on, rows[stage].closes_on) if stage in rows else (None, None)
        for stage in workflow.DATED_STAGES
    }


def is_named(campaign: Campaign) -> bool:
    """Whether the campaign's units have been named (it has designations)."""
    return campaign.designations.exists()


def pool_members(campaign: Campaign) -> list[PoolMember]:
    """The pool, each member with ``assigned`` (their number of assignments in this campaign)."""
    return list(
        PoolMember.objects.filter(campaign=campaign)
        .select_related("user")
        .annotate(
            assigned=Count(
                "user__assignments",
                filter=Q(user__assignments__application__campaign=campaign),
            )
        )
        .order_by("role", "user__full_name", "user__username")
    )


def conflicts_of(campaign: Campaign, *, reviewer=None) -> list[Conflict]:
    conflicts = Conflict.objects.filter(campaign=campaign).select_related("reviewer", "org")
    if reviewer is not None:
        conflicts = conflicts.filter(reviewer=reviewer)
    return list(conflicts.order_by("reviewer__username", "org__path"))


def is_pool_member(user, campaign: Campaign) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and PoolMember.objects.filter(campaign=campaign, user=user).exists()
    )


def pool_candidates(campaign: Campaign, query: str = "", limit: int = 50):
    """Users who hold a reviewer's role somewhere and are not yet in the pool as reviewers, matching
    ``query`` (username or full name)."""
    holders = Membership.objects.filter(role__in=roles.roles_with(roles.REVIEW_SCORE), org__is_active=True).values(
        "user_id"
    )
    users = User.objects.filter(pk__in=holders, is_active=True).exclude(
        pk__in=PoolMember.objects.filter(campaign=campaign, role=PoolRole.REVIEWER).values("user_id")
    )
    query = query.strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return list(users.order_by("username")[:limit])


def reviewer_user(pk):
    """A user who holds a reviewer's role somewhere, or None."""
    holders = Membership.objects.filter(role__in=roles.roles_with(roles.REVIEW_SCORE)).values("user_id")
    try:
        return User.objects.filter(pk__in=holders).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        return None


def reviewer_by_username(username: str):
    """The active user ``username`` if they hold a reviewer's role somewhere, or None."""
    holders = Membership.objects.filter(role__in=roles.roles_with(roles.REVIEW_SCORE)).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True, username=(username or "").strip()).first()


def pool_member_get(campaign: Campaign, pk) -> PoolMember:
    try:
        return PoolMember.objects.select_related("user").get(campaign=campaign, pk=pk)
    except (PoolMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def conflict_get(campaign: Campaign, pk) -> Conflict:
    try:
        return Conflict.objects.select_related("reviewer", "org").get(campaign=campaign, pk=pk)
    except (Conflict.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def conflict_orgs(campaign: Campaign, query: str = "", limit: int = 200) -> list[Org]:
    """Orgs of the campaign's area a reviewer may declare a conflict with (searchable)."""
    orgs = Org.objects.filter(subtree_q(campaign.organiser.path), is_active=True)
    query = query.strip()
    if query:
        orgs = orgs.filter(name__icontains=query)
    return list(orgs.order_by("path")[:limit])


def organiser_choices(user, limit: int = 200) -> list[Org]:
    """Orgs ``user`` may organise a campaign for (``campaign.manage``), areas only, top first."""
    orgs = orgs_for_user(user, roles.CAMPAIGN_MANAGE).filter(is_active=True).order_by("path")
    return [org for org in orgs[: limit * 2] if is_area(org.kind)][:limit]
