"""The pure rules of the ledger "Major administrative decisions": plain data in, ``Problem``s out. No Django.

The five procedures of the 2019 regulation on major administrative decision procedures (重大行政决策程序暂行条例):
public participation (with a hearing where one is due), expert argumentation, risk assessment, legality review and
collective decision. Which of them a decision needs, and in which order, is decided here; the figures (the comment
period, the hearing notice, the risk categories) come from settings through the caller.

Periods in calendar days are counted the way Chinese law counts them (民法典 第201条): the first day is not
counted, so a comment period from 1 March to 31 March lasts 30 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fazhi.core.problems import Problem, gettext_noop

PUBLIC_PARTICIPATION = "public_participation"
HEARING = "hearing"
EXPERT_ARGUMENTATION = "expert_argumentation"
RISK_ASSESSMENT = "risk_assessment"
LEGALITY_REVIEW = "legality_review"
COLLECTIVE_DECISION = "collective_decision"

# In the order the regulation runs them.
PROCEDURES = (
    PUBLIC_PARTICIPATION,
    HEARING,
    EXPERT_ARGUMENTATION,
    RISK_ASSESSMENT,
    LEGALITY_REVIEW,
    COLLECTIVE_DECISION,
)
# The procedures whose record needs a start date (the comment period opens, the hearing is announced, the draft
# is sent for review); the others are dated by the day they were completed.
STARTED = frozenset({PUBLIC_PARTICIPATION, HEARING, LEGALITY_REVIEW})

# People's names of each step, as msgids (translated where shown).
STEP_NAMES = {
    PUBLIC_PARTICIPATION: gettext_noop("public participation"),
    HEARING: gettext_noop("hearing"),
    EXPERT_ARGUMENTATION: gettext_noop("expert argumentation"),
    RISK_ASSESSMENT: gettext_noop("risk assessment"),
    LEGALITY_REVIEW: gettext_noop("legality review"),
    COLLECTIVE_DECISION: gettext_noop("collective decision"),
}


# The messages, as msgids; ``rule_of`` names the rule each one breaks.
DATE_REQUIRED = gettext_noop("The date is required.")
START_REQUIRED = gettext_noop("The start date is required for this step.")
DATES_REVERSED = gettext_noop("The end date (%(end)s) is before the start date (%(start)s).")
COMMENT_TOO_SHORT = gettext_noop(
    "The public comment period lasted %(days)d days (%(start)s to %(end)s); it must be at least %(minimum)d days."
)
STEP_MISSING = gettext_noop("The %(step)s has not been recorded; this decision requires it.")
STEP_AFTER_DECISION = gettext_noop(
    "The %(step)s (%(date)s) must be completed before the collective decision (%(decided)s)."
)
EVALUATION_DATE_REQUIRED = gettext_noop("The date of the evaluation is required.")
EVALUATION_BEFORE_DECISION = gettext_noop("The evaluation (%(date)s) cannot come before the decision (%(decided)s).")
EVALUATION_FINDING_REQUIRED = gettext_noop("Write down what the evaluation found.")
NOT_DECIDED = gettext_noop("Only a decision that was taken can be evaluated.")
WITHDRAWAL_REASON_REQUIRED = gettext_noop("Give the reason for the withdrawal.")

_RULES = {
    DATE_REQUIRED: "decisions.step_date",
    START_REQUIRED: "decisions.step_date",
    DATES_REVERSED: "decisions.date_order",
    COMMENT_TOO_SHORT: "decisions.comment_period",
    STEP_AFTER_DECISION: "decisions.step_order",
    EVALUATION_DATE_REQUIRED: "decisions.evaluation",
    EVALUATION_BEFORE_DECISION: "decisions.evaluation",
    EVALUATION_FINDING_REQUIRED: "decisions.evaluation",
    NOT_DECIDED: "decisions.not_decided",
    WITHDRAWAL_REASON_REQUIRED: "decisions.reason_required",
}


def rule_of(where: str, problem: Problem) -> str:
    """The stable code of the rule a problem breaks: ``decisions.legality_review_required`` for a missing step."""
    if problem.message == STEP_MISSING:
        return f"decisions.{where}_required"
    return _RULES.get(problem.message, "decisions.rule")


@dataclass(frozen=True)
class Step:
    """One procedure as recorded: when it started (if it has a start) and when it was completed."""

    started_on: dt.date | None
    ended_on: dt.date


@dataclass(frozen=True)
class DecisionFacts:
    category: str
    technical: bool
    public_comment_required: bool
    hearing_required: bool


def period_days(started_on: dt.date | None, ended_on: dt.date | None) -> int | None:
    """Calendar days from start to end, the first day not counted (None when either is missing)."""
    if started_on is None or ended_on is None:
        return None
    return (ended_on - started_on).days


def step_problems(kind: str, started_on: dt.date | None, ended_on: dt.date | None) -> list[tuple[str, Problem]]:
    """What is wrong with one procedure record by itself: ``(field, problem)`` pairs."""
    problems: list[tuple[str, Problem]] = []
    if ended_on is None:
        problems.append(("ended_on", Problem(DATE_REQUIRED)))
    if kind in STARTED and started_on is None:
        problems.append(("started_on", Problem(START_REQUIRED)))
    if started_on is not None and ended_on is not None and ended_on < started_on:
        problems.append(
            (
                "ended_on",
                Problem(
                    DATES_REVERSED,
                    {"end": ended_on.isoformat(), "start": started_on.isoformat()},
                ),
            )
        )
    return problems


def required_steps(facts: DecisionFacts, *, risk_categories: Iterable[str]) -> list[str]:
    """The procedures this decision needs, in the regulation's order."""
    needed = []
    if facts.public_comment_required:
        needed.append(PUBLIC_PARTICIPATION)
    if facts.hearing_required:
        needed.append(HEARING)
    if facts.technical:
        needed.append(EXPERT_ARGUMENTATION)
    if facts.category in set(risk_categories):
        needed.append(RISK_ASSESSMENT)
    needed += [LEGALITY_REVIEW, COLLECTIVE_DECISION]
    return needed


