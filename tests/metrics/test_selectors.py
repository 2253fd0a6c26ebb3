"""The metric selectors: figures for many orgs by one set-based call, the drill-down, periods, scope.

The fake metric ``test.village_share`` (tests/metrics/fakes.py) counts the orgs of the test tree, all created
today: 青山县's subtree holds 9 orgs of which 3 are villages or communities (东门村, 西街社区, 河口村).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.errors import DomainError
from fazhi.metrics import selectors
from fazhi.metrics.registry import metric_get
from tests.metrics.fakes import TOWNSHIP_COUNT, VILLAGE_SHARE

pytestmark = pytest.mark.usefixtures("fake_metrics")


def test_compute_gives_each_org_the_figure_of_its_whole_subtree(tree, this_year):
    orgs = [tree.county, tree.township, tree.township2, tree.justice_bureau, tree.other_county]
    got = {
        v.org.name: (v.value, v.numerator, v.denominator)
        for v in selectors.metric_compute(VILLAGE_SHARE, orgs, *this_year)
    }
    assert got == {
        "青山县": (Decimal("33.33"), 3, 9),
        "城关镇": (Decimal("50.00"), 2, 4),
        "河口镇": (Decimal("50.00"), 1, 2),
        "青山县司法局": (Decimal("0.00"), 0, 1),
        "白水县": (Decimal("25.00"), 1, 4),
    }


def test_a_period_without_records_has_no_rate_rather_than_zero(tree):
    (figure,) = selectors.metric_compute(VILLAGE_SHARE, [tree.county], dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert (figure.value, figure.numerator, figure.denominator) == (None, 0, 0)
    assert selectors.metric_display(VILLAGE_SHARE, figure.value) == "—"


def test_a_count_has_no_denominator(tree, this_year):
    (figure,) = selectors.metric_compute(TOWNSHIP_COUNT, [tree.county], *this_year)
    assert (figure.value, figure.numerator, figure.denominator) == (Decimal(2), 2, None)
    assert selectors.metric_display(TOWNSHIP_COUNT, figure.value) == "2"


def test_compute_for_many_orgs_takes_one_query(tree, this_year, django_assert_num_queries):
    orgs = [tree.county, tree.other_county, tree.township, tree.township2, tree.other_township, tree.justice_bureau]
    with django_assert_num_queries(1):  # orgs at several depths, in one grouped query
        selectors.metric_compute(VILLAGE_SHARE, orgs, *this_year)


def test_records_are_those_counted_with_the_numerators_marked(tree, this_year):
    records = selectors.metric_records(VILLAGE_SHARE, tree.township, *this_year)
    marked = {r.name: r.in_numerator for r in records}
    assert marked == {"城关镇": False, "城关镇人民政府办公室": False, "东门村": True, "西街社区": True}
    ids, numerator = selectors.metric_record_ids(records)
    assert sorted(ids) == sorted([tree.township.pk, tree.township_office.pk, tree.village.pk, tree.community.pk])
    assert sorted(numerator) == sorted([tree.village.pk, tree.community.pk])


def test_a_period_that_ends_before_it_starts_is_refused(tree):
    with pytest.raises(DomainError) as caught:
        selectors.metric_compute(VILLAGE_SHARE, [tree.county], dt.date(2026, 5, 1), dt.date(2026, 4, 30))
    assert caught.value.rule == "metrics.period_order"
    with pytest.raises(DomainError):
        selectors.metric_records(VILLAGE_SHARE, tree.county, dt.date(2026, 5, 1), dt.date(2026, 4, 30))


def test_the_default_period_is_the_current_year():
    assert selectors.period_default(dt.date(2026, 7, 15)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_close_codes_name_the_metric_meant():
    assert selectors.metric_close_codes("test.village_shar")[0] == "test.village_share"
    assert "test.village_share" in selectors.metric_close_codes("village_share")
    assert metric_get("test.village_share") is VILLAGE_SHARE


def test_orgs_are_found_only_within_the_readers_ledger_scope(tree, personas):
    clerk = personas["township_clerk"]
    assert selectors.metric_org_for_user(user=clerk, code=tree.village.code) == tree.village
    assert selectors.metric_org_for_user(user=clerk, code=tree.county.code) is None
    assert selectors.metric_org_for_user(user=personas["reviewer"], code=tree.county.code) is None  # no LEDGER_VIEW
    assert selectors.metric_default_org(clerk) == tree.township
    assert selectors.metric_default_org(personas["leader"]) == tree.county


def test_breadcrumbs_stop_at_the_top_of_the_scope(tree, personas):
    clerk = personas["township_clerk"]
    assert selectors.org_ancestors_in_scope(user=clerk, org=tree.village) == [tree.township]
    assert selectors.org_ancestors_in_scope(user=personas["county_admin"], org=tree.village) == [
        tree.county,
        tree.township,
    ]


def test_metrics_are_grouped_by_ledger():
    groups = {name: [m.code for m in group] for name, _title, group in selectors.metrics_by_ledger()}
    assert groups["test"] == ["test.township_count", "test.village_share"]
