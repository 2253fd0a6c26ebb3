"""Many metrics for one org at once (``metrics.batch``): every registered metric gives exactly the figure of its own
``counts`` for the demo's ledgers, by one query for all the rates and counts, and a record added since shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from fazhi.demo.city import demo_city_load
from fazhi.ledgers.disputes.models import Mediation
from fazhi.metrics.batch import metrics_compute_for_org
from fazhi.metrics.registry import AVERAGE, metrics
from fazhi.metrics.selectors import metric_compute
from fazhi.orgs.models import Org
from tests.ledgers.disputes import factories as disputes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it takes a few seconds), removed afterwards."""
    with django_db_blocker.unblock():

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                demo_city_load()
                yield
                raise Rollback
        except Rollback:
            pass


def _period() -> tuple[dt.date, dt.date]:
    """The year holding the demo's mediations (the demo dates its records from today)."""
    year = Mediation.objects.dates("screened_on", "year").last().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _orgs() -> list[Org]:
    """The city, its counties and a few townships: subtrees large and small."""
    city = Org.objects.filter(kind="city").order_by("path").first()
    counties = list(Org.objects.filter(parent=city, kind="county").order_by("path"))
    townships = list(Org.objects.filter(parent__in=counties).order_by("path")[:3])
    return [city, *counties, *townships]


def test_every_metric_gives_the_figure_of_its_own_counts(demo):
    start, end = _period()
    every = metrics()
    counted = 0
    for org in _orgs():
        together = metrics_compute_for_org(every, org, start, end)
        counted += sum(bool(value.denominator) for value in together.values())
        for metric in every:
            alone = metric_compute(metric, [org], start, end)[0]
            got = together[metric.code]
            assert (got.numerator, got.denominator, got.value) == (alone.numerator, alone.denominator, alone.value), (
                metric.code,
                org.name,
            )
    assert counted > len(every)  # the demo's records are counted, not only zeros


def test_one_query_for_every_rate_and_count_and_one_per_average(demo, django_assert_num_queries):
    start, end = _period()
    city = _orgs()[0]
    every = metrics()
    averages = sum(metric.kind == AVERAGE for metric in every)
    with django_assert_num_queries(1 + averages):
        metrics_compute_for_org(every, city, start, end)
    with django_assert_num_queries(1 + averages):  # again: the SQL kept, still run against the records
        metrics_compute_for_org(every, city, start, end)


def test_a_record_added_since_the_last_computation_is_counted(demo):
    start, end = _period()
    township = Org.objects.filter(kind="township").order_by("path").first()
    mediation = [metric for metric in metrics() if metric.code == "disputes.mediation_success_rate"]
    before = metrics_compute_for_org(mediation, township, start, end)["disputes.mediation_success_rate"]
    disputes.mediation(township, screened_on=start, mediated_on=start, outcome="settled", concluded_on=start)
    after = metrics_compute_for_org(mediation, township, start, end)["disputes.mediation_success_rate"]
    assert (after.numerator, after.denominator) == (before.numerator + 1, (before.denominator or 0) + 1)


def test_the_figures_follow_a_changed_setting(demo, settings):
    start, end = _period()
    city = _orgs()[0]
    handlers = [metric for metric in metrics() if metric.code == "disputes.reconsideration_two_handler_rate"]
    before = metrics_compute_for_org(handlers, city, start, end)[handlers[0].code]
    assert before.numerator  # some cases had enough handlers
    settings.FAZHI_RECONSIDERATION_MIN_HANDLERS = 99
    after = metrics_compute_for_org(handlers, city, start, end)[handlers[0].code]
    assert (after.numerator, after.denominator) == (0, before.denominator)
    assert after.numerator == metric_compute(handlers[0], [city], start, end)[0].numerator
