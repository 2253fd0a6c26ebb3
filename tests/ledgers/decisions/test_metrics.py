"""The decisions metrics on a small hand-made world: numerators, denominators, values, subtrees, drill-down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.ledgers.decisions import services
from fazhi.metrics.registry import metric_get, metric_value
from tests.ledgers.decisions.factories import FULL_STEPS, make_decided, make_decision, required_steps_only

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))
CODES = [
    "decisions.legality_review_rate",
    "decisions.collective_decision_rate",
    "decisions.public_participation_rate",
    "decisions.expert_argumentation_rate",
    "decisions.risk_assessment_rate",
    "decisions.hearing_rate",
    "decisions.review_period_rate",
    "decisions.procedure_compliance_rate",
]


@pytest.fixture
def world(tree):
    """Decided in 2026 within 青山县: A (城关镇, utility prices, every step in time), B (东门村, technical,
    environment, hearing announced only 5 days ahead, review given 4 working days), C (青山县, public policy, no
    public comment by law). Not counted: D decided in 2025, E still in the catalogue, F withdrawn. In 白水县: G."""
    a = make_decided(tree.township, title="A 供热价格调整")
    steps = required_steps_only(technical=True, hearing=True)
    steps["hearing"] = (D(2026, 3, 25), D(2026, 3, 30))
    steps["legality_review"] = (D(2026, 4, 14), D(2026, 4, 20))
    b = make_decided(
        tree.village,
        title="B 污水处理厂选址",
        category="environment",
        technical=True,
        hearing_required=True,
        steps=steps,
    )
    c = make_decided(
        tree.county,
        title="C 营商环境措施",
        category="public_policy",
        public_comment_required=False,
        steps=required_steps_only(comment=False, risk=False),
    )
    old = {"legality_review": (D(2025, 11, 3), D(2025, 11, 20)), "collective_decision": (None, D(2025, 12, 10))}
    d = make_decided(
        tree.county, title="D 去年的事项", year=2025, category="public_policy", public_comment_required=False, steps=old
    )
    e = make_decision(tree.township, title="E 尚未决策", steps=required_steps_only())
    f = make_decision(tree.township, title="F 已撤回")
    services.decision_withdraw(actor=None, decision=f, reason="不再实施")
    g = make_decided(tree.other_county, title="G 白水县事项")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def counts(code, tree, *names):
    paths = [getattr(tree, n).path for n in names]
    result = metric_get(code).counts(paths, *YEAR)
    return [result[p] for p in paths]


def test_every_metric_the_standards_name_is_registered():
    for code in CODES:
        metric = metric_get(code)
        assert metric.ledger == "decisions" and metric.kind == "rate" and str(metric.formula)


def test_numerators_and_denominators_by_subtree(tree, world):
    assert counts("decisions.legality_review_rate", tree, "county", "township", "village", "other_county", "city") == [
        (3, 3),
        (2, 2),
        (1, 1),
        (1, 1),
        (4, 4),
    ]
    assert counts("decisions.collective_decision_rate", tree, "county") == [(3, 3)]
    assert counts("decisions.public_participation_rate", tree, "county") == [(2, 2)]
    assert counts("decisions.expert_argumentation_rate", tree, "county", "township2") == [(1, 1), (0, 0)]
    assert counts("decisions.hearing_rate", tree, "county") == [(0, 1)]
    assert counts("decisions.risk_assessment_rate", tree, "county") == [(2, 2)]
    assert counts("decisions.review_period_rate", tree, "county", "township") == [(2, 3), (1, 2)]
    assert counts("decisions.procedure_compliance_rate", tree, "county", "township", "village") == [
        (2, 3),
        (1, 2),
        (0, 1),
    ]


def test_values(tree, world):
    ((num, den),) = counts("decisions.procedure_compliance_rate", tree, "county")
    assert metric_value("rate", num, den).value == Decimal("66.67")
    ((num, den),) = counts("decisions.hearing_rate", tree, "county")
    assert metric_value("rate", num, den).value == Decimal("0.00")
    ((num, den),) = counts("decisions.expert_argumentation_rate", tree, "township2")
    assert metric_value("rate", num, den).value is None  # no technical decision: no records, not 0 %


def test_the_settings_are_read_when_the_metric_is_computed(tree, world, settings):
    settings.FAZHI_DECISION_RISK_CATEGORIES = [*settings.FAZHI_DECISION_RISK_CATEGORIES, "public_policy"]
    assert counts("decisions.risk_assessment_rate", tree, "county") == [(2, 3)]
    settings.FAZHI_DECISION_COMMENT_DAYS = 31
    assert counts("decisions.public_participation_rate", tree, "county") == [(0, 2)]


def test_drill_down_lists_the_records_behind_the_figure(tree, world):
    records = metric_get("decisions.procedure_compliance_rate").records(tree.county.path, *YEAR)
    got = {r.pk: r.in_numerator for r in records}
    assert got == {world["a"].pk: True, world["b"].pk: False, world["c"].pk: True}
    assert all(r.get_absolute_url() and str(r) for r in records)
    hearing = metric_get("decisions.hearing_rate").records(tree.county.path, *YEAR)
    assert [(r.pk, r.in_numerator) for r in hearing] == [(world["b"].pk, False)]


def test_a_step_after_the_decision_does_not_count(tree):
    # Recorded through the import path (bulk), a late review would be refused; here it is written past the rules
    # to show the metric itself checks the order.
    decision = make_decided(tree.township, title="H")
    decision.procedures.filter(kind="legality_review").update(
        ended_on=D(2026, 5, 1), started_on=FULL_STEPS["legality_review"][0]
    )
    assert counts("decisions.legality_review_rate", tree, "township") == [(0, 1)]
    assert counts("decisions.procedure_compliance_rate", tree, "township") == [(0, 1)]
