"""The disputes API: list with filters, detail, create, update, extend; rules as 400 {rule, field, message}."""

import datetime as dt

import pytest

from fazhi.ledgers.disputes.models import ReconsiderationCase
from fazhi.orgs.tokens import api_token_create
from tests.ledgers.disputes import factories


@pytest.fixture
def api(client, personas):
    def call(persona, method, path, **kwargs):
        key = api_token_create(actor=None, user=personas[persona], name="脚本")[1]
        return getattr(client, method)(
            f"/api/v1/ledgers/disputes/{path}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
            **kwargs,
        )

    return call


def test_create_refuses_one_handler_with_rule_and_field(tree, api):
    body = {
        "org": "990101001",
        "case_number": "复1",
        "respondent": "城关镇人民政府",
        "matter": "不服处罚",
        "received_on": "2026-03-01",
        "accepted_on": "2026-03-05",
        "handlers": "王某",
    }
    response = api("township_clerk", "post", "reconsideration", data=body)
    assert response.status_code == 400
    assert response.json()["rule"] == "disputes.reconsideration_handlers"
    assert response.json()["field"] == "handlers"
    response = api("township_clerk", "post", "reconsideration", data={**body, "handlers": "王某、李某"})
    assert response.status_code == 201, response.content
    assert response.json()["due_on"] == "2026-05-04"
    assert ReconsiderationCase.objects.get().org == tree.township


def test_create_outside_edit_scope_is_refused(tree, api):
    body = {"org": "990101", "number": "调1", "kind": "peoples", "matter": "纠纷", "screened_on": "2026-03-01"}
    assert api("township_clerk", "post", "mediation", data=body).json()["rule"] == "api.org"
    assert api("leader", "post", "mediation", data=body).status_code == 403


def test_list_detail_update_extend(tree, api):
    mine = factories.disclosure(tree.township)
    factories.disclosure(tree.other_village)
    listing = api("township_clerk", "get", "disclosure?status=open").json()
    assert [r["id"] for r in listing["results"]] == [mine.pk] and listing["count"] == 1
    assert api("village_clerk_elsewhere", "get", f"disclosure/{mine.pk}").status_code == 404
    response = api("township_clerk", "patch", f"disclosure/{mine.pk}", data={"answered_on": "2026-03-03"})
    assert response.status_code == 400 and response.json()["rule"] == "disputes.disclosure_reply"
    response = api("township_clerk", "post", f"disclosure/{mine.pk}/extend", data={"days": 20})
    assert response.status_code == 200 and response.json()["extension_days"] == 20
    response = api("township_clerk", "post", f"disclosure/{mine.pk}/extend", data={"days": 1})
    assert response.json()["rule"] == "disputes.disclosure_extension"
    response = api("leader", "patch", f"disclosure/{mine.pk}", data={"subject": "x"})
    assert response.status_code == 403
    done = api(
        "township_clerk", "patch", f"disclosure/{mine.pk}", data={"answered_on": "2026-03-03", "reply": "partly"}
    )
    assert done.json()["on_time"] is True
    assert dt.date.fromisoformat(done.json()["due_on"]) > dt.date(2026, 3, 30)


def test_patch_keeps_the_fields_left_out(tree, api):
    case = factories.reconsideration(tree.township, applicant="张某")
    before = {f: getattr(case, f) for f in ("case_number", "respondent", "handlers", "accepted_on", "due_on")}
    response = api("township_clerk", "patch", f"reconsideration/{case.pk}", data={"matter": "不服行政强制"})
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.matter == "不服行政强制" and case.applicant == "张某"
    assert {f: getattr(case, f) for f in before} == before


@pytest.mark.parametrize(
    "register,field",
    [
        ("reconsideration", "handlers"),
        ("reconsideration", "accepted_on"),
        ("reconsideration", "matter"),
        ("litigation", "court"),
        ("litigation", "filed_on"),
        ("mediation", "kind"),
        ("mediation", "screened_on"),
        ("disclosure", "subject"),
        ("disclosure", "received_on"),
    ],
)
def test_patch_emptying_a_required_field_is_a_400_naming_it_and_writes_nothing(tree, api, register, field):
    from fazhi.core.models import AuditEvent

    record = getattr(factories, register)(tree.township)
    events = AuditEvent.objects.filter(action__startswith="disputes.").count()
    before = getattr(record, field)
    response = api("township_clerk", "patch", f"{register}/{record.pk}", data={"matter": "改", field: None})
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field and response.json()["rule"], response.json()
    record.refresh_from_db()
    assert getattr(record, field) == before
    assert AuditEvent.objects.filter(action__startswith="disputes.").count() == events


def test_patch_breaking_a_rule_names_rule_and_field(tree, api):
    case = factories.reconsideration(tree.township)
    response = api("township_clerk", "patch", f"reconsideration/{case.pk}", data={"handlers": "王某"})
    assert (response.status_code, response.json()["rule"], response.json()["field"]) == (
        400,
        "disputes.reconsideration_handlers",
        "handlers",
    )
    case.refresh_from_db()
    assert case.handler_count == 2


@pytest.mark.parametrize("register", ["reconsideration", "disclosure"])
def test_the_extension_is_granted_once_by_its_action_not_by_an_update(tree, api, register):
    """A PATCH of extension_days would be a second extension (or one after the decision): refused, nothing
    written; the extend action is the one way, once."""
    record = getattr(factories, register)(tree.township)
    assert api("township_clerk", "post", f"{register}/{record.pk}/extend", data={"days": 10}).status_code == 200
    record.refresh_from_db()
    due = record.due_on
    response = api("township_clerk", "patch", f"{register}/{record.pk}", data={"extension_days": 20})
    assert response.status_code == 400, response.content
    assert (response.json()["rule"], response.json()["field"]) == (f"disputes.{register}_extension", "extension_days")
    record.refresh_from_db()
    assert (record.extension_days, record.due_on) == (10, due)
    same = api("township_clerk", "patch", f"{register}/{record.pk}", data={"extension_days": 10, "matter": "改"})
    assert same.status_code in (200, 400) and same.json().get("field") != "extension_days"
