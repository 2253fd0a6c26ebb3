"""The metrics API: the registry, and one metric's figure with the ids of the records counted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.api import metrics as metrics_api
from tests.metrics.fakes import VILLAGE_SHARE

pytestmark = pytest.mark.usefixtures("fake_metrics")

VALUE = reverse("api-1:metric_value", args=[VILLAGE_SHARE.code])


def test_the_registry_lists_every_metric_with_its_formula(client_for):
    body = client_for("leader").get(reverse("api-1:metrics")).json()
    found = {m["code"]: m for m in body}
    assert found["test.village_share"] == {
        "code": "test.village_share",
        "title": VILLAGE_SHARE.title,
        "formula": VILLAGE_SHARE.formula,
        "kind": "rate",
        "ledger": "test",
    }


def test_a_metric_gives_value_numerator_denominator_and_the_records_counted(tree, client_for, this_year):
    body = client_for("county_admin").get(VALUE, {"org": tree.township.code}).json()
    assert (body["value"], body["numerator"], body["denominator"]) == (50.0, 2, 4)
    assert (body["org"], body["start"], body["end"]) == (tree.township.code, *(d.isoformat() for d in this_year))
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (4, 1, 1, 100)
    assert sorted((r["id"], r["in_numerator"]) for r in body["results"]) == sorted(
        [
            (tree.township.pk, False),
            (tree.township_office.pk, False),
            (tree.village.pk, True),
            (tree.community.pk, True),
        ]
    )


def test_the_records_come_a_page_at_a_time_under_the_same_figure(tree, client_for, monkeypatch):
    monkeypatch.setattr(metrics_api, "PAGE_SIZE", 3)
    client = client_for("county_admin")
    pages = [client.get(VALUE, {"org": tree.township.code, "page": n}).json() for n in (1, 2)]
    assert [(b["count"], b["page"], b["pages"], b["page_size"], len(b["results"])) for b in pages] == [
        (4, 1, 2, 3, 3),
        (4, 2, 2, 3, 1),
    ]
    assert all((b["value"], b["numerator"], b["denominator"]) == (50.0, 2, 4) for b in pages)
    ids = [r["id"] for b in pages for r in b["results"]]
    assert sorted(ids) == sorted([tree.township.pk, tree.township_office.pk, tree.village.pk, tree.community.pk])
    # Past the last page: the last page (as the ledgers' lists do).
    beyond = client.get(VALUE, {"org": tree.township.code, "page": 9}).json()
    assert (beyond["page"], [r["id"] for r in beyond["results"]]) == (2, [r["id"] for r in pages[1]["results"]])


def test_an_empty_period_gives_a_null_value(tree, client_for):
    body = (
        client_for("county_admin")
        .get(VALUE, {"org": tree.county.code, "from": "2001-01-01", "to": "2001-12-31"})
        .json()
    )
    assert (body["value"], body["numerator"], body["denominator"]) == (None, 0, 0)
    assert (body["count"], body["page"], body["pages"], body["results"]) == (0, 1, 1, [])


def test_a_period_in_the_wrong_order_is_a_400_naming_the_rule(tree, client_for):
    response = client_for("county_admin").get(
        VALUE, {"org": tree.county.code, "from": "2026-05-01", "to": "2026-04-30"}
    )
    assert response.status_code == 400
    assert (response.json()["rule"], response.json()["field"]) == ("metrics.period_order", "to")


def test_an_org_outside_the_scope_is_a_404(tree, client_for):
    assert client_for("township_clerk").get(VALUE, {"org": tree.county.code}).status_code == 404
