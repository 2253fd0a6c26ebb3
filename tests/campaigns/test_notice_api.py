"""The notice and naming through the JSON API: a program can read the notice, file an objection without
credentials, decide it, name the units, re-review a designation and check the named list's SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.core.models import AuditEvent
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.world_notice import notice_scenario

OBJECTION = {"name": "张三", "contact": "zhangsan@example.cn", "reasons": "该村公示的台账材料与实际情况不符，请核查。"}


@pytest.fixture
def admin_api(personas):
    key = api_token_create(actor=None, user=personas["county_admin"], name="脚本")[1]
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_public_files_an_objection_without_credentials_and_the_administrator_decides(tree, admin_api, monkeypatch):
    data = notice_scenario(tree)
    campaign = data["campaign"]
    public = Client()
    notices = public.get(reverse("api-1:notice_list")).json()
    assert [n["id"] for n in notices] == [campaign.pk] and notices[0]["units"] == 2
    detail = public.get(reverse("api-1:notice_detail", args=[campaign.pk])).json()
    assert detail["open"] is True
    assert [(u["name"], u["rank"], u["composite"]) for u in detail["units"]] == [
        ("河口村", 1, 91.5),
        ("东门村", 2, 87.2),
    ]

    url = reverse("api-1:objection_file", args=[data["first"].pk])
    response = post(public, url, OBJECTION)
    assert response.status_code == 201, response.content
    assert "zhangsan@example.cn" not in response.content.decode()
    bad = post(public, url, {**OBJECTION, "contact": "nobody"})
    assert bad.status_code == 400 and bad.json()["field"] == "contact"

    listed = admin_api.get(reverse("api-1:objection_list", args=[campaign.pk])).json()
    assert listed[0]["contact"] == "zhangsan@example.cn"
    assert AuditEvent.objects.filter(action="campaigns.objection.viewed").count() == 1

    monkeypatch.setattr(
        importlib.import_module("fazhi.campaigns.services.results"), "results_recompute", lambda **kwargs: None
    )
    decided = post(
        admin_api, reverse("api-1:objection_decide", args=[listed[0]["id"]]), {"decision": "uphold", "reason": "属实"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    data["first"].refresh_from_db()
    assert data["first"].state == "removed"


def test_an_objection_outside_the_period_is_a_400_naming_the_rule(tree):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today + dt.timedelta(days=1), ends=today + dt.timedelta(days=7))
    response = post(Client(), reverse("api-1:objection_file", args=[data["first"].pk]), OBJECTION)
    assert response.status_code == 400 and response.json()["rule"] == "campaigns.objection.closed"


def test_naming_rereview_and_the_named_list_hash(tree, admin_api):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today - dt.timedelta(days=7), ends=today - dt.timedelta(days=1))
    campaign = data["campaign"]
    campaign.stage = m.Stage.NAMING
    campaign.save()
    named = post(admin_api, reverse("api-1:designations_name", args=[campaign.pk]))
    assert named.status_code == 201
    numbers = [d["certificate_number"] for d in named.json()]
    assert numbers == [f"990101-2026-{campaign.pk}-001", f"990101-2026-{campaign.pk}-002"]

    listed = Client().get(reverse("api-1:named_list", args=[campaign.pk])).json()
    assert hashlib.sha256(listed["content"].encode("utf-8")).hexdigest() == listed["sha256"]
    assert [u["name"] for u in listed["list"]["units"]] == ["河口村", "东门村"]

    designation = named.json()[0]["id"]
    response = post(
        admin_api,
        reverse("api-1:designation_rereview", args=[designation]),
        {"outcome": "revoke", "reason": "动态复核不合格"},
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    latest = Client().get(reverse("api-1:named_list", args=[campaign.pk])).json()
    assert latest["version"] == 2 and [u["name"] for u in latest["list"]["units"]] == ["东门村"]
    first = Client().get(reverse("api-1:named_list", args=[campaign.pk]) + "?version=1").json()
    assert first["sha256"] == listed["sha256"]
    designations = admin_api.get(reverse("api-1:designation_list", args=[campaign.pk])).json()
    assert {d["unit"]: d["status"] for d in designations} == {"河口村": "revoked", "东门村": "active"}
