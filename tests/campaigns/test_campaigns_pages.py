"""The campaign pages as people use them: the list (constant queries), creating and editing, the dashboard
(counts by state and by org), the participants' reduced view, advancing with a confirm page, the pool and
conflicts, and the navigation link."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.campaigns.selectors import campaigns as selectors
from fazhi.campaigns.services import campaigns as services
from fazhi.core.models import AuditEvent
from tests.campaigns.test_campaigns_services import config, published_standard
from tests.factories import make_user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """The shared signed-in clients, asking for English pages (the msgids)."""

    def make(name):
        client = client_for(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def standard(tree):
    return published_standard(tree)


@pytest.fixture
def campaign(tree, personas, standard):
    return services.campaign_create(actor=personas["county_admin"], **config(tree, standard))


def launch(campaign, stage="application"):
    m.Campaign.objects.filter(pk=campaign.pk).update(stage=stage)
    campaign.refresh_from_db()
    return campaign


def form_data(standard, **overrides):
    data = {
        "organiser": "",
        "kind": "democracy_village",
        "title": "青山县民主法治示范村创建",
        "batch": "第二批",
        "year": "2026",
        "standard": str(standard.pk),
        "eligible_kinds": ["village", "community"],
        "eligible_levels": ["5"],
        "recommend_level": "4",
        "reviewers_per_application": "3",
        "method": "mean",
        "weight_review": "100",
        "weight_inspection": "0",
        "weight_survey": "0",
        "pass_score": "60.5",
        "quota": "2",
        "notice_days": "7",
        "application_opens": "2026-03-01",
        "application_closes": "2026-03-10",
        "recommendation_opens": "2026-03-11",
        "recommendation_closes": "2026-03-20",
    }
    return data | overrides


def input_tag(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


# --- list ------------------------------------------------------------------------------------------------------


def list_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/campaigns/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_list_shows_counts_per_state_in_a_constant_number_of_queries(tree, personas, standard, client_for):
    client = client_for("county_admin")
    first = services.campaign_create(actor=personas["county_admin"], **config(tree, standard, title="第一个创建"))
    m.Application.objects.create(campaign=first, org=tree.village, state="submitted")
    m.Application.objects.create(campaign=first, org=tree.community, state="submitted")
    m.Application.objects.create(campaign=first, org=tree.village2, state="draft")
    small, html = list_queries(client)
    assert "第一个创建" in html and "Submitted 2" in html and "Draft 1" in html
    for i in range(6):
        other = services.campaign_create(actor=personas["county_admin"], **config(tree, standard, title=f"创建{i}"))
        m.Application.objects.create(campaign=other, org=tree.village, state="recommended")
    large, html = list_queries(client)
    assert "创建5" in html and "Recommended 1" in html
    assert large == small


def test_the_list_hides_campaigns_outside_the_users_sight(tree, personas, standard, client_for, campaign):
    assert "青山县民主法治示范村创建" not in client_for("township_clerk").get("/campaigns/").content.decode()
    launch(campaign)
    m.Application.objects.create(campaign=campaign, org=tree.village2, state="submitted")
    clerks_list = client_for("township_clerk").get("/campaigns/").content.decode()
    assert "青山县民主法治示范村创建" in clerks_list and "Submitted 1" not in clerks_list  # no counts of others'
    assert "Submitted 1" in client_for("leader").get("/campaigns/").content.decode()
    assert "青山县民主法治示范村创建" not in client_for("village_clerk_elsewhere").get("/campaigns/").content.decode()


# --- create and edit -----------------------------------------------------------------------------------------------


def test_an_administrator_creates_a_campaign_from_the_form(tree, standard, client_for):
    client = client_for("county_admin")
    page = client.get("/campaigns/new/").content.decode()
    assert "青山县" in page and standard.title in page
    response = client.post("/campaigns/new/", form_data(standard, organiser=str(tree.county.pk)))
    campaign = m.Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.pass_score == 6050 and campaign.eligible_levels == [5] and campaign.recommend_level == 4
    assert campaign.stages.get(stage="recommendation").closes_on.isoformat() == "2026-03-20"


def test_the_form_shows_the_services_refusal_on_its_field(tree, standard, client_for):
    response = client_for("county_admin").post(
        "/campaigns/new/", form_data(standard, organiser=str(tree.county.pk), weight_review="90")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_weight_review_error"' in html and "add up to 100" in html
    response = client_for("county_admin").post(
        "/campaigns/new/",
        form_data(standard, organiser=str(tree.county.pk), recommendation_opens="2026-03-05"),
    )
    assert 'id="id_recommendation_opens_error"' in response.content.decode()
    assert not m.Campaign.objects.exists()


def test_after_launch_the_edit_form_disables_what_can_no_longer_change(campaign, standard, client_for):
    launch(campaign, "review")
    client = client_for("county_admin")
    form = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert "disabled" in input_tag(form, "title") and "disabled" in input_tag(form, "application_closes")
    assert "disabled" not in input_tag(form, "quota") and "disabled" not in input_tag(form, "inspection_opens")
    data = form_data(standard, quota="5", title="别的标题", inspection_opens="2026-03-31")
    response = client.post(f"/campaigns/{campaign.pk}/edit/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.quota == 5 and campaign.title == "青山县民主法治示范村创建"  # disabled: the posted title is ignored


# --- the dashboard -----------------------------------------------------------------------------------------------


def test_the_dashboard_counts_applications_by_state_and_by_org(tree, personas, campaign, client_for):
    launch(campaign, "recommendation")
    m.Application.objects.create(campaign=campaign, org=tree.village, state="submitted")
    m.Application.objects.create(campaign=campaign, org=tree.community, state="recommended")
    m.Application.objects.create(campaign=campaign, org=tree.village2, state="submitted")
    m.Application.objects.create(campaign=campaign, org=tree.school, state="draft")
    response = client_for("county_admin").get(f"/campaigns/{campaign.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'Pass score</dt><dd class="col-6">60</dd>' in html and 'Quota</dt><dd class="col-6">2</dd>' in html
    assert "vendor/echarts-6.1.0/echarts.min.js" in html
    chart = json.loads(html.split('id="org-chart-data" type="application/json">')[1].split("</script>")[0])
    rows = dict(zip(chart["orgs"], zip(*[s["data"] for s in chart["series"]], strict=True), strict=True))
    names = [s["name"] for s in chart["series"]]
    assert names == ["Draft", "Submitted", "Recommended"]
    assert rows["城关镇"] == (0, 1, 1) and rows["河口镇"] == (0, 1, 0) and rows["青山县第一中学"] == (1, 0, 0)
    assert "青山县司法局" not in rows  # a department: the campaign takes villages and communities only
    table = html.split('id="by-org"')[1].split("</table>")[0]
    assert "城关镇" in table and "青山县司法局" not in table
    assert f'href="/campaigns/{campaign.pk}/advance/"' in html


def test_progress_by_org_takes_two_queries_however_many_children(tree, campaign, django_assert_num_queries):
    m.Application.objects.create(campaign=campaign, org=tree.village, state="submitted")
    with django_assert_num_queries(2):
        progress = selectors.progress_by_org(campaign)
    assert {p.label: p.total for p in progress}["城关镇"] == 1


def test_in_the_naming_stage_the_administrator_is_told_to_name_the_units(tree, campaign, client_for):
    launch(campaign, "naming")
    html = client_for("county_admin").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Nothing for you to do" not in html
    steps = html.split('id="next-steps"')[1].split("</ul>")[0]
    assert "name the units on the Naming page" in steps
    assert f'href="/campaigns/{campaign.pk}/naming/" id="go-naming"' in html
    assert "name the units" not in client_for("township_clerk").get(f"/campaigns/{campaign.pk}/").content.decode()


def test_participants_see_a_reduced_page_with_what_they_can_do_next(tree, campaign, client_for):
    launch(campaign)
    html = client_for("township_clerk").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "青山县民主法治示范村创建" in html and 'id="timeline"' in html and "2026-03-10" in html
    assert "prepare your unit" in html
    assert 'id="settings"' not in html and 'id="by-org"' not in html and "/advance/" not in html


# --- advancing -----------------------------------------------------------------------------------------------------


def test_the_confirm_page_names_what_is_missing_and_a_post_advances(campaign, client_for):
    client = client_for("county_admin")
    services.campaign_update(actor=None, campaign=campaign, stages={"naming": (None, None)})
    page = client.get(f"/campaigns/{campaign.pk}/advance/").content.decode()
    assert 'id="problem"' in page and "Naming" in page and "Advance to Application</button>" not in page
    assert client.post(f"/campaigns/{campaign.pk}/advance/").status_code == 400
    services.campaign_update(
        actor=None,
        campaign=campaign,
        stages={
            "naming": (campaign.stages.get(stage="notice").closes_on, campaign.stages.get(stage="notice").closes_on)
        },
    )
    page = client.get(f"/campaigns/{campaign.pk}/advance/").content.decode()
    assert 'id="problem"' not in page and "Advance to Application" in page
    response = client.post(f"/campaigns/{campaign.pk}/advance/")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.stage == "application"


# --- the pool and conflicts ----------------------------------------------------------------------------------------


def test_the_administrator_adds_and_removes_pool_members(tree, personas, campaign, client_for):
    client = client_for("county_admin")
    outsider = make_user("outside_reviewer", org=tree.other_county, role="reviewer", full_name="外县专家")
    page = client.get(f"/campaigns/{campaign.pk}/pool/?q=外县").content.decode()
    assert "外县专家" in page
    response = client.post(f"/campaigns/{campaign.pk}/pool/", {"user": outsider.pk, "role": "reviewer"})
    assert response.status_code == 302
    member = campaign.pool.get(user=outsider)
    response = client.post(
        f"/campaigns/{campaign.pk}/pool/", {"user": personas["township_clerk"].pk, "role": "reviewer"}
    )
    assert response.status_code == 400
    assert client.post(f"/campaigns/{campaign.pk}/pool/{member.pk}/remove/").status_code == 302
    assert not campaign.pool.filter(user=outsider).exists()
    assert AuditEvent.objects.filter(action="campaigns.campaign.reviewer_removed").count() == 1


def test_a_reviewer_declares_and_withdraws_a_conflict(tree, personas, campaign, client_for):
    launch(campaign)
    client = client_for("reviewer")
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/conflicts/"' in detail
    response = client.post(
        f"/campaigns/{campaign.pk}/conflicts/", {"org": tree.township.pk, "reason": "配偶在该镇工作"}
    )
    assert response.status_code == 302
    conflict = m.Conflict.objects.get()
    page = client.get(f"/campaigns/{campaign.pk}/conflicts/").content.decode()
    assert "城关镇" in page and "配偶在该镇工作" in page
    pool_page = client_for("county_admin").get(f"/campaigns/{campaign.pk}/pool/").content.decode()
    assert "配偶在该镇工作" in pool_page
    assert client.post(f"/campaigns/{campaign.pk}/conflicts/{conflict.pk}/remove/").status_code == 302
    assert not m.Conflict.objects.exists()


# --- navigation ----------------------------------------------------------------------------------------------------


def test_the_navigation_links_to_campaigns_for_people_with_a_part_in_them(tree, client_for):
    for persona in ("county_admin", "township_clerk", "reviewer", "leader"):
        assert 'href="/campaigns/"' in client_for(persona).get("/").content.decode(), persona
    nobody = make_user("no_role_user")
    client = Client()
    client.force_login(nobody)
    assert 'href="/campaigns/"' not in client.get("/").content.decode()


def test_a_recommender_of_a_township_is_told_to_decide_on_its_applications(tree, campaign):
    launch(campaign, "recommendation")
    recommender = make_user("township_recommender", org=tree.township, role="recommender")
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(recommender)
    html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Recommend, return or turn down the applications of your area." in html
    assert "prepare your unit" not in html


def test_a_superuser_sees_every_campaign_and_application(campaign):
    """A superuser's scope is everywhere; ``Q() | X`` had reduced it to pools and assignments (0 campaigns)."""
    from fazhi.campaigns.access import applications_for_user, campaigns_for_user

    root = make_user("root_all", is_superuser=True, is_staff=True)
    assert list(campaigns_for_user(root)) == [campaign]  # a draft, in nobody's pool
    assert applications_for_user(root).count() == m.Application.objects.count()
