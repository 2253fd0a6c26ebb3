"""A whole creation campaign driven through /api/v1/ only, as a program would: each persona with its own
Bearer key, the public with none. Every response is checked as the caller would read it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import audit_verify
from fazhi.indicators import services as standard_services
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.services import org_create
from fazhi.orgs.tokens import api_token_create
from tests.factories import make_user
from tests.indicators.examples import example_standard

# Answers in the API's form (manual points, checklist item numbers, a count, a ratio, a tier value) for the
# example standard's five leaves (26 points: 1.1 manual 4, 1.2 ten items of 1, 1.3 deduction 5, 1.4 ratio 4,
# 1.5 tiers 3).
STRONG = {"1.1": 4, "1.2": list(range(10)), "1.3": 0, "1.4": "0.95", "1.5": 2}
WEAKER = {"1.1": 3, "1.2": list(range(7)), "1.3": 1, "1.4": "0.8", "1.5": 1}


def api(user) -> Client:
    key = api_token_create(actor=None, user=user, name="创建活动脚本")[1]
    return Client(headers={"Authorization": f"Bearer {key}"})


def url(name: str, *args) -> str:
    return reverse(f"api-1:{name}", args=args)


def send(client: Client, method: str, path: str, data=None, status: int = 200) -> dict | list:
    response = getattr(client, method)(path, json.dumps(data or {}), content_type="application/json")
    assert response.status_code == status, (path, response.status_code, response.content.decode()[:500])
    return response.json() if response.content else {}


def get(client: Client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.content.decode()[:500])
    return response.json()


def answers_in(values: dict, statement: str) -> dict:
    return {"answers": [{"code": code, "answer": value, "statement": statement} for code, value in values.items()]}


def tiny_pdf() -> bytes:
    body = b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    return b"%PDF-1.4\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_program_drives_a_campaign_from_creation_to_the_named_list(tree, personas, monkeypatch):
    today = timezone.localdate()
    standard = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="api-story", version="2026")
    )
    standard_services.standard_publish(actor=None, standard=standard)
    # The people: the county's administrator and the township's clerk (personas), the township's recommender,
    # and three experts in a pool org under the city, outside every applicant's subtree.
    experts_org = org_create(
        actor=None, name="云溪市法治专家库", kind="other", code=make_uscc("other", "990100", 20001), parent=tree.city
    )
    experts = [make_user(f"expert{n}", org=experts_org, role="reviewer", full_name=f"专家{n}") for n in (1, 2, 3)]
    recommender = make_user("township_recommender", org=tree.township, role="recommender", full_name="城关镇推荐人")
    admin, clerk, township = api(personas["county_admin"]), api(personas["township_clerk"]), api(recommender)
    public = Client()

    # 1. The administrator creates the campaign (draft), configures it and fills its pool.
    stages, start = {}, today - dt.timedelta(days=1)
    for stage in ("application", "recommendation", "review", "inspection", "notice", "naming"):
        stages[stage] = {"opens_on": start.isoformat(), "closes_on": (start + dt.timedelta(days=6)).isoformat()}
        start += dt.timedelta(days=7)
    campaign = send(
        admin,
        "post",
        url("campaigns"),
        {
            "organiser": tree.county.code,
            "kind": "democracy_village",
            "title": "青山县2026年度民主法治示范村（社区）创建",
            "batch": "第一批",
            "year": 2026,
            "standard": standard.pk,
            "pass_score": "60",
            "quota": 2,
            "stages": stages,
            # the story answers every leaf by hand (tests/campaigns/test_metrics_scoring.py scores from records)
            "scores_from_records": False,
        },
        status=201,
    )
    cid = campaign["id"]
    assert (campaign["stage"], campaign["organiser"], campaign["pass_score"]) == ("draft", tree.county.code, 60)
    configured = send(
        admin,
        "patch",
        url("campaign", cid),
        {"eligible_kinds": ["village", "community"], "quota": 1, "reviewers_per_application": 3, "method": "mean"},
    )
    assert (configured["eligible_kinds"], configured["quota"], configured["notice_days"]) == (
        ["village", "community"],
        1,
        7,
    )
    for expert in experts:
        member = send(admin, "post", url("campaign_pool", cid), {"username": expert.username}, status=201)
        assert member["role"] == "reviewer"
    pool = {m["username"] for m in get(admin, url("campaign_pool", cid))}
    assert {"expert1", "expert2", "expert3"} <= pool
    assert send(admin, "post", url("campaign_advance", cid))["stage"] == "application"

    # 2. The clerk applies for two villages: answers (the total shows), evidence, submission.
    village = send(clerk, "post", url("application_create", cid), {"org": tree.village.code}, status=201)
    community = send(clerk, "post", url("application_create", cid), {"org": tree.community.code}, status=201)
    assert village["state"] == community["state"] == "draft"
    assert village["unanswered"] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    bad = clerk.post(
        url("application_answers", village["id"]),
        json.dumps({"answers": [{"code": "1.2", "answer": [10]}, {"code": "1.3", "answer": -1}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and {e["code"] for e in bad.json()["errors"]} == {"1.2", "1.3"}
    village = send(clerk, "post", url("application_answers", village["id"]), answers_in(STRONG, "制度齐全，见附件。"))
    assert village["unanswered"] == [] and village["self_assessed_total"] == 26
    community = send(clerk, "post", url("application_answers", community["id"]), answers_in(WEAKER, "基本落实。"))
    assert community["self_assessed_total"] < 26
    upload = clerk.post(
        url("application_evidence_add", village["id"]),
        {"file": SimpleUploadedFile("东门村法治建设台账.pdf", tiny_pdf(), "application/pdf"), "indicator": "1.2"},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["sha256"] == hashlib.sha256(tiny_pdf()).hexdigest()
    for application in (village, community):
        assert send(clerk, "post", url("application_submit", application["id"]))["state"] == "submitted"

    # 3. The township recommends one and returns the other, which is fixed, resubmitted and recommended.
    queue = get(township, url("recommendation_queue") + f"?campaign={cid}")
    assert {a["org_name"] for a in queue} == {"东门村", "西街社区"}
    assert send(township, "post", url("application_recommend", village["id"]))["state"] == "recommended"
    returned = send(
        township, "post", url("application_return", community["id"]), {"reason": "调解台账缺少第三季度记录。"}
    )
    assert (returned["state"], returned["decision_reason"]) == ("returned", "调解台账缺少第三季度记录。")
    fixed = send(clerk, "post", url("application_answers", community["id"]), answers_in({"1.5": 2}, "已补充。"))
    assert fixed["self_assessed_total"] > community["self_assessed_total"]
    resubmitted = send(clerk, "post", url("application_submit", community["id"]))
    assert (resubmitted["state"], resubmitted["submissions"]) == ("submitted", 2)
    assert send(township, "post", url("application_recommend", community["id"]))["state"] == "recommended"

    # 4. Review: the administrator assigns; each expert scores both applications.
    for stage in ("recommendation", "review"):
        assert send(admin, "post", url("campaign_advance", cid))["stage"] == stage
    run = send(admin, "post", url("assignments_run", cid))
    assert (run["assigned"], run["applications"], run["shortfalls"]) == (6, 2, [])
    for number, expert in enumerate(experts):
        reviewer = api(expert)
        mine = get(reviewer, url("my_assignments"))
        assert {a["applicant"] for a in mine} == {"东门村", "西街社区"}
        for assignment in mine:
            answers = dict(STRONG if assignment["applicant"] == "东门村" else WEAKER)
            answers["1.1"] = 4 - 0.5 * number
            sheet = send(reviewer, "post", url("sheet_save", assignment["assignment"]), {"answers": answers})
            assert sheet["status"] == "draft"
            submitted = send(reviewer, "post", url("sheet_submit", assignment["assignment"]))
            assert submitted["status"] == "submitted" and submitted["total"] > 0
            again = reviewer.post(url("sheet_submit", assignment["assignment"]))
            assert again.status_code == 400 and again.json()["rule"] == "review.sheet_submitted"

    # 5. A veto is recorded on the community; results computed and published.
    veto = send(
        admin, "post", url("veto_record", community["id"]), {"item": "V1", "reason": "经查发生违法案件。"}, status=201
    )
    assert (veto["item"], veto["status"]) == ("V1", "recorded")
    assert send(admin, "post", url("campaign_advance", cid))["stage"] == "inspection"
    version = send(admin, "post", url("results_compute", cid) + "?reason=评审结束")
    ranking = [(r["applicant"], r["rank"], r["passed"], r["vetoed"], r["in_quota"]) for r in version["rows"]]
    assert ranking == [("东门村", 1, True, False, True), ("西街社区", 2, False, True, False)]
    assert version["rows"][0]["composite"] >= 60 and version["published_at"] is None
    published = send(admin, "post", url("results_publish", version["id"]))
    assert published["published_at"] is not None and len(published["sha256"]) == 64

    # 6. The public notice: the public files an objection (no credentials); the administrator dismisses it.
    noticed = send(admin, "post", url("campaign_advance", cid))
    assert (noticed["stage"], noticed["notice_starts"], noticed["notice_ends"]) == (
        "notice",
        today.isoformat(),
        (today + dt.timedelta(days=6)).isoformat(),  # 7 days, today included
    )
    notice = get(public, url("notice_detail", cid))
    assert notice["open"] and [u["name"] for u in notice["units"]] == ["东门村"]
    objection = send(
        public,
        "post",
        url("objection_file", village["id"]),
        {"name": "张三", "contact": "13800001111", "reasons": "该村公示的调解台账与实际不符，请核查。"},
        status=201,
    )
    assert objection["status"] == "filed" and "13800001111" not in json.dumps(get(public, url("notice_detail", cid)))
    (listed,) = get(admin, url("objection_list", cid))
    assert listed["contact"] == "13800001111"
    decided = send(
        admin,
        "post",
        url("objection_decide", objection["id"]),
        {"decision": "dismiss", "reason": "经核查台账完整，异议不成立。"},
    )
    assert decided["status"] == "dismissed"
    early = admin.post(url("campaign_advance", cid))
    assert early.status_code == 400 and early.json()["rule"] == "campaigns.notice_running"

    # 7. Seven days later the notice is over: naming, and the published named list with its SHA-256.
    real_localdate = timezone.localdate
    later = today + dt.timedelta(days=7)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: later if value is None else real_localdate(value, *args)
    )
    assert send(admin, "post", url("campaign_advance", cid))["stage"] == "naming"
    (designation,) = send(admin, "post", url("designations_name", cid), status=201)
    assert (designation["unit"], designation["status"]) == ("东门村", "active")
    assert designation["certificate_number"]
    named = get(public, url("named_list", cid))
    assert hashlib.sha256(named["content"].encode("utf-8")).hexdigest() == named["sha256"]
    canonical = json.dumps(named["list"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert canonical == named["content"]
    assert [u["name"] for u in named["list"]["units"]] == ["东门村"]
    assert named["list"]["units"][0]["certificate_number"] == designation["certificate_number"]
    assert audit_verify().ok
