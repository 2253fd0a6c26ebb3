"""Reads of the application area: the standard a campaign scores against (as the engine's plain data, read
once per request), the stored answers decoded back to what the engine takes, the self-assessed total, the
clerk's workspace and the recommender's queue.

Stored answers (``Answer.answer``, JSON) hold exactly the engine's answer in a JSON-safe form:
``manual`` an int of hundredths, ``checklist`` a sorted list of item indexes, ``deduction`` an int count,
``ratio`` and ``tiers`` a decimal string (``"0.85"``), so that no float ever enters a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.access import applications_for_user, campaigns_for_user
from fazhi.campaigns.models import Answer, Application, Campaign, Evidence
from fazhi.indicators import spec as specs
from fazhi.indicators.models import Indicator
from fazhi.indicators.scoring import Fixed, Sheet, SheetScore, sheet_score
from fazhi.indicators.services import standard_to_spec
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths, scope_q
from fazhi.orgs.models import Org

# --- the standard, read once ---------------------------------------------------------------------


def campaign_spec(campaign: Campaign) -> specs.Standard:
    """The campaign's standard as plain data, cached on the campaign object (a published standard never
    changes, and a campaign object lives for one request or one service call)."""
    cached = getattr(campaign, "_fazhi_spec", None)
    if cached is None:
        cached = campaign._fazhi_spec = standard_to_spec(campaign.standard)
    return cached


def campaign_leaves(campaign: Campaign) -> dict[str, specs.Indicator]:
    """The standard's leaves by code, in standard order."""
    cached = getattr(campaign, "_fazhi_leaves", None)
    if cached is None:
        cached = campaign._fazhi_leaves = {leaf.code: leaf for leaf in campaign_spec(campaign).leaves()}
    return cached


def campaign_indicator_ids(campaign: Campaign) -> dict[str, int]:
    """Indicator code → row id for the campaign's standard (one query, cached like the spec)."""
    cached = getattr(campaign, "_fazhi_indicator_ids", None)
    if cached is None:
        cached = campaign._fazhi_indicator_ids = dict(
            Indicator.objects.filter(standard_id=campaign.standard_id).values_list("code", "pk")
        )
    return cached


# --- answers: stored form ⇄ the engine's form ------------------------------------------------------


def answer_encode(leaf: specs.Indicator, value: Any) -> Any:
    """The engine's answer for ``leaf`` as stored in the JSON column (see the module's docstring)."""
    if value is None:
        return None
    if isinstance(value, Fixed):
        return {"fixed": value.points}
    kind = leaf.rule.kind
    if kind == specs.CHECKLIST:
        return sorted(set(value))
    if kind in (specs.RATIO, specs.TIERS):
        return str(value)
    return value


def answer_decode(leaf: specs.Indicator, stored: Any) -> Any:
    """The stored answer back in the form :func:`fazhi.indicators.scoring.leaf_score` takes (a reviewer's
    ``{"fixed": hundredths}``: an overridden or record-less metric-bound leaf, as a ``Fixed`` score)."""
    if stored is None:
        return None
    if isinstance(stored, dict) and "fixed" in stored:
        return Fixed(stored["fixed"])
    kind = leaf.rule.kind
    if kind == specs.CHECKLIST:
        return list(stored)
    if kind in (specs.RATIO, specs.TIERS):
        return Decimal(str(stored))
    return stored


