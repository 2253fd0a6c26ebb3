"""The scoring engine: reviewers' score sheets in, an application's result out. Pure, no Django.

This is the reference statement of the semantics in ``docs/scoring.md``; the set-based SQL path must
agree with it. Points are integer hundredths (4.5 points is ``450``); means are kept exact as
:class:`~fractions.Fraction` and rounded half up to a whole hundredth only where a figure is reported.

- :func:`leaf_score` scores one answer to one leaf.
- :func:`sheet_score` scores one reviewer's sheet (every leaf, the bonus items awarded).
- :func:`aggregate` combines the sheets of one application by the ``mean`` or ``trimmed`` method.

Errors are :class:`ScoringError` subclasses carrying a :class:`~fazhi.core.problems.Problem` (an English
msgid and its parameters) for the Django side to translate, a stable ``rule`` code, and the indicator
or bonus ``code`` at fault where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fazhi.core.problems import Problem, gettext_noop
from fazhi.indicators.spec import (
    CHECKLIST,
    DEDUCTION,
    DEFAULT_STEP,
    MANUAL,
    RATIO,
    TIERS,
    Indicator,
    Standard,
)

MEAN, TRIMMED = "mean", "trimmed"
METHODS = (MEAN, TRIMMED)
# The trimmed mean drops one highest and one lowest total; below this many sheets it is refused.
TRIMMED_MIN_SHEETS = 5


# --- errors -------------------------------------------------------------------------------------


class ScoringError(Exception):
    """The engine refused its input. ``str()`` gives the English message."""

    def __init__(self, problem: Problem, *, rule: str, code: str | None = None, reviewer: Any = None):
        super().__init__(str(problem))
        self.problem = problem
        self.rule = rule
        self.code = code  # the leaf or bonus item at fault
        self.reviewer = reviewer  # whose sheet, when known

    def __str__(self) -> str:
        return str(self.problem)


class SheetInvalid(ScoringError):
    """One reviewer's sheet cannot be scored: an answer is missing, malformed or out of range."""


class TooFewSheets(ScoringError):
    """The application has too few submitted sheets for the method (none at all, or fewer than
    :data:`TRIMMED_MIN_SHEETS` for ``trimmed``)."""


class StandardUnscorable(ScoringError):
    """The standard itself cannot be scored (a leaf without a rule or with an unknown rule kind).

    Validation refuses such standards before they are saved; this guards the engine all the same."""


# --- inputs and outputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One reviewer's score sheet for one application.

    ``answers`` maps every leaf code to the answer its rule expects (see :func:`leaf_score`);
    ``bonus`` maps bonus item codes to whether the reviewer awards them (an item left out is not awarded).
    ``reviewer`` identifies the reviewer (e.g. the user id); it must be unique among an application's
    sheets and orders ties in the trimmed mean.
    """

    reviewer: Any
    answers: Mapping[str, Any]
    bonus: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetScore:
    """One reviewer's scores, all in hundredths."""

    reviewer: Any
    leaves: dict[str, int]  # leaf code -> the leaf score, in standard order
    subtotals: dict[str, int]  # level-1 code -> sum of its leaves
    bonus_items: dict[str, int]  # bonus code -> points awarded (0 when not awarded)
    bonus: int  # min(bonus_cap, sum of bonus_items)
    total: int  # sum of leaves + bonus


@dataclass(frozen=True)
class Result:
    """An application's result. Every figure is in hundredths, rounded half up once from exact means."""

    method: str
    total: int
    subtotals: dict[str, int]  # level-1 code -> mean of the counted reviewers' subtotals
    leaves: dict[str, int]  # leaf code -> mean of the counted reviewers' leaf scores
    bonus_items: dict[str, int]  # bonus code -> mean of the counted reviewers' awarded points
    bonus: int  # the bonus that entered the total (capped)
    vetoed: bool
    passed: bool | None  # None when the standard has no pass score (and the application is not vetoed)
    reviewers: int  # sheets counted (all for mean, all but two for trimmed)
    sheets: int  # sheets submitted
    dropped: tuple[Any, ...] = ()  # trimmed: the reviewers whose totals were dropped (lowest, highest)


# --- numbers ------------------------------------------------------------------------------------


