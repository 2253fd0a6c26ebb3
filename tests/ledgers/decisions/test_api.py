"""The decisions API: the same scope and rules as the pages; a refused decision names the step in ``field``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.ledgers.decisions.models import Decision
from fazhi.orgs.tokens import api_token_create
from tests.ledgers.decisions.factories import make_decided, make_decision

D = dt.date


@pytest.fixture
def api(personas):
    def make(name: str) -> Client:
        key = api_token_create(actor=None, user=personas[name], name="脚本")[1]
        return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})

    return make


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_create_record_steps_and_decide(tree, api):
    clerk = api("township_clerk")
    created = post(
        clerk,
        reverse("api-1:api_decision_create"),
        {"org": tree.township.code, "year": 2026, "title": "城关镇农贸市场搬迁", "category": "public_facilities"},
    )
    assert created.status_code == 201, created.content
    decision_id = created.json()["id"]
    assert len(created.json()["missing"]) == 4  # comment, risk, review, collective
    steps = reverse("api-1:api_decision_procedure", args=[decision_id])
    decide = reverse("api-1:api_decision_decide", args=[decision_id])
    post(clerk, steps, {"kind": "collective_decision", "ended_on": "2026-04-28"})
    refused = post(clerk, decide, {})
    assert refused.status_code == 400
    body = refused.json()
    assert body["field"] == "public_participation" and body["rule"] == "decisions.public_participation_required"
    for step in (
        {"kind": "public_participation", "started_on": "2026-03-02", "ended_on": "2026-04-01"},
        {"kind": "risk_assessment", "ended_on": "2026-04-03"},
    ):
        assert post(clerk, steps, step).status_code == 200
    refused = post(clerk, decide, {}).json()
    assert refused["field"] == "legality_review" and "legality review" in refused["message"]
    post(clerk, steps, {"kind": "legality_review", "started_on": "2026-04-07", "ended_on": "2026-04-20"})
    decided = post(clerk, decide, {})
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    assert decided.json()["decided_on"] == "2026-04-28" and decided.json()["missing"] == []
    review = next(p for p in decided.json()["procedures"] if p["kind"] == "legality_review")
    assert review["review_period_ok"] is True


def test_list_is_scoped_and_filtered(tree, api):
    make_decided(tree.township, title="镇里")
    make_decision(tree.other_county, title="别的县")
    listing = api("county_admin").get(reverse("api-1:api_decision_list"), {"status": "decided"}).json()
    assert [d["title"] for d in listing["results"]] == ["镇里"] and listing["count"] == 1
    assert (
        api("county_admin").get(reverse("api-1:api_decision_list"), {"org": tree.other_county.code}).status_code == 404
    )
    other = api("village_clerk_elsewhere").get(reverse("api-1:api_decision_list")).json()
    assert other["count"] == 0


def test_writes_need_the_edit_role_in_scope(tree, api):
    decision = make_decision(tree.township)
    url = reverse("api-1:api_decision_update", args=[decision.pk])
    assert patch(api("leader"), url, {"title": "改名"}).status_code == 403
    assert patch(api("village_clerk_elsewhere"), url, {"title": "改名"}).status_code == 404
    assert patch(api("township_clerk"), url, {"title": "改名"}).status_code == 200
    assert Decision.objects.get().title == "改名"
    create = post(
        api("township_clerk"),
        reverse("api-1:api_decision_create"),
        {"org": tree.other_county.code, "year": 2026, "title": "越权", "category": "other"},
    )
    assert create.status_code == 400 and (create.json()["rule"], create.json()["field"]) == ("api.org", "org")
    assert not Decision.objects.filter(title="越权").exists()


def test_withdraw_and_evaluate(tree, api):
    clerk = api("township_clerk")
    open_one = make_decision(tree.township, title="撤回")
    assert post(clerk, reverse("api-1:api_decision_withdraw", args=[open_one.pk]), {"reason": ""}).status_code == 400
    assert (
        post(clerk, reverse("api-1:api_decision_withdraw", args=[open_one.pk]), {"reason": "不再实施"}).json()["status"]
        == "withdrawn"
    )
    decided = make_decided(tree.township, title="评估")
    url = reverse("api-1:api_decision_evaluate", args=[decided.pk])
    early = post(clerk, url, {"evaluated_on": "2026-01-01", "finding": "良好"})
    assert early.status_code == 400 and early.json()["field"] == "evaluated_on"
    assert post(clerk, url, {"evaluated_on": "2026-10-01", "finding": "良好"}).json()["evaluated_on"] == "2026-10-01"


def test_evidence_upload_checks_the_content(tree, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.ledgers.decisions.models import ProcedureEvidence

    decision = make_decision(tree.township, steps={"legality_review": (D(2026, 4, 7), D(2026, 4, 20))})
    url = reverse("api-1:api_decision_evidence_add", args=[decision.procedures.get().pk])
    pdf = b"%PDF-1.7\n%%EOF\n"
    good = api("township_clerk").post(url, {"file": SimpleUploadedFile("意见书.pdf", pdf)})
    assert good.status_code == 201 and good.json()["type"] == "application/pdf" and len(good.json()["sha256"]) == 64
    bad = api("township_clerk").post(url, {"file": SimpleUploadedFile("意见书.pdf", b"MZ\x90\x00")})
    assert bad.status_code == 400 and bad.json()["rule"] == "decisions.evidence_type"
    assert api("leader").post(url, {"file": SimpleUploadedFile("x.pdf", pdf)}).status_code == 403
    assert ProcedureEvidence.objects.count() == 1


def test_an_update_is_a_partial_patch(tree, api):
    decision = make_decision(tree.township, title="城关镇停车收费", technical=True)
    decision.note = "备注"
    decision.save()
    url = reverse("api-1:api_decision_update", args=[decision.pk])
    clerk = api("township_clerk")
    changed = patch(clerk, url, {"title": "城关镇停车收费调整"})
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["title"] == "城关镇停车收费调整"
    assert body["technical"] is True and body["note"] == "备注" and body["year"] == decision.year  # kept
    # The old POST update is gone.
    assert post(clerk, url, {"title": "又改"}).status_code == 405
    decision.refresh_from_db()
    assert decision.title == "城关镇停车收费调整"


def test_a_patch_breaking_a_rule_is_a_400_naming_rule_and_field_and_writes_nothing(tree, api):
    from fazhi.core.models import AuditEvent

    make_decision(tree.township, title="已有事项")
    decision = make_decision(tree.township, title="另一事项")
    url = reverse("api-1:api_decision_update", args=[decision.pk])
    clerk = api("township_clerk")
    events = AuditEvent.objects.count()
    refused = patch(clerk, url, {"title": "已有事项", "note": "不应保存"})
    assert refused.status_code == 400
    assert refused.json()["rule"] == "decisions.duplicate" and refused.json()["field"] == "title"
    empty = patch(clerk, url, {"technical": None})
    assert empty.status_code == 400 and empty.json() == {
        "rule": "api.null",
        "field": "technical",
        "message": "This field cannot be empty.",
    }
    decision.refresh_from_db()
    assert decision.title == "另一事项" and decision.note == "" and decision.technical is False
    assert AuditEvent.objects.count() == events


def test_a_title_longer_than_its_column_is_refused_as_the_page_and_import_refuse_it(tree, api):
    clerk = api("township_clerk")
    body = {"org": tree.township.code, "year": 2026, "title": "决" * 201, "category": "other"}
    assert post(clerk, reverse("api-1:api_decision_create"), body).status_code == 422
    assert not Decision.objects.exists()
    decision = make_decision(tree.township, title="原名")
    url = reverse("api-1:api_decision_update", args=[decision.pk])
    assert patch(clerk, url, {"title": "决" * 201}).status_code == 422
    assert Decision.objects.get().title == "原名"


def test_a_decided_decision_takes_a_patch_of_its_evaluation_due_date_and_note_only(tree, api):
    decision = make_decided(tree.township, title="已决策事项")
    url = reverse("api-1:api_decision_update", args=[decision.pk])
    clerk = api("township_clerk")
    kept = patch(clerk, url, {"evaluation_due": "2027-06-30", "note": "一年后评估"})
    assert kept.status_code == 200 and kept.json()["evaluation_due"] == "2027-06-30"
    assert kept.json()["title"] == "已决策事项" and kept.json()["status"] == "decided"
    refused = patch(clerk, url, {"title": "改名"})
    assert refused.status_code == 400 and refused.json()["rule"] == "decisions.not_open"
    assert Decision.objects.get().title == "已决策事项"
