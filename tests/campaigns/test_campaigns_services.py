"""Campaign services: every configuration rule refused with its rule code and nothing written; what may
change after launch; the pool and declared conflicts; audit events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from fazhi.campaigns import models as m
from fazhi.campaigns.services import campaigns as services
from fazhi.campaigns.services import pool as pool_services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.indicators import services as standard_services
from tests.factories import make_user
from tests.indicators.examples import example_standard

D = dt.date


def published_standard(tree, code="campaign-test", version="2026"):
    standard = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code=code, version=version)
    )
    return standard_services.standard_publish(actor=None, standard=standard)


START = D(2026, 3, 1)


def dates(start=START):
    """Consecutive 10-day stages from ``start``."""
    out, day = {}, start
    for stage in ("application", "recommendation", "review", "inspection", "notice", "naming"):
        out[stage] = (day, day + dt.timedelta(days=9))
        day += dt.timedelta(days=10)
    return out


def config(tree, standard, **overrides):
    values = {
        "organiser": tree.county,
        "kind": m.CampaignKind.DEMOCRACY_VILLAGE,
        "title": "青山县民主法治示范村创建",
        "batch": "第二批",
        "year": 2026,
        "standard": standard,
        "pass_score": 6000,
        "quota": 2,
        "eligible_kinds": ["village", "community"],
        "eligible_levels": [5],
        "recommend_level": 4,
        "stages": dates(),
    }
    return values | overrides


@pytest.fixture
def standard(tree):
    return published_standard(tree)


@pytest.fixture
def admin(personas):
    return personas["county_admin"]


def create(tree, standard, admin, **overrides):
    return services.campaign_create(actor=admin, **config(tree, standard, **overrides))


def test_create_saves_settings_dates_and_seeds_the_pool_with_the_subtrees_reviewers(tree, personas, standard, admin):
    outsider = make_user("outside_reviewer", org=tree.other_county, role="reviewer")
    township_reviewer = make_user("township_reviewer", org=tree.township, role="reviewer")
    campaign = create(tree, standard, admin)
    assert campaign.stage == "draft" and campaign.reviewers_per_application == 3 and campaign.notice_days == 7
    assert campaign.weight_review == 100 and campaign.method == "mean"
    stages = {row.stage: (row.opens_on, row.closes_on) for row in campaign.stages.all()}
    assert stages == dates()
    pool = set(campaign.pool.values_list("user__username", flat=True))
    assert pool == {"reviewer", township_reviewer.username}
    assert outsider.username not in pool
    event = AuditEvent.objects.get(action="campaigns.campaign.created")
    assert event.actor == admin and event.org_id == tree.county.pk
    assert event.new["pool"] == 2 and event.new["stages"]["naming"] == ["2026-04-20", "2026-04-29"]


REFUSALS = [
    ({"weight_review": 101, "weight_inspection": 0}, "campaigns.weight_range", "weight_review"),
    ({"weight_review": 60, "weight_inspection": 30}, "campaigns.weights_sum", "weight_review"),
    ({"weight_review": 50, "weight_inspection": 30, "weight_survey": 30}, "campaigns.weights_sum", "weight_review"),
    ({"pass_score": 10001}, "campaigns.pass_score", "pass_score"),
    ({"pass_score": -1}, "campaigns.pass_score", "pass_score"),
    ({"quota": 0}, "campaigns.quota", "quota"),
    ({"reviewers_per_application": 0}, "campaigns.reviewers", "reviewers_per_application"),
    ({"method": "trimmed", "reviewers_per_application": 4}, "campaigns.trimmed_reviewers", "reviewers_per_application"),
    ({"method": "median"}, "campaigns.method", "method"),
    ({"eligible_kinds": ["village", "castle"]}, "campaigns.eligible_kinds", "eligible_kinds"),
    ({"eligible_levels": [5, 9]}, "campaigns.eligible_levels", "eligible_levels"),
    ({"recommend_level": 5}, "campaigns.recommend_level", "recommend_level"),
    ({"recommend_level": 2}, "campaigns.recommend_level", "recommend_level"),
    ({"eligible_levels": [4, 5], "recommend_level": 4}, "campaigns.recommend_level", "recommend_level"),
    ({"kind": "fishing"}, "campaigns.kind", "kind"),
    ({"title": "  "}, "campaigns.title", "title"),
    ({"notice_days": 0}, "campaigns.notice_days", "notice_days"),
    (
        {"stages": dates() | {"review": (D(2026, 3, 25), D(2026, 3, 20))}},
        "campaigns.stage_dates",
        "review_closes",
    ),
    (
        {"stages": dates() | {"review": (D(2026, 3, 15), D(2026, 3, 30))}},
        "campaigns.stage_order",
        "review_opens",
    ),
]


@pytest.mark.parametrize(("overrides", "rule", "field"), REFUSALS, ids=[r[1] + ":" + r[2] for r in REFUSALS])
def test_create_refuses_each_broken_rule_and_writes_nothing(tree, standard, admin, overrides, rule, field):
    with pytest.raises(DomainError) as refused:
        create(tree, standard, admin, **overrides)
    assert (refused.value.rule, refused.value.field) == (rule, field)
    assert refused.value.message
    assert not m.Campaign.objects.exists() and not m.CampaignStage.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="campaigns.").exists()


@override_settings(FAZHI_TRIMMED_MIN_SHEETS=5)
def test_trimmed_mean_is_allowed_with_enough_reviewers(tree, standard, admin):
    campaign = create(tree, standard, admin, method="trimmed", reviewers_per_application=5)
    assert campaign.method == "trimmed"


def test_create_refuses_a_draft_standard(tree, admin):
    draft = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="draft-one", version="1")
    )
    with pytest.raises(DomainError) as refused:
        create(tree, draft, admin)
    assert (refused.value.rule, refused.value.field) == ("campaigns.standard_not_published", "standard")
    assert not m.Campaign.objects.exists()


def test_create_refuses_a_standard_the_actor_cannot_see(tree, personas):
    other_admin = make_user("other_admin", org=tree.other_county, role="administrator")
    draft = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="hidden", version="1")
    )
    with pytest.raises(DomainError) as refused:
        create(tree, draft, other_admin, organiser=tree.other_county)
    assert refused.value.rule == "campaigns.standard_not_visible"


@pytest.mark.parametrize("persona", ["township_clerk", "reviewer", "leader"])
def test_only_a_campaign_manager_of_the_organiser_creates(tree, personas, standard, persona):
    with pytest.raises(DomainError) as refused:
        create(tree, standard, personas[persona])
    assert refused.value.rule == "campaigns.not_manager"
    assert not m.Campaign.objects.exists()


def test_an_administrator_cannot_organise_for_another_county(tree, standard, admin):
    with pytest.raises(DomainError) as refused:
        create(tree, standard, admin, organiser=tree.other_county)
    assert refused.value.rule == "campaigns.not_manager"


def test_update_in_draft_changes_anything_and_audits_old_and_new(tree, standard, admin):
    campaign = create(tree, standard, admin)
    services.campaign_update(
        actor=admin,
        campaign=campaign,
        title="青山县民主法治示范村（社区）创建",
        weight_review=70,
        weight_survey=30,
        stages={"naming": (D(2026, 4, 20), D(2026, 6, 10))},
    )
    campaign.refresh_from_db()
    assert campaign.title == "青山县民主法治示范村（社区）创建" and campaign.weight_survey == 30
    assert campaign.stages.get(stage="naming").closes_on == D(2026, 6, 10)
    event = AuditEvent.objects.get(action="campaigns.campaign.updated")
    assert event.old["weight_review"] == 100 and event.new["weight_review"] == 70
    assert event.new["stages"]["naming"] == ["2026-04-20", "2026-06-10"]


def test_update_refuses_a_rule_and_writes_nothing(tree, standard, admin):
    campaign = create(tree, standard, admin)
    with pytest.raises(DomainError) as refused:
        services.campaign_update(actor=admin, campaign=campaign, weight_review=90)
    assert refused.value.rule == "campaigns.weights_sum"
    campaign.refresh_from_db()
    assert campaign.weight_review == 100
    assert not AuditEvent.objects.filter(action="campaigns.campaign.updated").exists()


def launched(tree, standard, admin, stage="application"):
    campaign = create(tree, standard, admin)
    m.Campaign.objects.filter(pk=campaign.pk).update(stage=stage)
    campaign.refresh_from_db()
    return campaign


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "新标题"}, "title"),
        ({"pass_score": 7000}, "pass_score"),
        ({"weight_review": 80, "weight_inspection": 20}, "weight_review"),
        ({"stages": {"application": (D(2026, 3, 2), D(2026, 3, 10))}}, "application_opens"),
        ({"stages": {"application": (D(2026, 3, 1), D(2026, 3, 9))}}, "application_closes"),
    ],
)
def test_after_launch_only_some_fields_change_and_the_refusal_names_the_field(tree, standard, admin, change, field):
    campaign = launched(tree, standard, admin)
    with pytest.raises(DomainError) as refused:
        services.campaign_update(actor=admin, campaign=campaign, **change)
    assert (refused.value.rule, refused.value.field) == ("campaigns.locked_field", field)
    assert not AuditEvent.objects.filter(action="campaigns.campaign.updated").exists()


def test_after_launch_later_dates_quota_and_notice_days_still_change(tree, standard, admin):
    campaign = launched(tree, standard, admin, stage="review")
    services.campaign_update(
        actor=admin,
        campaign=campaign,
        title=campaign.title,  # unchanged values are not changes
        quota=5,
        notice_days=10,
        stages={"inspection": (D(2026, 3, 31), D(2026, 4, 8))},
    )
    campaign.refresh_from_db()
    assert (campaign.quota, campaign.notice_days) == (5, 10)
    assert campaign.stages.get(stage="inspection").closes_on == D(2026, 4, 8)


def test_the_quota_is_fixed_once_the_notice_starts(tree, standard, admin):
    campaign = launched(tree, standard, admin, stage="notice")
    with pytest.raises(DomainError) as refused:
        services.campaign_update(actor=admin, campaign=campaign, quota=9)
    assert (refused.value.rule, refused.value.field) == ("campaigns.locked_field", "quota")


# --- pool and conflicts -----------------------------------------------------------------------------------


def test_pool_add_takes_a_reviewer_from_anywhere_and_refuses_others(tree, personas, standard, admin):
    campaign = create(tree, standard, admin)
    outsider = make_user("outside_reviewer", org=tree.other_county, role="reviewer")
    member = pool_services.pool_add(actor=admin, campaign=campaign, user=outsider, role="inspector")
    assert member.role == "inspector"
    assert AuditEvent.objects.filter(action="campaigns.campaign.reviewer_added", new__username=outsider.username)
    for user, rule in (
        (personas["township_clerk"], "campaigns.pool_not_reviewer"),
        (personas["reviewer"], "campaigns.pool_duplicate"),
    ):
        with pytest.raises(DomainError) as refused:
            pool_services.pool_add(actor=admin, campaign=campaign, user=user)
        assert refused.value.rule == rule
    with pytest.raises(DomainError) as refused:
        pool_services.pool_add(actor=personas["leader"], campaign=campaign, user=outsider)
    assert refused.value.rule == "campaigns.not_manager"


def test_pool_remove_refuses_a_reviewer_with_assignments(tree, personas, standard, admin):
    campaign = launched(tree, standard, admin, stage="review")
    member = campaign.pool.get(user=personas["reviewer"])
    application = m.Application.objects.create(campaign=campaign, org=tree.village, state="in_review")
    m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])
    with pytest.raises(DomainError) as refused:
        pool_services.pool_remove(actor=admin, member=member)
    assert refused.value.rule == "campaigns.pool_assigned"
    assert campaign.pool.filter(pk=member.pk).exists()

    spare = pool_services.pool_add(
        actor=admin, campaign=campaign, user=make_user("spare", org=tree.county, role="reviewer")
    )
    pool_services.pool_remove(actor=admin, member=spare)
    assert not campaign.pool.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(action="campaigns.campaign.reviewer_removed", old__username="spare").exists()


def test_a_pool_member_declares_and_withdraws_a_conflict(tree, personas, standard, admin):
    campaign = create(tree, standard, admin)
    reviewer = personas["reviewer"]
    conflict = pool_services.conflict_declare(
        actor=reviewer, campaign=campaign, org=tree.township, reason="配偶在该镇工作"
    )
    assert conflict.reviewer == reviewer and conflict.org == tree.township
    event = AuditEvent.objects.get(action="campaigns.campaign.conflict_declared")
    assert event.actor == reviewer and event.new["org_name"] == "城关镇"
    with pytest.raises(DomainError) as refused:
        pool_services.conflict_declare(actor=reviewer, campaign=campaign, org=tree.township, reason="再次")
    assert refused.value.rule == "campaigns.conflict_duplicate"
    pool_services.conflict_remove(actor=reviewer, conflict=conflict)
    assert not m.Conflict.objects.exists()
    assert AuditEvent.objects.filter(action="campaigns.campaign.conflict_removed").exists()


@pytest.mark.parametrize(
    ("who", "org", "reason", "rule"),
    [
        ("township_clerk", "township", "理由", "campaigns.conflict_not_pool"),
        ("reviewer", "other_village", "理由", "campaigns.conflict_org"),
        ("reviewer", "village", " ", "campaigns.conflict_reason"),
    ],
)
def test_conflict_declaration_refusals(tree, personas, standard, admin, who, org, reason, rule):
    campaign = create(tree, standard, admin)
    with pytest.raises(DomainError) as refused:
        pool_services.conflict_declare(actor=personas[who], campaign=campaign, org=getattr(tree, org), reason=reason)
    assert refused.value.rule == rule
    assert not m.Conflict.objects.exists()


def test_someone_elses_conflict_is_withdrawn_only_by_an_administrator(tree, personas, standard, admin):
    campaign = create(tree, standard, admin)
    conflict = pool_services.conflict_declare(
        actor=personas["reviewer"], campaign=campaign, org=tree.township, reason="亲属"
    )
    with pytest.raises(DomainError):
        pool_services.conflict_remove(actor=personas["leader"], conflict=conflict)
    pool_services.conflict_remove(actor=admin, conflict=conflict)
    assert not m.Conflict.objects.exists()


def test_update_by_someone_who_does_not_manage_the_organiser_is_refused(tree, personas, standard, admin):
    campaign = create(tree, standard, admin)
    with pytest.raises(DomainError) as refused:
        services.campaign_update(actor=personas["leader"], campaign=campaign, quota=5)
    assert refused.value.rule == "campaigns.not_manager"
    campaign.refresh_from_db()
    assert campaign.quota == 2


def test_a_stage_without_dates_cannot_be_given_dates(tree, standard, admin):
    with pytest.raises(DomainError) as refused:
        create(tree, standard, admin, stages={"closed": (D(2026, 1, 1), D(2026, 1, 2))})
    assert refused.value.rule == "campaigns.stage_unknown"
    assert not m.Campaign.objects.exists()


def test_a_closed_campaign_changes_no_more(tree, personas, standard, admin):
    campaign = launched(tree, standard, admin, stage="closed")
    with pytest.raises(DomainError) as refused:
        services.campaign_update(actor=admin, campaign=campaign, quota=5)
    assert refused.value.rule == "campaigns.closed"
    outsider = make_user("outside_reviewer", org=tree.other_county, role="reviewer")
    with pytest.raises(DomainError) as refused:
        pool_services.pool_add(actor=admin, campaign=campaign, user=outsider)
    assert refused.value.rule == "campaigns.closed"
    with pytest.raises(DomainError) as refused:
        pool_services.conflict_declare(actor=personas["reviewer"], campaign=campaign, org=tree.village, reason="亲属")
    assert refused.value.rule == "campaigns.closed"
