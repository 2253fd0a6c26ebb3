"""The results pages and API as their users see them: the ranking table, versions, compute (a job) and
publish, outliers for administrators only, the missing-component warning, exports, constant queries."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.campaigns import models as m
from fazhi.campaigns.services.results import results_compute, results_publish
from tests.api.conftest import api_client, key_for  # noqa: F401  (fixtures)
from tests.campaigns.results_data import manual_sheet, reviewers, scored_campaign
from tests.campaigns.test_results_services import STANDARD, three
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def english(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def scored(tree, personas):
    users = reviewers(3, tree.county)
    campaign, apps = scored_campaign(
        tree,
        STANDARD,
        {
            tree.village: [
                manual_sheet(STANDARD, users[0], {"1.1": 3000}),
                manual_sheet(STANDARD, users[1], {"1.1": 3000}),
                manual_sheet(STANDARD, users[2], {"1.1": 1400}),  # strays from the others
            ],
            tree.community: three(users, **{"1.1": 2000}),
        },
        weights=(80, 20, 0),
    )
    return {"campaign": campaign, "apps": apps, "users": users}


def test_the_administrator_computes_through_a_job_and_sees_the_ranking_with_outliers(
    scored, personas, django_capture_on_commit_callbacks
):
    admin = english(personas["county_admin"])
    campaign = scored["campaign"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("results_compute", args=[campaign.pk]), {"reason": "首次计算"})
    job_url = response["Location"]
    assert "/jobs/" in job_url
    assert "Version 1 computed: 2 applications ranked" in admin.get(job_url).content.decode()

    page = admin.get(reverse("results_page", args=[campaign.pk])).content.decode()
    assert "Not published" in page and 'id="publish"' in page
    assert page.index("东门村") < page.index("西街社区")
    assert "评审2" in page  # the straying reviewer, named for the administrator
    assert "no data for a weighted component (on-site inspection)" in page


def test_subtotal_columns_are_headed_by_code_and_title_a_long_title_cut_with_the_whole_in_a_tooltip(scored, personas):
    campaign = scored["campaign"]
    results_compute(actor=personas["county_admin"], campaign=campaign, reason="首次计算")
    long_title = "严格规范公正文明执法和执法监督"
    campaign.standard.indicators.filter(code="2").update(title=long_title)
    page = english(personas["county_admin"]).get(reverse("results_page", args=[campaign.pk])).content.decode()
    heads = re.findall(r'<th class="text-end subtotal" title="([^"]*)">(.*?)</th>', page)
    assert [title for title, _text in heads] == ["1 制度建设", f"2 {long_title}"]
    assert heads[0][1] == '<span class="font-monospace">1</span> 制度建设'
    assert heads[1][1] == f'<span class="font-monospace">2</span> <abbr title="{long_title}">严格规范公正文…</abbr>'


def test_publishing_from_the_page_freezes_the_version_for_leaders(scored, personas):
    campaign = scored["campaign"]
    version = results_compute(actor=personas["county_admin"], campaign=campaign)
    leader = english(personas["leader"])
    assert (
        "No results have been published yet."
        in leader.get(reverse("results_page", args=[campaign.pk])).content.decode()
    )

    admin = english(personas["county_admin"])
    response = admin.post(reverse("results_publish", args=[version.pk]), follow=True)
    assert "Version 1 is published." in response.content.decode()
    version.refresh_from_db()
    page = leader.get(reverse("results_page", args=[campaign.pk])).content.decode()
    assert version.sha256 in page and "东门村" in page
    assert "评审2" not in page  # outliers are for the administrator only
    assert 'id="compute"' not in page and 'id="publish"' not in page


def test_a_refused_compute_says_why_on_the_page(tree, personas):
    users = reviewers(3, tree.county)
    campaign, _ = scored_campaign(tree, STANDARD, {tree.village: three(users)}, stage=m.Stage.REVIEW)
    admin = english(personas["county_admin"])
    response = admin.post(reverse("results_compute", args=[campaign.pk]), follow=True)
    assert "computing the results is not possible now" in response.content.decode()
    assert not m.ResultVersion.objects.filter(campaign=campaign).exists()


def test_exports_carry_the_ranking_in_every_format(scored, personas):
    version = results_publish(
        actor=personas["county_admin"],
        version=results_compute(actor=personas["county_admin"], campaign=scored["campaign"]),
    )
    client = english(personas["leader"])
    url = reverse("results_export", args=[version.pk])

    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Organisation code", "Applicant", "Composite"]
    assert [r[2] for r in rows[1:]] == ["东门村", "西街社区"]
    assert rows[1][3] == "59.74"  # 80 % × 74.67 (review) + 20 % × 0 (no inspection)

    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][2] == "东门村" and values[2][3] == pytest.approx(59.74)

    body = client.get(url + "?format=json").content
    content = json.loads(body)
    assert content["sha256"] == version.sha256
    unsigned = {k: v for k, v in content.items() if k not in ("sha256", "published")}
    canonical = json.dumps(unsigned, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(canonical).hexdigest() == version.sha256  # anyone can check the published list


def test_the_score_sheet_export_has_every_sheet_and_leaf(scored, personas):
    client = english(personas["county_admin"])
    response = client.get(reverse("results_sheets_export", args=[scored["campaign"].pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Organisation code", "Applicant", "Reviewer", "Submitted at", "1.1", "1.2", "2", "B1"]
    assert len(rows) == 1 + 6
    village = [r for r in rows[1:] if r[1] == "东门村"]
    assert sorted(r[4] for r in village) == ["14", "30", "30"]


def test_the_results_page_keeps_a_constant_number_of_queries(tree, personas):
    users = reviewers(3, tree.county)
    admin = english(personas["county_admin"])
    counts = []
    for orgs in ([tree.village], [tree.community, tree.village2, tree.township, tree.township2, tree.school]):
        campaign, _ = scored_campaign(
            tree, STANDARD, {org: [manual_sheet(STANDARD, users[0], {}), *three(users[1:])] for org in orgs}
        )
        results_compute(actor=personas["county_admin"], campaign=campaign)
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(reverse("results_page", args=[campaign.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_api_computes_publishes_and_reads_versions(scored, api_client):  # noqa: F811
    campaign = scored["campaign"]
    admin = api_client("county_admin")
    response = admin.post(f"/api/v1/campaigns/{campaign.pk}/results/compute?reason=接口计算")
    assert response.status_code == 200, response.content
    computed = response.json()
    assert computed["number"] == 1 and computed["published_at"] is None
    first = computed["rows"][0]
    assert (first["applicant"], first["rank"], first["review_total"], first["composite"]) == ("东门村", 1, 74.67, 59.74)
    assert first["subtotals"] == {"1": 54.67, "2": 20}
    assert first["outliers"] == [scored["users"][2].pk]

    leader = api_client("leader")
    assert leader.get(f"/api/v1/campaigns/results/{computed['id']}").status_code == 404  # not published
    published = admin.post(f"/api/v1/campaigns/results/{computed['id']}/publish").json()
    assert len(published["sha256"]) == 64
    read = leader.get(f"/api/v1/campaigns/results/{computed['id']}").json()
    assert read["rows"][0]["outliers"] is None
    assert [v["number"] for v in leader.get(f"/api/v1/campaigns/{campaign.pk}/results").json()] == [1]

    again = admin.post(f"/api/v1/campaigns/results/{computed['id']}/publish")
    assert again.status_code == 400 and again.json()["rule"] == "results.already_published"


def test_the_api_names_the_applications_whose_sheets_are_missing(scored, api_client, tree):  # noqa: F811
    extra = make_user("results_reviewer_extra", org=tree.county, role="reviewer")
    assignment = m.Assignment.objects.create(application=scored["apps"][tree.community], reviewer=extra)
    m.ScoreSheet.objects.create(assignment=assignment)
    response = api_client("county_admin").post(f"/api/v1/campaigns/{scored['campaign'].pk}/results/compute")
    assert response.status_code == 400
    assert response.json()["rule"] == "results.sheets_missing" and "西街社区" in response.json()["message"]
