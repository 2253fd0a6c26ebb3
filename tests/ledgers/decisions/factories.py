"""Small builders of major decisions for tests (and, later, the demo). Data in Chinese, dates in 2026 (the last
year the official calendar covers today)."""

from __future__ import annotations

import datetime as dt

from fazhi.ledgers.decisions import services
from fazhi.ledgers.decisions.models import Decision

D = dt.date

# A complete, compliant set of steps for a decision taken on 2026-04-28.
FULL_STEPS = {
    "public_participation": (D(2026, 3, 2), D(2026, 4, 1)),  # 30 days
    "hearing": (D(2026, 3, 20), D(2026, 3, 30)),  # announced 10 days ahead
    "expert_argumentation": (None, D(2026, 4, 2)),
    "risk_assessment": (None, D(2026, 4, 3)),
    "legality_review": (D(2026, 4, 7), D(2026, 4, 20)),  # 9 working days
    "collective_decision": (None, D(2026, 4, 28)),
}


def make_decision(
    org,
    *,
    title: str = "青山县城区集中供热价格调整",
    year: int = 2026,
    category: str = "utility_prices",
    technical: bool = False,
    public_comment_required: bool = True,
    hearing_required: bool = False,
    evaluation_due: dt.date | None = None,
    steps: dict | None = None,
    decide: bool = False,
    actor=None,
) -> Decision:
    """A decision in ``org``'s catalogue with the given steps recorded (default: none), decided if asked."""
    decision = services.decision_create(
        actor=actor,
        org=org,
        year=year,
        title=title,
        category=category,
        technical=technical,
        public_comment_required=public_comment_required,
        hearing_required=hearing_required,
        evaluation_due=evaluation_due,
    )
    for kind, (start, end) in (steps or {}).items():
        services.procedure_record(actor=actor, decision=decision, kind=kind, started_on=start, ended_on=end)
    if decide:
        decision = services.decision_decide(actor=actor, decision=decision)
    return decision


def required_steps_only(*, technical=False, hearing=False, risk=True, comment=True) -> dict:
    kinds = ["legality_review", "collective_decision"]
    if comment:
        kinds.append("public_participation")
    if hearing:
        kinds.append("hearing")
    if technical:
        kinds.append("expert_argumentation")
    if risk:
        kinds.append("risk_assessment")
    return {kind: FULL_STEPS[kind] for kind in kinds}


def make_decided(org, **kwargs) -> Decision:
    """A decided decision (utility prices: risk assessment, comment period, review and collective decision)."""
    kwargs.setdefault(
        "steps",
        required_steps_only(technical=kwargs.get("technical", False), hearing=kwargs.get("hearing_required", False)),
    )
    return make_decision(org, decide=True, **kwargs)
