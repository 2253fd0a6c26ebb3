"""The normative-documents API: a document taken through every step, refusals as 400 {rule, field, message},
scope (404) and role (403), list filters, cleanups."""

import pytest
from django.urls import reverse

from fazhi.ledgers.documents.models import Document
from fazhi.orgs.tokens import api_token_create
from tests.ledgers.documents.factories import document_through


@pytest.fixture
def api(client, personas):
    keys = {}

    def call(persona, method, path="", **kwargs):
        if persona not in keys:
            keys[persona] = api_token_create(actor=None, user=personas[persona], name="脚本")[1]
        return getattr(client, method)(
            f"/api/v1/ledgers/documents{path}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {keys[persona]}"},
            **kwargs,
        )

    return call


def test_a_document_through_every_step(tree, api):
    created = api(
        "township_clerk", "post", data={"org": "990101001", "title": "城关镇集贸市场管理办法", "affects_rights": True}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api("township_clerk", "post", f"/{pk}/submit-review", data={"submitted_on": "2025-03-03"})
    assert refused.status_code == 400
    assert refused.json()["rule"] == "documents.comment_required"
    steps = [
        ("comment", {"comment_start": "2025-02-03", "comment_end": "2025-03-03"}),
        ("submit-review", {"submitted_on": "2025-03-04"}),
        ("review", {"reported_on": "2025-03-20", "outcome": "pass_with_changes"}),
        ("decide", {"decided_on": "2025-04-01", "meeting": "镇党政联席会议"}),
        (
            "register",
            {
                "office": tree.township_office.code,
                "registered_on": "2025-04-10",
                "number_prefix": "城政规",
                "effective_from": "2025-05-01",
                "expires_on": "2030-04-30",
            },
        ),
        ("publish", {"published_on": "2025-04-15", "channel": "platform"}),
        ("file", {"filed_on": "2025-05-15", "filing_outcome": "conforming"}),
    ]
    for step, body in steps:
        response = api("township_clerk", "post", f"/{pk}/{step}", data=body)
        assert response.status_code == 200, (step, response.json())
    out = response.json()
    assert out["status"] == "in_force" and out["document_number"] == "城政规〔2025〕1号"
    assert out["filed_on_time"] is True and out["review_due"] == "2025-03-25"
    assert api("county_admin", "get", "", data={"org": "990101001", "q": "集贸"}).json()["count"] == 1


def test_validity_too_long_is_a_400_with_rule_and_field(tree, api):
    document = document_through(tree.county, "decided")
    response = api(
        "county_admin",
        "post",
        f"/{document.pk}/register",
        data={
            "office": "990101",
            "registered_on": "2025-05-02",
            "number_prefix": "青政规",
            "effective_from": "2025-06-01",
            "expires_on": "2030-06-01",
        },
    )
    assert response.status_code == 400
    assert (response.json()["rule"], response.json()["field"]) == ("documents.validity_too_long", "expires_on")
    assert Document.objects.get(pk=document.pk).status == "decided"


def test_scope_and_role(tree, api):
    document = document_through(tree.county)
    assert api("village_clerk_elsewhere", "get", f"/{document.pk}").status_code == 404
    assert api("leader", "get", f"/{document.pk}").status_code == 200
    assert api("leader", "post", f"/{document.pk}/evaluate", data={"evaluated_on": "2029-01-01"}).status_code == 403
    assert api("leader", "post", data={"org": "990101", "title": "x"}).status_code == 403
    refused = api("township_clerk", "post", data={"org": "990101", "title": "县里的"})
    assert refused.status_code == 400 and refused.json()["field"] == "org"


def test_cleanup_through_the_api(tree, api):
    document = document_through(tree.township)
    created = api(
        "county_admin", "post", "/cleanups", data={"org": "990101", "title": "专项清理", "started_on": "2025-12-01"}
    )
    assert created.status_code == 201
    body = created.json()
    [item] = body["items"]
    decided = api(
        "county_admin",
        "post",
        f"/cleanups/{body['id']}/items/{item['id']}",
        data={"outcome": "repeal", "decided_on": "2025-12-05"},
    )
    assert decided.status_code == 200 and decided.json()["items"][0]["outcome"] == "repeal"
    assert Document.objects.get(pk=document.pk).status == "repealed"


def test_an_update_is_a_partial_patch(tree, api):
    document = document_through(tree.township, "drafting")
    document.provisional = True
    document.affects_rights = True
    document.save()
    changed = api("township_clerk", "patch", f"/{document.pk}", data={"title": "城关镇集贸市场管理暂行办法"})
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["title"] == "城关镇集贸市场管理暂行办法"
    assert body["provisional"] is True and body["affects_rights"] is True  # left out: kept
    assert api("township_clerk", "post", f"/{document.pk}", data={"title": "又改"}).status_code == 405
    assert Document.objects.get(pk=document.pk).title == "城关镇集贸市场管理暂行办法"


def test_a_patch_breaking_a_rule_is_a_400_naming_rule_and_field_and_writes_nothing(tree, api):
    from fazhi.core.models import AuditEvent

    document = document_through(tree.township, "drafting")
    before = Document.objects.values().get(pk=document.pk)
    api("township_clerk", "get", f"/{document.pk}")  # the token exists before the count
    events = AuditEvent.objects.count()
    too_long = api(
        "township_clerk",
        "patch",
        f"/{document.pk}",
        data={"title": "改了", "effective_from": "2025-01-01", "expires_on": "2031-01-01"},
    )
    assert too_long.status_code == 400
    assert (too_long.json()["rule"], too_long.json()["field"]) == ("documents.validity_too_long", "expires_on")
    empty = api("township_clerk", "patch", f"/{document.pk}", data={"provisional": None})
    assert empty.status_code == 400 and (empty.json()["rule"], empty.json()["field"]) == ("api.null", "provisional")
    assert Document.objects.values().get(pk=document.pk) == before
    assert AuditEvent.objects.count() == events


def test_every_workflow_step_has_one_endpoint_of_the_same_shape(tree, api):
    """The steps' endpoints come from one table: each transition but the update has its POST path, and each refuses
    a step that is not open now with the same 400 (the rule ``documents.not_now``)."""

    from fazhi.ledgers.documents import rules
    from fazhi.ledgers.documents.steps import STEPS

    assert set(STEPS) == set(rules.TRANSITIONS) - {"update"}
    document = document_through(tree.township, "registered")
    for name, step in STEPS.items():
        url = reverse(f"api-1:api_document_{name}", kwargs={"document_id": document.pk})
        assert url == f"/api/v1/ledgers/documents/{document.pk}/{step.path}"
    refused = api("township_clerk", "post", f"/{document.pk}/decide", data={"decided_on": "2025-04-01"})
    assert refused.status_code == 400 and refused.json()["rule"] == "documents.not_now"
    assert api("leader", "post", f"/{document.pk}/decide", data={"decided_on": "2025-04-01"}).status_code == 403


def test_text_longer_than_its_column_is_refused_as_the_pages_and_import_refuse_it(tree, api):
    """The forms and the import cap each text at its column's length; the API did not (PostgreSQL: a 500)."""
    too_long = api("township_clerk", "post", data={"org": "990101001", "title": "办" * 301})
    assert too_long.status_code == 422
    assert not Document.objects.exists()
    document = document_through(tree.township, "drafting")
    assert api("township_clerk", "patch", f"/{document.pk}", data={"title": "办" * 301}).status_code == 422
    assert api("township_clerk", "post", data={"org": "990101001", "title": "办" * 300}).status_code == 201
    decided = document_through(tree.township, "decision", title="待决定的办法")
    long_meeting = api(
        "township_clerk", "post", f"/{decided.pk}/decide", data={"decided_on": "2025-04-01", "meeting": "会" * 201}
    )
    assert long_meeting.status_code == 422
    assert Document.objects.get(pk=decided.pk).status == "decision"


def test_the_api_takes_the_issuing_org_and_office_from_the_same_choices_as_the_pages(tree, api, client_for):
    """Villages do not issue normative documents nor register them: the form refuses a village's code, and so
    does the API (it took any org in scope)."""
    refused = api("county_admin", "post", data={"org": tree.village.code, "title": "村里的办法"})
    assert refused.status_code == 400 and (refused.json()["rule"], refused.json()["field"]) == ("api.org", "org")
    page = client_for("county_admin").post(
        reverse("document_create"), {"org": tree.village.code, "title": "村里的办法"}
    )
    assert page.status_code == 400
    assert not Document.objects.filter(title="村里的办法").exists()
    document = document_through(tree.county, "decided")
    body = {"office": tree.village.code, "registered_on": "2025-05-02", "number_prefix": "青政规"}
    body.update(effective_from="2025-06-01", expires_on="2028-05-31")
    office = api("county_admin", "post", f"/{document.pk}/register", data=body)
    assert office.status_code == 400 and office.json()["field"] == "office"
    assert Document.objects.get(pk=document.pk).status == "decided"