def round_half_up(value: Fraction | int) -> int:
    """An exact value in hundredths to a whole number of hundredths, halves away from zero.

    The same as ``Decimal.quantize(..., ROUND_HALF_UP)`` on the exact value, but without a Decimal
    context's limited precision (a mean like 1/3 has no finite decimal form).
    """
    value = Fraction(value)
    magnitude = (2 * abs(value.numerator) + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


def points_text(hundredths: int) -> str:
    """Hundredths as points for a message: ``450`` -> ``"4.5"``, ``400`` -> ``"4"``."""
    text = f"{Decimal(hundredths) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


# --- one leaf -----------------------------------------------------------------------------------


def _invalid(message: str, leaf: Indicator, rule: str, **params: Any) -> SheetInvalid:
    return SheetInvalid(Problem(message, {"code": leaf.code, **params}), rule=rule, code=leaf.code)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(leaf: Indicator, answer: Any) -> Fraction:
    """A ratio or tier value: a finite Decimal (or an int), never a float."""
    if _is_int(answer):
        return Fraction(answer)
    if isinstance(answer, Decimal) and answer.is_finite():
        return Fraction(answer)
    raise _invalid(
        gettext_noop("indicator %(code)s: the value must be a number, not %(answer)r"),
        leaf,
        "scoring.value_not_number",
        answer=answer,
    )


def _manual(leaf: Indicator, answer: Any) -> int:
    step = leaf.rule.step or DEFAULT_STEP
    if not _is_int(answer):
        raise _invalid(
            gettext_noop("indicator %(code)s: the score must be a whole number of hundredths, not %(answer)r"),
            leaf,
            "scoring.manual_not_int",
            answer=answer,
        )
    if not 0 <= answer <= leaf.points:
        raise _invalid(
            gettext_noop("indicator %(code)s: the score %(score)s is outside 0 to %(points)s"),
            leaf,
            "scoring.manual_out_of_range",
            score=points_text(answer),
            points=points_text(leaf.points),
        )
    if answer % step and answer != leaf.points:
        raise _invalid(
            gettext_noop("indicator %(code)s: the score %(score)s is not a multiple of the step %(step)s"),
            leaf,
            "scoring.manual_off_step",
            score=points_text(answer),
            step=points_text(step),
        )
    return answer


def _checklist(leaf: Indicator, answer: Any) -> int:
    items = leaf.rule.items
    if isinstance(answer, str | bytes | Mapping) or not isinstance(answer, Iterable):
        raise _invalid(
            gettext_noop("indicator %(code)s: the answer must be the set of satisfied item numbers"),
            leaf,
            "scoring.checklist_not_set",
        )
    chosen = set(answer)
    for index in chosen:
        if not _is_int(index) or not 0 <= index < len(items):
            raise _invalid(
                gettext_noop("indicator %(code)s: there is no checklist item %(index)r"),
                leaf,
                "scoring.checklist_no_item",
                index=index,
            )
    return sum(items[index].points for index in chosen)


def _deduction(leaf: Indicator, answer: Any) -> int:
    if not _is_int(answer) or answer < 0:
        raise _invalid(
            gettext_noop("indicator %(code)s: the count must be a whole number of at least 0, not %(answer)r"),
            leaf,
            "scoring.deduction_bad_count",
            answer=answer,
        )
    return max(0, leaf.points - leaf.rule.per * answer)


def _ratio(leaf: Indicator, answer: Any) -> int:
    value = _number(leaf, answer)
    if not 0 <= value <= 1:
        raise _invalid(
            gettext_noop("indicator %(code)s: the ratio %(answer)s is outside 0 to 1"),
            leaf,
            "scoring.ratio_out_of_range",
            answer=answer,
        )
    full_at, zero_at = Fraction(leaf.rule.full_at), Fraction(leaf.rule.zero_at)
    if value >= full_at:
        return leaf.points
    if value <= zero_at:
        return 0
    return round_half_up(leaf.points * (value - zero_at) / (full_at - zero_at))


def _tiers(leaf: Indicator, answer: Any) -> int:
    value = _number(leaf, answer)
    for tier in leaf.rule.tiers:
        if value >= Fraction(tier.min):
            return tier.points
    return 0


@dataclass(frozen=True)
class Fixed:
    """A leaf's score given outright instead of an answer to its rule: a reviewer's override (with a written
    reason, kept by the campaign) or a metric-bound leaf whose metric had no records. Any rule kind; the
    points must lie within 0 to the leaf's points."""

    points: int  # hundredths


def _fixed(leaf: Indicator, answer: Fixed) -> int:
    if not _is_int(answer.points) or not 0 <= answer.points <= leaf.points:
        raise _invalid(
            gettext_noop("indicator %(code)s: the score %(score)s is outside 0 to %(points)s"),
            leaf,
            "scoring.fixed_out_of_range",
            score=answer.points,
            points=points_text(leaf.points),
        )
    return answer.points


_RULES = {MANUAL: _manual, CHECKLIST: _checklist, DEDUCTION: _deduction, RATIO: _ratio, TIERS: _tiers}


def leaf_score(leaf: Indicator, answer: Any) -> int:
    """One reviewer's score for one leaf, in hundredths, rounded half up.

    Answers by rule kind: ``manual`` an int of hundredths, a multiple of the step (or the leaf's full
    points), within 0 to the leaf's points; ``checklist`` a set (any iterable) of satisfied item
    indexes, 0-based in file order; ``deduction`` an int count >= 0; ``ratio`` a Decimal in [0, 1];
    ``tiers`` a Decimal. Ints are accepted where a Decimal is expected; floats never are. Any kind also
    takes a :class:`Fixed` score (an override, or a metric-bound leaf without records).
    """
    score = _RULES.get(leaf.rule.kind if leaf.rule else None)
    if score is not None and isinstance(answer, Fixed):
        return _fixed(leaf, answer)
    if score is None:
        raise StandardUnscorable(
            Problem(gettext_noop("indicator %(code)s has no rule the engine knows"), {"code": leaf.code}),
            rule="scoring.rule_unknown",
            code=leaf.code,
        )
    return score(leaf, answer)


# --- one sheet ----------------------------------------------------------------------------------


def _leaves_by_level1(standard: Standard) -> dict[str, str]:
    """Every leaf code, in standard order, with the code of the level-1 indicator above it (or itself)."""
    return {node.code: top.code for top in standard.indicators for node, _ in top.walk() if node.is_leaf}


def _capped(standard: Standard, bonus_sum: Fraction | int) -> Fraction | int:
    return bonus_sum if standard.bonus_cap is None else min(standard.bonus_cap, bonus_sum)


def sheet_score(standard: Standard, sheet: Sheet) -> SheetScore:
    """Score one reviewer's complete sheet. A missing, unknown or invalid answer is a :class:`SheetInvalid`."""
    leaves = {leaf.code: leaf for leaf in standard.leaves()}
    level1 = _leaves_by_level1(standard)

    def refuse(message: str, rule: str, code: str) -> SheetInvalid:
        return SheetInvalid(Problem(message, {"code": code}), rule=rule, code=code, reviewer=sheet.reviewer)

    for code in sheet.answers:
        if code not in leaves:
            raise refuse(
                gettext_noop("the sheet answers %(code)s, which is not a leaf of the standard"),
                "scoring.answer_unknown",
                code,
            )
    scores = {}
    for code, leaf in leaves.items():
        if code not in sheet.answers:
            raise refuse(gettext_noop("the sheet has no answer for indicator %(code)s"), "scoring.answer_missing", code)
        try:
            scores[code] = leaf_score(leaf, sheet.answers[code])
        except ScoringError as error:
            error.reviewer = sheet.reviewer
            raise

    bonus_points = {item.code: item.points for item in standard.bonus}
    for code, awarded in sheet.bonus.items():
        if code not in bonus_points:
            raise refuse(
                gettext_noop("the sheet awards %(code)s, which is not a bonus item of the standard"),
                "scoring.bonus_unknown",
                code,
            )
        if not isinstance(awarded, bool):
            raise refuse(
                gettext_noop("bonus item %(code)s must be awarded or not (true or false)"),
                "scoring.bonus_not_bool",
                code,
            )
    bonus_items = {code: points if sheet.bonus.get(code, False) else 0 for code, points in bonus_points.items()}

    subtotals = dict.fromkeys((top.code for top in standard.indicators), 0)
    for code, score in scores.items():
        subtotals[level1[code]] += score
    bonus = _capped(standard, sum(bonus_items.values()))
    return SheetScore(
        reviewer=sheet.reviewer,
        leaves=scores,
        subtotals=subtotals,
        bonus_items=bonus_items,
        bonus=bonus,
        total=sum(scores.values()) + bonus,
    )


# --- one application ----------------------------------------------------------------------------


def _means(scored: Sequence[SheetScore], part: str) -> dict[str, Fraction]:
    keys = getattr(scored[0], part).keys()
    return {key: _mean([getattr(score, part)[key] for score in scored]) for key in keys}


def _rounded(values: Mapping[str, Fraction]) -> dict[str, int]:
    return {key: round_half_up(value) for key, value in values.items()}


def _check_sheets(sheets: Sequence[Sheet], method: str, application: Any, min_sheets: int = TRIMMED_MIN_SHEETS) -> None:
    if method not in METHODS:
        raise ScoringError(
            Problem(gettext_noop("unknown aggregation method %(method)r"), {"method": method}),
            rule="scoring.method_unknown",
        )
    needed = min_sheets if method == TRIMMED else 1
    if len(sheets) < needed:
        message = (
            gettext_noop(
                "application %(application)s: score sheets submitted: %(count)s; the trimmed mean "
                "(dropping the highest and the lowest) needs at least %(needed)s"
            )
            if method == TRIMMED
            else gettext_noop("application %(application)s: no score sheet has been submitted")
        )
        raise TooFewSheets(
            Problem(message, {"application": application, "count": len(sheets), "needed": needed}),
            rule="scoring.too_few_sheets",
        )
    seen = set()
    for sheet in sheets:
        if sheet.reviewer in seen:
            raise ScoringError(
                Problem(
                    gettext_noop("application %(application)s has two score sheets from reviewer %(reviewer)s"),
                    {"application": application, "reviewer": sheet.reviewer},
                ),
                rule="scoring.reviewer_twice",
                reviewer=sheet.reviewer,
            )
        seen.add(sheet.reviewer)


def aggregate(
    standard: Standard,
    sheets: Sequence[Sheet],
    method: str = MEAN,
    *,
    application: Any,
    vetoed: bool = False,
    min_sheets: int = TRIMMED_MIN_SHEETS,
) -> Result:
    """Combine one application's submitted sheets into its result (see ``docs/scoring.md``).

    ``mean``: each leaf's and each bonus item's mean over all sheets; total = Σ leaf means +
    min(bonus_cap, Σ bonus means). ``trimmed``: order the sheets by (own total, reviewer), drop the first
    and the last, and take the mean of the rest — total, subtotals, leaves and bonus alike. Each reported
    figure is rounded half up once, from exact means. ``application`` labels the errors. ``min_sheets``:
    the fewest sheets ``trimmed`` accepts (at least 3; the campaigns use ``FAZHI_TRIMMED_MIN_SHEETS``).
    """
    _check_sheets(sheets, method, application, max(3, min_sheets))
    scored = [sheet_score(standard, sheet) for sheet in sheets]
    dropped: tuple[Any, ...] = ()
    if method == TRIMMED:
        scored.sort(key=lambda score: (score.total, score.reviewer))
        dropped = (scored[0].reviewer, scored[-1].reviewer)
        scored = scored[1:-1]

    leaves = _means(scored, "leaves")
    bonus_items = _means(scored, "bonus_items")
    if method == MEAN:
        bonus = _capped(standard, sum(bonus_items.values(), Fraction(0)))
    else:  # each reviewer's bonus was capped on their own sheet
        bonus = _mean([score.bonus for score in scored])
    total = round_half_up(sum(leaves.values(), Fraction(0)) + bonus)

    if vetoed:
        passed = False
    elif standard.pass_score is None:
        passed = None
    else:
        passed = total >= standard.pass_score
    return Result(
        method=method,
        total=total,
        subtotals=_rounded(_means(scored, "subtotals")),
        leaves=_rounded(leaves),
        bonus_items=_rounded(bonus_items),
        bonus=round_half_up(bonus),
        vetoed=vetoed,
        passed=passed,
        reviewers=len(scored),
        sheets=len(sheets),
        dropped=dropped,
    )
