"""``fazhi campaigns results``: the latest version, a given version, or every score sheet, as a file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from fazhi.campaigns.services.results import results_compute, results_publish
from tests.campaigns.results_data import reviewers, scored_campaign
from tests.campaigns.test_results_services import STANDARD, three

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree, personas):
    users = reviewers(3, tree.county)
    campaign, _ = scored_campaign(
        tree, STANDARD, {tree.village: three(users), tree.community: three(users, **{"1.1": 1000})}
    )
    admin = personas["county_admin"]
    results_publish(actor=admin, version=results_compute(actor=admin, campaign=campaign))
    return campaign


def test_json_to_standard_output_is_the_published_content(campaign):
    out = io.StringIO()
    call_command("campaigns", "results", str(campaign.pk), "--format", "json", stdout=out)
    content = json.loads(out.getvalue())
    assert [row["name"] for row in content["results"]] == ["东门村", "西街社区"]
    assert len(content["sha256"]) == 64 and content["published"] is True


def test_xlsx_to_a_file_and_the_score_sheets_as_csv(campaign, tmp_path):
    target = tmp_path / "results.xlsx"
    call_command(
        "campaigns", "results", str(campaign.pk), "-o", str(target), stdout=io.StringIO(), stderr=io.StringIO()
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[2][2] == "东门村" and rows[3][2] == "西街社区"

    out = io.StringIO()
    call_command("campaigns", "results", str(campaign.pk), "--sheets", "--format", "csv", stdout=out)
    sheets = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(sheets) == 1 + 6


def test_an_unknown_campaign_or_version_is_an_error(campaign):
    with pytest.raises(CommandError):
        call_command("campaigns", "results", "999999", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "campaigns", "results", str(campaign.pk), "--version", "7", "--format", "csv", stdout=io.StringIO()
        )
