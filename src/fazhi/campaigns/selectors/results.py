"""Reads of the results area: the reference engine path, the result versions a user may read, their rows.

:func:`campaign_review_engine` computes every application's review result with the pure engine
(:func:`fazhi.indicators.scoring.aggregate`) from the stored answers: the reference the set-based path
(:mod:`fazhi.campaigns.results_sql`) must agree with. It loads every sheet, so it is for tests and
checks, not for a campaign of 50,000 applications.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum

from fazhi.campaigns import access
from fazhi.campaigns.models import (
    ApplicationResult,
    BonusAward,
    Campaign,
    InspectionScore,
    LeafScore,
    ResultVersion,
    SheetStatus,
    SurveyToken,
)
from fazhi.campaigns.results_sql import RESULT_STATES, ReviewRow, vetoed_ids
from fazhi.campaigns.selectors.applications import answer_decode, campaign_spec
from fazhi.indicators.models import BonusItem, Indicator
from fazhi.indicators.scoring import Sheet, aggregate

# --- the reference path ---------------------------------------------------------------------------


def campaign_review_engine(campaign: Campaign, *, states: tuple[str, ...] = RESULT_STATES) -> dict[int, ReviewRow]:
    """Every application's review result by the engine, from the stored answers (by application id).

    The same shape as :func:`fazhi.campaigns.results_sql.campaign_review_rows`, outliers left empty."""
    standard = campaign_spec(campaign)
    leaves = {leaf.code: leaf for leaf in standard.leaves()}
    codes = dict(Indicator.objects.filter(standard_id=campaign.standard_id).values_list("pk", "code"))
    bonus_codes = dict(BonusItem.objects.filter(standard_id=campaign.standard_id).values_list("pk", "code"))
    sheets: dict[int, dict[int, dict]] = defaultdict(dict)  # app -> sheet -> {reviewer, answers, bonus}
    scores = LeafScore.objects.filter(
        sheet__status=SheetStatus.SUBMITTED,
        sheet__assignment__application__campaign=campaign,
        sheet__assignment__application__state__in=states,
    ).values_list(
        "sheet_id", "sheet__assignment__application_id", "sheet__assignment__reviewer_id", "indicator_id", "answer"
    )
    for sheet, app, reviewer, indicator, answer in scores:
        entry = sheets[app].setdefault(sheet, {"reviewer": reviewer, "answers": {}, "bonus": {}})
        code = codes[indicator]
        entry["answers"][code] = answer_decode(leaves[code], answer)
    awards = BonusAward.objects.filter(
        sheet__status=SheetStatus.SUBMITTED, sheet__assignment__application__campaign=campaign
    )
    for sheet, app, item in awards.values_list("sheet_id", "sheet__assignment__application_id", "item_id"):
        if app in sheets and sheet in sheets[app]:
            sheets[app][sheet]["bonus"][bonus_codes[item]] = True
    vetoed = vetoed_ids(campaign)
    rows = {}
    for app, by_sheet in sheets.items():
        result = aggregate(
            standard,
            [Sheet(reviewer=s["reviewer"], answers=s["answers"], bonus=s["bonus"]) for s in by_sheet.values()],
            campaign.method,
            application=app,
            vetoed=app in vetoed,
            min_sheets=settings.FAZHI_TRIMMED_MIN_SHEETS,
        )
        rows[app] = ReviewRow(
            application=app,
            total=result.total,
            subtotals=result.subtotals,
            bonus=result.bonus,
            reviewers=result.reviewers,
            sheets=result.sheets,
            vetoed=result.vetoed,
            passed=result.passed,
        )
    return rows


# --- components ---------------------------------------------------------------------------------


def campaign_inspection_sums(campaign: Campaign) -> dict[int, tuple[int, int]]:
    """Per application: (Σ inspection scores, count) — one query."""
    rows = (
        InspectionScore.objects.filter(application__campaign=campaign)
        .values("application_id")
        .annotate(total=Sum("score"), count=Count("id"))
        .values_list("application_id", "total", "count")
    )
    return {app: (int(total), count) for app, total, count in rows}


def campaign_survey_counts(campaign: Campaign) -> dict[int, tuple[int, int]]:
    """Per application: (satisfied answers, answers) — one query. An unanswered token does not count."""
    rows = (
        SurveyToken.objects.filter(application__campaign=campaign, satisfied__isnull=False)
        .values("application_id")
        .annotate(satisfied_count=Count("id", filter=Q(satisfied=True)), answered=Count("id"))
        .values_list("application_id", "satisfied_count", "answered")
    )
    return {app: (satisfied, answered) for app, satisfied, answered in rows}


# --- versions -----------------------------------------------------------------------------------


def versions_for_user(user, campaign: Campaign):
    """The versions ``user`` may read: every one for the campaign's managers, the published ones for
    its other viewers (leaders). Newest first."""
    versions = ResultVersion.objects.filter(campaign=campaign).select_related("computed_by", "published_by")
    if not access.can_manage(user, campaign):
        versions = versions.filter(published_at__isnull=False)
    return versions.order_by("-number")


def results_visible(user, campaign: Campaign) -> bool:
    """Results pages are for the campaign's administrators and leaders (``campaign.view`` over the organiser)."""
    return access.can_view_all(user, campaign)


def version_rows(version: ResultVersion):
    """The rows of a version in rank order, with the applicant (one query)."""
    return ApplicationResult.objects.filter(version=version).select_related("application__org").order_by("rank")


def version_get_for_user(user, pk, *, manage: bool = False) -> ResultVersion:
    """A result version the user may read: 404 outside the campaign's viewers and for an unpublished
    version of someone who does not manage the campaign; 403 for a participant who is no results reader
    (a clerk of the area), or for ``manage`` without the right."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        version = ResultVersion.objects.select_related("campaign").get(pk=pk)
    except (ResultVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    campaign = access.campaign_get_for_user(user, version.campaign_id)
    if not results_visible(user, campaign):
        raise PermissionDenied
    managing = access.can_manage(user, campaign)
    if version.published_at is None and not managing:
        raise Http404
    if manage and not managing:
        raise PermissionDenied
    version.campaign = campaign
    return version


def results_campaign_get_for_user(user, pk, *, manage: bool = False) -> Campaign:
    """The campaign, for its results pages: 404 outside its viewers, 403 for a participant who is no
    results reader (clerks, recommenders) or for ``manage`` without the right."""
    from django.core.exceptions import PermissionDenied

    campaign = access.campaign_get_for_user(user, pk)
    if not results_visible(user, campaign) or (manage and not access.can_manage(user, campaign)):
        raise PermissionDenied
    return campaign


def outlier_names(rows) -> dict[int, str]:
    """The names of the reviewers flagged in ``rows`` (one query)."""
    from django.contrib.auth import get_user_model

    ids = {pk for row in rows for pk in row.outliers}
    if not ids:
        return {}
    return {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=ids)}
