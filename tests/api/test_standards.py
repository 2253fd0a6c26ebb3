"""Scoring standards through the API: import a file, get its tree, export it, and every error of a bad file."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.models import AuditEvent
from fazhi.indicators import formats
from fazhi.indicators.models import Standard
from tests.factories import PERSONAS
from tests.test_permissions import standard_objects

EXAMPLE = Path(__file__).resolve().parents[1] / "indicators" / "fixtures" / "issue3-example.yaml"
BAD = b"""format: fazhi-standard/1
code: yfxz-county
version: "2026"
title: bad
total: 10
indicators:
  - {code: "1", title: a, points: 4, rule: manual}
  - {code: "1", title: b, points: 3, rule: sideways}
"""


def upload(client, data: bytes, name: str = "std.yaml", owner: str = "990101", **fields):
    return client.post(
        "/api/v1/standards/import",
        {"file": SimpleUploadedFile(name, data), "owner": owner, **fields},
    )


def test_import_get_and_export_a_yaml_file(api_client):
    client = api_client("county_admin")
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created == {
        "dry_run": False,
        "id": created["id"],
        "code": "yfxz-county",
        "version": "2025",
        "status": "draft",
    }
    assert AuditEvent.objects.filter(object_id=str(created["id"]), actor__username="county_admin").exists()

    body = client.get(f"/api/v1/standards/{created['id']}").json()
    assert body["status"] == "draft" and body["owner"] == "990101"
    document = body["standard"]
    assert document["format"] == "fazhi-standard/1" and document["total"] == 26
    leaves = {leaf["code"]: leaf for leaf in document["indicators"][0]["children"]}
    assert leaves["1.1"]["points"] == 4 and leaves["1.1"]["evidence"] == ["学法计划", "学法记录"]
    assert leaves["1.4"]["full_at"] == 0.95 and leaves["1.4"]["metric"] == "disputes.mediation_success_rate"
    assert leaves["1.5"]["tiers"][1] == {"min": 1, "points": 1.5}
    assert len(leaves["1.2"]["items"]) == 10
    assert client.get("/api/v1/standards/by-code/yfxz-county/2025").json() == body

    exported = client.get(f"/api/v1/standards/{created['id']}/export")
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="yfxz-county-2025.yaml"'
    assert formats.load_yaml(exported.content) == formats.load_yaml(EXAMPLE.read_bytes())
    xlsx = client.get(f"/api/v1/standards/{created['id']}/export?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert formats.load_xlsx(xlsx.content) == formats.load_yaml(EXAMPLE.read_bytes())
    assert client.get(f"/api/v1/standards/{created['id']}/export?format=pdf").status_code == 422


def test_import_an_xlsx_file(api_client):
    data = formats.dump_xlsx(formats.load_yaml(EXAMPLE.read_bytes()))
    response = upload(api_client("county_admin"), data, name="std.XLSX")
    assert response.status_code == 201, response.content
    assert Standard.objects.get(pk=response.json()["id"]).indicators.count() == 6


def test_a_bad_file_gets_400_with_every_error_and_saves_nothing(api_client):
    response = upload(api_client("county_admin"), BAD)
    assert response.status_code == 400
    body = response.json()
    assert body["rule"] == "standard.invalid" and body["field"] == "file"
    found = {(error["where"], error["rule"]) for error in body["errors"]}
    assert found == {("1", "duplicate_code"), ("1", "rule_kind"), ("total", "total")}
    assert all(error["message"] for error in body["errors"])
    assert not Standard.objects.exists()


def test_dry_run_checks_and_saves_nothing(api_client):
    response = upload(api_client("county_admin"), EXAMPLE.read_bytes(), dry_run="true")
    assert response.status_code == 200
    assert response.json() == {"dry_run": True, "id": None, "code": "yfxz-county", "version": "2025", "status": None}
    assert not Standard.objects.exists()


def test_an_existing_version_is_a_domain_error(api_client):
    client = api_client("county_admin")
    assert upload(client, EXAMPLE.read_bytes()).status_code == 201
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 400
    assert response.json()["rule"] == "standard.exists" and response.json()["field"] == "version"


@pytest.mark.parametrize(
    ("persona", "owner", "status", "rule"),
    [
        ("township_clerk", "990101001", 403, None),  # a clerk changes no standard
        ("county_admin", "990102", 400, "api.owner"),  # another county
        ("county_admin", "000000", 400, "api.owner"),  # no such organisation
        ("anonymous", "990101", 401, None),
    ],
)
def test_import_is_refused_outside_the_callers_rights(api_client, persona, owner, status, rule):
    response = upload(api_client(persona), EXAMPLE.read_bytes(), owner=owner)
    assert response.status_code == status
    if rule:
        assert response.json()["rule"] == rule
    assert not Standard.objects.exists()


def test_list_shows_published_standards_to_all_and_drafts_in_scope(api_client, tree):
    standard_objects(tree)  # 青山县 owns a published 2024 and a draft 2025
    seen = {}
    for persona in PERSONAS[:-1]:
        response = api_client(persona).get("/api/v1/standards")
        assert response.status_code == 200
        seen[persona] = sorted((row["version"], row["status"]) for row in response.json())
    assert seen["county_admin"] == [("2024", "published"), ("2025", "draft")]
    assert seen["township_clerk"] == [("2024", "published")]
    assert seen["village_clerk_elsewhere"] == [("2024", "published")]
    row = api_client("county_admin").get("/api/v1/standards?status=draft").json()
    assert [(r["version"], r["owner"], r["total"], r["indicator_count"]) for r in row] == [("2025", "990101", 26, 6)]
    assert api_client("anonymous").get("/api/v1/standards").status_code == 401


def test_unknown_standard_is_404(api_client):
    assert api_client("county_admin").get("/api/v1/standards/999999").status_code == 404
    assert api_client("county_admin").get("/api/v1/standards/by-code/nope/1").status_code == 404


def test_a_program_needs_no_csrf_token_but_a_browser_session_does(key_for, personas):
    program = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key_for('county_admin')}"})
    assert upload(program, EXAMPLE.read_bytes(), dry_run="true").status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["county_admin"])
    assert upload(browser, EXAMPLE.read_bytes(), dry_run="true").status_code == 403
