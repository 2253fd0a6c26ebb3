"""The metric page, API and command on a real ledger metric: Le'an's mediation figures (❻: 108 screened,
108 mediated, 103 settled → 100 % and 95.37 %), entered in 城关镇 and read for 青山县 and its children."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from fazhi.ledgers.disputes.models import Mediation

CODE = "disputes.mediation_success_rate"
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def leans_mediations(tree):
    rows = [
        Mediation(
            org=tree.township,
            number=f"乐安{i}",
            kind="peoples",
            matter="纠纷",
            screened_on=dt.date(2026, 3, 1),
            mediated_on=dt.date(2026, 3, 2),
            outcome="settled" if i < 103 else "failed",
            concluded_on=dt.date(2026, 3, 9),
        )
        for i in range(108)
    ]
    return Mediation.objects.bulk_create(rows)


def test_the_page_shows_the_figure_for_the_county_and_each_child(tree, client_for, leans_mediations):
    response = client_for("county_admin").get(
        reverse("metric_detail", args=[CODE]), {"org": tree.county.code, **PERIOD}
    )
    assert response.context["display"] == "95.37 %"
    by_child = {row.org.name: (row.numerator, row.denominator, shown) for row, shown in response.context["rows"]}
    assert by_child["城关镇"] == (103, 108, "95.37 %")
    assert by_child["河口镇"] == (0, 0, "—")
    assert response.context["page"].paginator.count == 108
    body = response.content.decode()
    record, url, _org = response.context["records"][0]
    assert url == record.get_absolute_url() and f'href="{url}"' in body
    assert body.count('class="table-success"') == sum(r.in_numerator for r, _u, _o in response.context["records"])


def test_the_api_gives_the_records_counted(tree, client_for, leans_mediations):
    body = (
        client_for("county_admin")
        .get(reverse("api-1:metric_value", args=[CODE]), {"org": tree.county.code, **PERIOD})
        .json()
    )
    assert (body["value"], body["numerator"], body["denominator"]) == (95.37, 103, 108)
    assert (body["count"], body["pages"], len(body["results"])) == (108, 2, 100)  # 100 a page
    results = (
        body["results"]
        + client_for("county_admin")
        .get(reverse("api-1:metric_value", args=[CODE]), {"org": tree.county.code, "page": 2, **PERIOD})
        .json()["results"]
    )
    assert sorted(r["id"] for r in results) == sorted(m.pk for m in leans_mediations)
    settled = sorted(m.pk for m in leans_mediations if m.outcome == "settled")
    assert sorted(r["id"] for r in results if r["in_numerator"]) == settled


def test_the_command_prints_the_mediation_rate(tree, leans_mediations):
    out = StringIO()
    with translation.override("en"):
        call_command(
            "metrics",
            "show",
            "disputes.mediation_rate",
            "--org",
            tree.township.code,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            stdout=out,
        )
    assert "Value: 100.00 %" in out.getvalue()
    assert "Numerator: 108" in out.getvalue() and "Denominator: 108" in out.getvalue()
