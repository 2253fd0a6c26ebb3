"""The pure ranking module: components, the composite rounded once, the order and its tie-breaks, passing,
the quota, and reviewer outliers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fazhi.campaigns import ranking as r

WEIGHTS = {r.REVIEW: 60, r.INSPECTION: 30, r.SURVEY: 10}


def test_components_are_exact_on_the_0_to_100_scale():
    assert r.rounded(r.review_component(2300, 2600)) == 8846  # 23 of 26 points is 88.4615…
    assert r.rounded(r.inspection_component(8000 + 8500 + 8600, 3)) == 8367  # 83.666…
    assert r.rounded(r.survey_component(2, 3)) == 6667
    assert r.inspection_component(0, 0) is None and r.survey_component(0, 0) is None


def test_the_composite_is_rounded_once_from_the_exact_components():
    # (60 × 88.4615… + 30 × 83.666… + 10 × 66.666…) ÷ 100 = 84.8436…
    composite = r.composite(
        WEIGHTS,
        {r.REVIEW: r.review_component(2300, 2600), r.INSPECTION: (25100, 3), r.SURVEY: r.survey_component(2, 3)},
    )
    assert composite == r.Composite(8484, ())
    # half up, never to even: 50 % × 0.01 = 0.005 → 0.01
    assert r.composite({r.REVIEW: 50, r.INSPECTION: 50}, {r.REVIEW: (1, 1), r.INSPECTION: (0, 1)}).value == 1
    # once: three components of 0.333… hundredths each make 0.01, where rounding each first would make 0
    thirds = {r.REVIEW: (1, 3), r.INSPECTION: (1, 3), r.SURVEY: (1, 3)}
    assert r.composite({r.REVIEW: 100, r.INSPECTION: 100, r.SURVEY: 100}, thirds).value == 1


def test_a_weighted_component_without_data_counts_zero_and_is_named():
    composite = r.composite(WEIGHTS, {r.REVIEW: (9000, 1), r.INSPECTION: None, r.SURVEY: None})
    assert composite == r.Composite(5400, (r.INSPECTION, r.SURVEY))
    assert r.composite({r.REVIEW: 100}, {r.REVIEW: (9000, 1), r.INSPECTION: None}).missing == ()


def test_order_vetoed_last_then_composite_then_review_total_subtotals_submission_and_id():
    early, late = dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 2)
    entries = [
        r.Entry("vetoed", composite=9900, review_total=9900, vetoed=True),
        r.Entry("low", composite=7000, review_total=7000),
        r.Entry("tie-late", composite=8000, review_total=8000, subtotals=(6000, 2000), first_submitted=late),
        r.Entry("tie-early", composite=8000, review_total=8000, subtotals=(6000, 2000), first_submitted=early),
        r.Entry("tie-subtotal", composite=8000, review_total=8000, subtotals=(7000, 1000), first_submitted=late),
        r.Entry("tie-review", composite=8000, review_total=8100, subtotals=(0, 0)),
        r.Entry("never-submitted", composite=8000, review_total=8000, subtotals=(6000, 2000)),
    ]
    ranked = r.rank(entries, pass_score=7500, quota=3)
    assert [x.key for x in ranked] == [
        "tie-review",
        "tie-subtotal",
        "tie-early",
        "tie-late",
        "never-submitted",
        "low",
        "vetoed",
    ]
    assert [x.rank for x in ranked] == [1, 2, 3, 4, 5, 6, 7]
    assert [x.passed for x in ranked] == [True, True, True, True, True, False, False]
    assert [x.in_quota for x in ranked] == [True, True, True, False, False, False, False]


def test_reaching_the_pass_score_exactly_passes():
    ranked = r.rank(
        [r.Entry(1, composite=6000, review_total=0), r.Entry(2, composite=5999, review_total=0)],
        pass_score=6000,
        quota=5,
    )
    assert [(x.key, x.passed, x.in_quota) for x in ranked] == [(1, True, True), (2, False, False)]


def test_outliers_against_the_mean_of_the_others():
    # standard of 100 points, 10 %: 10 points. 64 is 16 from 80; each 80 is 8 from (80 + 64) / 2.
    assert r.outliers({"甲": 8000, "乙": 8000, "丙": 6400}, standard_total=10000, percent=10) == ["丙"]
    # exactly 10 points away is not "more than"
    assert r.outliers({"甲": 8000, "乙": 7000}, standard_total=10000, percent=10) == []
    assert r.outliers({"甲": 8000, "乙": 6999}, standard_total=10000, percent=10) == ["乙", "甲"]
    assert r.outliers({"甲": 8000}, standard_total=10000, percent=10) == []


@given(
    st.lists(st.tuples(st.integers(0, 10000), st.integers(0, 10000), st.booleans()), min_size=1, max_size=12),
    st.integers(0, 10000),
    st.integers(0, 5),
)
def test_ranking_properties(values, pass_score, quota):
    entries = [r.Entry(i, composite=c, review_total=t, vetoed=v) for i, (c, t, v) in enumerate(values)]
    ranked = r.rank(entries, pass_score=pass_score, quota=quota)
    by_key = {e.key: e for e in entries}
    order = [by_key[x.key] for x in ranked]
    # every non-vetoed entry before every vetoed one; composites descending within each group
    assert [e.vetoed for e in order] == sorted(e.vetoed for e in order)
    for a, b in zip(order, order[1:], strict=False):
        if a.vetoed == b.vetoed:
            assert a.composite >= b.composite
    assert sum(x.in_quota for x in ranked) == min(quota, sum(x.passed for x in ranked))
    assert all(x.passed == (not by_key[x.key].vetoed and by_key[x.key].composite >= pass_score) for x in ranked)
