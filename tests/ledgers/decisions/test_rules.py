"""The pure rules of major decisions: which steps a decision needs, their order, the comment period."""

from __future__ import annotations

import datetime as dt

from fazhi.ledgers.decisions import rules
from fazhi.ledgers.decisions.rules import DecisionFacts, Step

D = dt.date
RISK = ["utility_prices", "land_acquisition"]


def facts(category="public_policy", *, technical=False, comment=True, hearing=False) -> DecisionFacts:
    return DecisionFacts(
        category=category, technical=technical, public_comment_required=comment, hearing_required=hearing
    )


def complete(**overrides) -> dict[str, Step]:
    steps = {
        "public_participation": Step(D(2026, 3, 2), D(2026, 4, 1)),
        "legality_review": Step(D(2026, 4, 7), D(2026, 4, 20)),
        "collective_decision": Step(None, D(2026, 4, 28)),
    }
    steps.update(overrides)
    return {k: v for k, v in steps.items() if v is not None}


def problems(f, steps, comment_days=30):
    return rules.decide_problems(f, steps, risk_categories=RISK, comment_days=comment_days)


def test_legality_review_and_collective_decision_are_always_required():
    assert rules.required_steps(facts(comment=False), risk_categories=RISK) == [
        "legality_review",
        "collective_decision",
    ]
    found = problems(facts(), complete(legality_review=None))
    assert [step for step, _p in found] == ["legality_review"]
    assert "legality review" in str(found[0][1])
    found = problems(facts(), complete(collective_decision=None))
    assert [step for step, _p in found] == ["collective_decision"]


def test_a_complete_decision_has_no_problem():
    assert problems(facts(), complete()) == []


def test_expert_argumentation_is_required_only_for_a_technical_decision():
    assert [s for s, _ in problems(facts(technical=True), complete())] == ["expert_argumentation"]
    assert problems(facts(technical=True), complete(expert_argumentation=Step(None, D(2026, 4, 2)))) == []
    assert "expert_argumentation" not in rules.required_steps(facts(), risk_categories=RISK)


def test_risk_assessment_is_required_for_the_configured_categories_only():
    assert [s for s, _ in problems(facts("land_acquisition"), complete())] == ["risk_assessment"]
    assert problems(facts("public_policy"), complete()) == []
    # The list is an argument: a category becomes a risk category when configured so.
    assert "risk_assessment" in rules.required_steps(facts("public_policy"), risk_categories=["public_policy"])


def test_a_hearing_is_required_when_the_decision_says_so():
    assert [s for s, _ in problems(facts(hearing=True), complete())] == ["hearing"]


def test_public_participation_is_required_unless_exempt():
    assert [s for s, _ in problems(facts(), complete(public_participation=None))] == ["public_participation"]
    assert problems(facts(comment=False), complete(public_participation=None)) == []


def test_the_comment_period_boundary_first_day_not_counted():
    exactly = complete(public_participation=Step(D(2026, 3, 2), D(2026, 4, 1)))  # 30 days
    assert problems(facts(), exactly) == []
    short = complete(public_participation=Step(D(2026, 3, 3), D(2026, 4, 1)))  # 29 days
    found = problems(facts(), short)
    assert [s for s, _ in found] == ["public_participation"]
    assert found[0][1].params["days"] == 29 and found[0][1].params["minimum"] == 30
    # The figure is the caller's (the setting).
    assert problems(facts(), short, comment_days=29) == []


def test_the_review_must_precede_the_decision():
    late = complete(legality_review=Step(D(2026, 4, 7), D(2026, 4, 29)))
    found = problems(facts(), late)
    assert [s for s, _ in found] == ["legality_review"]
    assert "before the collective decision" in found[0][1].message
    same_day = complete(legality_review=Step(D(2026, 4, 7), D(2026, 4, 28)))
    assert problems(facts(), same_day) == []


def test_every_step_must_be_completed_before_the_decision():
    late = complete(public_participation=Step(D(2026, 3, 30), D(2026, 4, 30)))
    assert [s for s, _ in problems(facts(), late)] == ["public_participation"]


def test_dates_in_the_wrong_order_are_a_problem_of_the_step():
    found = rules.step_problems("legality_review", D(2026, 4, 20), D(2026, 4, 7))
    assert [f for f, _ in found] == ["ended_on"]
    assert rules.step_problems("legality_review", None, D(2026, 4, 7))[0][0] == "started_on"
    assert rules.step_problems("collective_decision", None, D(2026, 4, 7)) == []
    assert rules.step_problems("collective_decision", None, None)[0][0] == "ended_on"


def test_review_period_and_hearing_notice():
    assert rules.review_period_ok(D(2026, 4, 7), D(2026, 4, 16), D(2026, 4, 16))
    assert not rules.review_period_ok(D(2026, 4, 7), D(2026, 4, 15), D(2026, 4, 16))
    assert rules.hearing_notice_ok(Step(D(2026, 3, 20), D(2026, 3, 27)), notice_days=7)
    assert not rules.hearing_notice_ok(Step(D(2026, 3, 21), D(2026, 3, 27)), notice_days=7)


def test_evaluation_cannot_precede_the_decision_and_needs_a_finding():
    assert rules.evaluation_problems(D(2026, 4, 28), D(2026, 10, 1), "效果良好") == []
    assert [f for f, _ in rules.evaluation_problems(D(2026, 4, 28), D(2026, 4, 27), "效果良好")] == ["evaluated_on"]
    assert [f for f, _ in rules.evaluation_problems(D(2026, 4, 28), D(2026, 5, 1), " ")] == ["evaluation_finding"]
