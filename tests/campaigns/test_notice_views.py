"""The administrator's pages of the notice and naming: objections with contacts (and the audit of reading
them), deciding, naming, designations with re-review and veto revocation, and the certificate download."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from fazhi.campaigns import models as m
from fazhi.campaigns.services import designations as designation_services
from fazhi.campaigns.services import notice as notice_services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from tests.campaigns.world_notice import notice_scenario
from tests.factories import make_user

CONTACT = "13912345678"


@pytest.fixture
def scenario(tree):
    data = notice_scenario(tree)
    data["objection"] = notice_services.objection_file(
        application=data["first"],
        name="张三",
        contact=CONTACT,
        reasons="该村公示的台账材料与实际情况不符，请核查。",
        source="s",
    )
    return data


def test_objection_list_shows_contacts_to_the_administrator_and_records_the_reading(scenario, client_for):
    response = client_for("county_admin").get(reverse("objection_list", args=[scenario["campaign"].pk]))
    page = response.content.decode()
    assert CONTACT in page and "张三" in page
    event = AuditEvent.objects.get(action="campaigns.objection.viewed")
    assert event.actor.username == "county_admin" and event.new == {"objections_shown": 1}


def test_leaders_may_not_read_the_contacts(scenario, client_for):
    response = client_for("leader").get(reverse("objection_list", args=[scenario["campaign"].pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="campaigns.objection.viewed").exists()


def test_dismissing_through_the_page(scenario, client_for):
    url = reverse("objection_decide", args=[scenario["objection"].pk])
    response = client_for("county_admin").post(url, {"decision": "dismiss", "reason": "反映不实"})
    assert response.status_code == 302
    scenario["objection"].refresh_from_db()
    assert scenario["objection"].status == "dismissed"


def test_a_decision_without_a_reason_is_shown_on_the_form(scenario, client_for):
    url = reverse("objection_decide", args=[scenario["objection"].pk])
    response = client_for("county_admin").post(url, {"decision": "uphold", "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors


def test_upholding_through_the_page(scenario, client_for, monkeypatch):
    calls = []
    monkeypatch.setattr(
        importlib.import_module("fazhi.campaigns.services.results"),
        "results_recompute",
        lambda **kwargs: calls.append(kwargs),
    )
    url = reverse("objection_decide", args=[scenario["objection"].pk])
    assert client_for("county_admin").post(url, {"decision": "uphold", "reason": "属实"}).status_code == 302
    scenario["first"].refresh_from_db()
    assert scenario["first"].state == "removed" and len(calls) == 1


def test_naming_page_refuses_during_the_notice_then_names(scenario, client_for):
    admin = client_for("county_admin")
    campaign = scenario["campaign"]
    url = reverse("campaign_naming", args=[campaign.pk])
    response = admin.post(url)
    assert response.status_code == 400 and not m.Designation.objects.exists()
    notice_services.objection_dismiss(actor=None, objection=scenario["objection"], reason="不属实")
    campaign.stage = m.Stage.NAMING
    campaign.notice_ends = timezone.localdate() - dt.timedelta(days=1)
    campaign.save()
    response = admin.post(url)
    assert response.status_code == 302
    listing = admin.get(response["Location"]).content.decode()
    assert f"990101-2026-{campaign.pk}-001" in listing and "河口村" in listing


def test_naming_one_unit_says_so_in_the_singular(tree, client_for):
    today = timezone.localdate()
    data = notice_scenario(tree, quota=1, starts=today - dt.timedelta(days=7), ends=today - dt.timedelta(days=1))
    m.Application.objects.filter(pk=data["second"].pk).update(state=m.ApplicationState.PASSED)
    data["campaign"].stage = m.Stage.NAMING
    data["campaign"].save()
    admin = client_for("county_admin")
    response = admin.post(reverse("campaign_naming", args=[data["campaign"].pk]), headers={"Accept-Language": "en"})
    listing = admin.get(response["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert "1 unit is named." in listing and "1 units" not in listing


def test_naming_refuses_with_one_pending_objection_in_the_singular(scenario):
    campaign = scenario["campaign"]
    campaign.stage = m.Stage.NAMING
    campaign.notice_ends = timezone.localdate() - dt.timedelta(days=1)
    campaign.save()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        designation_services.designations_name(actor=None, campaign=campaign)
    assert refused.value.message == "1 objection is not decided yet: decide it before naming."


@pytest.fixture
def named(tree, personas):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today - dt.timedelta(days=7), ends=today - dt.timedelta(days=1))
    data["campaign"].stage = m.Stage.NAMING
    data["campaign"].save()
    data["designations"] = designation_services.designations_name(
        actor=personas["county_admin"], campaign=data["campaign"]
    )
    return data


def test_rereview_through_the_page(named, client_for):
    designation = named["designations"][0]
    url = reverse("designation_rereview", args=[designation.pk])
    admin = client_for("county_admin")
    assert admin.post(url, {"outcome": "cancel", "reason": "整改不到位"}).status_code == 302
    designation.refresh_from_db()
    assert designation.status == "cancelled"
    assert "整改不到位" in admin.get(url).content.decode()


def test_veto_revocation_through_the_page(named, client_for):
    designation = named["designations"][1]
    item = named["campaign"].standard.veto.first()
    response = client_for("county_admin").post(
        reverse("designation_veto", args=[designation.pk]), {"veto_item": item.pk, "reason": "发生重大安全事故"}
    )
    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.status == "revoked"


def test_designation_pages_do_not_speak_of_revoking_api_keys(named, client_for):
    """A designation is withdrawn (撤销), not revoked like an API key (吊销): its own msgids, in context."""
    admin = client_for("county_admin")
    active, revoked = named["designations"]
    assert "吊销" not in admin.get(reverse("designation_rereview", args=[active.pk])).content.decode()  # the button
    item = named["campaign"].standard.veto.first()
    admin.post(reverse("designation_veto", args=[revoked.pk]), {"veto_item": item.pk, "reason": "发生重大安全事故"})
    assert "吊销" not in admin.get(reverse("designation_rereview", args=[revoked.pk])).content.decode()  # the status
    admin.post(reverse("designation_rereview", args=[active.pk]), {"outcome": "cancel", "reason": "整改不到位"})
    assert "取消" not in admin.get(reverse("designation_rereview", args=[active.pk])).content.decode()  # 注销, not 取消


def test_the_designated_units_clerk_downloads_the_certificate_others_do_not(named, tree, client_for):
    designation = named["designations"][0]  # 河口村
    url = reverse("designation_certificate", args=[designation.pk])
    clerk = Client()
    clerk.force_login(make_user("hekou_clerk", org=tree.village2, role="clerk"))
    response = clerk.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert designation.certificate_number in response["Content-Disposition"]
    assert client_for("township_clerk").get(url).status_code == 404  # 城关镇's clerk: not their unit
    assert client_for("county_admin").get(url).status_code == 200


def test_designation_list_keeps_a_constant_number_of_queries(named, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = client_for("county_admin")
    url = reverse("designation_list")
    with CaptureQueriesContext(connection) as two:
        page = admin.get(url).content.decode()
    assert "东门村" in page
    m.Application.objects.filter(pk=named["third"].pk).update(state=m.ApplicationState.NAMED)
    m.Designation.objects.create(
        application=named["third"],
        campaign=named["campaign"],
        org=named["third"].org,
        certificate_number="X-3",
        named_at=timezone.now(),
    )
    with CaptureQueriesContext(connection) as three:
        page = admin.get(url).content.decode()
    assert "西街社区" in page
    assert len(three) == len(two)
