"""Campaigns through the JSON API: a program creates a campaign, configures it, launches it, manages its pool;
refusals come back as 400 with the rule and the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fazhi.campaigns import models as m
from fazhi.core.models import AuditEvent
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.test_campaigns_services import published_standard
from tests.factories import make_user

STAGES = {
    "application": {"opens_on": "2026-03-01", "closes_on": "2026-03-10"},
    "recommendation": {"opens_on": "2026-03-11", "closes_on": "2026-03-20"},
    "review": {"opens_on": "2026-03-21", "closes_on": "2026-03-30"},
    "inspection": {"opens_on": "2026-03-31", "closes_on": "2026-04-09"},
    "notice": {"opens_on": "2026-04-10", "closes_on": "2026-04-19"},
    "naming": {"opens_on": "2026-04-20", "closes_on": "2026-04-29"},
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def api_client(personas):
    """A client sending a persona's fresh API key as a bearer token."""

    def make(name: str) -> Client:
        key = api_token_create(actor=None, user=personas[name], name="测试程序")[1]
        return Client(headers={"Authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def standard(tree):
    return published_standard(tree)


def body(std, **overrides):
    return {
        "organiser": "990101",
        "kind": "democracy_village",
        "title": "青山县民主法治示范村创建",
        "batch": "第二批",
        "year": 2026,
        "standard": std.pk,
        "pass_score": 60.5,
        "quota": 2,
        "weight_review": 80,
        "weight_survey": 20,
        "eligible_levels": [5],
        "stages": {k: v for k, v in STAGES.items() if k != "naming"},
    } | overrides


def test_create_configure_launch_and_read_back(api_client, standard):
    client = api_client("county_admin")
    response = post(client, "/api/v1/campaigns", body(standard))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["stage"] == "draft" and created["pass_score"] == 60.5 and created["organiser"] == "990101"
    assert created["weight_review"] == 80 and created["weight_survey"] == 20
    assert m.Campaign.objects.get(pk=created["id"]).pass_score == 6050
    url = f"/api/v1/campaigns/{created['id']}"

    refused = post(client, f"{url}/advance", {})
    assert refused.status_code == 400
    assert refused.json()["rule"] == "campaigns.incomplete"

    changed = patch(client, url, {"stages": {"naming": STAGES["naming"]}, "quota": 3})
    assert changed.status_code == 200, changed.content
    assert changed.json()["quota"] == 3
    assert changed.json()["stages"][-1] == {
        "stage": "naming",
        "opens_on": "2026-04-20",
        "closes_on": "2026-04-29",
        "opened_at": None,
        "closed_at": None,
    }

    launched = post(client, f"{url}/advance", {})
    assert launched.status_code == 200, launched.content
    assert launched.json()["stage"] == "application"
    assert launched.json()["stages"][0]["opened_at"] is not None
    assert AuditEvent.objects.filter(action="campaigns.campaign.stage_advanced", actor__username="county_admin")

    locked = patch(client, url, {"title": "改名"})
    assert locked.status_code == 400
    assert (locked.json()["rule"], locked.json()["field"]) == ("campaigns.locked_field", "title")

    listed = client.get("/api/v1/campaigns?stage=application").json()
    assert [c["id"] for c in listed] == [created["id"]]
    assert listed[0]["applications"]["draft"] == 0


def test_the_clerk_of_the_area_sees_a_launched_campaign_but_cannot_change_it(api_client, standard):
    created = post(api_client("county_admin"), "/api/v1/campaigns", body(standard, stages=STAGES)).json()
    clerk = api_client("township_clerk")
    assert clerk.get(f"/api/v1/campaigns/{created['id']}").status_code == 404  # a draft is not shown
    post(api_client("county_admin"), f"/api/v1/campaigns/{created['id']}/advance", {})
    assert clerk.get(f"/api/v1/campaigns/{created['id']}").status_code == 200
    assert patch(clerk, f"/api/v1/campaigns/{created['id']}", {"quota": 9}).status_code == 403
    assert post(clerk, f"/api/v1/campaigns/{created['id']}/advance", {}).status_code == 403
    assert api_client("village_clerk_elsewhere").get(f"/api/v1/campaigns/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "rule", "field"),
    [
        ({"weight_review": 70}, "campaigns.weights_sum", "weight_review"),
        ({"pass_score": 101}, "campaigns.pass_score", "pass_score"),
        ({"organiser": "990102"}, "campaigns.not_manager", "organiser"),
        ({"standard": 999999}, "campaigns.standard_not_visible", "standard"),
        (
            {"stages": {"application": {"opens_on": "2026-03-10", "closes_on": "2026-03-01"}}},
            "campaigns.stage_dates",
            "application_closes",
        ),
    ],
)
def test_create_refusals_name_the_rule_and_field(api_client, standard, overrides, rule, field):
    response = post(api_client("county_admin"), "/api/v1/campaigns", body(standard, **overrides))
    assert response.status_code == 400, response.content
    assert (response.json()["rule"], response.json()["field"]) == (rule, field)
    assert response.json()["message"]
    assert not m.Campaign.objects.exists()


def test_malformed_input_is_422(api_client, standard):
    response = post(api_client("county_admin"), "/api/v1/campaigns", body(standard, stages={"someday": {}}))
    assert response.status_code == 422


def test_pool_add_list_and_remove(api_client, standard, tree):
    client = api_client("county_admin")
    created = post(client, "/api/v1/campaigns", body(standard)).json()
    url = f"/api/v1/campaigns/{created['id']}/pool"
    assert [p["username"] for p in client.get(url).json()] == ["reviewer"]
    make_user("outside_reviewer", org=tree.other_county, role="reviewer", full_name="外县专家")
    added = post(client, url, {"username": "outside_reviewer", "role": "inspector"})
    assert added.status_code == 201, added.content
    assert added.json()["name"] == "外县专家" and added.json()["role"] == "inspector"
    refused = post(client, url, {"username": "township_clerk"})
    assert refused.status_code == 400 and refused.json()["rule"] == "campaigns.pool_not_reviewer"
    assert client.delete(f"{url}/{added.json()['id']}").status_code == 204
    assert [p["username"] for p in client.get(url).json()] == ["reviewer"]
    assert api_client("leader").get(url).status_code == 403
