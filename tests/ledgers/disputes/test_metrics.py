"""The disputes metrics: numerator, denominator and value on small hand-made worlds, by subtree, with drill-down."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.ledgers.disputes.models import Mediation
from fazhi.metrics.registry import metric_get, metric_value
from tests.ledgers.disputes import factories

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))

CODES = [
    "disputes.reconsideration_on_time_rate",
    "disputes.reconsideration_two_handler_rate",
    "disputes.reconsideration_compliance_rate",
    "disputes.reconsideration_correction_rate",
    "disputes.head_appearance_rate",
    "disputes.judgment_compliance_rate",
    "disputes.mediation_rate",
    "disputes.mediation_success_rate",
    "disputes.disclosure_on_time_rate",
]


def value(code, org, period=YEAR):
    metric = metric_get(code)
    num, den = metric.counts([org.path], *period)[org.path]
    return metric_value(metric.kind, num, den)


@pytest.mark.parametrize("code", CODES)
def test_every_metric_is_registered(code):
    assert metric_get(code).ledger == "disputes"


def test_leans_mediation_figures(tree):
    """❻ Le'an: 108 disputes screened, 108 mediated, 103 settled → 100% and 95.37%."""
    rows = []
    for i in range(108):
        settled = i < 103
        rows.append(
            Mediation(
                org=tree.township,
                number=f"乐安{i}",
                kind="peoples",
                matter="纠纷",
                screened_on=D(2026, 3, 1),
                mediated_on=D(2026, 3, 2),
                outcome="settled" if settled else "failed",
                concluded_on=D(2026, 3, 9),
            )
        )
    Mediation.objects.bulk_create(rows)
    assert value("disputes.mediation_rate", tree.township).value == Decimal("100.00")
    success = value("disputes.mediation_success_rate", tree.township)
    assert (success.numerator, success.denominator, success.value) == (103, 108, Decimal("95.37"))


def test_mediation_counts_by_subtree_and_drill_down(tree):
    factories.mediation(tree.village, mediated_on=D(2026, 3, 2), outcome="settled", concluded_on=D(2026, 3, 3))
    factories.mediation(tree.village, mediated_on=D(2026, 3, 2), outcome="failed", concluded_on=D(2026, 3, 3))
    unmediated = factories.mediation(tree.township)
    factories.mediation(tree.other_village, mediated_on=D(2026, 3, 2))
    factories.mediation(tree.village, screened_on=D(2025, 12, 1))  # outside the period
    metric = metric_get("disputes.mediation_rate")
    counts = metric.counts([tree.county.path, tree.township.path, tree.village.path, tree.other_county.path], *YEAR)
    assert counts[tree.county.path] == (2, 3)
    assert counts[tree.village.path] == (2, 2)
    assert counts[tree.other_county.path] == (1, 1)
    success = metric_get("disputes.mediation_success_rate").counts([tree.county.path], *YEAR)
    assert success[tree.county.path] == (1, 2)
    records = metric.records(tree.county.path, *YEAR)
    assert {r.pk: r.in_numerator for r in records}[unmediated.pk] is False
    assert sum(r.in_numerator for r in records) == 2


def test_reconsideration_rates(tree):
    on_time = factories.reconsideration(tree.county, decided_on=D(2026, 4, 1), decision="revoke", complied=True)
    late = factories.reconsideration(tree.county, decided_on=D(2026, 6, 1), decision="uphold")
    factories.reconsideration(tree.county, decided_on=D(2026, 4, 2), decision="order_performance", complied=False)
    factories.reconsideration(tree.county)  # undecided: not counted
    assert value("disputes.reconsideration_on_time_rate", tree.county) == metric_value("rate", 2, 3)
    assert value("disputes.reconsideration_two_handler_rate", tree.county).value == Decimal("100.00")
    assert value("disputes.reconsideration_correction_rate", tree.county) == metric_value("rate", 2, 3)
    assert value("disputes.reconsideration_compliance_rate", tree.county) == metric_value("rate", 1, 2)
    records = metric_get("disputes.reconsideration_on_time_rate").records(tree.county.path, *YEAR)
    assert {r.pk: r.in_numerator for r in records}[late.pk] is False
    assert {r.pk: r.in_numerator for r in records}[on_time.pk] is True


def test_two_handler_rate_reads_the_setting(tree, settings):
    factories.reconsideration(tree.county, decided_on=D(2026, 4, 1), decision="uphold")
    settings.FAZHI_RECONSIDERATION_MIN_HANDLERS = 3
    assert value("disputes.reconsideration_two_handler_rate", tree.county).value == Decimal("0.00")


def test_litigation_rates(tree):
    factories.litigation(tree.county, hearing_on=D(2026, 4, 1), head_appeared=True)
    factories.litigation(tree.county, hearing_on=D(2026, 4, 2), head_appeared=False)
    factories.litigation(tree.county)  # not heard
    factories.litigation(tree.county, outcome="lost", closed_on=D(2026, 5, 1), complied=True)
    factories.litigation(tree.county, outcome="lost", closed_on=D(2026, 5, 1))
    factories.litigation(tree.county, outcome="won", closed_on=D(2026, 5, 1))
    assert value("disputes.head_appearance_rate", tree.county) == metric_value("rate", 1, 2)
    assert value("disputes.judgment_compliance_rate", tree.county) == metric_value("rate", 1, 2)


def test_no_records_is_no_value_not_zero(tree):
    assert value("disputes.head_appearance_rate", tree.county).value is None


def test_disclosure_on_time_rate(tree):
    ok = factories.disclosure(tree.county, received_on=D(2026, 3, 2))
    from fazhi.ledgers.disputes import services

    services.disclosure_update(actor=None, request=ok, answered_on=ok.due_on, reply="disclosed")
    late = factories.disclosure(tree.county, received_on=D(2026, 3, 2))
    services.disclosure_update(
        actor=None, request=late, answered_on=late.due_on + dt.timedelta(days=1), reply="disclosed"
    )
    factories.disclosure(tree.county, received_on=D(2026, 3, 3))  # unanswered, its due date passed: late
    assert value("disputes.disclosure_on_time_rate", tree.county) == metric_value("rate", 1, 3)
