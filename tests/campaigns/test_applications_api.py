"""Applications through the JSON API: create, answers (all or nothing, every bad leaf listed), get with the
self-assessed total, evidence upload and download, submit, the recommender's queue and decisions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.campaigns import models as m
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.world import build_base
from tests.core.test_filetypes import EXE, PDF

FULL = [
    {"code": "1.1", "answer": 4, "statement": "学法制度健全"},
    {"code": "1.2", "answer": list(range(10))},
    {"code": "1.3", "answer": 0},
    {"code": "1.4", "answer": "0.95"},
    {"code": "1.5", "answer": 2},
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(tree, personas):
    return build_base(tree, personas)


@pytest.fixture
def api(personas):
    def make(name: str) -> Client:
        if name == "anonymous":
            return Client()
        key = api_token_create(actor=None, user=personas[name], name="测试程序")[1]
        return Client(headers={"Authorization": f"Bearer {key}"})

    return make


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_a_program_drives_an_application_from_creation_to_recommendation(world, tree, api):
    clerk, admin = api("township_clerk"), api("county_admin")
    campaign = m.Campaign.objects.create(
        organiser=tree.county, kind="township", title="法治乡镇", batch="一", year=2026,
        standard_id=world["world_standard"], pass_score=1, quota=1, stage="application",
    )  # fmt: skip
    created = post(clerk, f"/api/v1/campaigns/{campaign.pk}/applications", {"org": tree.township.code})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["org"], body["recommender_org"]) == ("draft", "990101001", "990101")
    assert body["self_assessed_total"] == 0 and body["unanswered"] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    pk = body["id"]

    saved = post(clerk, f"/api/v1/applications/{pk}/answers", {"answers": FULL})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["self_assessed_total"] == 26 and body["unanswered"] == []
    assert {a["code"]: a["answer"] for a in body["answers"]} == {
        "1.1": 4,
        "1.2": list(range(10)),
        "1.3": 0,
        "1.4": "0.95",
        "1.5": "2",
    }

    upload = clerk.post(
        f"/api/v1/applications/{pk}/evidence", {"file": SimpleUploadedFile("计划.jpg", PDF), "indicator": "1.1"}
    )
    assert upload.status_code == 201, upload.content
    evidence = upload.json()
    assert (evidence["content_type"], evidence["indicator"], evidence["name"]) == ("application/pdf", "1.1", "计划.jpg")
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = admin.get(f"/api/v1/applications/evidence/{evidence['id']}")
    assert b"".join(download.streaming_content) == PDF and download["X-Content-Type-Options"] == "nosniff"

    submitted = post(clerk, f"/api/v1/applications/{pk}/submit").json()
    assert (submitted["state"], submitted["submissions"]) == ("submitted", 1)
    queue = admin.get("/api/v1/applications/recommendations", {"campaign": campaign.pk}).json()
    assert [item["id"] for item in queue] == [pk]
    returned = post(admin, f"/api/v1/applications/{pk}/return", {"reason": "请补充学法记录"}).json()
    assert (returned["state"], returned["decision_reason"]) == ("returned", "请补充学法记录")
    post(clerk, f"/api/v1/applications/{pk}/submit")
    recommended = post(admin, f"/api/v1/applications/{pk}/recommend").json()
    assert (recommended["state"], recommended["submissions"]) == ("recommended", 2)


def test_bad_answers_are_all_listed_and_nothing_is_saved(world, api):
    pk = world["application"]
    response = post(
        api("township_clerk"),
        f"/api/v1/applications/{pk}/answers",
        {
            "answers": [
                {"code": "1.1", "answer": 4.5},
                {"code": "1.2", "answer": [0, 10]},
                {"code": "1.3", "answer": -1},
                {"code": "1.4", "answer": "1.2"},
                {"code": "1.5", "answer": "很多"},
                {"code": "7", "answer": 1},
            ]
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert [(e["code"], e["rule"]) for e in body["errors"]] == [
        ("1.1", "scoring.manual_out_of_range"),
        ("1.2", "scoring.checklist_no_item"),
        ("1.3", "scoring.deduction_bad_count"),
        ("1.4", "scoring.ratio_out_of_range"),
        ("1.5", "campaigns.answer_malformed"),
        ("7", "campaigns.not_a_leaf"),
    ]
    assert all(e["code"] in e["message"] for e in body["errors"])
    assert not m.Answer.objects.exists()


def test_one_bad_answer_among_good_ones_saves_none(world, api):
    response = post(
        api("township_clerk"),
        f"/api/v1/applications/{world['application']}/answers",
        {"answers": [{"code": "1.1", "answer": 3}, {"code": "1.3", "answer": -2}]},
    )
    assert response.status_code == 400 and response.json()["rule"] == "scoring.deduction_bad_count"
    assert not m.Answer.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("a.pdf", EXE), ("a.docx", b"not a document")])
def test_a_forbidden_file_is_refused(world, api, name, content):
    response = api("township_clerk").post(
        f"/api/v1/applications/{world['application']}/evidence", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "campaigns.evidence_type" and name in response.json()["message"]
    assert not m.Evidence.objects.exists()


def test_a_file_too_large_is_refused(world, api, settings):
    settings.FAZHI_EVIDENCE_MAX_MB = 1
    response = api("township_clerk").post(
        f"/api/v1/applications/{world['application']}/evidence",
        {"file": SimpleUploadedFile("big.pdf", PDF + b"x" * (1 << 20))},
    )
    assert response.status_code == 400 and response.json()["rule"] == "campaigns.evidence_too_large"
    assert not m.Evidence.objects.exists()


def test_submitting_with_unanswered_leaves_names_them(world, api):
    response = post(api("township_clerk"), f"/api/v1/applications/{world['application']}/submit")
    assert response.status_code == 400
    assert response.json()["rule"] == "campaigns.unanswered"
    assert "1.1, 1.2, 1.3, 1.4, 1.5" in response.json()["message"]


@pytest.mark.parametrize(
    ("persona", "action", "status"),
    [
        ("township_clerk", "recommend", 403),  # a clerk, not a recommender
        ("leader", "recommend", 403),
        ("reviewer", "recommend", 404),
        ("village_clerk_elsewhere", "recommend", 404),
        ("county_admin", "submit", 403),  # may not act as the clerk
    ],
)
def test_the_wrong_role_is_refused_and_nothing_changes(world, api, persona, action, status):
    response = post(api(persona), f"/api/v1/applications/{world['application_submitted']}/{action}")
    assert response.status_code == status
    assert m.Application.objects.get(pk=world["application_submitted"]).state == "submitted"


def test_a_decision_in_the_wrong_stage_is_refused(world, api):
    m.Campaign.objects.filter(pk=world["campaign"]).update(stage="review")
    response = post(api("county_admin"), f"/api/v1/applications/{world['application_submitted']}/recommend")
    assert response.status_code == 400 and response.json()["rule"] == "campaigns.wrong_stage"
    assert m.Application.objects.get(pk=world["application_submitted"]).state == "submitted"


def test_not_recommending_needs_a_reason(world, api):
    url = f"/api/v1/applications/{world['application_submitted']}/not-recommend"
    refused = post(api("county_admin"), url, {"reason": ""})
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    done = post(api("county_admin"), url, {"reason": "不符合申报条件"})
    assert done.json()["state"] == "not_recommended"


def test_the_list_shows_only_what_the_caller_may_see(world, api):
    mine = {item["org_name"] for item in api("township_clerk").get("/api/v1/applications").json()}
    assert {"城关镇", "东门村", "西街社区"} <= mine and "白水村" not in mine
    elsewhere = {item["org_name"] for item in api("village_clerk_elsewhere").get("/api/v1/applications").json()}
    assert elsewhere == {"白水村"}
    assert api("anonymous").get("/api/v1/applications").status_code == 401


def test_the_list_queries_do_not_grow(world, tree, personas, api, django_assert_max_num_queries):
    client = api("county_admin")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/applications", {"campaign": world["campaign"]})
    for org in (tree.community, tree.township_office, tree.justice_bureau):
        m.Application.objects.create(campaign_id=world["campaign"], org=org, recommender_org=org.parent)
    with django_assert_max_num_queries(len(few)):
        body = client.get("/api/v1/applications", {"campaign": world["campaign"]}).json()
    assert len(body) == 5


def test_the_evidence_download_is_denied_outside_the_scope(world, api, personas):
    from fazhi.campaigns.services.evidence import evidence_add
    from tests.campaigns.test_applications_services import application

    evidence = evidence_add(
        actor=personas["township_clerk"],
        application=application(world["application"]),
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
    )
    assert api("village_clerk_elsewhere").get(f"/api/v1/applications/evidence/{evidence.pk}").status_code == 404
    assert api("reviewer").get(f"/api/v1/applications/evidence/{evidence.pk}").status_code == 404
    assert api("leader").get(f"/api/v1/applications/evidence/{evidence.pk}").status_code == 200
