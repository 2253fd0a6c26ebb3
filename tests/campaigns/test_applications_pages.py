"""The application pages: the clerk's workspace, the self-assessment page (htmx saves with a live total),
evidence upload and the permission-checked download, submission, and the recommender's queue.

World (tests/campaigns/world.py): ``application`` is 城关镇's draft (the township clerk's, recommended by
青山县, whose administrator is the county admin); ``application_submitted`` is 东门村's (recommended by
城关镇); ``application_review`` is 西街社区's, assigned to the ``reviewer`` persona.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.campaigns import models as m
from fazhi.campaigns.services import applications as services
from fazhi.campaigns.services.evidence import evidence_add
from fazhi.indicators.models import Indicator
from tests.campaigns.test_applications_services import FULL, answer_all, application
from tests.campaigns.world import build_base
from tests.core.test_filetypes import EXE, PDF
from tests.factories import make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(tree, personas):
    return build_base(tree, personas)


def leaf_id(app, code) -> int:
    return Indicator.objects.get(standard=app.campaign.standard, code=code).pk


def text(response) -> str:
    return response.content.decode()


# --- the workspace -----------------------------------------------------------------------------------


def test_the_workspace_lists_my_applications_and_offers_open_campaigns(world, tree, client_for):
    campaign = m.Campaign.objects.create(
        organiser=tree.county, kind="township", title="青山县法治乡镇创建", batch="第二批", year=2026,
        standard_id=world["world_standard"], pass_score=6000, quota=2, stage="application",
    )  # fmt: skip
    client = client_for("township_clerk")
    page = text(client.get(reverse("application_workspace")))
    assert "青山县依法行政示范单位创建" in page  # 城关镇's draft
    assert "白水县" not in page
    open_list = page[page.index('id="open-campaigns"') :]
    assert "青山县法治乡镇创建" in open_list and 'action="/campaigns/applications/new/"' in open_list

    response = client.post(reverse("application_create"), {"campaign": campaign.pk, "org": tree.township.pk})
    created = m.Application.objects.get(campaign=campaign, org=tree.township)
    assert response.status_code == 302 and response["Location"] == reverse("application_detail", args=[created.pk])
    assert (
        "青山县法治乡镇创建" not in text(client.get(reverse("application_workspace"))).split('id="open-campaigns"')[1]
    )


def test_applying_twice_says_why_and_creates_nothing(world, tree, client_for):
    client = client_for("township_clerk")
    response = client.post(
        reverse("application_create"), {"campaign": world["campaign"], "org": tree.township.pk}, follow=True
    )
    assert "城关镇" in text(response) and m.Application.objects.filter(org=tree.township).count() == 1


def test_workspace_queries_do_not_grow_with_the_applications(
    world, tree, personas, client_for, django_assert_max_num_queries
):
    client = client_for("township_clerk")
    url = reverse("application_workspace")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for org in (tree.village, tree.community):
        for year in (2027, 2028):
            campaign = m.Campaign.objects.create(
                organiser=tree.county, kind="township", title=f"创建{year}", batch="一", year=year,
                standard_id=world["world_standard"], pass_score=1, quota=1, stage="application",
            )  # fmt: skip
            services.application_create(actor=personas["township_clerk"], campaign=campaign, org=org)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert text(response).count("创建202") >= 4


# --- the self-assessment page ------------------------------------------------------------------------


def test_the_page_shows_the_tree_with_guidance_and_a_form_per_rule_kind(world, client_for):
    page = text(client_for("township_clerk").get(reverse("application_detail", args=[world["application"]])))
    assert "查阅学法计划和记录" in page  # guidance of 1.1
    assert "学法计划; 学法记录" in page  # expected evidence
    assert page.count('name="items"') == 10  # the checklist's ten boxes
    assert page.count('name="answer"') == 4  # manual, deduction, ratio, tiers
    assert "0.85" in page  # the ratio is labelled as a decimal from 0 to 1
    assert re.search(r'class="total-value">0<', page)


def test_saving_one_leaf_with_htmx_returns_the_leaf_and_the_new_total(world, client_for):
    app = application(world["application"])
    client = client_for("township_clerk")
    url = reverse("application_answer", args=[app.pk, leaf_id(app, "1.1")])
    response = client.post(url, {"answer": "3.5", "statement": "制度健全"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = text(response)
    assert f'id="leaf-{leaf_id(app, "1.1")}"' in body
    assert 'id="self-total"' in body and 'hx-swap-oob="true"' in body
    assert re.search(r'class="total-value">3.5<', body)
    checklist = reverse("application_answer", args=[app.pk, leaf_id(app, "1.2")])
    body = text(client.post(checklist, {"items": ["0", "1", "2"]}, headers={"HX-Request": "true"}))
    assert re.search(r'class="total-value">6.5<', body)
    assert app.answers.get(indicator__code="1.1").statement == "制度健全"


@pytest.mark.parametrize(
    ("code", "post", "words"),
    [
        ("1.1", {"answer": "4.5"}, "4.5"),
        ("1.2", {"items": ["12"]}, "12"),
        ("1.3", {"answer": "-1"}, "-1"),
        ("1.4", {"answer": "1.2"}, "1.2"),
        ("1.4", {"answer": "八成"}, "八成"),
    ],
)
def test_a_bad_answer_shows_its_error_on_the_leaf_and_saves_nothing(world, client_for, code, post, words):
    app = application(world["application"])
    url = reverse("application_answer", args=[app.pk, leaf_id(app, code)])
    response = client_for("township_clerk").post(url, post, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only a success: the leaf comes back with its error
    error = re.search(r'class="invalid-feedback d-block leaf-error"[^>]*>([^<]*)<', text(response)).group(1)
    assert code in error and words in error
    assert not app.answers.exists()


def test_the_page_is_read_only_once_submitted(world, personas, client_for):
    app = application(world["application"])
    answer_all(app, personas["township_clerk"])
    client = client_for("township_clerk")
    response = client.post(reverse("application_submit", args=[app.pk]), follow=True)
    page = text(response)
    assert application(app.pk).state == "submitted"
    assert 'name="answer"' not in page and 'id="submit-application"' not in page
    assert 'id="read-only-note"' in page
    # and a direct post is refused
    url = reverse("application_answer", args=[app.pk, leaf_id(app, "1.1")])
    refused = text(client.post(url, {"answer": "0"}, headers={"HX-Request": "true"}))
    assert "leaf-error" in refused and 'name="answer"' not in refused
    assert application(app.pk).answers.get(indicator__code="1.1").answer == 400


def test_submitting_with_unanswered_leaves_names_them(world, client_for):
    response = client_for("township_clerk").post(
        reverse("application_submit", args=[world["application"]]), follow=True
    )
    assert "1.1, 1.2, 1.3, 1.4, 1.5" in text(response)
    assert application(world["application"]).state == "draft"


def test_a_returned_application_shows_the_reason(world, personas, client_for):
    app = application(world["application"])
    answer_all(app, personas["township_clerk"])
    services.application_submit(actor=personas["township_clerk"], application=app)
    services.application_return(actor=personas["county_admin"], application=application(app.pk), reason="缺少学法记录")
    page = text(client_for("township_clerk").get(reverse("application_detail", args=[app.pk])))
    assert 'id="decision-reason"' in page and "缺少学法记录" in page
    assert 'name="answer"' in page  # editable again


def test_page_queries_do_not_grow_with_answers_and_evidence(world, personas, client_for, django_assert_max_num_queries):
    app = application(world["application"])
    client = client_for("township_clerk")
    url = reverse("application_detail", args=[app.pk])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    answer_all(app, personas["township_clerk"])
    for index in range(4):
        evidence_add(
            actor=personas["township_clerk"],
            application=application(app.pk),
            indicator=Indicator.objects.get(standard=app.campaign.standard, code=f"1.{index + 1}"),
            uploaded_file=SimpleUploadedFile(f"{index}.pdf", PDF + bytes([index])),
        )
    with django_assert_max_num_queries(len(few)):
        page = text(client.get(url))
    assert page.count("/campaigns/evidence/") >= 4


# --- evidence ----------------------------------------------------------------------------------------


def test_uploading_evidence_on_the_page_and_downloading_it(world, client_for):
    app = application(world["application"])
    client = client_for("township_clerk")
    response = client.post(
        reverse("application_evidence_add", args=[app.pk]),
        {"file": SimpleUploadedFile("学法记录.pdf", PDF), "indicator": leaf_id(app, "1.1")},
        follow=True,
    )
    assert "学法记录.pdf" in text(response)
    evidence = m.Evidence.objects.get()
    download = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E5%AD%A6" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(PDF).hexdigest() == evidence.sha256


def test_a_renamed_program_is_refused_on_the_page(world, client_for):
    app = application(world["application"])
    response = client_for("township_clerk").post(
        reverse("application_evidence_add", args=[app.pk]), {"file": SimpleUploadedFile("报告.pdf", EXE)}, follow=True
    )
    assert "报告.pdf" in text(response) and not m.Evidence.objects.exists()


def test_evidence_is_not_served_from_a_public_media_url(world, personas, client_for):
    app = application(world["application"])
    evidence = evidence_add(
        actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile("a.pdf", PDF)
    )
    page = text(client_for("township_clerk").get(reverse("application_detail", args=[app.pk])))
    assert evidence.file.name not in page
    assert client_for("township_clerk").get("/media/" + evidence.file.name).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),  # assigned to 西街社区's application
        ("county_admin", 200),
        ("leader", 200),
        ("township_clerk", 200),  # 西街社区 is inside 城关镇
        ("village_clerk_elsewhere", 404),
    ],
)
def test_the_download_is_for_those_who_may_see_the_application(world, tree, personas, client_for, persona, status):
    app = application(world["application_review"])
    m.Campaign.objects.filter(pk=app.campaign_id).update(stage="application")
    m.Application.objects.filter(pk=app.pk).update(state="draft")
    evidence = evidence_add(
        actor=personas["township_clerk"],
        application=application(app.pk),
        uploaded_file=SimpleUploadedFile("a.pdf", PDF),
    )
    assert client_for(persona).get(reverse("evidence_download", args=[evidence.pk])).status_code == status


def test_another_reviewer_cannot_download(world, tree, personas, client_for):
    app = application(world["application"])
    evidence = evidence_add(
        actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile("a.pdf", PDF)
    )
    # The reviewer persona is assigned to 西街社区's application, not to 城关镇's.
    assert client_for("reviewer").get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
    other = make_user("reviewer2", org=tree.county, role="reviewer")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


# --- the recommender's queue -------------------------------------------------------------------------


def test_the_queue_lists_the_subtrees_submitted_applications(world, client_for):
    page = text(client_for("county_admin").get(reverse("recommendation_queue")))
    rows = page.split('id="queue"')[1].split("</tbody>")[0]
    assert "东门村" in rows
    assert ">城关镇<" not in rows  # a draft is not waiting


def test_a_clerk_is_not_a_recommender(world, client_for):
    rows = text(client_for("township_clerk").get(reverse("recommendation_queue"))).split('id="queue"')[1]
    assert "东门村" not in rows.split("</tbody>")[0]
    response = client_for("township_clerk").post(
        reverse("application_decide", args=[world["application_submitted"]]), {"decision": "recommend"}
    )
    assert response.status_code == 403
    assert application(world["application_submitted"]).state == "submitted"


def test_recommending_from_the_queue(world, client_for):
    client = client_for("county_admin")
    queue = reverse("recommendation_queue")
    response = client.post(
        reverse("application_decide", args=[world["application_submitted"]]),
        {"decision": "recommend", "next": queue},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == queue
    assert application(world["application_submitted"]).state == "recommended"
    assert "东门村" not in text(response).split('id="queue"')[1].split("</tbody>")[0]


@pytest.mark.parametrize("decision", ["return", "not_recommend"])
def test_returning_without_a_reason_is_refused_and_changes_nothing(world, client_for, decision):
    response = client_for("county_admin").post(
        reverse("application_decide", args=[world["application_submitted"]]),
        {"decision": decision, "reason": " "},
        follow=True,
    )
    assert "东门村" in text(response)
    assert application(world["application_submitted"]).state == "submitted"


def test_returning_with_a_reason(world, client_for):
    client_for("county_admin").post(
        reverse("application_decide", args=[world["application_submitted"]]),
        {"decision": "return", "reason": "自评说明过于简单"},
    )
    returned = application(world["application_submitted"])
    assert (returned.state, returned.decision_reason) == ("returned", "自评说明过于简单")


def test_the_queue_filters_by_campaign_and_pages(world, tree, personas, client_for, django_assert_max_num_queries):
    client = client_for("county_admin")
    url = reverse("recommendation_queue")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    other = m.Campaign.objects.create(
        organiser=tree.county, kind="township", title="另一创建活动", batch="一", year=2026,
        standard_id=world["world_standard"], pass_score=1, quota=1, stage="application",
    )  # fmt: skip
    for org in (tree.township, tree.township2, tree.village2, tree.community, tree.justice_bureau):
        m.Application.objects.create(campaign=other, org=org, state="submitted", recommender_org=org.parent)
    with django_assert_max_num_queries(len(few)):
        page = text(client.get(url))
    assert "河口村" in page
    filtered = text(client.get(url, {"campaign": world["campaign"]}))
    assert "东门村" in filtered and "河口村" not in filtered.split('id="queue"')[1]


def test_full_answers_score_the_standard_total(world, personas, client_for):
    app = application(world["application"])
    answer_all(app, personas["township_clerk"], FULL)
    page = text(client_for("township_clerk").get(reverse("application_detail", args=[app.pk])))
    assert re.search(r'class="total-value">26<', page)


def test_the_navigation_leads_clerks_to_their_workspace_and_recommenders_to_their_queue(world, client_for):
    clerk = text(client_for("township_clerk").get(reverse("home")))
    admin = text(client_for("county_admin").get(reverse("home")))
    reviewer = text(client_for("reviewer").get(reverse("home")))
    workspace, queue = f'href="{reverse("application_workspace")}"', f'href="{reverse("recommendation_queue")}"'
    assert workspace in clerk and queue not in clerk
    assert queue in admin and workspace not in admin
    assert workspace not in reviewer and queue not in reviewer


def test_the_recommender_decides_on_the_application_page_and_others_only_read(world, personas, client_for):
    url = reverse("application_detail", args=[world["application_submitted"]])
    admin = text(client_for("county_admin").get(url))
    assert 'id="decision"' in admin and 'value="not_recommend"' in admin
    for persona in ("township_clerk", "leader"):
        page = text(client_for(persona).get(url))
        assert 'id="decision"' not in page and 'name="answer"' not in page and 'id="submit-application"' not in page


def test_the_assigned_reviewer_reads_the_answers_and_evidence(world, personas, client_for):
    app = application(world["application_review"])
    m.Campaign.objects.filter(pk=app.campaign_id).update(stage="application")
    m.Application.objects.filter(pk=app.pk).update(state="draft")
    clerk = personas["township_clerk"]
    answer_all(application(app.pk), clerk, {**FULL, "1.2": [0, 3]})
    evidence_add(actor=clerk, application=application(app.pk), uploaded_file=SimpleUploadedFile("台账.pdf", PDF))
    m.Campaign.objects.filter(pk=app.campaign_id).update(stage="review")
    m.Application.objects.filter(pk=app.pk).update(state="in_review")
    page = text(client_for("reviewer").get(reverse("application_detail", args=[app.pk])))
    assert "台账.pdf" in page and "✓ 法治展牌" in page and "✓ 法律顾问" in page
    assert 'name="answer"' not in page and 'type="file"' not in page
