"""The review API driven by a program: assign, score, submit, reopen, reassign, vetoes, inspection, survey."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.campaigns.services import assignments as assignment_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.test_review_services import COMPLETE, build_setup
from tests.factories import make_user

# COMPLETE as a program sends it: manual leaves in points.
ANSWERS = {**COMPLETE, "1.1": 3.5, "1.4": 0.95, "1.5": 2}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(tree, personas):
    return build_setup(tree, personas)


class Api:
    def __init__(self, user):
        key = api_token_create(actor=None, user=user, name="脚本")[1]
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")

    def get(self, name, *args):
        return self.client.get(reverse(f"api-1:{name}", args=args))

    def post(self, name, *args, body=None):
        return self.client.post(reverse(f"api-1:{name}", args=args), body or {}, content_type="application/json")


def test_a_program_assigns_scores_and_submits(setup):
    admin = Api(setup["admin"])
    response = admin.post("assignments_run", setup["campaign"].pk)
    assert response.status_code == 200 and response.json()["assigned"] == 6
    listing = admin.get("assignment_list", setup["campaign"].pk).json()
    assert {row["applicant"] for row in listing} == {"东门村", "河口村", "青山县第一中学"}
    assert all(r["total"] is None for row in listing for r in row["reviewers"])

    assignment = m.Assignment.objects.filter(application=setup["apps"]["school"]).first()
    me = Api(assignment.reviewer)
    mine = me.get("my_assignments").json()
    assert assignment.pk in {a["assignment"] for a in mine}
    saved = me.post("sheet_save", assignment.pk, body={"answers": ANSWERS, "bonus": {"B1": True}})
    assert saved.status_code == 200
    leaves = {leaf["code"]: leaf for leaf in saved.json()["leaves"]}
    assert leaves["1.1"]["answer"] == 3.5 and leaves["1.1"]["score"] == 3.5 and leaves["1.2"]["answer"] == [0, 1]
    submitted = me.post("sheet_submit", assignment.pk)
    assert submitted.json()["status"] == "submitted" and submitted.json()["total"] == 18.5
    again = me.post("sheet_submit", assignment.pk)
    assert again.status_code == 400 and again.json()["rule"] == "review.sheet_submitted"


def test_bad_answers_through_the_api_name_the_leaf_and_change_nothing(setup):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    assignment = m.Assignment.objects.first()
    me = Api(assignment.reviewer)
    for answers, words in (
        ({"1.1": 5}, "outside 0 to 4"),
        ({"1.2": [10]}, "no checklist item 10"),
        ({"1.3": -1}, "at least 0"),
        ({"1.4": "0.5x"}, "must be a number"),
    ):
        response = me.post("sheet_save", assignment.pk, body={"answers": answers})
        assert response.status_code == 400, answers
        assert words in response.json()["message"]
        assert response.json()["field"] == next(iter(answers))
    assert not m.LeafScore.objects.exists()


def test_another_reviewers_sheet_is_not_found(setup):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    one, two = m.Assignment.objects.filter(application=setup["apps"]["school"])
    me = Api(one.reviewer)
    assert me.get("sheet", two.pk).status_code == 404
    assert me.post("sheet_save", two.pk, body={"answers": {"1.1": 1}}).status_code == 404
    assert me.post("sheet_submit", two.pk).status_code == 404
    assert me.post("sheet_reopen", one.pk, body={"reason": "x"}).status_code == 404  # not an administrator


def test_reopen_reassign_and_vetoes(setup, tree):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    one, two = m.Assignment.objects.filter(application=setup["apps"]["school"])
    sheet_services.sheet_save(actor=one.reviewer, sheet=one.sheet, answers=COMPLETE)
    sheet_services.sheet_submit(actor=one.reviewer, sheet=one.sheet)
    admin = Api(setup["admin"])
    assert admin.post("sheet_reopen", one.pk, body={"reason": ""}).json()["rule"] == "review.reason_required"
    assert admin.post("sheet_reopen", one.pk, body={"reason": "复核"}).json()["status"] == "draft"
    newcomer = make_user("expert_new", org=tree.other_township, role="reviewer")
    m.PoolMember.objects.create(campaign=setup["campaign"], user=newcomer)
    response = admin.post("assignment_reassign", two.pk, body={"reviewer": "expert_new"})
    assert response.status_code == 200 and response.json()["reviewer"] == "expert_new"
    b = setup["reviewers"]["乙"]
    village = m.Assignment.objects.filter(application=setup["apps"]["village"]).first()
    assert admin.post("assignment_reassign", village.pk, body={"reviewer": b.username}).json()["rule"] == (
        "review.not_eligible"
    )

    proposer = Api(one.reviewer)
    school = setup["apps"]["school"]
    proposed = proposer.post("veto_propose", school.pk, body={"item": "V1", "reason": "有重大违法案件"})
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    assert proposer.post("veto_propose", school.pk, body={"item": "V9", "reason": "x"}).json()["rule"] == (
        "veto.item_unknown"
    )
    recorded = admin.post("veto_record", school.pk, body={"item": "V1", "reason": "属实"}).json()
    assert recorded["status"] == "recorded" and recorded["id"] == proposed.json()["id"]
    assert proposer.post("veto_record", school.pk, body={"item": "V1", "reason": "x"}).status_code == 403
    withdrawn = admin.post("veto_withdraw", recorded["id"], body={"reason": "撤销"}).json()
    assert withdrawn["status"] == "withdrawn"
    assert [v["status"] for v in admin.get("veto_list", school.pk).json()] == ["withdrawn"]


def test_inspection_and_survey_through_the_api(setup, tree):
    campaign, school = setup["campaign"], setup["apps"]["school"]
    school.state = m.ApplicationState.SCORED
    school.save()
    campaign.stage = m.Stage.INSPECTION
    campaign.weight_review, campaign.weight_inspection, campaign.weight_survey = 60, 20, 20
    campaign.save()
    inspector = make_user("inspector", org=tree.other_county, role="reviewer")
    m.PoolMember.objects.create(campaign=campaign, user=inspector, role=m.PoolRole.INSPECTOR)
    api = Api(inspector)
    assert api.post("inspection_score_enter", school.pk, body={"score": 101}).json()["rule"] == (
        "inspection.out_of_range"
    )
    response = api.post("inspection_score_enter", school.pk, body={"score": 92.5, "note": "好"})
    assert response.json() == {"application": school.pk, "score": 92.5, "note": "好"}
    assert Api(setup["reviewers"]["丁"]).post("inspection_score_enter", school.pk, body={"score": 1}).status_code == 404
    links = Api(setup["admin"]).post("survey_tokens_create", school.pk, body={"count": 2})
    assert links.status_code == 201 and len(links.json()["links"]) == 2
    assert links.json()["links"][0].startswith("http://testserver/public/survey/")
    assert Api(setup["admin"]).post("survey_tokens_create", school.pk, body={"count": -1}).status_code == 400


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_at_once_lose_nothing(tree, personas):
    """Two threads, two connections: both reviewers of one application save and submit at the same time."""
    setup = build_setup(tree, personas)
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    one, two = m.Assignment.objects.filter(application=setup["apps"]["school"]).select_related("reviewer", "sheet")
    barrier, errors = threading.Barrier(2), []

    def work(assignment, first):
        try:
            barrier.wait()
            sheet_services.sheet_save(
                actor=assignment.reviewer, sheet=assignment.sheet, answers={**COMPLETE, "1.1": first}
            )
            sheet_services.sheet_submit(actor=assignment.reviewer, sheet=assignment.sheet)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a, v)) for a, v in ((one, 100), (two, 400))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.ScoreSheet.objects.filter(assignment__in=[one, two]).values_list("total", flat=True)) == [
        1650 - 250,
        1650 + 50,
    ]
    setup["apps"]["school"].refresh_from_db()
    assert setup["apps"]["school"].state == m.ApplicationState.SCORED  # neither missed the other's submission
