"""The review pages as their users meet them: the reviewer's queue and sheet, the administrator's
assignments, reopen, reassign and vetoes, the inspector's scores and the public questionnaire."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.campaigns.services import assignments as assignment_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.core.models import AuditEvent
from tests.campaigns.test_review_services import COMPLETE, build_setup
from tests.factories import make_user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(tree, personas):
    return build_setup(tree, personas)


@pytest.fixture
def assigned(setup):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    return setup


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _pair(assigned, key="school"):
    application = assigned["apps"][key]
    return application, list(m.Assignment.objects.filter(application=application).select_related("reviewer", "sheet"))


def _form(assignment, answers: dict, **extra) -> dict:
    """POST data for the sheet page from {leaf code: value as typed}."""
    rows = sheet_services.leaves_by_code(assignment.application.campaign.standard)
    data = {}
    for index, code in enumerate(rows):
        value = answers.get(code, "")
        if value == "":
            continue  # a blank field, or a checklist with no box ticked, is not posted
        if isinstance(value, list):
            data[f"leaf_{index}"] = [str(v) for v in value]
        else:
            data[f"leaf_{index}"] = str(value)
        data[f"comment_{index}"] = ""
    data.update(extra)
    return data


TYPED = {"1.1": "3.5", "1.2": [0, 1], "1.3": "1", "1.4": "0.95", "1.5": "2"}


def test_queue_lists_only_my_own_assignments(assigned):
    _application, (one, two) = _pair(assigned)
    page = _client(one.reviewer).get(reverse("review_queue")).content.decode()
    mine = set(m.Assignment.objects.filter(reviewer=one.reviewer).values_list("application__org__name", flat=True))
    others = set(m.Assignment.objects.exclude(reviewer=one.reviewer).values_list("application__org__name", flat=True))
    for name in mine:
        assert name in page
    for name in others - mine:
        assert name not in page
    assert page.count(reverse("assignment_sheet", args=[one.pk])) == 1
    assert reverse("assignment_sheet", args=[two.pk]) not in page


def test_sheet_shows_guidance_the_applicants_answer_statement_and_evidence(assigned):
    application, (one, _two) = _pair(assigned)
    leaf = application.campaign.standard.indicators.get(code="1.1")
    m.Answer.objects.create(application=application, indicator=leaf, answer=300, statement="已制定年度学法计划")
    m.Evidence.objects.create(
        application=application,
        indicator=leaf,
        file="evidence/x/y/z",
        name="学法计划.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    page = _client(one.reviewer).get(reverse("assignment_sheet", args=[one.pk])).content.decode()
    assert "查阅学法计划和记录" in page  # guidance
    assert "已制定年度学法计划" in page and "学法计划.pdf" in page
    assert "法治展牌" in page  # a checklist item to tick


def test_sheet_shows_the_evidence_for_the_whole_application_with_checked_downloads(assigned):
    application, (one, _two) = _pair(assigned)
    name = default_storage.save("evidence/test/总体情况说明.pdf", ContentFile(b"%PDF-1.4 whole"))
    whole = m.Evidence.objects.create(
        application=application,
        indicator=None,
        file=name,
        name="总体情况说明.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
    )
    page = _client(one.reviewer).get(reverse("assignment_sheet", args=[one.pk])).content.decode()
    section = page[page.index('id="general-evidence"') :]
    url = reverse("evidence_download", args=[whole.pk])
    assert f'<a href="{url}">总体情况说明.pdf</a>' in section
    assert b"".join(_client(one.reviewer).get(url).streaming_content) == b"%PDF-1.4 whole"
    assert _client(make_user("outsider", org=assigned["campaign"].organiser)).get(url).status_code == 404


def test_sheet_marks_evidence_with_a_picture_every_browser_draws(assigned):
    """No emoji (the site ships no emoji font, so 📎 drew as an empty box): an inline SVG."""
    application, (one, _two) = _pair(assigned)
    leaf = application.campaign.standard.indicators.get(code="1.1")
    for indicator in (leaf, None):
        m.Evidence.objects.create(
            application=application,
            indicator=indicator,
            file="evidence/x",
            name="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    page = _client(one.reviewer).get(reverse("assignment_sheet", args=[one.pk])).content.decode()
    assert not any(ord(character) >= 0x1F000 for character in page)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2


def test_reviewer_saves_a_draft_then_submits_and_the_sheet_turns_read_only(assigned):
    _application, (one, _two) = _pair(assigned)
    client = _client(one.reviewer)
    url = reverse("assignment_sheet", args=[one.pk])
    response = client.post(url, _form(one, {"1.1": "3.5", "1.2": [0, 1]}, action="save"))
    assert response.status_code == 302
    assert sorted(m.LeafScore.objects.filter(sheet=one.sheet).values_list("indicator__code", "score")) == [
        ("1.1", 350),
        ("1.2", 200),
    ]
    response = client.post(url, _form(one, {"1.1": "3.5", "1.2": [0, 1]}, action="submit"), follow=True)
    assert "1.3, 1.4, 1.5" in response.content.decode()  # the missing leaves are named
    response = client.post(url, _form(one, TYPED, action="submit"), follow=True)
    page = response.content.decode()
    one.sheet.refresh_from_db()
    assert one.sheet.status == m.SheetStatus.SUBMITTED and one.sheet.total == 1650
    assert "16.5" in page and 'name="action"' not in page  # total shown, no more buttons
    response = client.post(url, _form(one, {**TYPED, "1.1": "1"}, action="save"), follow=True)
    assert "cannot be changed now" in response.content.decode()
    assert m.LeafScore.objects.get(sheet=one.sheet, indicator__code="1.1").score == 350


def test_a_bad_answer_is_shown_on_its_field_and_nothing_is_saved(assigned):
    _application, (one, _two) = _pair(assigned)
    client = _client(one.reviewer)
    url = reverse("assignment_sheet", args=[one.pk])
    client.post(url, _form(one, {"1.1": "2"}, action="save"))
    response = client.post(url, _form(one, {"1.1": "3", "1.3": "-2"}, action="save"))
    assert response.status_code == 400
    assert "at least 0" in response.content.decode()
    assert list(m.LeafScore.objects.filter(sheet=one.sheet).values_list("indicator__code", "score")) == [("1.1", 200)]


def test_a_reviewer_cannot_open_anothers_sheet(assigned):
    _application, (one, two) = _pair(assigned)
    client = _client(one.reviewer)
    assert client.get(reverse("assignment_sheet", args=[two.pk])).status_code == 404
    assert client.post(reverse("assignment_sheet", args=[two.pk]), _form(two, TYPED)).status_code == 404
    assert not m.LeafScore.objects.filter(sheet=two.sheet).exists()


def test_reviewers_never_see_each_others_scores_during_review(assigned):
    _application, (one, two) = _pair(assigned)
    sheet_services.sheet_save(
        actor=two.reviewer, sheet=two.sheet, answers={**COMPLETE, "1.1": 150}, comments={"1.1": "乙的独家意见"}
    )
    sheet_services.sheet_submit(actor=two.reviewer, sheet=two.sheet)  # total 1450: 14.5 points
    client = _client(one.reviewer)
    for url in (reverse("assignment_sheet", args=[one.pk]), reverse("review_queue")):
        page = client.get(url).content.decode()
        assert "乙的独家意见" not in page and "14.5" not in page
    body = client.get(reverse("api-1:sheet", args=[one.pk])).content.decode()
    assert "乙的独家意见" not in body and "14.5" not in body
    # The administrator's table shows statuses, not totals, while review is open.
    admin_page = _client(assigned["admin"]).get(reverse("campaign_assignments", args=[assigned["campaign"].pk]))
    assert "14.5" not in admin_page.content.decode()


def test_the_load_spread_counts_only_reviewers_who_may_review_something(assigned):
    """甲 of 青山县 may review none of the three (all inside the county): listed apart with the reason, and
    the spread over 乙, 丙, 丁 (2 each) is 0, not the 2 that looked like a breach of "at most one"."""
    page = _client(assigned["admin"]).get(reverse("campaign_assignments", args=[assigned["campaign"].pk]))
    page = page.content.decode()
    spread = page[page.index('id="spread"') :].split("</p>")[0]
    assert "3 reviewers who may review at least one application: 0." in spread
    pool = page[page.index('id="pool"') :].split("</table>")[0]
    assert all(name in pool for name in ("专家乙", "专家丙", "专家丁")) and "专家甲" not in pool
    ineligible = page[page.index('id="pool-ineligible"') :].split("</table>")[0]
    assert "专家甲" in ineligible and "Belongs to the area of every application in review." in ineligible


def test_a_reviewer_whose_conflicts_cover_every_application_is_listed_with_that_reason(assigned, tree):
    m.Conflict.objects.create(campaign=assigned["campaign"], reviewer=assigned["reviewers"]["丁"], org=tree.county)
    page = _client(assigned["admin"]).get(reverse("campaign_assignments", args=[assigned["campaign"].pk]))
    ineligible = page.content.decode().split('id="pool-ineligible"')[1].split("</table>")[0]
    assert "专家丁" in ineligible and "Declared a conflict with every application in review." in ineligible


def test_administrator_runs_assignment_and_reads_the_shortfalls_by_name(setup):
    setup["campaign"].reviewers_per_application = 3
    setup["campaign"].save()
    client = _client(setup["admin"])
    response = client.post(reverse("assignments_run", args=[setup["campaign"].pk]), follow=True)
    page = response.content.decode()
    assert "7 assignments made" in page
    assert "东门村: 1 reviewer missing" in page and "河口村: 1 reviewer missing" in page
    assert page.count('id="shortfalls"') == 1


def test_reopen_from_the_page_is_audited_with_the_reason(assigned):
    _application, (one, _two) = _pair(assigned)
    sheet_services.sheet_save(actor=one.reviewer, sheet=one.sheet, answers=COMPLETE)
    sheet_services.sheet_submit(actor=one.reviewer, sheet=one.sheet)
    client = _client(assigned["admin"])
    url = reverse("assignment_reopen", args=[one.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "评分依据不足，请补充意见"})
    assert response.status_code == 302
    one.sheet.refresh_from_db()
    assert one.sheet.status == m.SheetStatus.DRAFT
    event = AuditEvent.objects.get(action="campaigns.review.sheet_reopened")
    assert event.new["reason"] == "评分依据不足，请补充意见" and event.actor == assigned["admin"]


def test_reassign_offers_only_eligible_reviewers(assigned, tree):
    village = assigned["apps"]["village"]  # 东门村: 乙 (城关镇) may not review it
    assignment = m.Assignment.objects.filter(application=village).first()
    outsider = make_user("expert_far", org=tree.other_village, role="reviewer", full_name="专家远")
    m.PoolMember.objects.create(campaign=assigned["campaign"], user=outsider)
    client = _client(assigned["admin"])
    page = client.get(reverse("assignment_reassign", args=[assignment.pk])).content.decode()
    assert "专家远" in page and "专家乙" not in page and "专家甲" not in page
    b = assigned["reviewers"]["乙"]
    assert client.post(reverse("assignment_reassign", args=[assignment.pk]), {"reviewer": b.pk}).status_code == 400
    client.post(reverse("assignment_reassign", args=[assignment.pk]), {"reviewer": outsider.pk})
    assignment.refresh_from_db()
    assert assignment.reviewer == outsider


def test_reviewer_proposes_a_veto_and_the_administrator_records_it(assigned):
    application, (one, _two) = _pair(assigned)
    item = application.campaign.standard.veto.get(code="V1")
    _client(one.reviewer).post(
        reverse("assignment_veto_propose", args=[one.pk]), {"item": item.pk, "reason": "存在重大违法案件"}
    )
    client = _client(assigned["admin"])
    page = client.get(reverse("application_vetoes", args=[application.pk])).content.decode()
    assert "存在重大违法案件" in page and "Proposed by a reviewer" in page
    client.post(reverse("application_vetoes", args=[application.pk]), {"item": item.pk, "reason": "经核实属实"})
    veto = m.Veto.objects.get(application=application)
    assert veto.status == m.VetoStatus.RECORDED and veto.reason == "经核实属实"


def test_inspector_enters_a_score_on_the_page(setup, tree):
    campaign, school = setup["campaign"], setup["apps"]["school"]
    school.state = m.ApplicationState.SCORED
    school.save()
    campaign.stage, campaign.weight_review, campaign.weight_inspection = m.Stage.INSPECTION, 70, 30
    campaign.save()
    inspector = make_user("inspector", org=tree.other_county, role="reviewer")
    m.PoolMember.objects.create(campaign=campaign, user=inspector, role=m.PoolRole.INSPECTOR)
    client = _client(inspector)
    url = reverse("inspection_scores", args=[campaign.pk])
    assert "青山县第一中学" in client.get(url).content.decode()
    response = client.post(url, {"application": school.pk, "score": "120", "note": ""})
    assert response.status_code == 400 and "outside 0 to 100" in response.content.decode()
    client.post(url, {"application": school.pk, "score": "88.5", "note": "台账规范"})
    assert m.InspectionScore.objects.get().score == 8850


@pytest.fixture
def survey_token(setup):
    campaign, school = setup["campaign"], setup["apps"]["school"]
    school.state = m.ApplicationState.SCORED
    school.save()
    campaign.stage, campaign.weight_review, campaign.weight_survey = m.Stage.INSPECTION, 80, 20
    campaign.save()
    _client(setup["admin"]).post(reverse("survey_links", args=[campaign.pk]), {"application": school.pk, "count": 2})
    return m.SurveyToken.objects.filter(application=school).first()


def test_links_page_prints_absolute_links(setup, survey_token):
    page = _client(setup["admin"]).get(reverse("survey_links", args=[setup["campaign"].pk])).content.decode()
    assert f"http://testserver/public/survey/{survey_token.token}/" in page


def test_public_questionnaire_takes_one_answer_per_link(survey_token):
    url = reverse("survey_answer", args=[survey_token.token])
    public = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "青山县第一中学" in public.get(url).content.decode()
    response = public.post(url, {"satisfied": "yes", "comment": "普法活动多"})
    assert response.status_code == 200 and "your answer is recorded" in response.content.decode()
    again = public.post(url, {"satisfied": "no"})
    assert again.status_code == 400 and "already been answered" in again.content.decode()
    survey_token.refresh_from_db()
    assert survey_token.satisfied is True and survey_token.comment == "普法活动多"
    assert public.get(reverse("survey_answer", args=["no-such-token"])).status_code == 404


def test_questionnaire_outside_the_inspection_stage_is_refused(survey_token, setup):
    setup["campaign"].stage = m.Stage.NOTICE
    setup["campaign"].save()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("survey_answer", args=[survey_token.token]), {"satisfied": "yes"}
    )
    assert response.status_code == 400 and "only during the inspection stage" in response.content.decode()
    survey_token.refresh_from_db()
    assert survey_token.answered_at is None


def _more_reviews(setup, tree, count):
    """``count`` more recommended applications of fresh orgs, assigned."""
    from fazhi.orgs.services import org_create
    from tests.campaigns.world import _application

    for i in range(count):
        org = org_create(
            actor=None, name=f"新村{i}", kind="village", code=f"990101001{i + 3:03d}", parent=tree.township
        )
        _application(setup["campaign"], org, m.ApplicationState.RECOMMENDED)
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])


def test_list_pages_keep_a_constant_number_of_queries(setup, tree, django_assert_max_num_queries):
    assignment_services.assignments_run(actor=setup["admin"], campaign=setup["campaign"])
    reviewer, admin = setup["reviewers"]["丁"], _client(setup["admin"])
    mine = _client(reviewer)
    urls = [(mine, reverse("review_queue")), (admin, reverse("campaign_assignments", args=[setup["campaign"].pk]))]
    counts = []
    for client, url in urls:
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts.append(len(captured))
    _more_reviews(setup, tree, 6)
    assert m.Assignment.objects.filter(reviewer=reviewer).count() > 3
    for (client, url), before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(before):
            client.get(url)


def test_an_unticked_checklist_is_unanswered_until_none_of_these_is_ticked(assigned):
    _application, (one, _two) = _pair(assigned)
    client = _client(one.reviewer)
    url = reverse("assignment_sheet", args=[one.pk])
    typed = {**TYPED, "1.2": ""}
    response = client.post(url, _form(one, typed, action="submit"), follow=True)
    assert "indicator 1.2 has no score yet" in response.content.decode()
    client.post(url, _form(one, typed, action="submit", none_1="on"))
    one.sheet.refresh_from_db()
    assert one.sheet.status == m.SheetStatus.SUBMITTED and one.sheet.total == 1650 - 200


def test_reviewers_find_their_queue_in_the_navigation(client_for):
    assert reverse("review_queue") in client_for("reviewer").get(reverse("home")).content.decode()
    assert reverse("review_queue") not in client_for("township_clerk").get(reverse("home")).content.decode()
