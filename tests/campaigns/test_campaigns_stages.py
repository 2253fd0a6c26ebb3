"""Stage transitions: what each needs before it moves, the notice period's dates and the units put on notice,
and the daily advance of campaigns whose planned dates ran out (dates passed explicitly)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from fazhi.campaigns import models as m
from fazhi.campaigns.services import campaigns as services
from fazhi.campaigns.services import notice as notice_services
from fazhi.campaigns.services import stages as stage_services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from tests.campaigns.test_campaigns_services import config, dates, published_standard
from tests.factories import make_user

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(personas):
    return personas["county_admin"]


@pytest.fixture
def campaign(tree, admin):
    return services.campaign_create(actor=admin, **config(tree, published_standard(tree)))


def at(campaign, stage, **fields):
    m.Campaign.objects.filter(pk=campaign.pk).update(stage=stage, **fields)
    campaign.refresh_from_db()
    return campaign


def test_launch_needs_every_stage_dated_and_names_what_is_missing(campaign, admin):
    services.campaign_update(actor=admin, campaign=campaign, stages={"naming": (None, None)})
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign)
    assert refused.value.rule == "campaigns.incomplete"
    assert "Naming" in refused.value.message
    campaign.refresh_from_db()
    assert campaign.stage == "draft"
    assert not AuditEvent.objects.filter(action="campaigns.campaign.stage_advanced").exists()


def test_launch_records_when_stages_closed_and_opened_and_audits(campaign, admin):
    stage_services.campaign_advance(actor=admin, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.stage == "application"
    row = campaign.stages.get(stage="application")
    assert row.opened_at is not None and row.closed_at is None
    event = AuditEvent.objects.get(action="campaigns.campaign.stage_advanced")
    assert (event.old, event.new, event.actor) == ({"stage": "draft"}, {"stage": "application"}, admin)
    stage_services.campaign_advance(actor=admin, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.stages.get(stage="application").closed_at is not None
    assert campaign.stages.get(stage="recommendation").opened_at is not None


def test_only_a_manager_advances(campaign, personas):
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=personas["leader"], campaign=campaign)
    assert refused.value.rule == "campaigns.not_manager"


def test_review_cannot_close_while_sheets_are_open_and_names_them(tree, campaign, admin):
    at(campaign, "review")
    reviewers = [
        make_user(f"rev{i:02d}", org=tree.county, role="reviewer", full_name=f"专家{i:02d}") for i in range(12)
    ]
    application = m.Application.objects.create(campaign=campaign, org=tree.village, state="in_review")
    done = m.Application.objects.create(campaign=campaign, org=tree.community, state="scored")
    for reviewer in reviewers:
        m.Assignment.objects.create(application=application, reviewer=reviewer)
    submitted = m.Assignment.objects.create(application=done, reviewer=reviewers[0])
    m.ScoreSheet.objects.create(assignment=submitted, status="submitted", total=2000, submitted_at=timezone.now())
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign)
    message = refused.value.message
    assert refused.value.rule == "campaigns.sheets_open"
    assert "专家00 → 东门村" in message and "专家09 → 东门村" in message
    assert "专家10" not in message and "and 2 more" in message
    assert "西街社区" not in message
    assert m.Campaign.objects.get(pk=campaign.pk).stage == "review"


def test_review_closes_when_every_sheet_is_submitted(tree, campaign, admin, personas):
    at(campaign, "review")
    application = m.Application.objects.create(campaign=campaign, org=tree.village, state="scored")
    assignment = m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])
    m.ScoreSheet.objects.create(assignment=assignment, status="submitted", total=2000, submitted_at=timezone.now())
    assert stage_services.campaign_advance(actor=admin, campaign=campaign).stage == "inspection"


def test_the_notice_needs_published_results(campaign, admin):
    at(campaign, "inspection")
    m.ResultVersion.objects.create(campaign=campaign, number=1)  # computed, not published
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign)
    assert refused.value.rule == "campaigns.results_unpublished"


def published_results(tree, campaign):
    """v1 (older, published) and v2 (published): passed within quota 东门村; passed outside quota 西街社区;
    failed 河口村."""
    village = m.Application.objects.create(campaign=campaign, org=tree.village, state="passed")
    community = m.Application.objects.create(campaign=campaign, org=tree.community, state="passed")
    village2 = m.Application.objects.create(campaign=campaign, org=tree.village2, state="failed")
    old = m.ResultVersion.objects.create(campaign=campaign, number=1, published_at=timezone.now())
    m.ApplicationResult.objects.create(version=old, application=community, rank=1, passed=True, in_quota=True)
    latest = m.ResultVersion.objects.create(campaign=campaign, number=2, published_at=timezone.now())
    for rank, (application, passed, in_quota) in enumerate(
        [(village, True, True), (community, True, False), (village2, False, False)], start=1
    ):
        m.ApplicationResult.objects.create(
            version=latest, application=application, rank=rank, passed=passed, in_quota=in_quota
        )
    return village, community, village2


def test_entering_the_notice_sets_its_dates_and_puts_the_passed_units_within_the_quota_on_notice(tree, campaign, admin):
    at(campaign, "inspection", notice_days=7)
    village, community, village2 = published_results(tree, campaign)
    stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 10))
    campaign.refresh_from_db()
    assert campaign.stage == "notice"
    # 7 calendar days, both ends included: 10 to 16 April (not the 8 days of 10 to 17).
    assert (campaign.notice_starts, campaign.notice_ends) == (D(2026, 4, 10), D(2026, 4, 16))
    states = dict(m.Application.objects.filter(campaign=campaign).values_list("org__name", "state"))
    assert states == {"东门村": "on_notice", "西街社区": "passed", "河口村": "failed"}
    event = AuditEvent.objects.get(action="campaigns.campaign.stage_advanced")
    assert event.new == {
        "stage": "notice",
        "notice_starts": "2026-04-10",
        "notice_ends": "2026-04-16",
        "on_notice": [village.pk],
    }
    assert AuditEvent.objects.filter(action="campaigns.application.put_on_notice", object_id=str(village.pk)).exists()


@pytest.mark.parametrize("days", [1, 7])
def test_a_notice_of_n_days_takes_objections_on_its_nth_day_and_not_the_day_after(tree, campaign, admin, days):
    at(campaign, "inspection", notice_days=days)
    village, _community, _village2 = published_results(tree, campaign)
    stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 10))
    campaign.refresh_from_db()
    last = D(2026, 4, 10) + dt.timedelta(days=days - 1)
    assert campaign.notice_ends == last
    fields = {"name": "张三", "contact": "13800000000", "reasons": "该村公示材料与实际情况不符。", "source": "s"}
    assert notice_services.objection_file(application=village, today=last, **fields).status == "filed"
    with pytest.raises(DomainError) as refused:
        notice_services.objection_file(application=village, today=last + dt.timedelta(days=1), **fields)
    assert refused.value.rule == "campaigns.objection.closed"
    # Naming may start the day after the last day, not on it.
    m.Objection.objects.update(status="dismissed")
    at(campaign, "notice")
    with pytest.raises(DomainError):
        stage_services.campaign_advance(actor=admin, campaign=campaign, today=last)
    assert (
        stage_services.campaign_advance(actor=admin, campaign=campaign, today=last + dt.timedelta(days=1)).stage
        == "naming"
    )


def notice_running(tree, campaign):
    at(campaign, "notice", notice_starts=D(2026, 4, 10), notice_ends=D(2026, 4, 16))
    return m.Application.objects.create(campaign=campaign, org=tree.village, state="on_notice")


def test_naming_waits_for_the_end_of_the_notice_period(tree, campaign, admin):
    notice_running(tree, campaign)
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 16))
    assert refused.value.rule == "campaigns.notice_running" and "2026-04-16" in refused.value.message
    assert stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 17)).stage == "naming"


def test_naming_waits_for_every_objection_to_be_decided(tree, campaign, admin):
    application = notice_running(tree, campaign)
    objection = m.Objection.objects.create(application=application, name="张三", contact="13800000000", reasons="不实")
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 20))
    assert refused.value.rule == "campaigns.objections_open" and "东门村" in refused.value.message
    m.Objection.objects.filter(pk=objection.pk).update(status="dismissed")
    assert stage_services.campaign_advance(actor=admin, campaign=campaign, today=D(2026, 4, 20)).stage == "naming"


def test_closing_waits_until_no_unit_is_left_on_notice(tree, campaign, admin):
    application = notice_running(tree, campaign)
    at(campaign, "naming")
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign)
    assert refused.value.rule == "campaigns.still_on_notice" and "东门村" in refused.value.message
    m.Application.objects.filter(pk=application.pk).update(state="named")
    assert stage_services.campaign_advance(actor=admin, campaign=campaign).stage == "closed"
    with pytest.raises(DomainError) as refused:
        stage_services.campaign_advance(actor=admin, campaign=campaign)
    assert refused.value.rule == "campaigns.closed"


# --- the daily run ---------------------------------------------------------------------------------------------


def test_advance_due_moves_overdue_stages_and_reports_blocked_ones(tree, admin, personas):
    standard = published_standard(tree)
    # Application closes 2026-03-10, recommendation 03-20, review 03-30 (dates()).
    moving = services.campaign_create(actor=admin, **config(tree, standard, title="按期推进的创建"))
    at(moving, "application")
    blocked = services.campaign_create(actor=admin, **config(tree, standard, title="评审未完成的创建"))
    at(blocked, "review")
    application = m.Application.objects.create(campaign=blocked, org=tree.village, state="in_review")
    m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])
    not_due = services.campaign_create(
        actor=admin, **config(tree, standard, title="未到期的创建", stages=dates(start=D(2026, 4, 1)))
    )
    at(not_due, "application")
    draft = services.campaign_create(actor=admin, **config(tree, standard, title="仍在筹备的创建"))

    report = stage_services.campaigns_advance_due(today=D(2026, 4, 1))
    assert [(c.title, a, b) for c, a, b in report.moved] == [
        ("按期推进的创建", "application", "recommendation"),
        ("按期推进的创建", "recommendation", "review"),
        ("按期推进的创建", "review", "inspection"),
    ]
    assert [(c.title, stage) for c, stage, _why in report.blocked] == [("评审未完成的创建", "review")]
    stages = dict(m.Campaign.objects.values_list("title", "stage"))
    assert stages["按期推进的创建"] == "inspection" and stages["评审未完成的创建"] == "review"
    assert stages["未到期的创建"] == "application"
    assert m.Campaign.objects.get(pk=draft.pk).stage == "draft"
    system_events = AuditEvent.objects.filter(action="campaigns.campaign.stage_advanced", actor__isnull=True)
    assert system_events.count() == 3


def test_the_command_prints_what_moved_and_what_could_not(tree, admin, personas, capsys):
    standard = published_standard(tree)
    moving = services.campaign_create(actor=admin, **config(tree, standard, title="按期推进的创建"))
    at(moving, "application")
    blocked = services.campaign_create(actor=admin, **config(tree, standard, title="评审未完成的创建"))
    at(blocked, "review")
    application = m.Application.objects.create(campaign=blocked, org=tree.village, state="in_review")
    m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])

    call_command("campaigns", "advance-due", "--today", "2026-03-31")
    out = capsys.readouterr().out
    assert "Moved: 按期推进的创建（第二批）: Application → Recommendation" in out
    assert "Could not move: 评审未完成的创建（第二批） (Expert review)" in out and "陈专家 → 东门村" in out
    assert "3 stage changes, 1 campaigns could not move" in out
    assert m.Campaign.objects.get(pk=moving.pk).stage == "inspection"
