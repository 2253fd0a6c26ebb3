"""Computing, publishing and recomputing a campaign's results: ranking, quota, veto, outliers, components,
the refusals that name what is missing, frozen versions, and the background job."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import override_settings
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.campaigns.services.results import (
    canonical_json,
    results_compute,
    results_compute_start,
    results_publish,
    results_recompute,
    version_content,
)
from fazhi.core.audit import AuditEvent
from fazhi.core.errors import DomainError
from fazhi.core.models import Job
from fazhi.indicators import spec
from tests.campaigns.results_data import manual_sheet, reviewers, scored_campaign

pytestmark = pytest.mark.django_db

# 100 points: level-1 "1" (1.1 worth 50, 1.2 worth 30) and "2" (a leaf worth 20); bonus B1 3 points, cap 5.
STANDARD = spec.Standard(
    code="results-services",
    version="1",
    title="结果测试标准",
    total=10000,
    pass_score=6000,
    bonus_cap=500,
    indicators=(
        spec.Indicator(
            code="1",
            title="制度建设",
            points=8000,
            children=(
                spec.Indicator(code="1.1", title="学法制度", points=5000, rule=spec.Rule(spec.MANUAL, step=50)),
                spec.Indicator(code="1.2", title="普法责任", points=3000, rule=spec.Rule(spec.MANUAL, step=50)),
            ),
        ),
        spec.Indicator(code="2", title="依法决策", points=2000, rule=spec.Rule(spec.MANUAL, step=50)),
    ),
    bonus=(spec.BonusItem("B1", "创新举措", 300),),
)


def three(users, **scores):
    """Three sheets, each with the given leaf scores (the rest full)."""
    return [manual_sheet(STANDARD, user, scores) for user in users[:3]]


def rows(version):
    return {r.application.org.name: r for r in version.results.select_related("application__org")}


def test_ranking_puts_the_vetoed_last_and_the_quota_names_the_top_passed(tree, personas):
    users = reviewers(3, tree.county)
    campaign, apps = scored_campaign(
        tree,
        STANDARD,
        {
            tree.village: three(users, **{"1.1": 4000}),  # 90.00
            tree.community: three(users, **{"1.1": 2000}),  # 70.00
            tree.village2: three(users),  # 100.00, but vetoed
            tree.township: three(users, **{"1.1": 0, "1.2": 500}),  # 25.00: fails
        },
        vetoed={tree.village2},
        quota=1,
    )
    version = results_compute(actor=personas["county_admin"], campaign=campaign)
    result = rows(version)
    order = [r.application.org.name for r in version.results.order_by("rank")]
    assert order == ["东门村", "西街社区", "城关镇", "河口村"]
    assert [result[name].composite for name in order] == [9000, 7000, 2500, 10000]
    assert (result["东门村"].passed, result["东门村"].in_quota) == (True, True)
    assert (result["西街社区"].passed, result["西街社区"].in_quota) == (True, False)  # passed, beyond the quota
    assert (result["河口村"].vetoed, result["河口村"].passed) == (True, False)
    assert result["城关镇"].passed is False
    assert result["东门村"].subtotals == {"1": 7000, "2": 2000}
    assert version.published_at is None and version.number == 1
    assert AuditEvent.objects.filter(action="campaigns.results.computed", object_id=str(version.pk)).exists()


def test_ties_are_broken_by_level1_subtotals_then_the_earlier_submission(tree, personas):
    users = reviewers(3, tree.county)
    now = timezone.now()
    campaign, _apps = scored_campaign(
        tree,
        STANDARD,
        {
            tree.village: three(users, **{"1.1": 4000, "2": 1000}),  # 1 = 70, 2 = 10 → 80
            tree.community: three(users, **{"1.1": 3000}),  # 1 = 60, 2 = 20 → 80
            tree.village2: three(users, **{"1.1": 3000}),  # the same as 西街社区, submitted earlier
        },
        submitted_at={tree.village: now, tree.community: now, tree.village2: now - dt.timedelta(days=1)},
    )
    version = results_compute(actor=personas["county_admin"], campaign=campaign)
    assert [r.application.org.name for r in version.results.order_by("rank")] == ["东门村", "河口村", "西街社区"]


def test_a_reviewer_far_from_the_others_is_flagged(tree, personas):
    users = reviewers(3, tree.county)
    campaign, apps = scored_campaign(
        tree,
        STANDARD,
        {
            tree.village: [
                manual_sheet(STANDARD, users[0], {"1.1": 3000}),  # 80: 8 points from (80 + 64) / 2
                manual_sheet(STANDARD, users[1], {"1.1": 3000}),  # 80
                manual_sheet(STANDARD, users[2], {"1.1": 1400}),  # 64: 16 points (> 10 % of 100) from 80
            ],
            tree.community: three(users, **{"1.1": 4500}),
        },
    )
    result = rows(results_compute(actor=personas["county_admin"], campaign=campaign))
    assert result["东门村"].outliers == [users[2].pk]
    assert result["西街社区"].outliers == []


def test_weighted_components_enter_the_composite_and_a_missing_one_counts_zero(tree, personas):
    users = reviewers(3, tree.county)
    campaign, apps = scored_campaign(
        tree, STANDARD, {tree.village: three(users), tree.community: three(users)}, weights=(60, 30, 10)
    )
    inspector = personas["reviewer"]
    m.InspectionScore.objects.create(application=apps[tree.village], inspector=inspector, score=8000)
    m.InspectionScore.objects.create(application=apps[tree.village], inspector=users[0], score=8500)
    for i, satisfied in enumerate([True, True, False, None]):
        m.SurveyToken.objects.create(application=apps[tree.village], token=f"t{i}", satisfied=satisfied)
    result = rows(results_compute(actor=personas["county_admin"], campaign=campaign))
    village = result["东门村"]
    assert (village.review_component, village.inspection_component, village.survey_component) == (10000, 8250, 6667)
    # 60 × 100 + 30 × 82.5 + 10 × 66.666… = 91.4166… → 91.42, rounded once from the exact components
    assert village.composite == 9142
    community = result["西街社区"]
    assert (community.inspection_component, community.survey_component) == (None, None)
    assert community.composite == 6000


def test_computing_is_refused_before_the_inspection_stage(tree, personas):
    users = reviewers(3, tree.county)
    campaign, _ = scored_campaign(tree, STANDARD, {tree.village: three(users)}, stage=m.Stage.REVIEW)
    with pytest.raises(DomainError) as refused:
        results_compute(actor=personas["county_admin"], campaign=campaign)
    assert refused.value.rule == "campaigns.wrong_stage"
    assert not m.ResultVersion.objects.filter(campaign=campaign).exists()


def test_a_sheet_not_submitted_is_named_and_nothing_is_computed(tree, personas):
    users = reviewers(4, tree.county)
    campaign, apps = scored_campaign(tree, STANDARD, {tree.village: three(users), tree.community: three(users)})
    assignment = m.Assignment.objects.create(application=apps[tree.community], reviewer=users[3])
    m.ScoreSheet.objects.create(assignment=assignment)  # a draft
    with pytest.raises(DomainError, match="西街社区") as refused:
        results_compute(actor=personas["county_admin"], campaign=campaign)
    assert "东门村" not in str(refused.value)
    assert refused.value.rule == "results.sheets_missing"
    assert not m.ResultVersion.objects.filter(campaign=campaign).exists()


def test_trimmed_with_too_few_sheets_is_refused_naming_the_application(tree, personas):
    users = reviewers(5, tree.county)
    campaign, _ = scored_campaign(
        tree,
        STANDARD,
        {tree.village: [manual_sheet(STANDARD, u, {}) for u in users], tree.community: three(users)},
        method="trimmed",
    )
    with pytest.raises(DomainError, match="西街社区") as refused:
        results_compute(actor=personas["county_admin"], campaign=campaign)
    assert refused.value.rule == "results.too_few_sheets"
    with override_settings(FAZHI_TRIMMED_MIN_SHEETS=3):
        version = results_compute(actor=personas["county_admin"], campaign=campaign)
    assert rows(version)["西街社区"].reviewers == 1


def test_publishing_freezes_the_version_and_decides_the_applications(tree, personas):
    users = reviewers(3, tree.county)
    admin = personas["county_admin"]
    campaign, apps = scored_campaign(
        tree, STANDARD, {tree.village: three(users), tree.community: three(users, **{"1.1": 0, "1.2": 0})}
    )
    version = results_publish(actor=admin, version=results_compute(actor=admin, campaign=campaign))
    assert version.published_at is not None
    assert version.sha256 == hashlib.sha256(canonical_json(version_content(version))).hexdigest()
    for app in apps.values():
        app.refresh_from_db()
    assert (apps[tree.village].state, apps[tree.community].state) == (
        m.ApplicationState.PASSED,
        m.ApplicationState.FAILED,
    )
    with pytest.raises(DomainError) as refused:
        results_publish(actor=admin, version=version)
    assert refused.value.rule == "results.already_published"

    # A new computation is a new version; computing again replaces the unpublished one, never the published.
    second = results_compute(actor=admin, campaign=campaign)
    third = results_compute(actor=admin, campaign=campaign)
    assert (second.number, third.number) == (2, 2)
    assert not m.ResultVersion.objects.filter(pk=second.pk).exists()
    version.refresh_from_db()
    assert version.results.count() == 2 and version.sha256


def test_recomputing_after_a_veto_publishes_a_new_version_and_keeps_the_old(tree, personas):
    users = reviewers(3, tree.county)
    admin = personas["county_admin"]
    campaign, apps = scored_campaign(tree, STANDARD, {tree.village: three(users), tree.community: three(users)})
    first = results_publish(actor=admin, version=results_compute(actor=admin, campaign=campaign))
    m.Application.objects.filter(pk=apps[tree.village].pk).update(state=m.ApplicationState.ON_NOTICE)
    m.Campaign.objects.filter(pk=campaign.pk).update(stage=m.Stage.NOTICE)
    campaign.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        results_recompute(actor=admin, campaign=campaign, reason=" ")
    assert refused.value.rule == "results.reason_required"
    veto_item = campaign.standard.veto.get()
    m.Veto.objects.create(application=apps[tree.village], item=veto_item, status=m.VetoStatus.RECORDED, reason="查实")
    second = results_recompute(actor=admin, campaign=campaign, reason="核实一票否决事项")
    assert second.number == 2 and second.published_at is not None
    assert rows(second)["东门村"].vetoed and rows(second)["东门村"].rank == 2
    assert not rows(first)["东门村"].vetoed and rows(first)["东门村"].rank in (1, 2)
    apps[tree.village].refresh_from_db()
    assert apps[tree.village].state == m.ApplicationState.ON_NOTICE  # states are not touched after inspection
    assert AuditEvent.objects.filter(action="campaigns.results.recomputed").count() == 1


def test_the_compute_job_runs_in_the_background_and_reports_the_version(
    tree, personas, django_capture_on_commit_callbacks
):
    users = reviewers(3, tree.county)
    campaign, _ = scored_campaign(tree, STANDARD, {tree.village: three(users)})
    with django_capture_on_commit_callbacks(execute=True):
        job = results_compute_start(actor=personas["county_admin"], campaign=campaign)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.summary["version"] == 1
    assert m.ResultVersion.objects.get(campaign=campaign).results.count() == 1
