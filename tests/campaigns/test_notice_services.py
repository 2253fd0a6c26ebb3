"""Objections: filing from the public (period, fields, rate limit, personal data kept out of the log) and the
administrator's decisions (uphold removes the unit, recomputes and lets the next unit onto the notice; dismiss
keeps it)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from fazhi.campaigns import models as m
from fazhi.campaigns.services import notice as services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from tests.campaigns.world_notice import notice_scenario

REASONS = "该村公示的台账材料与实际情况不符，请核查。"
SOURCE = services.objection_source("203.0.113.7")


@pytest.fixture
def scenario(tree):
    return notice_scenario(tree)


def file(application, *, name="张三", contact="13800000000", reasons=REASONS, source=SOURCE, today=None):
    return services.objection_file(
        application=application, name=name, contact=contact, reasons=reasons, source=source, today=today
    )


def test_objection_filed_during_the_notice_is_recorded_without_the_contact_in_the_audit_log(scenario):
    objection = file(scenario["first"])
    assert objection.status == m.ObjectionStatus.FILED
    assert objection.contact == "13800000000"
    event = AuditEvent.objects.get(action="campaigns.objection.filed")
    assert "13800000000" not in str(event.new) and "13800000000" not in event.object_repr
    assert event.new["name"] == "张*"
    assert "张三" not in str(event.new) + event.object_repr
    assert event.org_id == scenario["campaign"].organiser_id


@pytest.mark.parametrize("offset", [-2, 7])
def test_objection_outside_the_notice_period_is_refused_naming_the_dates(scenario, offset):
    campaign = scenario["campaign"]
    today = timezone.localdate() + dt.timedelta(days=offset)
    with pytest.raises(DomainError) as refused:
        file(scenario["first"], today=today)
    assert refused.value.rule == "campaigns.objection.closed"
    message = refused.value.message
    assert date_format(campaign.notice_starts, "DATE_FORMAT") in message
    assert date_format(campaign.notice_ends, "DATE_FORMAT") in message
    assert not m.Objection.objects.exists()


def test_objection_is_refused_once_the_campaign_left_the_notice_stage(scenario):
    campaign = scenario["campaign"]
    campaign.stage = m.Stage.NAMING
    campaign.save()
    with pytest.raises(DomainError) as refused:
        file(scenario["first"])
    assert refused.value.rule == "campaigns.objection.closed"


def test_objection_to_a_unit_not_on_notice_is_refused(scenario):
    with pytest.raises(DomainError) as refused:
        file(scenario["third"])
    assert refused.value.rule == "campaigns.objection.not_on_notice"
    assert "西街社区" in refused.value.message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "张"}, "name"),
        ({"name": "张" * 51}, "name"),
        ({"contact": "12345"}, "contact"),
        ({"contact": "1380000000"}, "contact"),  # ten digits
        ({"contact": "someone@"}, "contact"),
        ({"reasons": "太短了"}, "reasons"),
        ({"reasons": "理" * 2001}, "reasons"),
    ],
)
def test_invalid_fields_are_refused_naming_the_field(scenario, fields, field):
    with pytest.raises(DomainError) as refused:
        file(scenario["first"], **fields)
    assert refused.value.field == field
    assert not m.Objection.objects.exists()


@pytest.mark.parametrize("contact", ["13800000000", "0371-12345678", "037112345678", "010-87654321-123", "a@b.cn"])
def test_accepted_contacts(scenario, contact):
    assert file(scenario["first"], contact=contact).contact == contact


def test_all_bad_fields_are_reported_together():
    problems = services.objection_problems(name="", contact="x", reasons="短")
    assert set(problems) == {"name", "contact", "reasons"}


def test_rate_limit_per_source_counted_in_the_database(scenario, settings):
    settings.FAZHI_OBJECTIONS_PER_HOUR = 2
    file(scenario["first"])
    file(scenario["second"])
    with pytest.raises(DomainError) as refused:
        file(scenario["first"])
    assert refused.value.rule == "campaigns.objection.rate_limited"
    assert "2" in refused.value.message
    # Another address may still object; and an hour later the first may again.
    file(scenario["first"], source=services.objection_source("198.51.100.1"))
    m.Objection.objects.filter(source=SOURCE).update(filed_at=timezone.now() - dt.timedelta(hours=2))
    file(scenario["first"])
    assert m.Objection.objects.count() == 4


def test_source_is_a_keyed_hash_not_the_address():
    source = services.objection_source("203.0.113.7")
    assert len(source) == 64 and "203" not in source
    assert source != services.objection_source("203.0.113.8")


# --- decisions -----------------------------------------------------------------------------------


@pytest.fixture
def fake_recompute(monkeypatch):
    """Replace the results helper's recomputation: a new published version in which the removed unit is gone
    and 西街社区 moves into the quota."""
    calls = []

    def results_recompute(*, actor, campaign, reason):
        calls.append({"actor": actor, "campaign": campaign, "reason": reason})
        previous = campaign.result_versions.order_by("-number").first()
        version = m.ResultVersion.objects.create(
            campaign=campaign, number=previous.number + 1, reason=reason, published_at=timezone.now()
        )
        rank = 0
        for result in previous.results.select_related("application").order_by("rank"):
            if result.application.state == m.ApplicationState.REMOVED:
                continue
            rank += 1
            m.ApplicationResult.objects.create(
                version=version,
                application=result.application,
                composite=result.composite,
                passed=True,
                rank=rank,
                in_quota=rank <= campaign.quota,
            )
        return version

    module = importlib.import_module("fazhi.campaigns.services.results")
    monkeypatch.setattr(module, "results_recompute", results_recompute, raising=False)
    return calls


def test_upholding_removes_the_unit_recomputes_and_puts_the_next_unit_on_notice(scenario, personas, fake_recompute):
    admin = personas["county_admin"]
    objection = file(scenario["first"])
    services.objection_uphold(actor=admin, objection=objection, reason="经核查，反映情况属实。")
    objection.refresh_from_db()
    assert objection.status == m.ObjectionStatus.UPHELD
    assert objection.decision_reason == "经核查，反映情况属实。"
    assert objection.decided_by == admin
    states = {a.org.name: a.state for a in m.Application.objects.filter(campaign=scenario["campaign"])}
    assert states == {"河口村": "removed", "东门村": "on_notice", "西街社区": "on_notice"}
    assert len(fake_recompute) == 1 and "河口村" in fake_recompute[0]["reason"]
    event = AuditEvent.objects.get(action="campaigns.objection.upheld")
    assert event.new["now_on_notice"] == [scenario["third"].pk]
    assert AuditEvent.objects.filter(action="campaigns.application.put_on_notice").count() == 1


def test_uphold_without_the_results_helper_is_refused_and_nothing_changes(scenario, personas, monkeypatch):
    module = importlib.import_module("fazhi.campaigns.services.results")
    monkeypatch.delattr(module, "results_recompute", raising=False)
    objection = file(scenario["first"])
    with pytest.raises(DomainError) as refused:
        services.objection_uphold(actor=personas["county_admin"], objection=objection, reason="属实")
    assert refused.value.rule == "campaigns.results.unavailable"
    scenario["first"].refresh_from_db()
    objection.refresh_from_db()
    assert scenario["first"].state == "on_notice" and objection.status == "filed"


def test_dismissing_keeps_the_unit_on_notice(scenario, personas, fake_recompute):
    objection = file(scenario["first"])
    services.objection_dismiss(actor=personas["county_admin"], objection=objection, reason="反映情况与事实不符。")
    objection.refresh_from_db()
    scenario["first"].refresh_from_db()
    assert objection.status == m.ObjectionStatus.DISMISSED
    assert scenario["first"].state == m.ApplicationState.ON_NOTICE
    assert fake_recompute == []


@pytest.mark.parametrize("decide", [services.objection_uphold, services.objection_dismiss])
def test_a_decision_needs_a_reason(scenario, personas, decide, fake_recompute):
    objection = file(scenario["first"])
    with pytest.raises(DomainError) as refused:
        decide(actor=personas["county_admin"], objection=objection, reason="  ")
    assert refused.value.field == "reason"
    objection.refresh_from_db()
    assert objection.status == "filed"


def test_an_objection_is_decided_once(scenario, personas, fake_recompute):
    objection = file(scenario["first"])
    services.objection_dismiss(actor=personas["county_admin"], objection=objection, reason="不属实")
    with pytest.raises(DomainError) as refused:
        services.objection_uphold(actor=personas["county_admin"], objection=objection, reason="属实")
    assert refused.value.rule == "campaigns.objection.decided"


def test_a_second_upheld_objection_against_a_removed_unit_recomputes_nothing(scenario, personas, fake_recompute):
    one, two = file(scenario["first"]), file(scenario["first"], name="李四")
    services.objection_uphold(actor=personas["county_admin"], objection=one, reason="属实")
    services.objection_uphold(actor=personas["county_admin"], objection=two, reason="同上")
    two.refresh_from_db()
    assert two.status == "upheld" and len(fake_recompute) == 1


def test_decisions_only_in_the_notice_stage(scenario, personas, fake_recompute):
    objection = file(scenario["first"])
    campaign = scenario["campaign"]
    campaign.stage = m.Stage.NAMING
    campaign.save()
    with pytest.raises(DomainError) as refused:
        services.objection_dismiss(actor=personas["county_admin"], objection=objection, reason="不属实")
    assert refused.value.rule == "campaigns.wrong_stage"


def test_every_action_of_objections_has_a_label(scenario, personas, fake_recompute):
    from fazhi.core.audit import action_label

    services.objection_uphold(actor=personas["county_admin"], objection=file(scenario["first"]), reason="属实")
    services.objection_dismiss(actor=personas["county_admin"], objection=file(scenario["second"]), reason="不实")
    written = set(AuditEvent.objects.values_list("action", flat=True))
    assert len(written) >= 5
    assert sorted(action for action in written if not action_label(action)) == []
