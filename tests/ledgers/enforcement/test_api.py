"""The JSON API: the same rules as the pages (400 with rule and field), scope (404), role (403)."""

import json

from fazhi.ledgers.enforcement.models import CaseFile, Officer
from tests.ledgers.enforcement.factories import make_case, make_officer, make_year

BASE = "/api/v1/ledgers/enforcement"


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_officer_create_list_and_detail(tree, personas, api_client):
    client = api_client("township_clerk")
    body = {
        "org": tree.village.code,
        "name": "张三",
        "id_number": "990101198001011234",
        "certificate_number": "QS1",
        "issued_on": "2025-01-01",
        "expires_on": "2030-01-01",
    }
    response = post(client, f"{BASE}/officers", body)
    assert response.status_code == 201, response.content
    officer_id = response.json()["id"]
    assert response.json()["certificates"][0]["number"] == "QS1"
    response = post(
        client, f"{BASE}/officers/{officer_id}/years", {"year": 2025, "general_score": 40, "special_score": 90}
    )
    assert response.status_code == 200 and response.json()["general_outcome"] == "failed"
    listing = client.get(f"{BASE}/officers", {"org": tree.township.code}).json()
    assert listing["count"] == 1 and listing["results"][0]["name"] == "张三"
    detail = client.get(f"{BASE}/officers/{officer_id}").json()
    assert detail["years"][0]["general_score"] == 40


def test_rules_are_refused_with_rule_and_field(tree, api_client):
    client = api_client("township_clerk")
    body = {
        "org": tree.village.code,
        "name": "张三",
        "id_number": "990101198001011234",
        "certificate_number": "QS1",
        "issued_on": "2025-01-01",
        "expires_on": "2024-01-01",
    }
    response = post(client, f"{BASE}/officers", body)
    assert response.status_code == 400
    assert (response.json()["rule"], response.json()["field"]) == ("enforcement.certificate_dates", "expires_on")
    assert not Officer.objects.exists()
    response = post(client, f"{BASE}/officers", body | {"org": tree.other_village.code, "expires_on": "2030-01-01"})
    assert response.status_code == 400 and response.json()["rule"] == "enforcement.unknown_org"
    response = post(
        client,
        f"{BASE}/case-files",
        {
            "org": tree.village.code,
            "year": 2025,
            "case_number": "1号",
            "title": "案",
            "reviewed_on": "2025-05-01",
            "items": {"authority": 11},
        },
    )
    assert response.status_code == 400 and response.json()["field"] == "item_authority"
    assert not CaseFile.objects.exists()


def test_case_files_create_update_and_filter(tree, api_client):
    client = api_client("township_clerk")
    response = post(
        client,
        f"{BASE}/case-files",
        {
            "org": tree.village.code,
            "year": 2025,
            "case_number": "1号",
            "title": "案",
            "reviewed_on": "2025-05-01",
            "score": 91,
            "online": True,
        },
    )
    assert response.status_code == 201 and response.json()["grade"] == "excellent"
    case_id = response.json()["id"]
    response = post(client, f"{BASE}/case-files/{case_id}", {"score": 59}, method="patch")
    assert response.status_code == 200 and response.json()["grade"] == "fail"
    assert client.get(f"{BASE}/case-files", {"grade": "fail"}).json()["count"] == 1
    assert client.get(f"{BASE}/case-files", {"grade": "pass"}).json()["count"] == 0


def test_scope_and_role(tree, api_client):
    officer = make_officer(tree.village)
    make_year(officer)
    case = make_case(tree.village)
    elsewhere = api_client("village_clerk_elsewhere")
    assert elsewhere.get(f"{BASE}/officers/{officer.pk}").status_code == 404
    assert elsewhere.get(f"{BASE}/case-files/{case.pk}").status_code == 404
    assert elsewhere.get(f"{BASE}/officers").json()["count"] == 0
    leader = api_client("leader")
    assert leader.get(f"{BASE}/officers/{officer.pk}").status_code == 200
    assert post(leader, f"{BASE}/officers/{officer.pk}", {"name": "改名"}, method="patch").status_code == 403
    assert api_client("reviewer").get(f"{BASE}/exams").status_code == 403
    assert Officer.objects.get(pk=officer.pk).name != "改名"


def test_patch_changes_only_the_fields_given(tree, api_client):
    client = api_client("township_clerk")
    case = make_case(tree.village, score=91)
    case.online = True
    case.save()
    response = post(client, f"{BASE}/case-files/{case.pk}", {"title": "改过的案由"}, method="patch")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.title, case.score, case.online, case.year) == ("改过的案由", 91, True, 2025)
    officer = make_officer(tree.village, "原名")
    joined = officer.joined_on
    response = post(client, f"{BASE}/officers/{officer.pk}", {"left_on": "2026-01-31"}, method="patch")
    assert response.status_code == 200, response.content
    officer.refresh_from_db()
    assert (officer.name, officer.joined_on, officer.left_on.isoformat()) == ("原名", joined, "2026-01-31")


def test_patch_breaking_a_rule_is_a_400_naming_rule_and_field_and_writes_nothing(tree, api_client):
    from fazhi.core.models import AuditEvent

    client = api_client("township_clerk")
    case = make_case(tree.village, score=91)
    officer = make_officer(tree.village, "原名")
    events = AuditEvent.objects.count()
    response = post(client, f"{BASE}/case-files/{case.pk}", {"score": 101, "title": "新"}, method="patch")
    assert response.status_code == 400
    assert (response.json()["rule"], response.json()["field"]) == ("enforcement.score", "score")
    response = post(
        client,
        f"{BASE}/officers/{officer.pk}",
        {"name": "新名", "joined_on": "2026-02-01", "left_on": "2026-01-01"},
        method="patch",
    )
    assert response.status_code == 400 and response.json()["field"] == "left_on", response.json()
    for field in ("title", "year", "reviewed_on", "online", "case_number"):
        response = post(client, f"{BASE}/case-files/{case.pk}", {field: None}, method="patch")
        assert response.status_code == 400 and response.json()["field"] == field, (field, response.content)
    response = post(client, f"{BASE}/officers/{officer.pk}", {"name": None}, method="patch")
    assert response.status_code == 400 and response.json()["field"] == "name", response.content
    case.refresh_from_db()
    officer.refresh_from_db()
    assert (case.score, case.title, officer.name, officer.left_on) == (91, "销售过期食品案", "原名", None)
    assert AuditEvent.objects.count() == events
