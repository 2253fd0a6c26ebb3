"""Metrics of the enforcement ledger on a small hand-made world: numerator, denominator, value, subtree grouping,
drill-down ids."""

import datetime as dt
from decimal import Decimal

from fazhi.metrics.registry import metric_get, metric_value
from tests.ledgers.enforcement.factories import make_case, make_officer, make_year

D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


def _value(code, path):
    metric = metric_get(code)
    num, den = metric.counts([path], START, END)[path]
    return metric_value(metric.kind, num, den)


def _officers(tree):
    a = make_officer(tree.village, "甲")
    make_year(a, 2025, training_hours=60)
    b = make_officer(tree.village, "乙")
    make_year(b, 2025, general=59, training_hours=80)
    c = make_officer(tree.community, "丙", issued_on=D(2020, 1, 1), expires_on=D(2025, 6, 30))
    make_year(c, 2025, special=None, special_absence="excused", training_hours=59.5)
    d = make_officer(tree.township, "丁")  # no exams recorded
    make_officer(tree.township, "戊", left_on=D(2025, 12, 31))  # left on the last day: not in post
    make_officer(tree.township, "庚", joined_on=D(2026, 1, 1))  # in post only after the period
    make_officer(tree.other_village, "己")
    return a, b, c, d


def test_officer_metrics(tree):
    a, b, c, d = _officers(tree)
    county, village = tree.county.path, tree.village.path
    # in post on 31 Dec 2025 in the county: 甲 乙 丙 丁; certified: 甲 乙 丁 (丙's certificate expired)
    assert _value("enforcement.certified_officer_rate", county).__dict__ == {
        "value": Decimal("75.00"),
        "numerator": 3,
        "denominator": 4,
    }
    # both exams passed: 甲 only (乙 failed, 丙 absent with excuse, 丁 nothing recorded)
    assert _value("enforcement.exam_pass_rate", county).value == Decimal("25.00")
    # at least 60 training hours: 甲 (60) and 乙 (80); 丙 has 59.5
    assert _value("enforcement.training_hours_rate", county).value == Decimal("50.00")
    assert _value("enforcement.exam_pass_rate", village).value == Decimal("50.00")

    counts = metric_get("enforcement.certified_officer_rate").counts(
        [tree.county.path, tree.township.path, tree.community.path, tree.other_county.path, tree.township2.path],
        START,
        END,
    )
    assert counts == {
        tree.county.path: (3, 4),
        tree.township.path: (3, 4),
        tree.community.path: (0, 1),
        tree.other_county.path: (1, 1),
        tree.township2.path: (0, 0),
    }
    records = metric_get("enforcement.certified_officer_rate").records(county, START, END)
    assert {(r.pk, r.in_numerator) for r in records} == {(a.pk, True), (b.pk, True), (c.pk, False), (d.pk, True)}


def test_training_hours_figure_comes_from_the_settings(tree, settings):
    _officers(tree)
    settings.FAZHI_ENFORCEMENT_TRAINING_HOURS = 80
    assert _value("enforcement.training_hours_rate", tree.county.path).numerator == 1


def test_case_file_metrics(tree, settings):
    c1 = make_case(tree.village, score=95, full_record=True, major=True, legal_review=True, disclosed=True, online=True)
    c2 = make_case(tree.village, score=90, full_record=True, major=True, legal_review=False, disclosed=True)
    c3 = make_case(tree.community, score=60, major=False, legal_review=True, online=True)
    c4 = make_case(tree.township, score=59, full_record=True)
    make_case(tree.township, score=99, year=2024, reviewed_on=D(2024, 12, 31))  # outside the period
    make_case(tree.other_village, score=10)
    county = tree.county.path
    assert _value("enforcement.case_file_pass_rate", county).__dict__ == {
        "value": Decimal("75.00"),
        "numerator": 3,
        "denominator": 4,
    }
    assert _value("enforcement.case_file_excellent_rate", county).value == Decimal("50.00")
    assert _value("enforcement.full_record_rate", county).value == Decimal("75.00")
    assert _value("enforcement.legal_review_rate", county).__dict__ == {
        "value": Decimal("50.00"),
        "numerator": 1,
        "denominator": 2,
    }
    assert _value("enforcement.decision_disclosure_rate", county).value == Decimal("50.00")
    assert _value("enforcement.online_case_rate", county).value == Decimal("50.00")
    assert _value("enforcement.case_file_pass_rate", tree.township2.path).value is None  # no records: not 0 %

    settings.FAZHI_CASE_FILE_EXCELLENT = 91
    assert _value("enforcement.case_file_excellent_rate", county).numerator == 1

    records = metric_get("enforcement.legal_review_rate").records(county, START, END)
    assert {(r.pk, r.in_numerator) for r in records} == {(c1.pk, True), (c2.pk, False)}
    records = metric_get("enforcement.case_file_pass_rate").records(tree.community.path, START, END)
    assert [(r.pk, r.in_numerator) for r in records] == [(c3.pk, True)]
    records = metric_get("enforcement.case_file_pass_rate").records(tree.township.path, START, END)
    assert {(r.pk, r.in_numerator) for r in records} == {(c1.pk, True), (c2.pk, True), (c3.pk, True), (c4.pk, False)}


def test_every_metric_the_standard_names_is_registered():
    from pathlib import Path

    import fazhi

    text = (Path(fazhi.__file__).parent / "indicators/standards/city-county-rule-of-law-government.yaml").read_text()
    named = {line.split("metric:")[1].strip() for line in text.splitlines() if "metric: enforcement." in line}
    assert named
    for code in named | {"enforcement.case_file_excellent_rate"}:
        assert metric_get(code).ledger == "enforcement"
