"""Reads of the review area: a reviewer's queue and score sheet, a campaign's assignments, vetoes, the
inspectors' list and the survey links. Objects are fetched through :mod:`fazhi.campaigns.access` first;
these functions read what belongs to an object already allowed.

A reviewer's sheet page reads only that reviewer's own sheet: other reviewers' scores are never read for
it (they stay hidden from reviewers until review closes; the results pages show them afterwards).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from fazhi.campaigns import assignment as planner
from fazhi.campaigns.access import can_manage
from fazhi.campaigns.models import (
    Answer,
    Application,
    ApplicationState,
    Assignment,
    BonusAward,
    Campaign,
    Evidence,
    InspectionScore,
    LeafScore,
    PoolRole,
    ScoreSheet,
    SurveyToken,
    Veto,
    VetoStatus,
)
from fazhi.campaigns.services.assignments import reviewer_pool
from fazhi.campaigns.services.sheets import answer_value, leaves_by_code
from fazhi.indicators import spec
from fazhi.indicators.models import BonusItem, Indicator, VetoItem

# Applications that take part in review (the assignments page lists them).
REVIEWED_STATES = (
    ApplicationState.RECOMMENDED,
    ApplicationState.IN_REVIEW,
    ApplicationState.SCORED,
    ApplicationState.PASSED,
    ApplicationState.FAILED,
    ApplicationState.ON_NOTICE,
    ApplicationState.NAMED,
    ApplicationState.REMOVED,
)


def assignments_for_reviewer(user):
    """The user's own assignments across campaigns, newest campaigns first (one query)."""
    return (
        Assignment.objects.filter(reviewer=user)
        .select_related("application__org", "application__campaign", "sheet")
        .order_by("-application__campaign__year", "application__campaign__title", "application__org__name", "pk")
    )


# --- the score sheet -----------------------------------------------------------------------------


@dataclass
class LeafRow:
    leaf: spec.Indicator
    indicator_id: int
    clerk_answer: Any = None  # the engine's form
    clerk_text: str = ""
    statement: str = ""
    evidence: list = field(default_factory=list)
    answer: Any = None  # this reviewer's saved answer (engine form), None when not yet scored
    score: int | None = None
    comment: str = ""

    @property
    def kind(self) -> str:
        return self.leaf.rule.kind if self.leaf.rule else ""


def answer_text(leaf: spec.Indicator, value: Any) -> str:
    """An answer as a person reads it (checklist items by title)."""
    if value is None:
        return ""
    kind = leaf.rule.kind if leaf.rule else ""
    if kind == spec.CHECKLIST:
        items = leaf.rule.items
        return "；".join(items[i].title for i in sorted(value) if isinstance(i, int) and 0 <= i < len(items))
    if kind == spec.MANUAL and isinstance(value, int):
        from fazhi.indicators.scoring import points_text

        return points_text(value)
    return str(value)


def sheet_rows(assignment: Assignment) -> list[LeafRow]:
    """For each leaf of the standard: the rule, the guidance, the clerk's answer, statement and evidence,
    and this reviewer's own answer and score (five queries)."""
    return sheet_contents(assignment)[0]


def sheet_contents(assignment: Assignment) -> tuple[list[LeafRow], list[Evidence]]:
    """The rows of :func:`sheet_rows`, and the application's evidence attached to no leaf (the application
    as a whole, or an indicator that is not a leaf of the standard), in upload order (five queries)."""
    application = assignment.application
    standard = application.campaign.standard
    leaves = leaves_by_code(standard)
    ids = dict(Indicator.objects.filter(standard=standard, code__in=list(leaves)).values_list("code", "pk"))
    clerk = {row.indicator_id: row for row in Answer.objects.filter(application=application)}
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(application=application).order_by("indicator_id", "pk"):
        evidence[item.indicator_id].append(item)
    mine = {row.indicator_id: row for row in LeafScore.objects.filter(sheet_id=assignment.sheet.pk)}
    rows = []
    for code, leaf in leaves.items():
        row = LeafRow(leaf=leaf, indicator_id=ids.get(code))
        answer = clerk.get(row.indicator_id)
        if answer is not None:
            row.clerk_answer = answer_value(leaf, answer.answer) if answer.answer is not None else None
            row.clerk_text = answer_text(leaf, row.clerk_answer)
            row.statement = answer.statement
        row.evidence = evidence.get(row.indicator_id, [])
        saved = mine.get(row.indicator_id)
        if saved is not None:
            row.answer = answer_value(leaf, saved.answer)
            row.score, row.comment = saved.score, saved.comment
        rows.append(row)
    leaf_ids = {row.indicator_id for row in rows}
    general = [item for indicator_id, items in evidence.items() if indicator_id not in leaf_ids for item in items]
    return rows, sorted(general, key=lambda item: item.pk)


def sheet_bonus(assignment: Assignment) -> list[tuple[BonusItem, bool]]:
    standard = assignment.application.campaign.standard
    awarded = set(BonusAward.objects.filter(sheet_id=assignment.sheet.pk).values_list("item_id", flat=True))
    return [(item, item.pk in awarded) for item in BonusItem.objects.filter(standard=standard).order_by("position")]


def veto_items(campaign: Campaign):
    return VetoItem.objects.filter(standard_id=campaign.standard_id).order_by("position", "pk")


def application_vetoes(application: Application):
    return Veto.objects.filter(application=application).select_related("item", "proposed_by", "decided_by")