def _zero_answer(leaf: specs.Indicator) -> Any:
    """An answer that scores 0 on ``leaf``: what an unanswered leaf counts in the self-assessed total."""
    rule = leaf.rule
    if rule.kind == specs.CHECKLIST:
        return []
    if rule.kind == specs.DEDUCTION:
        return -(-leaf.points // rule.per) if rule.per else 0
    if rule.kind == specs.RATIO:
        return Decimal(0)
    if rule.kind == specs.TIERS:
        return min((tier.min for tier in rule.tiers), default=Decimal(0)) - 1
    return 0


def self_assessed(standard: specs.Standard, answers: dict[str, Any]) -> SheetScore:
    """The self-assessment scored by the engine as one sheet: the answers given, unanswered leaves 0."""
    complete = {}
    for leaf in standard.leaves():
        given = answers.get(leaf.code)
        complete[leaf.code] = _zero_answer(leaf) if given is None else given
    return sheet_score(standard, Sheet(reviewer="self", answers=complete))


@dataclass
class Assessment:
    """An application's self-assessment, ready for a page or the API."""

    standard: specs.Standard
    answers: dict[str, Answer]  # leaf code -> the stored row
    values: dict[str, Any]  # leaf code -> the answer in the engine's form (answered leaves only)
    score: SheetScore
    evidence: list[Evidence] = field(default_factory=list)
    computed: frozenset[str] = frozenset()  # metric-bound leaves: valued from the ledgers, never unanswered

    @property
    def total(self) -> int:
        return self.score.total

    @property
    def unanswered(self) -> list[str]:
        return [
            leaf.code
            for leaf in self.standard.leaves()
            if leaf.code not in self.values and leaf.code not in self.computed
        ]


def application_assessment(application: Application, *, with_evidence: bool = True) -> Assessment:
    """The answers, their scores, the self-assessed total and the evidence of ``application`` (a constant
    number of queries: the standard once per request, the answers, the evidence)."""
    standard = campaign_spec(application.campaign)
    leaves = campaign_leaves(application.campaign)
    rows = {answer.indicator.code: answer for answer in application.answers.select_related("indicator")}
    values = {
        code: answer_decode(leaves[code], row.answer)
        for code, row in rows.items()
        if code in leaves and row.answer is not None
    }
    evidence = list(application.evidence.select_related("indicator")) if with_evidence else []
    from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves  # it imports this module

    return Assessment(
        standard=standard,
        answers=rows,
        values=values,
        score=self_assessed(standard, values),
        evidence=evidence,
        computed=frozenset(campaign_metric_leaves(application.campaign)),
    )


# --- the clerk's workspace -------------------------------------------------------------------------


def applications_of_clerk(user):
    """The applications ``user`` may edit (``application.edit`` over the applicant), newest campaigns first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(scope_q(user, roles.APPLICATION_EDIT, "org__path"))
        .select_related("campaign", "org")
        .order_by("-campaign__year", "campaign__title", "org__path")
    )


def _clerk_orgs(user) -> list[Org]:
    """The orgs a clerk applies for from the workspace: the roots of their ``application.edit`` scope."""
    paths = scope_paths(user, roles.APPLICATION_EDIT)
    if paths is None or not paths:
        return []
    return list(Org.objects.filter(path__in=paths, is_active=True).order_by("path"))


def org_eligible(campaign: Campaign, org: Org) -> bool:
    """Whether ``org`` may apply to ``campaign``: strictly inside the organiser's subtree, active, of an
    eligible kind and level (empty lists mean any)."""
    organiser = campaign.organiser
    return (
        org.path.startswith(organiser.path)
        and org.pk != organiser.pk
        and org.is_active
        and (not campaign.eligible_kinds or org.kind in campaign.eligible_kinds)
        and (not campaign.eligible_levels or org.level in campaign.eligible_levels)
    )


@dataclass
class OpenCampaign:
    campaign: Campaign
    orgs: list[Org]  # the user's orgs that may still apply


def campaigns_open_to_clerk(user) -> list[OpenCampaign]:
    """Campaigns in the application stage that one of the user's orgs may still apply to (three queries)."""
    orgs = _clerk_orgs(user)
    if not orgs:
        return []
    campaigns = list(
        campaigns_for_user(user)
        .filter(stage=wf.APPLICATION)
        .select_related("organiser")
        .order_by("-year", "title")[:50]
    )
    applied = set(Application.objects.filter(campaign__in=campaigns, org__in=orgs).values_list("campaign_id", "org_id"))
    found = []
    for campaign in campaigns:
        open_orgs = [org for org in orgs if org_eligible(campaign, org) and (campaign.pk, org.pk) not in applied]
        if open_orgs:
            found.append(OpenCampaign(campaign, open_orgs))
    return found


# --- the recommender's queue -----------------------------------------------------------------------


def recommendation_queue(user, *, campaign_id: int | None = None):
    """Submitted applications whose recommending org lies in the user's ``application.recommend`` scope,
    oldest submission first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    deciding = scope_q(user, roles.APPLICATION_RECOMMEND, "recommender_org__path") | (
        Q(recommender_org__isnull=True) & scope_q(user, roles.APPLICATION_RECOMMEND, "org__parent__path")
    )
    queue = (
        applications_for_user(user)
        .filter(deciding, state=wf.SUBMITTED)
        .select_related("campaign", "org", "recommender_org")
        .order_by("submitted_at", "pk")
    )
    if campaign_id is not None:
        queue = queue.filter(campaign_id=campaign_id)
    return queue


def recommendation_campaigns(user) -> list[Campaign]:
    """The campaigns with applications waiting in the user's queue (for the filter)."""
    ids = recommendation_queue(user).values("campaign_id")
    return list(Campaign.objects.filter(pk__in=ids).order_by("-year", "title"))


def evidence_get(pk) -> Evidence:
    """An evidence file by id (404 when there is none). The caller checks access to its application
    through :func:`fazhi.campaigns.access.application_get_for_user`."""
    try:
        return Evidence.objects.get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def campaign_indicator(campaign: Campaign, pk) -> Indicator | None:
    """An indicator row of the campaign's standard, or None."""
    return Indicator.objects.filter(standard_id=campaign.standard_id, pk=pk).first()


def self_assessed_totals(applications: list[Application]) -> dict[int, int]:
    """Application id → self-assessed total for a page of applications: one query for all their answers,
    and the standard read once per campaign."""
    by_campaign: dict[int, Campaign] = {}
    for application in applications:
        by_campaign.setdefault(application.campaign_id, application.campaign)
    stored: dict[int, dict[str, Any]] = {application.pk: {} for application in applications}
    rows = Answer.objects.filter(application__in=applications, answer__isnull=False).values_list(
        "application_id", "indicator__code", "answer"
    )
    for application_id, code, answer in rows:
        stored[application_id][code] = answer
    totals = {}
    for application in applications:
        campaign = by_campaign[application.campaign_id]
        leaves = campaign_leaves(campaign)
        values = {
            code: answer_decode(leaves[code], raw) for code, raw in stored[application.pk].items() if code in leaves
        }
        totals[application.pk] = self_assessed(campaign_spec(campaign), values).total
    return totals
