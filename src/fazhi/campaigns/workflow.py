"""The campaign's stages and the application's states, as plain data. Pure, no Django.

One transition table per workflow: a service looks up its action here, refuses unless the object is in
one of the action's source states (and the campaign in one of the action's stages), then moves it to the
target state. The tables are the single statement of "what may happen when"; pages and the API read them
to decide which buttons to show.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- campaign stages, in order -------------------------------------------------------------------

DRAFT = "draft"  # being configured; nobody but the administrators sees it
APPLICATION = "application"  # units apply: self-assessment, evidence, submission
RECOMMENDATION = "recommendation"  # the recommending level screens: recommend / return / not recommend
REVIEW = "review"  # reviewers score their assigned applications
INSPECTION = "inspection"  # on-site inspection and satisfaction survey; results computed and published
NOTICE = "notice"  # the proposed units are on public notice; objections
NAMING = "naming"  # the administrator names the units
CLOSED = "closed"  # done; designations live on under dynamic management

STAGES = (DRAFT, APPLICATION, RECOMMENDATION, REVIEW, INSPECTION, NOTICE, NAMING, CLOSED)
# Stages with planned dates (the draft has none; closed never ends).
DATED_STAGES = (APPLICATION, RECOMMENDATION, REVIEW, INSPECTION, NOTICE, NAMING)


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def stage_reached(current: str, stage: str) -> bool:
    """Whether the campaign is at ``stage`` or beyond it."""
    return STAGES.index(current) >= STAGES.index(stage)


# --- application states --------------------------------------------------------------------------

A_DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
RECOMMENDED = "recommended"
NOT_RECOMMENDED = "not_recommended"
IN_REVIEW = "in_review"
SCORED = "scored"
PASSED = "passed"
FAILED = "failed"
ON_NOTICE = "on_notice"
NAMED = "named"
REMOVED = "removed"

APPLICATION_STATES = (
    A_DRAFT,
    SUBMITTED,
    RETURNED,
    RECOMMENDED,
    NOT_RECOMMENDED,
    IN_REVIEW,
    SCORED,
    PASSED,
    FAILED,
    ON_NOTICE,
    NAMED,
    REMOVED,
)
# States in which the clerk may change the self-assessment and evidence.
EDITABLE = frozenset({A_DRAFT, RETURNED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the state is decided by the service (e.g. passed or failed by the results)
    stages: frozenset[str]  # campaign stages in which the action is allowed


def _t(sources, target, stages) -> Transition:
    return Transition(frozenset(sources), target, frozenset(stages))


APPLICATION_TRANSITIONS: dict[str, Transition] = {
    "submit": _t({A_DRAFT, RETURNED}, SUBMITTED, {APPLICATION, RECOMMENDATION}),
    "return": _t({SUBMITTED}, RETURNED, {APPLICATION, RECOMMENDATION}),
    "recommend": _t({SUBMITTED}, RECOMMENDED, {APPLICATION, RECOMMENDATION}),
    "not_recommend": _t({SUBMITTED}, NOT_RECOMMENDED, {APPLICATION, RECOMMENDATION}),
    "assign": _t({RECOMMENDED, IN_REVIEW}, IN_REVIEW, {REVIEW}),
    "score": _t({IN_REVIEW}, SCORED, {REVIEW}),  # the last assigned sheet was submitted
    # A sheet reopened by the administrator: only in review, the only stage in which a reviewer may save.
    "reopen": _t({SCORED, IN_REVIEW}, IN_REVIEW, {REVIEW}),
    "decide": _t({SCORED, PASSED, FAILED}, None, {INSPECTION}),  # published results: passed or failed
    "notice": _t({PASSED}, ON_NOTICE, {NOTICE}),
    "remove": _t({ON_NOTICE}, REMOVED, {NOTICE}),  # an objection was upheld
    "name": _t({ON_NOTICE}, NAMED, {NAMING}),
}


class TransitionRefused(Exception):
    """The action is not allowed now. ``reason`` is "state" or "stage"; the service words the message."""

    def __init__(self, action: str, reason: str, current: str):
        super().__init__(f"{action}: not allowed in {reason} {current}")
        self.action, self.reason, self.current = action, reason, current


def check(action: str, *, state: str, stage: str) -> str | None:
    """The target state of ``action`` from ``state`` during ``stage``; :class:`TransitionRefused` if not allowed."""
    transition = APPLICATION_TRANSITIONS[action]
    if state not in transition.sources:
        raise TransitionRefused(action, "state", state)
    if stage not in transition.stages:
        raise TransitionRefused(action, "stage", stage)
    return transition.target


def allowed(action: str, *, state: str, stage: str) -> bool:
    transition = APPLICATION_TRANSITIONS[action]
    return state in transition.sources and stage in transition.stages


# --- designations (dynamic management) ------------------------------------------------------------

ACTIVE, REVOKED, CANCELLED = "active", "revoked", "cancelled"
KEEP, REVOKE, CANCEL = "keep", "revoke", "cancel"
# The outcome of a re-review and the designation status it leaves.
REREVIEW_OUTCOMES = {KEEP: ACTIVE, REVOKE: REVOKED, CANCEL: CANCELLED}
