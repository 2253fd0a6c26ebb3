"""Naming (designations, certificate numbers, the named list and its SHA-256) and dynamic management
(re-review: keep, revoke, cancel; revocation for a later veto event)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.campaigns.services import designations as services
from fazhi.campaigns.services import notice as notice_services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from tests.campaigns.world_notice import notice_scenario


@pytest.fixture
def scenario(tree):
    """The notice is over (it ended yesterday) and the campaign is in the naming stage."""
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today - dt.timedelta(days=7), ends=today - dt.timedelta(days=1))
    data["campaign"].stage = m.Stage.NAMING
    data["campaign"].save()
    return data


@pytest.fixture
def named(scenario, personas):
    return services.designations_name(actor=personas["county_admin"], campaign=scenario["campaign"])


def test_naming_gives_each_unit_on_notice_a_designation_with_a_gap_free_number(scenario, named):
    campaign = scenario["campaign"]
    assert [(d.org.name, d.certificate_number) for d in named] == [
        ("河口村", f"990101-2026-{campaign.pk}-001"),
        ("东门村", f"990101-2026-{campaign.pk}-002"),
    ]
    states = dict(m.Application.objects.filter(campaign=campaign).values_list("org__name", "state"))
    assert states == {"河口村": "named", "东门村": "named", "西街社区": "passed"}
    assert AuditEvent.objects.filter(action="campaigns.designation.named").count() == 2


def test_the_named_list_hash_matches_its_canonical_content(scenario, named):
    named_list = scenario["campaign"].named_lists.get()
    assert named_list.number == 1
    assert hashlib.sha256(named_list.content.encode("utf-8")).hexdigest() == named_list.sha256
    content = json.loads(named_list.content)
    # Canonical: the same text comes back from sorted keys, no spaces, no \u escapes.
    assert json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")) == named_list.content
    assert "河口村" in named_list.content  # not escaped
    assert content["campaign"]["title"] == "青山县民主法治示范村（社区）创建"
    assert content["campaign"]["batch"] == "第一批" and content["campaign"]["year"] == 2026
    assert [u["name"] for u in content["units"]] == ["河口村", "东门村"]
    assert content["units"][0]["code"] == "990101002001"
    assert content["units"][0]["named_on"] == timezone.localdate().isoformat()
    assert content["withdrawn"] == []


def test_naming_is_refused_before_the_notice_ends(tree, personas):
    data = notice_scenario(tree)
    data["campaign"].stage = m.Stage.NAMING
    data["campaign"].save()
    with pytest.raises(DomainError) as refused:
        services.designations_name(actor=personas["county_admin"], campaign=data["campaign"])
    assert refused.value.rule == "campaigns.designation.notice_not_over"
    assert not m.Designation.objects.exists()


def test_naming_is_refused_in_the_notice_stage(tree, personas):
    data = notice_scenario(tree)
    with pytest.raises(DomainError) as refused:
        services.designations_name(actor=personas["county_admin"], campaign=data["campaign"])
    assert refused.value.rule == "campaigns.wrong_stage"


def test_naming_is_refused_while_an_objection_is_undecided(scenario, personas):
    m.Objection.objects.create(application=scenario["first"], name="张三", contact="13800000000", reasons="不符合条件")
    with pytest.raises(DomainError) as refused:
        services.designations_name(actor=personas["county_admin"], campaign=scenario["campaign"])
    assert refused.value.rule == "campaigns.designation.objections_pending"
    assert not m.Designation.objects.exists() and not m.NamedList.objects.exists()


def test_naming_twice_finds_nobody_to_name(scenario, named, personas):
    with pytest.raises(DomainError) as refused:
        services.designations_name(actor=personas["county_admin"], campaign=scenario["campaign"])
    assert refused.value.rule == "campaigns.designation.none"


def test_rereview_keep_leaves_the_designation_and_the_list(named, personas):
    review = services.designation_rereview(
        actor=personas["county_admin"], designation=named[0], outcome="keep", reason="复核合格"
    )
    named[0].refresh_from_db()
    assert review.outcome == "keep" and named[0].status == "active"
    assert m.NamedList.objects.count() == 1


@pytest.mark.parametrize(("outcome", "status"), [("revoke", "revoked"), ("cancel", "cancelled")])
def test_rereview_revoke_or_cancel_publishes_a_new_list_and_keeps_the_old(scenario, named, personas, outcome, status):
    campaign = scenario["campaign"]
    first = campaign.named_lists.get()
    services.designation_rereview(
        actor=personas["county_admin"], designation=named[0], outcome=outcome, reason="动态复核不合格"
    )
    named[0].refresh_from_db()
    assert named[0].status == status and named[0].status_reason == "动态复核不合格"
    assert named[0].status_changed_at is not None
    lists = list(campaign.named_lists.order_by("number"))
    assert [n.number for n in lists] == [1, 2]
    assert lists[0].content == first.content and lists[0].sha256 == first.sha256  # the older stays readable
    content = json.loads(lists[1].content)
    assert [u["name"] for u in content["units"]] == ["东门村"]
    assert [(u["name"], u["status"]) for u in content["withdrawn"]] == [("河口村", status)]
    assert hashlib.sha256(lists[1].content.encode()).hexdigest() == lists[1].sha256 != first.sha256


def test_a_withdrawn_designation_cannot_be_rereviewed_again(named, personas):
    services.designation_rereview(actor=personas["county_admin"], designation=named[0], outcome="cancel", reason="撤销")
    with pytest.raises(DomainError) as refused:
        services.designation_rereview(actor=personas["county_admin"], designation=named[0], outcome="keep", reason="x")
    assert refused.value.rule == "campaigns.designation.not_active"


def test_rereview_needs_a_known_outcome_and_a_reason(named, personas):
    with pytest.raises(DomainError) as refused:
        services.designation_rereview(actor=personas["county_admin"], designation=named[0], outcome="pause", reason="x")
    assert refused.value.field == "outcome"
    with pytest.raises(DomainError) as refused:
        services.designation_rereview(actor=personas["county_admin"], designation=named[0], outcome="keep", reason="")
    assert refused.value.field == "reason"
    assert not m.DesignationReview.objects.exists()


def test_revocation_for_a_later_veto_event_records_the_veto_and_a_new_list(scenario, named, personas):
    item = scenario["campaign"].standard.veto.first()
    services.designation_revoke_for_veto(
        actor=personas["county_admin"], designation=named[1], veto_item=item, reason="发生重大群体性事件"
    )
    named[1].refresh_from_db()
    assert named[1].status == "revoked"
    veto = m.Veto.objects.get(application=named[1].application)
    assert veto.item == item and veto.status == "recorded"
    assert scenario["campaign"].named_lists.count() == 2
    event = AuditEvent.objects.get(action="campaigns.designation.revoked_for_veto")
    assert event.new["veto_item"] == item.code


def test_revocation_for_a_veto_refuses_an_item_of_another_standard(tree, named, personas):
    from fazhi.indicators import services as standard_services
    from tests.indicators.examples import example_standard

    other = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="other", version="1")
    )
    with pytest.raises(DomainError) as refused:
        services.designation_revoke_for_veto(
            actor=personas["county_admin"], designation=named[1], veto_item=other.veto.first(), reason="x"
        )
    assert refused.value.field == "veto_item"


def test_uphold_then_naming_names_the_unit_that_moved_in(tree, personas, monkeypatch):
    """The story: an objection upheld during the notice lets the third unit in; after the notice it is named."""
    import importlib

    data = notice_scenario(tree)
    admin = personas["county_admin"]

    def results_recompute(*, actor, campaign, reason):
        version = m.ResultVersion.objects.create(campaign=campaign, number=2, published_at=timezone.now())
        for rank, application in enumerate((data["second"], data["third"]), start=1):
            m.ApplicationResult.objects.create(
                version=version, application=application, composite=8000, passed=True, rank=rank, in_quota=True
            )
        return version

    monkeypatch.setattr(
        importlib.import_module("fazhi.campaigns.services.results"), "results_recompute", results_recompute
    )
    objection = notice_services.objection_file(
        application=data["first"],
        name="王五",
        contact="wang@example.cn",
        reasons="该村存在违法占地问题未整改。",
        source="s",
    )
    notice_services.objection_uphold(actor=admin, objection=objection, reason="属实")
    campaign = data["campaign"]
    campaign.stage = m.Stage.NAMING
    campaign.save()
    named = services.designations_name(
        actor=admin, campaign=campaign, today=campaign.notice_ends + dt.timedelta(days=1)
    )
    assert [d.org.name for d in named] == ["东门村", "西街社区"]


def test_every_action_the_notice_area_writes_has_a_label(scenario, named, personas):
    from fazhi.core.audit import action_label

    admin = personas["county_admin"]
    services.designation_rereview(actor=admin, designation=named[0], outcome="keep", reason="合格")
    services.designation_rereview(actor=admin, designation=named[0], outcome="revoke", reason="不合格")
    services.designation_revoke_for_veto(
        actor=admin, designation=named[1], veto_item=scenario["campaign"].standard.veto.first(), reason="事故"
    )
    notice_services.objection_list_viewed(actor=admin, campaign=scenario["campaign"], count=1)
    written = set(AuditEvent.objects.filter(action__startswith="campaigns.").values_list("action", flat=True))
    assert {"campaigns.designation.named", "campaigns.designation.list_published"} <= written
    assert sorted(action for action in written if not action_label(action)) == []
