"""The demo's campaigns: one in each promised stage, with the states docs/demo.md describes, and the
demo accounts open their own pages of them."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.campaigns.models import (
    Application,
    Assignment,
    Campaign,
    Designation,
    LeafScore,
    NamedList,
    Objection,
    ResultVersion,
    Veto,
)
from fazhi.core.audit import audit_verify
from fazhi.core.models import AuditEvent
from fazhi.demo.campaigns import EXPERT_ORG, EXPERTS
from fazhi.demo.city import DEMO_PASSWORD, demo_city_load
from fazhi.orgs.models import User


@pytest.fixture
def campaigns(db):
    demo_city_load()
    return {campaign.stage: campaign for campaign in Campaign.objects.select_related("standard")}


def states(campaign: Campaign) -> dict[str, str]:
    return dict(Application.objects.filter(campaign=campaign).values_list("org__name", "state"))


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD), username
    return client


def test_the_demo_has_a_campaign_applying_one_in_review_one_on_notice_and_one_finished(campaigns):
    assert set(campaigns) == {"application", "review", "notice", "closed"}
    assert {stage: c.organiser.name for stage, c in campaigns.items()} == {
        "application": "岚州市",
        "review": "岚州市",
        "notice": "柳溪县",
        "closed": "岚州市",
    }

    applying = campaigns["application"]
    assert states(applying) == {"柳林村": "draft", "河西村": "submitted", "青石村": "returned"}
    returned = Application.objects.get(campaign=applying, org__name="青石村")
    assert "请补充" in returned.decision_reason
    (evidence,) = Application.objects.get(campaign=applying, org__name="河西村").evidence.all()
    with default_storage.open(evidence.file.name, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == evidence.sha256

    reviewing = campaigns["review"]
    assert states(reviewing) == {
        "柳溪县司法局": "in_review",
        "柳城镇司法所": "in_review",
        "柳城镇综合行政执法队": "in_review",
    }
    sheets = {
        (a.application.org.name, a.reviewer.username): a.sheet.status
        for a in Assignment.objects.filter(application__campaign=reviewing).select_related(
            "application__org", "reviewer", "sheet"
        )
    }
    assert {reviewer for _org, reviewer in sheets} == set(EXPERTS)
    assert all(status == "submitted" for (_org, reviewer), status in sheets.items() if reviewer == "expert_lin")
    assert all(status == "draft" for (_org, reviewer), status in sheets.items() if reviewer != "expert_lin")
    assert LeafScore.objects.filter(sheet__assignment__reviewer__username="expert_zheng").exists()
    assert not LeafScore.objects.filter(
        sheet__assignment__reviewer__username="expert_gao", sheet__assignment__application__campaign=reviewing
    ).exists()


def test_the_county_campaign_is_on_public_notice_today_with_its_two_best_units(campaigns):
    noticed = campaigns["notice"]
    assert states(noticed) == {
        "柳溪县公安局": "on_notice",
        "柳溪县市场监督管理局": "on_notice",
        "柳溪县生态环境局": "passed",
    }
    assert noticed.notice_starts < timezone.localdate() < noticed.notice_ends
    page = Client().get(reverse("public_notice_detail", args=[noticed.pk])).content.decode()
    assert "柳溪县公安局" in page and "柳溪县市场监督管理局" in page and "柳溪县生态环境局" not in page
    assert signed_in("county_admin").get(reverse("objection_list", args=[noticed.pk])).status_code == 200


def test_the_finished_campaign_went_through_review_results_notice_and_naming(campaigns):
    named = campaigns["closed"]
    assert states(named) == {"城关社区": "named", "王家庄村": "named", "河西村": "failed"}
    assert Assignment.objects.filter(application__campaign=named, sheet__status="submitted").count() == 9
    (veto,) = Veto.objects.filter(application__campaign=named)
    assert (veto.application.org.name, veto.status, veto.item.code) == ("河西村", "recorded", "V4")
    (version,) = ResultVersion.objects.filter(campaign=named)
    assert version.published_at is not None and len(version.sha256) == 64
    (objection,) = Objection.objects.filter(application__campaign=named)
    assert objection.status == "dismissed" and objection.decision_reason
    designations = Designation.objects.filter(campaign=named).select_related("org")
    assert sorted(d.org.name for d in designations) == ["城关社区", "王家庄村"]
    assert all(d.status == "active" and d.certificate_number for d in designations)
    (named_list,) = NamedList.objects.filter(campaign=named)
    assert hashlib.sha256(named_list.content.encode()).hexdigest() == named_list.sha256
    assert "王家庄村" in named_list.content and "河西村" not in named_list.content
    # Each step was taken by the account that would take it, and the audit chain holds.
    actors = set(
        AuditEvent.objects.filter(action__startswith="campaigns.", actor__isnull=False).values_list(
            "actor__username", flat=True
        )
    )
    assert {"city_admin", "township_clerk", "township_recommender", *EXPERTS} <= actors
    assert audit_verify().ok


def test_the_experts_belong_to_the_expert_pool_outside_every_applicant(campaigns):
    for username in EXPERTS:
        (membership,) = User.objects.get(username=username).memberships.select_related("org__parent")
        assert (membership.org.name, membership.org.kind, membership.org.parent.name) == (EXPERT_ORG, "other", "岚州市")
        assert membership.role == "reviewer"


def test_the_demo_accounts_open_their_pages_of_the_campaigns(campaigns):
    applying, reviewing, named = campaigns["application"], campaigns["review"], campaigns["closed"]

    admin = signed_in("city_admin")
    page = admin.get(reverse("campaign_list")).content.decode()
    assert applying.title in page and reviewing.title in page
    for campaign in campaigns.values():
        assert admin.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 200

    queue = signed_in("township_recommender").get(reverse("recommendation_queue")).content.decode()
    assert "河西村" in queue and "青石村" not in queue

    village_clerk = signed_in("village_clerk")
    workspace = village_clerk.get(reverse("application_workspace")).content.decode()
    assert "柳林村" in workspace
    draft = Application.objects.get(campaign=applying, org__name="柳林村")
    assert village_clerk.get(reverse("application_detail", args=[draft.pk])).status_code == 200

    returned = Application.objects.get(campaign=applying, org__name="青石村")
    detail = signed_in("township_clerk").get(reverse("application_detail", args=[returned.pk])).content.decode()
    assert returned.decision_reason in detail

    for username in EXPERTS:
        expert = signed_in(username)
        mine = expert.get(reverse("review_queue")).content.decode()
        assert "柳溪县司法局" in mine and "柳城镇司法所" in mine, username
        assignment = Assignment.objects.filter(reviewer__username=username, application__campaign=reviewing).first()
        assert expert.get(reverse("assignment_sheet", args=[assignment.pk])).status_code == 200

    public = Client()
    assert named.title in public.get(reverse("public_named_list")).content.decode()
    units = public.get(reverse("public_named_detail", args=[named.pk])).content.decode()
    assert "王家庄村" in units and "城关社区" in units and "河西村" not in units
    designation = Designation.objects.filter(campaign=named).first()
    certificate = admin.get(reverse("designation_certificate", args=[designation.pk]))
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf"
    assert b"".join(certificate.streaming_content if certificate.streaming else [certificate.content])[:5] == b"%PDF-"
