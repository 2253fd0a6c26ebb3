"""The metric pages: the registry, one metric for an org subtree with its child orgs and records, the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.metrics import selectors
from fazhi.orgs.models import Org
from fazhi.orgs.services import org_create
from tests.metrics.fakes import VILLAGE_SHARE

pytestmark = pytest.mark.usefixtures("fake_metrics")

DETAIL = reverse("metric_detail", args=[VILLAGE_SHARE.code])


def text(response) -> str:
    return response.content.decode()


def test_the_list_shows_every_metric_grouped_by_ledger_with_its_formula(client_for):
    response = client_for("leader").get(reverse("metric_list"))
    assert response.status_code == 200
    assert 'id="ledger-test"' in text(response)
    assert VILLAGE_SHARE.formula in text(response)
    assert DETAIL in text(response)


def test_a_metric_for_an_org_shows_its_value_its_children_and_its_records(tree, client_for):
    response = client_for("county_admin").get(DETAIL, {"org": tree.county.code})
    assert response.status_code == 200
    assert [str(v) for v in (response.context["total"].numerator, response.context["total"].denominator)] == ["3", "9"]
    assert response.context["display"] == "33.33 %"
    children = [(row.org.name, shown) for row, shown in response.context["rows"]]
    assert children == [
        ("城关镇", "50.00 %"),
        ("河口镇", "50.00 %"),
        ("青山县司法局", "0.00 %"),
        ("青山县第一中学", "0.00 %"),
    ]
    body = text(response)
    assert "33.33 %" in body
    # the child links keep the metric and the period, and name the child
    assert f"?org={tree.township.code}&amp;from=" in body or f"org={tree.township.code}" in body
    marked = {record.name: record.in_numerator for record, _url, _org in response.context["records"]}
    assert len(marked) == 9 and sorted(name for name, yes in marked.items() if yes) == ["东门村", "河口村", "西街社区"]
    assert body.count('class="table-success"') == 3


def test_the_page_defaults_to_the_top_of_the_scope_and_the_current_year(tree, client_for, this_year):
    response = client_for("township_clerk").get(DETAIL)
    assert response.status_code == 200
    assert response.context["org"] == tree.township
    assert (response.context["start"], response.context["end"]) == this_year
    assert response.context["display"] == "50.00 %"


def test_records_link_to_their_pages(tree, client_for, monkeypatch):
    monkeypatch.setattr(Org, "get_absolute_url", lambda self: f"/orgs/{self.pk}/", raising=False)
    body = text(client_for("township_clerk").get(DETAIL))
    assert f'href="/orgs/{tree.village.pk}/"' in body


def test_records_are_paginated(tree, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "RECORDS_PER_PAGE", 3)
    client = client_for("county_admin")
    first = client.get(DETAIL, {"org": tree.county.code})
    third = client.get(DETAIL, {"org": tree.county.code, "page": 3}, headers={"HX-Request": "true"})
    assert len(first.context["records"]) == 3 and first.context["page"].paginator.num_pages == 3
    assert "page=2" in text(first)
    assert "<h1" not in text(third)  # the htmx request gets the records fragment only
    assert text(third).count("data-record=") == 3


def test_a_period_in_the_wrong_order_is_explained_not_computed(tree, client_for):
    response = client_for("county_admin").get(
        DETAIL, {"org": tree.county.code, "from": "2026-05-01", "to": "2026-04-30"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "total" not in response.context
    assert "The period ends before it starts." in text(response)


def test_a_date_that_is_not_a_date_is_a_form_error(tree, client_for):
    response = client_for("county_admin").get(DETAIL, {"org": tree.county.code, "from": "2026-13-01"})
    assert "total" not in response.context
    assert response.context["form"].errors["from"]


def test_an_org_outside_the_scope_is_not_found(tree, client_for):
    assert client_for("township_clerk").get(DETAIL, {"org": tree.county.code}).status_code == 404
    assert client_for("township_clerk").get(DETAIL, {"org": "990199"}).status_code == 404


def test_the_child_table_exports_to_xlsx_with_the_org_first(tree, client_for):
    response = client_for("county_admin").get(
        reverse("metric_export", args=[VILLAGE_SHARE.code]), {"org": tree.county.code}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [row[0] for row in rows].index(tree.county.code) - 1  # the column headings' row
    assert rows[header + 1] == (tree.county.code, "青山县", 3, 9, 33.33)
    assert rows[header + 2] == (tree.township.code, "城关镇", 2, 4, 50.0)
    assert len(rows) == header + 1 + 5


def _grow(tree, villages: int):
    """``villages`` more villages under 城关镇 and as many departments under 青山县 (more rows and children)."""
    for n in range(villages):
        org_create(actor=None, name=f"新村{n}", kind="village", code=f"990101001{100 + n:03d}", parent=tree.township)
    for n in range(villages):
        org_create(actor=None, name=f"部门{n}", kind="township", code=f"990101{200 + n:03d}", parent=tree.county)


@pytest.mark.parametrize("path", ["detail", "export"])
def test_the_page_takes_the_same_number_of_queries_at_two_sizes(tree, client_for, django_assert_max_num_queries, path):
    url = DETAIL if path == "detail" else reverse("metric_export", args=[VILLAGE_SHARE.code])
    client = client_for("county_admin")
    client.get(url, {"org": tree.county.code})  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"org": tree.county.code}).status_code == 200
    _grow(tree, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"org": tree.county.code})
    assert response.status_code == 200
    if path == "detail":
        assert len(response.context["rows"]) == 44


def test_the_navigation_leads_ledger_readers_to_the_metrics(client_for):
    metrics_url = f'href="{reverse("metric_list")}"'
    assert metrics_url in text(client_for("leader").get(reverse("home")))
    assert metrics_url not in text(client_for("reviewer").get(reverse("home")))
