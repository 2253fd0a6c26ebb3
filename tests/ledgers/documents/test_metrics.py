"""Metrics of normative documents on a small hand-made world: numerator, denominator, value, subtree grouping and
the records behind each figure."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.metrics.registry import metric_get, metric_value
from tests.ledgers.documents.factories import make_document

D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)
APRIL = D(2025, 4, 1)

CODES = (
    "documents.legality_review_rate",
    "documents.filing_rate",
    "documents.timely_filing_rate",
    "documents.filing_conformity_rate",
    "documents.review_on_time_rate",
    "documents.expiry_evaluation_rate",
    "documents.online_publication_rate",
    "documents.unified_publication_rate",
    "documents.due_process_rate",
    "documents.expired_in_force",
)


def published(org, *, published_on=APRIL, **fields):
    """A complete, well-made document published on ``published_on`` (override any field)."""
    values = {
        "affects_rights": True,
        "comment_start": D(2025, 1, 6),
        "comment_end": D(2025, 2, 5),
        "review_submitted_on": D(2025, 2, 10),
        "review_due": D(2025, 3, 3),
        "review_reported_on": D(2025, 2, 20),
        "review_outcome": "pass",
        "decided_on": D(2025, 3, 1),
        "registered_on": D(2025, 3, 10),
        "registration_number": f"990101-2025-{org.pk:04d}",
        "document_number": "青政规〔2025〕1号",
        "effective_from": published_on,
        "expires_on": published_on.replace(year=published_on.year + 5) - dt.timedelta(days=1),
        "published_on": published_on,
        "channel": "website",
        "filing_due": published_on + dt.timedelta(days=30),
        "filed_on": published_on + dt.timedelta(days=10),
        "filing_outcome": "conforming",
    }
    values.update(fields)
    return make_document(org, **values)


@pytest.fixture
def world(tree):
    good = published(tree.county)
    late = published(tree.township, filed_on=D(2025, 5, 15), channel="gazette")  # due 5-1
    unfiled = published(
        tree.village, filed_on=None, filing_outcome="", channel="newspaper", comment_start=None, comment_end=None
    )
    late_review = published(tree.township, review_reported_on=D(2025, 3, 5), decided_on=D(2025, 3, 6))
    nonconforming = published(tree.county, filing_outcome="nonconforming")
    outside = published(tree.other_county)
    last_year = published(tree.county, published_on=D(2024, 6, 1))
    return {
        "good": good,
        "late": late,
        "unfiled": unfiled,
        "late_review": late_review,
        "nonconforming": nonconforming,
        "outside": outside,
        "last_year": last_year,
    }


def value(code, org, start=START, end=END):
    metric = metric_get(code)
    numerator, denominator = metric.counts([org.path], start, end)[org.path]
    return metric_value(metric.kind, numerator, denominator)


def test_every_code_named_by_the_standards_is_registered():
    for code in CODES:
        assert metric_get(code).ledger == "documents"


def test_filing_rates_in_the_county_subtree(tree, world):
    filing = value("documents.filing_rate", tree.county)
    assert (filing.numerator, filing.denominator) == (4, 5)
    assert filing.value == Decimal("80.00")
    timely = value("documents.timely_filing_rate", tree.county)
    assert (timely.numerator, timely.denominator) == (3, 5)
    conformity = value("documents.filing_conformity_rate", tree.county)
    assert (conformity.numerator, conformity.denominator) == (3, 4)
    assert conformity.value == Decimal("75.00")


def test_review_rates(tree, world):
    on_time = value("documents.review_on_time_rate", tree.county)
    # counted by the report's date: last year's publication was reviewed (on time) in 2025 too.
    assert (on_time.numerator, on_time.denominator) == (5, 6)
    legality = value("documents.legality_review_rate", tree.county)
    assert (legality.numerator, legality.denominator) == (5, 5)


def test_publication_rates(tree, world):
    online = value("documents.online_publication_rate", tree.county)
    assert (online.numerator, online.denominator) == (3, 5)
    unified = value("documents.unified_publication_rate", tree.county)
    assert (unified.numerator, unified.denominator) == (4, 5)


def test_due_process_needs_comment_review_decision_registration_and_timely_filing(tree, world):
    due = value("documents.due_process_rate", tree.county)
    # late filing (township) and the village's (no comment though rights affected, not filed) fail.
    assert (due.numerator, due.denominator) == (3, 5)


def test_grouped_by_subtree_for_many_orgs_at_once(tree, world, django_assert_max_num_queries):
    metric = metric_get("documents.filing_rate")
    paths = [tree.county.path, tree.township.path, tree.village.path, tree.other_county.path, tree.village2.path]
    with django_assert_max_num_queries(4):
        counts = metric.counts(paths, START, END)
    assert counts[tree.township.path] == (2, 3)
    assert counts[tree.village.path] == (0, 1)
    assert counts[tree.other_county.path] == (1, 1)
    assert counts[tree.village2.path] == (0, 0)
    assert metric_value(metric.kind, *counts[tree.village2.path]).value is None


def test_drill_down_lists_the_records_with_their_part(tree, world):
    records = metric_get("documents.timely_filing_rate").records(tree.township.path, START, END)
    assert {(r.pk, r.in_numerator) for r in records} == {
        (world["late"].pk, False),
        (world["unfiled"].pk, False),
        (world["late_review"].pk, True),
    }


def test_evaluation_before_expiry(tree):
    due_now = published(
        tree.county, published_on=D(2021, 3, 1), expires_on=D(2026, 2, 28), evaluation_due=D(2025, 8, 28)
    )
    evaluated = published(
        tree.county,
        published_on=D(2021, 5, 1),
        expires_on=D(2026, 4, 30),
        evaluation_due=D(2025, 10, 30),
        evaluated_on=D(2025, 10, 1),
    )
    published(
        tree.county,
        published_on=D(2021, 6, 1),
        expires_on=D(2026, 5, 31),
        evaluation_due=D(2025, 11, 30),
        status="repealed",
        ended_on=D(2025, 1, 10),
    )
    result = value("documents.expiry_evaluation_rate", tree.county)
    assert (result.numerator, result.denominator) == (1, 2)
    ids = {r.pk for r in metric_get("documents.expiry_evaluation_rate").records(tree.county.path, START, END)}
    assert ids == {due_now.pk, evaluated.pk}


def test_expired_in_force_counts_documents_the_daily_job_has_not_marked(tree):
    stale = published(tree.township, published_on=D(2020, 3, 1), expires_on=D(2025, 2, 28))
    published(tree.township, published_on=D(2020, 3, 1), expires_on=D(2025, 2, 28), status="expired")
    published(tree.township, published_on=D(2021, 3, 1), expires_on=D(2026, 2, 28))
    result = value("documents.expired_in_force", tree.county)
    assert result.value == Decimal(1) and result.denominator is None
    records = metric_get("documents.expired_in_force").records(tree.county.path, START, END)
    assert [(r.pk, r.in_numerator) for r in records] == [(stale.pk, True)]
    assert value("documents.expired_in_force", tree.county, end=D(2025, 2, 28)).numerator == 0