def veto_get_for_user(user, pk) -> Veto:
    """A veto of an application in a campaign the user manages (404 otherwise)."""
    try:
        veto = Veto.objects.select_related("application__campaign__organiser", "application__org", "item").get(pk=pk)
    except (Veto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_manage(user, veto.application.campaign):
        raise Http404
    return veto


# --- the administrator's assignments page -------------------------------------------------------


@dataclass
class AssignmentRow:
    application: Application
    assignments: list[Assignment]
    missing: int


def campaign_assignment_rows(campaign: Campaign) -> list[AssignmentRow]:
    """Every application taking part in review with its reviewers and sheet statuses (two queries)."""
    applications = (
        Application.objects.filter(campaign=campaign, state__in=REVIEWED_STATES)
        .select_related("org")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "sheet").order_by("pk"),
            )
        )
        .order_by("org__path")
    )
    k = campaign.reviewers_per_application
    return [
        AssignmentRow(
            a,
            list(a.assignments.all()),
            max(0, k - len(a.assignments.all()))
            if a.state in (ApplicationState.RECOMMENDED, ApplicationState.IN_REVIEW)
            else 0,
        )
        for a in applications
    ]


@dataclass
class PoolRow:
    user: Any
    load: int
    reason: str = ""  # why the reviewer may review none of the applications (empty when they may review one)


@dataclass
class PoolOverview:
    eligible: list[PoolRow]  # reviewers who may review at least one application in review
    ineligible: list[PoolRow]  # reviewers who may review none of them, with the reason

    @property
    def spread(self) -> int:
        """Largest minus smallest load among the eligible reviewers: the loads the "differ by at most one" rule
        is about (a reviewer eligible for nothing always keeps load 0)."""
        loads = [row.load for row in self.eligible]
        return max(loads) - min(loads) if loads else 0


def _ineligible_reason(reviewer: planner.ReviewerIn, paths: list[str]) -> str:
    member = all(planner.inside(path, reviewer.member_paths) for path in paths)
    conflict = all(planner.inside(path, reviewer.conflict_paths) for path in paths)
    if member:
        return _("Belongs to the area of every application in review.")
    if conflict:
        return _("Declared a conflict with every application in review.")
    return _("Belongs to the area of, or declared a conflict with, every application in review.")


def pool_overview(campaign: Campaign, rows: list[AssignmentRow]) -> PoolOverview:
    """The campaign's reviewers with their loads, split into those eligible for at least one of the
    applications in review (``rows``) and those eligible for none, with the reason (five queries). With no
    application in review yet, every reviewer counts as eligible."""
    from django.contrib.auth import get_user_model

    pool = reviewer_pool(campaign)
    users = get_user_model().objects.in_bulk([r.id for r in pool])
    paths = [row.application.org.path for row in rows]
    overview = PoolOverview([], [])
    for reviewer in sorted(pool, key=lambda r: (users[r.id].username, r.id)):
        if not paths or any(planner.eligible(reviewer, path) for path in paths):
            overview.eligible.append(PoolRow(users[reviewer.id], reviewer.load))
        else:
            overview.ineligible.append(PoolRow(users[reviewer.id], reviewer.load, _ineligible_reason(reviewer, paths)))
    return overview


def eligible_reviewers(campaign: Campaign, application: Application, *, exclude=()) -> list:
    """Reviewers of the pool who may review ``application`` (not members of its area, no declared conflict),
    least loaded first."""
    from django.contrib.auth import get_user_model

    pool = [r for r in reviewer_pool(campaign) if planner.eligible(r, application.org.path) and r.id not in exclude]
    users = get_user_model().objects.in_bulk([r.id for r in pool])
    return [users[r.id] for r in sorted(pool, key=lambda r: (r.load, r.id))]


# --- inspection and survey ----------------------------------------------------------------------


def inspection_rows(campaign: Campaign, inspector) -> list[tuple[Application, InspectionScore | None]]:
    applications = list(
        Application.objects.filter(campaign=campaign, state=ApplicationState.SCORED)
        .select_related("org")
        .order_by("org__path")
    )
    mine = {
        row.application_id: row
        for row in InspectionScore.objects.filter(application__in=applications, inspector=inspector)
    }
    return [(a, mine.get(a.pk)) for a in applications]


def survey_rows(campaign: Campaign) -> list[tuple[Application, list[SurveyToken]]]:
    applications = (
        Application.objects.filter(
            campaign=campaign,
            state__in=[ApplicationState.SCORED, ApplicationState.PASSED, ApplicationState.FAILED],
        )
        .select_related("org")
        .prefetch_related(Prefetch("survey_tokens", queryset=SurveyToken.objects.order_by("pk")))
        .order_by("org__path")
    )
    return [(a, list(a.survey_tokens.all())) for a in applications]


def survey_counts(tokens: list[SurveyToken]) -> tuple[int, int]:
    """(satisfied, answered) among ``tokens``."""
    answered = [t for t in tokens if t.answered_at is not None]
    return sum(1 for t in answered if t.satisfied), len(answered)


def active_veto_count(application: Application) -> int:
    return Veto.objects.filter(application=application, status=VetoStatus.RECORDED).count()


def sheet_of(assignment: Assignment) -> ScoreSheet:
    return ScoreSheet.objects.get(assignment=assignment)


def application_in_campaign(campaign: Campaign, pk) -> Application | None:
    try:
        return Application.objects.select_related("campaign", "org").filter(campaign=campaign, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def application_get_for_inspector(user, pk) -> Application:
    """An application of a campaign whose inspectors include ``user`` (404 otherwise)."""
    try:
        return (
            Application.objects.select_related("campaign__organiser", "campaign__standard", "org")
            .filter(campaign__pool__user=user, campaign__pool__role=PoolRole.INSPECTOR)
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
