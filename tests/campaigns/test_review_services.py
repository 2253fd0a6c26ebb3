"""Review services: assignment, score sheets, vetoes, inspection scores, survey — and every refusal leaves
nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.campaigns.services import assignments as assignment_services
from fazhi.campaigns.services import inspection as inspection_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.campaigns.services import survey
from fazhi.campaigns.services import vetoes as veto_services
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from tests.campaigns.world import _application, _campaign, _standard
from tests.factories import make_user

COMPLETE = {"1.1": 350, "1.2": [0, 1], "1.3": 1, "1.4": "0.95", "1.5": "2"}  # 350+200+400+400+300 = 1650


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(tree, personas):
    return build_setup(tree, personas)


def build_setup(tree, personas) -> dict:
    """A campaign in review (2 reviewers each) with three recommended applications and four pooled reviewers:
    甲 of 青山县 (may review none), 乙 of 城关镇 (not 东门村), 丙 with a conflict with 河口镇 (not 河口村), 丁."""
    standard = _standard(tree)
    campaign = _campaign(standard, tree.county, m.Stage.REVIEW, reviewers_per_application=2)
    apps = {
        "village": _application(campaign, tree.village, m.ApplicationState.RECOMMENDED),
        "village2": _application(campaign, tree.village2, m.ApplicationState.RECOMMENDED),
        "school": _application(campaign, tree.school, m.ApplicationState.RECOMMENDED),
    }
    reviewers = {
        "甲": make_user("expert_a", org=tree.county, role="reviewer", full_name="专家甲"),
        "乙": make_user("expert_b", org=tree.township, role="reviewer", full_name="专家乙"),  # 城关镇: not 东门村
        "丙": make_user("expert_c", org=tree.other_county, role="reviewer", full_name="专家丙"),
        "丁": make_user("expert_d", org=tree.other_county, role="reviewer", full_name="专家丁"),
    }
    for user in reviewers.values():
        m.PoolMember.objects.create(campaign=campaign, user=user, role=m.PoolRole.REVIEWER)
    m.Conflict.objects.create(campaign=campaign, reviewer=reviewers["丙"], org=tree.township2, reason="曾任职")
    return {"campaign": campaign, "apps": apps, "reviewers": reviewers, "admin": personas["county_admin"]}


def _sheet(application, reviewer):
    return m.ScoreSheet.objects.get(assignment__application=application, assignment__reviewer=reviewer)


def _snapshot(sheet):
    sheet.refresh_from_db()
    return (
        sheet.status,
        sheet.total,
        sorted(m.LeafScore.objects.filter(sheet=sheet).values_list("indicator__code", "answer", "score", "comment")),
        sorted(m.BonusAward.objects.filter(sheet=sheet).values_list("item__code", flat=True)),
    )


def test_run_assigns_k_eligible_reviewers_and_puts_applications_in_review(setup, tree):
    outcome = assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    assert outcome.assigned == 6 and outcome.shortfalls == []
    pairs = set(m.Assignment.objects.values_list("application__org__name", "reviewer__username"))
    # 甲 belongs to 青山县 (every applicant is inside it); 乙 to 城关镇 (东门村); 丙 declared 河口镇 (河口村).
    assert not {p for p in pairs if p[1] == "expert_a"}
    loads = [r for _a, r in pairs]
    assert sorted(loads.count(u) for u in ("expert_b", "expert_c", "expert_d")) == [2, 2, 2]
    assert outcome.spread == 2  # 甲 may review none of them: reported, not hidden
    assert ("东门村", "expert_b") not in pairs and ("河口村", "expert_c") not in pairs
    assert m.ScoreSheet.objects.filter(status=m.SheetStatus.DRAFT).count() == 6
    assert set(m.Application.objects.values_list("state", flat=True)) == {m.ApplicationState.IN_REVIEW}
    assert AuditEvent.objects.filter(action="campaigns.review.assigned").count() == 6


def test_shortfall_is_reported_by_name_and_the_rest_assigned(setup):
    setup["campaign"].reviewers_per_application = 3
    setup["campaign"].save()
    outcome = assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    messages = {s["application"]: s for s in outcome.shortfalls}
    assert set(messages) == {"东门村", "河口村"}
    assert messages["东门村"]["missing"] == 1
    assert "东门村: 1 reviewer missing" in messages["东门村"]["message"]
    assert m.Assignment.objects.filter(application=setup["apps"]["school"]).count() == 3
    assert m.Assignment.objects.filter(application=setup["apps"]["village"]).count() == 2


def test_run_twice_adds_nothing_and_run_outside_review_is_refused(setup):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    assert assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"]).assigned == 0
    setup["campaign"].stage = m.Stage.INSPECTION
    setup["campaign"].save()
    with pytest.raises(DomainError) as refused:
        assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    assert refused.value.rule == "campaigns.wrong_stage"


def test_only_the_campaigns_administrator_runs_assignment(setup, personas):
    with pytest.raises(PermissionDenied):
        assignment_services.assignments_run(actor=personas["leader"], campaign=setup["campaign"])
    assert not m.Assignment.objects.exists()


@pytest.fixture
def assigned(setup):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    return setup


def test_save_then_submit_computes_the_total_and_the_last_sheet_scores_the_application(assigned):
    school, r = assigned["apps"]["school"], assigned["reviewers"]
    reviewers = list(m.Assignment.objects.filter(application=school).values_list("reviewer", flat=True))
    users = [u for u in r.values() if u.pk in reviewers]
    first, second = (_sheet(school, u) for u in users)
    sheet_services.sheet_save(actor=users[0], sheet=first, answers={"1.1": 350}, comments={"1.1": "计划齐全"})
    sheet_services.sheet_save(
        actor=users[0], sheet=first, answers={k: v for k, v in COMPLETE.items() if k != "1.1"}, bonus={"B1": True}
    )
    sheet_services.sheet_submit(actor=users[0], sheet=first)
    first.refresh_from_db()
    assert first.status == m.SheetStatus.SUBMITTED and first.total == 1650 + 200
    assert m.LeafScore.objects.get(sheet=first, indicator__code="1.1").comment == "计划齐全"
    school.refresh_from_db()
    assert school.state == m.ApplicationState.IN_REVIEW
    sheet_services.sheet_save(actor=users[1], sheet=second, answers=COMPLETE)
    sheet_services.sheet_submit(actor=users[1], sheet=second)
    school.refresh_from_db()
    assert school.state == m.ApplicationState.SCORED


def test_a_sheet_submitted_twice_is_refused_clearly(assigned):
    school = assigned["apps"]["school"]
    assignment = m.Assignment.objects.filter(application=school).first()
    sheet = assignment.sheet
    sheet_services.sheet_save(actor=assignment.reviewer, sheet=sheet, answers=COMPLETE)
    sheet_services.sheet_submit(actor=assignment.reviewer, sheet=sheet)
    with pytest.raises(DomainError, match="submitted on .* and is locked") as refused:
        sheet_services.sheet_submit(actor=assignment.reviewer, sheet=sheet)
    assert refused.value.rule == "review.sheet_submitted"
    with pytest.raises(DomainError):
        sheet_services.sheet_save(actor=assignment.reviewer, sheet=sheet, answers={"1.1": 0})
    assert m.LeafScore.objects.get(sheet=sheet, indicator__code="1.1").score == 350


def test_submit_names_the_missing_leaves(assigned):
    assignment = m.Assignment.objects.first()
    sheet_services.sheet_save(actor=assignment.reviewer, sheet=assignment.sheet, answers={"1.1": 400, "1.2": []})
    with pytest.raises(DomainError, match=r"indicators 1\.3, 1\.4, 1\.5 have no score yet"):
        sheet_services.sheet_submit(actor=assignment.reviewer, sheet=assignment.sheet)
    assert _snapshot(assignment.sheet)[0] == m.SheetStatus.DRAFT


@pytest.mark.parametrize(
    ("answers", "bonus", "code", "words"),
    [
        ({"1.1": 450}, {}, "1.1", "outside 0 to 4"),  # out of range
        ({"1.1": 330}, {}, "1.1", "not a multiple of the step"),
        ({"1.2": [0, 12]}, {}, "1.2", "there is no checklist item 12"),  # unknown checklist item
        ({"1.3": -1}, {}, "1.3", "at least 0"),  # negative count
        ({"1.4": "1.2"}, {}, "1.4", "outside 0 to 1"),
        ({"1.4": "很多"}, {}, "1.4", "must be a number"),
        ({"9.9": 1}, {}, "9.9", "not an indicator"),
        ({}, {"B9": True}, "B9", "not a bonus item"),
    ],
)
def test_bad_answers_are_refused_with_nothing_changed(assigned, answers, bonus, code, words):
    assignment = m.Assignment.objects.first()
    sheet = assignment.sheet
    sheet_services.sheet_save(
        actor=assignment.reviewer, sheet=sheet, answers={"1.1": 200, "1.3": 2}, bonus={"B1": True}
    )
    before, events = _snapshot(sheet), AuditEvent.objects.count()
    with pytest.raises(sheet_services.SheetProblems) as refused:
        sheet_services.sheet_save(actor=assignment.reviewer, sheet=sheet, answers={"1.5": "1", **answers}, bonus=bonus)
    assert refused.value.field == code
    assert words in refused.value.problems[code]
    assert _snapshot(sheet) == before and AuditEvent.objects.count() == events


def test_scoring_outside_the_review_stage_is_refused(assigned):
    assignment = m.Assignment.objects.first()
    campaign = assigned["campaign"]
    campaign.stage = m.Stage.INSPECTION
    campaign.save()
    with pytest.raises(DomainError, match="Inspection and results stage: scoring is not possible now"):
        sheet_services.sheet_save(actor=assignment.reviewer, sheet=assignment.sheet, answers={"1.1": 100})
    assert not m.LeafScore.objects.exists()


def test_only_the_assigned_reviewer_saves_a_sheet(assigned):
    assignment = m.Assignment.objects.first()
    other = next(u for u in assigned["reviewers"].values() if u.pk != assignment.reviewer_id)
    with pytest.raises(PermissionDenied):
        sheet_services.sheet_save(actor=other, sheet=assignment.sheet, answers={"1.1": 100})
    assert not m.LeafScore.objects.exists()


def test_two_saves_interleaved_lose_nothing(assigned):
    """Two tabs (or two reviewers of one application) saving different leaves one after the other: both kept."""
    school = assigned["apps"]["school"]
    one, two = m.Assignment.objects.filter(application=school)
    stale_one = m.ScoreSheet.objects.get(pk=one.sheet.pk)  # read before either save
    sheet_services.sheet_save(actor=one.reviewer, sheet=one.sheet, answers={"1.1": 300})
    sheet_services.sheet_save(actor=two.reviewer, sheet=two.sheet, answers={"1.1": 100})
    sheet_services.sheet_save(actor=one.reviewer, sheet=stale_one, answers={"1.3": 2})
    assert _snapshot(one.sheet)[2] == [("1.1", 300, 300, ""), ("1.3", 2, 300, "")]
    assert _snapshot(two.sheet)[2] == [("1.1", 100, 100, "")]


def test_reopen_is_audited_with_its_reason_and_puts_the_application_back_in_review(assigned):
    school = assigned["apps"]["school"]
    for a in m.Assignment.objects.filter(application=school):
        sheet_services.sheet_save(actor=a.reviewer, sheet=a.sheet, answers=COMPLETE)
        sheet_services.sheet_submit(actor=a.reviewer, sheet=a.sheet)
    sheet = m.Assignment.objects.filter(application=school).first().sheet
    with pytest.raises(DomainError, match="reason"):
        sheet_services.sheet_reopen(actor=assigned["admin"], sheet=sheet, reason=" ")
    sheet_services.sheet_reopen(actor=assigned["admin"], sheet=sheet, reason="1.3 计分有误")
    sheet.refresh_from_db()
    school.refresh_from_db()
    assert sheet.status == m.SheetStatus.DRAFT and sheet.total is None and sheet.reopened == 1
    assert school.state == m.ApplicationState.IN_REVIEW
    event = AuditEvent.objects.get(action="campaigns.review.sheet_reopened")
    assert event.new["reason"] == "1.3 计分有误" and event.old["total"] == 1650
    assert event.actor == assigned["admin"]


def test_a_sheet_cannot_be_reopened_once_review_has_closed(assigned):
    school = assigned["apps"]["school"]
    for a in m.Assignment.objects.filter(application=school):
        sheet_services.sheet_save(actor=a.reviewer, sheet=a.sheet, answers=COMPLETE)
        sheet_services.sheet_submit(actor=a.reviewer, sheet=a.sheet)
    m.Campaign.objects.filter(pk=school.campaign_id).update(stage=m.Stage.INSPECTION)
    sheet = m.Assignment.objects.filter(application=school).first().sheet
    with pytest.raises(DomainError) as refused:
        sheet_services.sheet_reopen(actor=assigned["admin"], sheet=sheet, reason="1.3 计分有误")
    assert refused.value.rule == "campaigns.wrong_stage"
    sheet.refresh_from_db()
    assert sheet.status == m.SheetStatus.SUBMITTED and sheet.reopened == 0


def test_reassign_to_an_eligible_reviewer_only(assigned, tree):
    village = assigned["apps"]["village"]
    assignment = m.Assignment.objects.filter(application=village).first()
    sheet_services.sheet_save(actor=assignment.reviewer, sheet=assignment.sheet, answers={"1.1": 100})
    b = assigned["reviewers"]["乙"]  # of 城关镇: may not review 东门村
    with pytest.raises(DomainError, match="may not review 东门村"):
        assignment_services.assignment_reassign(actor=assigned["admin"], assignment=assignment, reviewer=b)
    newcomer = make_user("expert_e", org=tree.other_township, role="reviewer")
    m.PoolMember.objects.create(campaign=assigned["campaign"], user=newcomer)
    old = assignment.reviewer
    assignment_services.assignment_reassign(actor=assigned["admin"], assignment=assignment, reviewer=newcomer)
    assignment.refresh_from_db()
    assert assignment.reviewer == newcomer and not m.LeafScore.objects.filter(sheet=assignment.sheet).exists()
    event = AuditEvent.objects.get(action="campaigns.review.reassigned")
    assert event.old["reviewer"] == old.username and event.new["reviewer"] == "expert_e"


def test_vetoes_propose_record_withdraw(assigned):
    school = assigned["apps"]["school"]
    reviewer = m.Assignment.objects.filter(application=school).first().reviewer
    item = assigned["campaign"].standard.veto.get(code="V1")
    veto = veto_services.veto_propose(actor=reviewer, application=school, item=item, reason="发现重大违法案件")
    assert veto.status == m.VetoStatus.PROPOSED
    with pytest.raises(DomainError, match="already proposed"):
        veto_services.veto_propose(actor=reviewer, application=school, item=item, reason="再次")
    outsider = assigned["reviewers"]["甲"]
    with pytest.raises(PermissionDenied):
        veto_services.veto_propose(actor=outsider, application=school, item=item, reason="x")
    recorded = veto_services.veto_record(actor=assigned["admin"], application=school, item=item, reason="经核实")
    assert recorded.pk == veto.pk and recorded.status == m.VetoStatus.RECORDED
    veto_services.veto_withdraw(actor=assigned["admin"], veto=recorded, reason="复核后撤销")
    recorded.refresh_from_db()
    assert recorded.status == m.VetoStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action__startswith="campaigns.veto.").count() == 3


def test_inspection_score_only_by_an_inspector_in_the_inspection_stage_when_weighted(setup, tree):
    campaign = setup["campaign"]
    school = setup["apps"]["school"]
    school.state = m.ApplicationState.SCORED
    school.save()
    inspector = make_user("inspector", org=tree.other_county, role="reviewer")
    m.PoolMember.objects.create(campaign=campaign, user=inspector, role=m.PoolRole.INSPECTOR)
    with pytest.raises(DomainError, match="stage"):
        inspection_services.inspection_score_enter(actor=inspector, application=school, score="80")
    campaign.stage = m.Stage.INSPECTION
    campaign.save()
    with pytest.raises(DomainError, match="no weight"):
        inspection_services.inspection_score_enter(actor=inspector, application=school, score="80")
    campaign.weight_review, campaign.weight_inspection = 70, 30
    campaign.save()
    for bad in ("101", "-1", "八十", "80.123"):
        with pytest.raises(DomainError):
            inspection_services.inspection_score_enter(actor=inspector, application=school, score=bad)
    with pytest.raises(PermissionDenied):
        inspection_services.inspection_score_enter(actor=setup["reviewers"]["甲"], application=school, score="80")
    assert not m.InspectionScore.objects.exists()
    inspection_services.inspection_score_enter(
        actor=inspector, application=school, score=Decimal("85.5"), note="现场查看"
    )
    inspection_services.inspection_score_enter(actor=inspector, application=school, score="86")
    assert list(m.InspectionScore.objects.values_list("score", flat=True)) == [8600]


def test_survey_component():
    assert survey.survey_component(2, 3) == 6667
    assert survey.survey_component(1, 8) == 1250
    assert survey.survey_component(1, 200) == 50
    assert survey.survey_component(0, 0) is None
    assert survey.survey_component(5, 5) == 10000


def test_survey_links_take_one_answer_each_only_in_inspection(setup):
    campaign, school = setup["campaign"], setup["apps"]["school"]
    school.state = m.ApplicationState.SCORED
    school.save()
    campaign.stage, campaign.weight_review, campaign.weight_survey = m.Stage.INSPECTION, 80, 20
    campaign.save()
    for bad in (0, -3, 1001):
        with pytest.raises(DomainError, match="number of links"):
            survey.survey_tokens_create(actor=setup["admin"], application=school, count=bad)
    tokens = survey.survey_tokens_create(actor=setup["admin"], application=school, count=3)
    assert len({t.token for t in tokens}) == 3 and all(len(t.token) >= 32 for t in tokens)
    survey.survey_answer(token=tokens[0], satisfied=True, comment="很好")
    with pytest.raises(DomainError, match="already been answered"):
        survey.survey_answer(token=tokens[0], satisfied=False)
    campaign.stage = m.Stage.NOTICE
    campaign.save()
    with pytest.raises(DomainError, match="stage"):
        survey.survey_answer(token=tokens[1], satisfied=True)
    assert list(m.SurveyToken.objects.filter(answered_at__isnull=False).values_list("satisfied", flat=True)) == [True]


def test_vetoes_outside_review_and_inspection_are_refused(assigned):
    school = assigned["apps"]["school"]
    item = assigned["campaign"].standard.veto.get(code="V1")
    assigned["campaign"].stage = m.Stage.NOTICE
    assigned["campaign"].save()
    with pytest.raises(DomainError, match="Public notice stage: recording a veto is not possible now"):
        veto_services.veto_record(actor=assigned["admin"], application=school, item=item, reason="x")
    assert not m.Veto.objects.exists()


def test_a_submitted_sheet_cannot_be_reassigned(assigned, tree):
    assignment = m.Assignment.objects.filter(application=assigned["apps"]["school"]).first()
    sheet_services.sheet_save(actor=assignment.reviewer, sheet=assignment.sheet, answers=COMPLETE)
    sheet_services.sheet_submit(actor=assignment.reviewer, sheet=assignment.sheet)
    newcomer = make_user("expert_new", org=tree.other_township, role="reviewer")
    m.PoolMember.objects.create(campaign=assigned["campaign"], user=newcomer)
    with pytest.raises(DomainError, match="already submitted this score sheet: reopen it before reassigning"):
        assignment_services.assignment_reassign(actor=assigned["admin"], assignment=assignment, reviewer=newcomer)
    assignment.refresh_from_db()
    assert assignment.reviewer != newcomer