def comment_period_problem(step: Step, *, comment_days: int) -> Problem | None:
    days = period_days(step.started_on, step.ended_on)
    if days is not None and days < comment_days:
        return Problem(
            COMMENT_TOO_SHORT,
            {
                "days": days,
                "start": step.started_on.isoformat(),
                "end": step.ended_on.isoformat(),
                "minimum": comment_days,
            },
        )
    return None


def decide_problems(
    facts: DecisionFacts,
    steps: Mapping[str, Step],
    *,
    risk_categories: Iterable[str],
    comment_days: int,
) -> list[tuple[str, Problem]]:
    """Why the decision may not be recorded as decided: ``(step, problem)`` pairs, the steps in order.

    Every required step must be recorded; every step recorded must be completed on or before the collective
    decision (the legality review included: review precedes the decision); the comment period must last at least
    ``comment_days``.
    """
    problems: list[tuple[str, Problem]] = []
    for kind in required_steps(facts, risk_categories=risk_categories):
        if kind not in steps:
            problems.append(
                (
                    kind,
                    Problem(
                        STEP_MISSING,
                        {"step": STEP_NAMES[kind]},
                    ),
                )
            )
    for kind, step in steps.items():
        for _field, problem in step_problems(kind, step.started_on, step.ended_on):
            problems.append((kind, problem))
    decision = steps.get(COLLECTIVE_DECISION)
    if decision is not None:
        for kind in PROCEDURES:
            step = steps.get(kind)
            if kind == COLLECTIVE_DECISION or step is None or step.ended_on is None or decision.ended_on is None:
                continue
            if step.ended_on > decision.ended_on:
                problems.append(
                    (
                        kind,
                        Problem(
                            STEP_AFTER_DECISION,
                            {
                                "step": STEP_NAMES[kind],
                                "date": step.ended_on.isoformat(),
                                "decided": decision.ended_on.isoformat(),
                            },
                        ),
                    )
                )
    participation = steps.get(PUBLIC_PARTICIPATION)
    if participation is not None:
        problem = comment_period_problem(participation, comment_days=comment_days)
        if problem is not None:
            problems.append((PUBLIC_PARTICIPATION, problem))
    return problems


def review_period_ok(submitted_on: dt.date, opinion_on: dt.date, earliest_opinion: dt.date) -> bool:
    """Whether the review was given its working days: the opinion came no earlier than ``earliest_opinion``
    (the day the clock of FAZHI_DECISION_REVIEW_WORKING_DAYS working days from submission runs out)."""
    return opinion_on >= earliest_opinion


def hearing_notice_ok(step: Step, *, notice_days: int) -> bool:
    """Whether the hearing was announced (its materials published) at least ``notice_days`` days ahead."""
    days = period_days(step.started_on, step.ended_on)
    return days is not None and days >= notice_days


def evaluation_problems(
    decided_on: dt.date | None, evaluated_on: dt.date | None, finding: str
) -> list[tuple[str, Problem]]:
    problems: list[tuple[str, Problem]] = []
    if evaluated_on is None:
        problems.append(("evaluated_on", Problem(EVALUATION_DATE_REQUIRED)))
    elif decided_on is not None and evaluated_on < decided_on:
        problems.append(
            (
                "evaluated_on",
                Problem(
                    EVALUATION_BEFORE_DECISION,
                    {"date": evaluated_on.isoformat(), "decided": decided_on.isoformat()},
                ),
            )
        )
    if not finding.strip():
        problems.append(("evaluation_finding", Problem(EVALUATION_FINDING_REQUIRED)))
    return problems
